package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.sequencer.risk.FeeTier;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.state.StateStoreOptions;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout v2 genesis of an engine configuration, and what it refuses (writing nothing). */
class EngineGenesisTest {
  private static StateStoreV2 open(Path dir) {
    return StateStoreV2.open(
        dir,
        StateStoreOptions.DEFAULT.withBlockCacheBytes(8L << 20).withWriteBufferBytes(8L << 20));
  }

  @Test
  void marketsCarryTheEnginesMarginOracleAndFundingBoundsAndTheGlobalLeafTheSignersAndTiers(
      @TempDir Path dir) throws Exception {
    try (StateStoreV2 store = open(dir)) {
      EngineGenesis.write(store, Deployment.risk(), Deployment.oracle(), Deployment.funding());
      assertThat(store.version()).isEqualTo(1);
      try (var v = store.view()) {
        MarketV2 m1 = v.market(1);
        assertThat(m1.oraclePrice()).isZero();
        assertThat(m1.risk().initialMarginPpm()).isEqualTo(50_000);
        assertThat(m1.risk().incrementalInitialMarginPpm()).isEqualTo(10_000);
        assertThat(m1.risk().oracleMaxAgeSeconds()).isEqualTo(30);
        assertThat(m1.risk().oracleMaxFutureSeconds()).isEqualTo(5);
        assertThat(m1.risk().oracleMaxMovePpm()).isEqualTo(30_000);
        assertThat(m1.risk().fundingMinIntervalSeconds()).isEqualTo(300);
        assertThat(m1.risk().fundingMaxRatePpm()).isEqualTo(120_000); // 6 · (IMF − MMF)
        assertThat(v.market(3).risk().openInterestCap()).isEqualTo(150);
        assertThat(v.market(0)).isNull();
        assertThat(v.global().oracleQuorum()).isEqualTo(2);
        var slot2 = v.global().oracleSigners().slots().get(2);
        assertThat(slot2.keyX())
            .isEqualTo(Deployment.ORACLE_SIGNERS.get(2).publicKey().point().x());
        assertThat(v.global().oracleSigners().slots().get(3).keyX().isZero()).isTrue();
        assertThat(v.global().feeTiers().tiers().get(1))
            .isEqualTo(new io.zkperp.protocol.state.v2.FeeTier(-100, 400));
      }
    }
  }

  @Test
  void aConfigurationLayoutV2CannotHoldIsRefusedWithNothingWritten(@TempDir Path dir)
      throws Exception {
    MarketRisk r = new MarketRisk(50_000, 30_000, 100, 50, 10_000, 5_000, 50_000);
    try (StateStoreV2 store = open(dir)) {
      var roots = store.roots();
      assertThatThrownBy(
              () ->
                  EngineGenesis.write(
                      store,
                      new RiskConfig(Map.of(64, r), List.of(new FeeTier(0, 0)), Map.of()),
                      null,
                      null))
          .isInstanceOf(UnrepresentableConfigException.class)
          .hasMessageContaining("market 64");
      List<EdDsaPrivateKey> keys = Deployment.ORACLE_SIGNERS;
      OracleConfig twoSets =
          new OracleConfig(
              Map.of(
                  1,
                  new OracleConfig.MarketOracle(
                      List.of(keys.get(0).publicKey(), keys.get(1).publicKey()), 1, 30, 5, 1_000),
                  2,
                  new OracleConfig.MarketOracle(
                      List.of(keys.get(1).publicKey(), keys.get(0).publicKey()), 1, 30, 5, 1_000)));
      assertThatThrownBy(
              () ->
                  EngineGenesis.write(
                      store,
                      new RiskConfig(Map.of(1, r, 2, r), List.of(new FeeTier(0, 0)), Map.of()),
                      twoSets,
                      null))
          .isInstanceOf(UnrepresentableConfigException.class)
          .hasMessageContaining("one set for all markets");
      assertThat(store.version()).isZero();
      assertThat(store.roots()).isEqualTo(roots);
      EngineGenesis.write(store, Deployment.risk(), null, null);
      assertThatThrownBy(() -> EngineGenesis.write(store, Deployment.risk(), null, null))
          .isInstanceOf(UnrepresentableConfigException.class)
          .hasMessageContaining("not at genesis");
      assertThat(store.version()).isEqualTo(1);
    }
  }
}
