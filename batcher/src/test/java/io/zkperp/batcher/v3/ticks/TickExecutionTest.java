package io.zkperp.batcher.v3.ticks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OraclePriceMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.FeeTiers;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.OracleSigner;
import io.zkperp.protocol.state.v2.OracleSignerSet;
import io.zkperp.state.StateStoreOptions;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TickExecution} on a real RocksDB {@code StateStoreV2} with reports signed in Java and
 * figures worked out by hand: market 1 at price 1,300 (32.32) from time 1,800,000,000, its funding
 * period started at 1,799,990,000, bounds 60 s back, 5 s ahead, moves ≤ 10%, funding at least
 * hourly at most 1,000 ppm per 8 hours; signers in slots 0 … 2, quorum 2.
 */
class TickExecutionTest {
  @TempDir Path dir;

  private static final MessageDomain DOMAIN = MessageDomain.DEMO;
  private static final long T0 = 1_800_000_000L;
  private static final long INDEX = -50_000_000_000L;
  private static final List<EdDsaPrivateKey> KEYS =
      List.of(key(1), key(2), key(3)); // slots 0, 1, 2

  private static EdDsaPrivateKey key(int i) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) i);
    return EdDsaPrivateKey.fromSeed(s);
  }

  private static MarketV2 market() {
    return new MarketV2(
        1_300L << 32,
        T0,
        INDEX,
        T0 - 10_000,
        5_000,
        new MarketRiskV2(
            50_000, 30_000, 100, 50, 10_000, 1_000_000, 1_000_000, 60, 5, 100_000, 3_600, 1_000));
  }

  private StateStoreV2 open() {
    StateStoreV2 s =
        StateStoreV2.open(
            dir, StateStoreOptions.DEFAULT.withKeptVersions(4).withBlockCacheBytes(8 << 20));
    StateBatchV2 b = s.beginBatch();
    b.setMarket(1, market());
    List<OracleSigner> slots = new ArrayList<>(Collections.nCopies(16, OracleSigner.EMPTY));
    for (int i = 0; i < KEYS.size(); i++) {
      EdDsaPublicKey p = KEYS.get(i).publicKey();
      slots.set(i, new OracleSigner(p.point().x(), p.point().y()));
    }
    b.setGlobal(new GlobalV2(100, new OracleSignerSet(slots), 2, FeeTiers.ZERO));
    b.commit();
    return s;
  }

  private static SignedPriceReport report(int slot, long price, long ts, MessageDomain d) {
    byte[] sig = new OraclePriceMessage(1, price, ts).sign(KEYS.get(slot), d);
    return new SignedPriceReport(slot, 1, price, ts, sig);
  }

  private static List<SignedPriceReport> reports(MessageDomain d) {
    return List.of(
        report(2, 1_310L << 32, T0 + 30, d),
        report(0, 1_301L << 32, T0 + 20, d),
        report(1, 1_299L << 32, T0 + 25, d));
  }

  @Test
  void anOracleTickWritesTheLowerMedianAndTheOldestTimestamp() throws Exception {
    try (StateStoreV2 s = open()) {
      StateBatchV2 b = s.beginBatch();
      StateRootsV2 before = b.roots();
      TickWitness w =
          new TickExecution(DOMAIN)
              .executeOracle(b, new OracleTick(1, T0 + 31, T0 + 40, reports(DOMAIN)));
      assertThat(w.market().after().oraclePrice()).isEqualTo(1_301L << 32); // of 1,299 1,301 1,310
      assertThat(w.market().after().oracleTimestamp()).isEqualTo(T0 + 20);
      assertThat(w.market().after().fundingIndex()).isEqualTo(INDEX);
      assertThat(w.rootsBefore()).isEqualTo(before);
      assertThat(w.isConsistent()).isTrue();
      assertThat(w.publicData()).hasSize(26).startsWith(0x08, 1);
      assertThat(b.commit()).isEqualTo(w.rootsAfter());
      assertThat(s.view().market(1)).isEqualTo(w.market().after());
    }
  }

  @Test
  void reportsSignedForAnotherDeploymentAreRefusedAndChangeNothing() throws Exception {
    MessageDomain other = MessageDomain.of(999, L1Address.of(new byte[20]));
    try (StateStoreV2 s = open()) {
      StateBatchV2 b = s.beginBatch();
      StateRootsV2 before = b.roots();
      OracleTick tick = new OracleTick(1, T0 + 31, T0 + 40, reports(other));
      assertThatThrownBy(() -> new TickExecution(DOMAIN).executeOracle(b, tick))
          .isInstanceOfSatisfying(
              TickRefusedException.class,
              e -> assertThat(e.reasons()).containsExactly(TickRefusalReason.BAD_SIGNATURE));
      assertThat(b.roots()).isEqualTo(before);
      // the engine's record claiming the upper value is not the rules' outcome
      OracleTick good = new OracleTick(1, T0 + 31, T0 + 40, reports(DOMAIN));
      assertThatThrownBy(
              () -> new TickExecution(DOMAIN).executeOracle(b, good, 1_310L << 32, T0 + 20))
          .isInstanceOfSatisfying(
              TickRefusedException.class,
              e -> assertThat(e.reasons()).containsExactly(TickRefusalReason.NOT_MEDIAN));
      assertThat(b.roots()).isEqualTo(before);
    }
  }

  @Test
  void aFundingTickMayMoveTheIndexByTheRateBoundAndNotOneMore() throws Exception {
    // ⌊1,000 · 3,600 · 1,300 · 2^32 / (10^6 · 28,800)⌋ = ⌊1,300 · 2^32 / 8,000⌋
    // = ⌊5,583,457,484,800 / 8,000⌋ = 697,932,185
    long bound = 697_932_185L;
    long now = T0 - 10_000 + 3_600;
    try (StateStoreV2 s = open()) {
      StateBatchV2 b = s.beginBatch();
      TickExecution exec = new TickExecution(DOMAIN);
      for (long delta : new long[] {bound + 1, -bound - 1}) {
        assertThatThrownBy(() -> exec.executeFunding(b, new FundingTick(1, now, T0, delta)))
            .isInstanceOfSatisfying(
                TickRefusedException.class,
                e ->
                    assertThat(e.reasons()).containsExactly(TickRefusalReason.RATE_BOUND_EXCEEDED));
      }
      assertThatThrownBy(() -> exec.executeFunding(b, new FundingTick(1, now - 1, T0, 0)))
          .isInstanceOfSatisfying(
              TickRefusedException.class,
              e -> assertThat(e.reasons()).containsExactly(TickRefusalReason.TOO_EARLY));
      TickWitness w = exec.executeFunding(b, new FundingTick(1, now, T0, -bound));
      assertThat(w.market().after().fundingIndex()).isEqualTo(INDEX - bound);
      assertThat(w.market().after().fundingTimestamp()).isEqualTo(now);
      assertThat(w.isConsistent()).isTrue();
      // the period has started, and now + 5 s is before the oracle timestamp T0: both listed
      assertThatThrownBy(() -> exec.executePeriodStart(b, new FundingPeriodStart(1, now + 1, T0)))
          .isInstanceOfSatisfying(
              TickRefusedException.class,
              e ->
                  assertThat(e.reasons())
                      .containsExactly(
                          TickRefusalReason.PERIOD_ALREADY_STARTED,
                          TickRefusalReason.BEFORE_ORACLE_TIME));
      assertThat(b.roots()).isEqualTo(w.rootsAfter());
    }
  }
}
