package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.SequencerEvent.InsuranceTakeover;
import io.zkperp.sequencer.core.SequencerEvent.LiquidationTriggered;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The quorum-signed oracle wired through {@link SequencerCore}: a market with an {@link
 * OracleConfig} (3 signers, quorum 2, reports at most 30 s old and 5 s ahead of the core's time, at
 * most 5% per update) takes its prices only from {@link SignedOraclePrices}. Market 1: IMF 5%, MMF
 * 3%, no fees. The core's time is 1,000 after the harness's first Tick. (Signatures are verified by
 * the pipeline's intake, see {@code SignedOraclePipelineTest}; the core applies the other checks.)
 */
class SignedOracleTest {
  static final int M = 1;
  static final List<EdDsaPrivateKey> SIGNERS = keys(3);
  static final OracleConfig ORACLE =
      OracleConfig.of(
          M,
          new OracleConfig.MarketOracle(
              SIGNERS.stream().map(EdDsaPrivateKey::publicKey).toList(), 2, 30, 5, 50_000));

  RiskHarness h = new RiskHarness(engine(ORACLE), OrderBookFactory.OPTIMISED, M);

  static List<EdDsaPrivateKey> keys(int n) {
    List<EdDsaPrivateKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] seed = new byte[32];
      Arrays.fill(seed, (byte) (0x50 + i));
      keys.add(EdDsaPrivateKey.fromSeed(seed));
    }
    return keys;
  }

  static RiskEngine engine(OracleConfig oracle) {
    return new RiskEngine(
        RiskConfig.of(M, RiskMathTest.BTC), LiquidationConfig.DEFAULT, oracle, null);
  }

  static PriceReport report(int signer, long price32, long timestamp) {
    return PriceReportSigning.sign(
        MessageDomain.DEMO, SIGNERS.get(signer), signer, M, price32, timestamp);
  }

  /** Signer i reports prices[i] (whole units, shifted to 32.32) at the given timestamps[i]. */
  static SignedOraclePrices batch(long[] timestamps, long... units) {
    List<PriceReport> reports = new ArrayList<>();
    for (int i = 0; i < units.length; i++) {
      reports.add(report(i, units[i] << 32, timestamps[i]));
    }
    return new SignedOraclePrices(M, reports);
  }

  static long[] at(long... timestamps) {
    return timestamps;
  }

  /** First price 1,000 (oldest report 995); account 1 long 100, account 2 short 100, 5,000 each. */
  void longAndShortAt20x() {
    h.ok(batch(at(995, 996), 1_000, 1_000));
    h.deposit(1, 5_000);
    h.deposit(2, 5_000);
    h.place(order(2, Side.SELL, 100, 1_000));
    h.place(order(1, Side.BUY, 100, 1_000).tif(TimeInForce.IOC));
    h.ok(new Tick(1_010));
  }

  static <T> List<T> only(List<SequencerEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void quorumOfSignedReportsMovesThePriceAndLiquidates() {
    longAndShortAt20x();
    // lower median of two equal reports: 1,000; timestamp = oldest report 995
    assertThat(h.risk.oracleFixed(M)).isEqualTo(1_000L << 32);
    assertThat(h.risk.oracleTimestamp(M)).isEqualTo(995);
    h.events.drain();
    // three reports 979, 978, 990 → sorted 978, 979, 990, lower median (rank ⌊(3 − 1) / 2⌋ = 1) =
    // 979, timestamp min(1,005, 1,006, 1,007) = 1,005; move 21 ≤ floor(1,000 · 5%) = 50.
    h.ok(batch(at(1_005, 1_006, 1_007), 979, 978, 990));
    List<SequencerEvent> ev = h.events.drain();
    assertThat(ev.get(0))
        .isEqualTo(new SequencerEvent.PriceTickApplied(M, 979L << 32, 1_005, 1_010));
    // the same numbers as LiquidationWorkedExamplesTest at an unsigned 979: equity 5,000 − 2,100
    // = 2,900 < MMR ceil(97,900 · 3%) = 2,937; step 10 at bankruptcy price
    // ceil((9,790 − floor(2,900 · 293 / 2,937)) / 10) = ceil((9,790 − 289) / 10) = 951, taken over
    // by the fund (empty book)
    assertThat(only(ev, LiquidationTriggered.class))
        .containsExactly(new LiquidationTriggered(1, 2_900, 2_937, 4_895));
    assertThat(only(ev, InsuranceTakeover.class))
        .containsExactly(
            new InsuranceTakeover(
                1, M, -10, 951, 979L << 32, -95_000, -85_490, 0, -9_510, 90, 10, 0));
    assertThat(h.risk.position(1, M)).isEqualTo(90);
  }

  @Test
  void everyRejectionIsTypedAndChangesNothing() {
    longAndShortAt20x(); // price 1,000 at 995, now 1,010
    // stale: 1,010 − 30 = 980 is the oldest accepted timestamp
    h.rejected(
        batch(at(979, 1_005), 1_000, 1_000),
        RejectReason.ORACLE_STALE,
        "STALE: report 0 (signer 0) has timestamp 979, older than 30 s before now 1010; use ≥ 980");
    // too far ahead: 1,010 + 5 = 1,015 is the latest
    h.rejected(
        batch(at(1_016, 1_005), 1_000, 1_000),
        RejectReason.ORACLE_FUTURE_TIMESTAMP,
        "FUTURE_TIMESTAMP: report 0 (signer 0) has timestamp 1016, more than 5 s after now 1010;"
            + " use ≤ 1015");
    h.rejected(
        batch(at(1_005), 1_000),
        RejectReason.ORACLE_QUORUM_NOT_MET,
        "QUORUM_NOT_MET: 1 report(s) from distinct signers; market 1 needs a quorum of 2 of its 3"
            + " signers");
    // not newer: the oldest report (995) is not after the current price's 995
    h.rejected(
        batch(at(995, 1_005), 1_000, 1_000),
        RejectReason.ORACLE_NOT_NEWER,
        "NOT_NEWER: the batch's oldest report timestamp 995 is not after the current price's 995;"
            + " every report must be > 995");
    // move too large: 1,051 − 1,000 = 51 > 50 (floor(1,000 · 5%), in 32.32: 50 · 2^32)
    h.rejected(batch(at(1_005, 1_005), 1_051, 1_060), RejectReason.ORACLE_MOVE_TOO_LARGE, null);
    assertThat(h.core.lastRejectMessage())
        .startsWith("MOVE_TOO_LARGE: median " + (1_051L << 32) + " moves " + (51L << 32));
    h.rejected(
        new SignedOraclePrices(
            M, List.of(report(1, 1_000L << 32, 1_005), report(1, 1_000L << 32, 1_006))),
        RejectReason.ORACLE_DUPLICATE_SIGNER,
        "DUPLICATE_SIGNER: report 1 repeats signer 1; each signer counts once per batch");
    // the unsigned command is refused for a market with an oracle configuration
    h.rejected(
        new OraclePrice(M, 990, 1_005),
        RejectReason.UNSIGNED_ORACLE_PRICE_REFUSED,
        "market 1 takes its prices from a quorum of 2 oracle signers; submit SignedOraclePrices"
            + " instead of an unsigned OraclePrice");
    assertThat(h.risk.oracleFixed(M)).isEqualTo(1_000L << 32);
    // the bound is inclusive: exactly 50 is accepted
    h.ok(batch(at(1_005, 1_006), 1_050, 1_050));
    assertThat(h.risk.oracleFixed(M)).isEqualTo(1_050L << 32);
    assertThat(h.risk.oracleTimestamp(M)).isEqualTo(1_005);
  }

  @Test
  void fractionalPricesTriggerConditionalOrdersExactly() {
    h.ok(batch(at(995, 996), 1_000, 1_000));
    h.deposit(3, 10_000);
    // a SELL stop-loss triggers at oracle ≤ 999
    h.place(order(3, Side.SELL, 10, 990).trigger(TriggerType.STOP_LOSS, 999));
    h.ok(new Tick(1_010));
    h.events.drain();
    // 999.5 (999 · 2^32 + 2^31): ⌈999.5⌉ = 1,000 > 999 → not triggered (a floor would trigger)
    long half = 1L << 31;
    h.ok(
        new SignedOraclePrices(
            M,
            List.of(report(0, (999L << 32) + half, 1_001), report(1, (999L << 32) + half, 1_002))));
    assertThat(only(h.events.drain(), SequencerEvent.OrderTriggered.class)).isEmpty();
    // exactly 999 → triggered
    h.ok(batch(at(1_003, 1_004), 999, 999));
    assertThat(only(h.events.drain(), SequencerEvent.OrderTriggered.class)).hasSize(1);
  }

  @Test
  void replayAndSnapshotGiveTheSameStateHash() throws IOException {
    longAndShortAt20x();
    h.ok(batch(at(1_005, 1_006, 1_007), 979, 978, 990)); // liquidates account 1 (one step)
    String hash = CoreState.hashHex(h.core);

    // replay of the accepted commands into a fresh core and engine
    SequencerCore replay = fresh(engine(ORACLE));
    for (Command c : h.accepted) {
      assertThat(replay.apply(c)).as("%s", c).isTrue();
    }
    assertThat(CoreState.hashHex(replay)).isEqualTo(hash);

    // snapshot: the restored engine has the previous price and timestamp (979 at 1,005)
    byte[] state = serialize(h.core);
    SequencerCore restored =
        CoreState.read(
            new DataInputStream(new ByteArrayInputStream(state)),
            OrderBookFactory.OPTIMISED,
            engine(ORACLE),
            CoreListener.NONE);
    assertThat(CoreState.hashHex(restored)).isEqualTo(hash);
    // the same next commands give the same results on both: a report at 1,005 is not newer,
    // 1,028 is more than 5% above 979 (bound floor(979 · 5%) = 48.95 → 48.95 · 2^32 rounded down)
    for (SequencerCore c : List.of(h.core, restored)) {
      assertThat(c.apply(batch(at(1_005, 1_008), 980, 980))).isFalse();
      assertThat(c.lastRejectReason()).isEqualTo(RejectReason.ORACLE_NOT_NEWER);
      assertThat(c.apply(batch(at(1_008, 1_008), 1_028, 1_028))).isFalse();
      assertThat(c.lastRejectReason()).isEqualTo(RejectReason.ORACLE_MOVE_TOO_LARGE);
      assertThat(c.apply(batch(at(1_008, 1_009), 1_027, 1_027))).isTrue();
    }
    assertThat(CoreState.hashHex(restored)).isEqualTo(CoreState.hashHex(h.core));

    // the oracle configuration is part of the engine's: another quorum does not load
    OracleConfig other =
        OracleConfig.of(
            M,
            new OracleConfig.MarketOracle(
                SIGNERS.stream().map(EdDsaPrivateKey::publicKey).toList(), 3, 30, 5, 50_000));
    assertThatThrownBy(
            () ->
                CoreState.read(
                    new DataInputStream(new ByteArrayInputStream(state)),
                    OrderBookFactory.OPTIMISED,
                    engine(other),
                    CoreListener.NONE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("other oracle or funding parameters");
  }

  static SequencerCore fresh(RiskEngine engine) {
    return new SequencerCore(
        OrderBookFactory.OPTIMISED, SelfTradePrevention.EXPIRE_MAKER, engine, CoreListener.NONE);
  }

  static byte[] serialize(SequencerCore core) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CoreState.write(core, new DataOutputStream(bytes));
    return bytes.toByteArray();
  }
}
