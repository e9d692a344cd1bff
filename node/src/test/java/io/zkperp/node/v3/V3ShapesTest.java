package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.node.NodeConfig;
import io.zkperp.sequencer.risk.LiquidationConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's v3 shapes: v3-tiny proves liquidations at the engine's fee rate, and a node whose
 * engine charges another rate than its shape proves is refused at start-up with a typed error,
 * before anything is opened.
 */
class V3ShapesTest {
  @Test
  void v3TinyHasOneSlotOfEachLiquidationGroupAtTheEnginesFeeRate() {
    var s = V3Shapes.shape("v3-tiny");
    assertThat(s.liquidations()).isOne();
    assertThat(s.takeovers()).isOne();
    assertThat(s.deleverages()).isOne();
    assertThat(s.steps()).isEqualTo(12);
    assertThat(s.liquidationFeePpm()).isEqualTo(LiquidationConfig.DEFAULT.feePpm());
    V3Shapes.checkLiquidationFee("v3-tiny", LiquidationConfig.DEFAULT.feePpm());
  }

  @Test
  void anotherEngineFeeRateIsATypedRefusalForAShapeWithLiquidationSlotsOnly() {
    assertThatThrownBy(() -> V3Shapes.checkLiquidationFee("v3-tiny", 25_000))
        .isInstanceOfSatisfying(
            LiquidationFeeMismatchException.class,
            e -> {
              assertThat(e.shapeFeePpm()).isEqualTo(10_000);
              assertThat(e.engineFeePpm()).isEqualTo(25_000);
              assertThat(e.getMessage()).contains("v3-tiny").contains("10000").contains("25000");
            });
    // v3-devnet has no liquidation slot: it batches no liquidation, whatever the rate
    V3Shapes.checkLiquidationFee("v3-devnet", 25_000);
  }

  @Test
  void theNodesStartUpCheckComparesItsEngineWithItsShape(@TempDir Path dir) {
    NodeConfig cfg = V3NodeItSupport.config(dir, "http://127.0.0.1:1");
    V3Stores.check(cfg); // LiquidationConfig.DEFAULT and v3-tiny agree
    assertThat(cfg.liquidationConfig().feePpm())
        .isEqualTo(V3Shapes.shape(cfg.v3().shapeName()).liquidationFeePpm());
    assertThat(dir.resolve("node")).as("nothing opened").doesNotExist();
  }
}
