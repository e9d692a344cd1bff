package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.liquidation.LiquidationExecution;
import io.zkperp.batcher.v3.liquidation.LiquidationFill;
import io.zkperp.batcher.v3.liquidation.LiquidationRefusalReason;
import io.zkperp.batcher.v3.liquidation.LiquidationRefusedException;
import io.zkperp.batcher.v3.liquidation.LiquidationWitness;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateStoreV2;
import io.zkperp.state.v2.StateViewV2;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LiquidationExecution} on a real RocksDB {@link StateStoreV2}, around the first step of the
 * vectors' "sequence" scenario (account 11 sells 10 of its long 100 to account 5's resting buy at
 * 1,295): the figures by hand and the store's records after the commit, and changed copies of it
 * refused with the expected reason while every record it touches stays as it was.
 */
class LiquidationExecutionTest {
  @TempDir Path dir;

  private static final JsonNode SCENARIO = LiquidationStepsVectorsTest.V.get("scenarios").get(0);
  private static final LiquidationFill FIRST =
      (LiquidationFill) LiquidationStepsVectorsTest.transaction(SCENARIO.get("steps").get(0));

  private static LiquidationExecution exec() {
    return new LiquidationExecution(LiquidationStepsVectorsTest.domain(), 10_000);
  }

  private StateStoreV2 open() {
    StateStoreV2 s = StateStoreV2.open(dir, TradeVectors.options());
    TradeVectors.writeInitial(s, SCENARIO);
    return s;
  }

  @Test
  void aFillMovesTheFeesAndTheFillLeafAsComputedByHand() throws Exception {
    try (StateStoreV2 s = open()) {
      AccountV2 fundBefore;
      try (StateViewV2 v = s.view()) {
        fundBefore = v.account(LiquidationExecution.FUND_ACCOUNT);
      }
      StateBatchV2 b = s.beginBatch();
      LiquidationWitness w = exec().execute(b, FIRST);
      assertThat(w.isConsistent()).isTrue();
      // notional 1,295 · 10 = 12,950: liquidation fee ⌈12,950 · 1%⌉ = 130 (the equity left is
      // larger), maker fee ⌈12,950 · 300 / 10^6⌉ = 4
      assertThat(FIRST.fee()).isEqualTo(130);
      assertThat(b.commit()).isEqualTo(w.rootsAfter());
      try (StateViewV2 v = s.view()) {
        assertThat(v.account(LiquidationExecution.FUND_ACCOUNT).collateral())
            .isEqualTo(fundBefore.collateral() + 130);
        assertThat(v.account(LiquidationExecution.FUND_ACCOUNT).positions())
            .isEqualTo(fundBefore.positions());
        assertThat(v.global().feeBalance() - w.global().before().feeBalance()).isEqualTo(4);
        assertThat(v.account(11).positions().entries().get(0).size()).isEqualTo(90);
        assertThat(v.account(5).positions().find(3)).isGreaterThanOrEqualTo(0);
        assertThat(v.account(5).positions().entries().get(v.account(5).positions().find(3)).size())
            .isEqualTo(10);
        // the order (nonce 70,000) had 20 filled before
        assertThat(v.fill(5, LayoutV2.fillSlot(70_000)).filledAmount()).isEqualTo(30);
        assertThat(v.account(11)).isEqualTo(w.account().after());
        assertThat(v.account(5)).isEqualTo(w.liquidator().after());
      }
    }
  }

  private void refusedUnchanged(LiquidationFill tx, LiquidationRefusalReason reason)
      throws Exception {
    try (StateStoreV2 s = StateStoreV2.open(dir.resolve(reason.name()), TradeVectors.options())) {
      TradeVectors.writeInitial(s, SCENARIO);
      StateBatchV2 b = s.beginBatch();
      var roots = b.roots();
      List<Object> before =
          List.of(
              b.account(11),
              b.account(5),
              b.account(LiquidationExecution.FUND_ACCOUNT),
              b.fill(5, LayoutV2.fillSlot(70_000)),
              b.market(3),
              b.global());
      assertThatThrownBy(() -> exec().execute(b, tx))
          .isInstanceOf(LiquidationRefusedException.class)
          .extracting(e -> ((LiquidationRefusedException) e).reasons())
          .isEqualTo(List.of(reason));
      assertThat(
              List.of(
                  b.account(11),
                  b.account(5),
                  b.account(LiquidationExecution.FUND_ACCOUNT),
                  b.fill(5, LayoutV2.fillSlot(70_000)),
                  b.market(3),
                  b.global()))
          .isEqualTo(before);
      assertThat(b.roots()).isEqualTo(roots);
      b.abort();
    }
  }

  @Test
  void changedCopiesAreRefusedAndChangeNothing() throws Exception {
    byte[] sig = FIRST.liquidator().signature();
    sig[3] ^= 1;
    TradeOrder flipped =
        new TradeOrder(FIRST.liquidator().order(), sig, FIRST.liquidator().feePpm());
    refusedUnchanged(
        new LiquidationFill(
            FIRST.market(), FIRST.price(), FIRST.size(), FIRST.account(), flipped, FIRST.fee()),
        LiquidationRefusalReason.SIGNATURE);
    refusedUnchanged(
        new LiquidationFill(
            FIRST.market(),
            FIRST.price(),
            FIRST.size(),
            FIRST.account(),
            FIRST.liquidator(),
            FIRST.fee() + 1),
        LiquidationRefusalReason.LIQUIDATION_FEE);
    refusedUnchanged(
        new LiquidationFill(
            FIRST.market(),
            FIRST.price() + 20,
            FIRST.size(),
            FIRST.account(),
            FIRST.liquidator(),
            FIRST.fee()),
        LiquidationRefusalReason.LIMIT);
    refusedUnchanged(
        new LiquidationFill(
            FIRST.market(),
            FIRST.price(),
            FIRST.size(),
            LiquidationExecution.FUND_ACCOUNT,
            FIRST.liquidator(),
            FIRST.fee()),
        LiquidationRefusalReason.FUND_ACCOUNT);
  }
}
