package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.Verdict;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Funding derived from premium samples, through {@link SequencerCore}: a market with a {@link
 * FundingConfig} (a sample a minute, a tick an hour; impact collateral 500, interest 100 ppm, dYdX
 * clamps, maximum rate 120,000 ppm / 8 h) samples its book on every {@code Tick} and moves its
 * funding index when an hour has passed. Market 1: IMF 5%, MMF 3%, no fees, oracle price 98.
 *
 * <p>Book: bids 200 @ 99 (account 1), asks 150 @ 101 (account 2, after account 3 bought 50 of its
 * 200). Impact notional N = floor(500 · 10^6 / 50,000) = 10,000; one level covers it on each side
 * (19,800 and 15,150 ≥ 10,000), so the impact bid is exactly 99 and the impact ask exactly 101.
 * Premium against the index 98: floor((99 − 98) · 10^6 / 98) − 0 = floor(10,204.08) = +10,204 ppm
 * (the ask term is 0 since 98 < 101). Sample clamp 60,000,000 · (5% − 3%) = 1,200,000: not hit.
 */
class DerivedFundingTest {
  static final int M = 1;
  static final FundingConfig FUNDING =
      FundingConfig.hourly(
          M,
          new FundingConfig.MarketFunding(
              RiskMathTest.BTC, 500, 100, 60_000_000, 6_000_000, 120_000));

  RiskHarness h = new RiskHarness(engine(), OrderBookFactory.OPTIMISED, M); // time 1,000

  static RiskEngine engine() {
    return new RiskEngine(
        RiskConfig.of(M, RiskMathTest.BTC), LiquidationConfig.DEFAULT, null, FUNDING);
  }

  /** The book above and account 3 long 50 at 101 against account 2. */
  void book() {
    h.oracle(M, 98);
    h.deposit(1, 1_000_000);
    h.deposit(2, 1_000_000);
    h.deposit(3, 100_000);
    h.place(order(1, Side.BUY, 200, 99));
    h.place(order(2, Side.SELL, 200, 101));
    h.place(order(3, Side.BUY, 50, 101).tif(TimeInForce.IOC));
  }

  /** Ticks every 60 s from {@code from} to {@code to} inclusive. */
  void ticks(long from, long to) {
    for (long t = from; t <= to; t += 60) {
      h.ok(new Tick(t));
    }
  }

  @Test
  void hourOfSamplesGivesTheHandComputedIndexDelta() {
    book();
    // first sample at 1,060: starts the period and seeds the engine's funding timestamp (recorded)
    h.events.drain();
    h.ok(new Tick(1_060));
    assertThat(h.events.drain()).containsExactly(new SequencerEvent.FundingPeriodStarted(M, 1_060));
    assertThat(h.risk.sampler().periodStart(M)).isEqualTo(1_060);
    assertThat(h.risk.fundingTimestamp(M)).isEqualTo(1_060);
    ticks(1_120, 4_600); // 59 more samples: 60 in the period, sum 60 · 10,204
    assertThat(h.risk.sampler().sampleCount(M)).isEqualTo(60);
    assertThat(h.risk.sampler().sampleSum(M)).isEqualTo(60 * 10_204L);
    assertThat(h.risk.fundingIndex(M)).isZero();
    h.events.drain();

    // 4,660 = 1,060 + 3,600: due. Δt 3,600; divisor max(60, ⌊3,600 / 60⌋) = 60; average 10,204;
    // rate 10,204 + 100 = 10,304 (clamp 6,000,000 · 2% = 120,000: not hit);
    // Δindex = floor(10,304 · 3,600 · 98 · 2^32 / (10^6 · 28,800)) = floor(0.126224 · 2^32)
    //        = floor(542,127,951.6) = 542,127,951
    h.ok(new Tick(4_660));
    List<SequencerEvent> ev = h.events.drain();
    assertThat(ev)
        .containsExactly(
            new SequencerEvent.FundingTickApplied(M, 542_127_951, 542_127_951, 4_660, 98L << 32),
            new SequencerEvent.FundingTickDerived(
                M, 4_660, 3_600, 60, 60, 10_204, 10_304, 98L << 32, 542_127_951));
    assertThat(h.risk.fundingIndex(M)).isEqualTo(542_127_951);
    assertThat(h.risk.fundingTimestamp(M)).isEqualTo(4_660);
    // the sample at 4,660 belongs to the new period
    assertThat(h.risk.sampler().periodStart(M)).isEqualTo(4_660);
    assertThat(h.risk.sampler().sampleCount(M)).isEqualTo(1);

    // settled on touch: long 50 pays floor(−542,127,951 · 50 / 2^32) = floor(−6.31) = −7,
    // short 50 receives floor(6.31) = 6 (rounded down both ways: 1 quantum of dust leaves)
    long c3 = h.risk.collateral(3);
    long c2 = h.risk.collateral(2);
    h.ok(new DepositCollateral(3, 1));
    h.ok(new DepositCollateral(2, 1));
    assertThat(h.risk.collateral(3)).isEqualTo(c3 - 7 + 1);
    assertThat(h.risk.collateral(2)).isEqualTo(c2 + 6 + 1);
  }

  @Test
  void derivedTicksAtTheRateClampLiquidateAsAFundingTickDoes() {
    // book: bids 200 @ 150 (account 1), asks 200 @ 160 (account 2); account 3 buys 50 at 160 with
    // 3,345: equity 3,345 − 8,000 + 50 · 98 = 245 = IMR ceil(4,900 · 5%), MMR ceil(4,900 · 3%) =
    // 147. Impact bid 150 (30,000 ≥ 10,000), impact ask 160 (150 left · 160 = 24,000 ≥ 10,000):
    // premium floor((150 − 98) · 10^6 / 98) = 530,612 ppm (sample clamp 1,200,000: not hit);
    // rate 530,612 + 100 → clamped to 6,000,000 · 2% = 120,000 ppm / 8 h. Each hourly tick:
    // Δindex = floor(120,000 · 3,600 · 98 · 2^32 / (10^6 · 28,800)) = floor(1.47 · 2^32)
    // = 6,313,601,925, exactly the maximum-rate bound.
    h.oracle(M, 98);
    h.deposit(1, 1_000_000);
    h.deposit(2, 1_000_000);
    h.deposit(3, 3_345);
    h.place(order(1, Side.BUY, 200, 150));
    h.place(order(2, Side.SELL, 200, 160));
    h.place(order(3, Side.BUY, 50, 160).tif(TimeInForce.IOC));
    assertThat(h.risk.equity(3)).isEqualTo(245);
    ticks(1_060, 4_600);
    h.events.drain();
    h.ok(new Tick(4_660));
    List<SequencerEvent> first = h.events.drain();
    assertThat(first)
        .contains(
            new SequencerEvent.FundingTickDerived(
                M, 4_660, 3_600, 60, 60, 530_612, 120_000, 98L << 32, 6_313_601_925L));
    // pending floor(−6,313,601,925 · 50 / 2^32) = floor(−73.4999…) = −74: equity 171 ≥ 147
    assertThat(h.risk.equity(3)).isEqualTo(171);
    assertThat(only(first, SequencerEvent.LiquidationTriggered.class)).isEmpty();
    ticks(4_720, 8_200);
    h.events.drain();
    h.ok(new Tick(8_260));
    // second hour: pending floor(−12,627,203,850 · 50 / 2^32) = floor(−146.9999…) = −147:
    // equity 245 − 147 = 98 < MMR 147 → liquidated in the same Tick command
    List<SequencerEvent> second = h.events.drain();
    assertThat(only(second, SequencerEvent.LiquidationTriggered.class))
        .containsExactly(new SequencerEvent.LiquidationTriggered(3, 98, 147, 245));
    assertThat(h.risk.position(3, M)).isBetween(0L, 49L);
  }

  static <T> List<T> only(List<SequencerEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void operatorFundingTickIsRefusedAndTheRateBoundHolds() {
    book();
    ticks(1_060, 4_660); // one derived tick at 4,660
    h.rejected(
        new FundingTick(M, 1, 5_000),
        RejectReason.OPERATOR_FUNDING_TICK_REFUSED,
        "market 1's funding is derived from premium samples on Tick; operator FundingTick commands"
            + " are refused");
    // the engine's bound for a tick an hour after 4,660 at price 98, maximum rate 120,000 ppm:
    // floor(120,000 · 3,600 · 98 · 2^32 / (10^6 · 28,800)) = floor(1.47 · 2^32)
    // = floor(6,313,601,925.12) = 6,313,601,925
    String before = CoreState.hashHex(h.core);
    Verdict.Rejected tooHigh = (Verdict.Rejected) h.risk.applyDerivedTick(M, 6_313_601_926L, 8_260);
    assertThat(tooHigh.message()).startsWith("RATE_BOUND_EXCEEDED");
    assertThat(tooHigh.reason()).isEqualTo(RejectReason.INVALID_FUNDING_TICK);
    assertThat(((Verdict.Rejected) h.risk.applyDerivedTick(M, -6_313_601_926L, 8_260)).message())
        .startsWith("RATE_BOUND_EXCEEDED");
    // not after the last funding timestamp
    assertThat(((Verdict.Rejected) h.risk.applyDerivedTick(M, 1, 4_660)).message())
        .isEqualTo("funding timestamp 4660 is not after the market's last one 4660; use > 4660");
    assertThat(CoreState.hashHex(h.core)).isEqualTo(before);
    assertThat(h.risk.applyDerivedTick(M, -6_313_601_925L, 8_260))
        .isEqualTo(Verdict.ACCEPTED); // at the bound
  }

  @Test
  void replayAndMidPeriodSnapshotGiveTheSameStateHash() throws IOException {
    book();
    ticks(1_060, 1_120); // two samples
    byte[] state = SignedOracleTest.serialize(h.core);
    int snapshotAt = h.accepted.size();
    ticks(1_180, 4_720); // the tick at 4,660 and a sample of the next period at 4,720
    String hash = CoreState.hashHex(h.core);
    assertThat(h.risk.fundingIndex(M)).isEqualTo(542_127_951);

    SequencerCore replay = SignedOracleTest.fresh(engine());
    for (Command c : h.accepted) {
      assertThat(replay.apply(c)).as("%s", c).isTrue();
    }
    assertThat(CoreState.hashHex(replay)).isEqualTo(hash);

    // the snapshot carries the sampler's period (start 1,060, 2 samples): continuing from it gives
    // the same tick and the same hash
    RiskEngine restoredEngine = engine();
    SequencerCore restored =
        CoreState.read(
            new DataInputStream(new ByteArrayInputStream(state)),
            OrderBookFactory.OPTIMISED,
            restoredEngine,
            CoreListener.NONE);
    assertThat(restoredEngine.sampler().sampleCount(M)).isEqualTo(2);
    assertThat(restoredEngine.sampler().periodStart(M)).isEqualTo(1_060);
    for (Command c : h.accepted.subList(snapshotAt, h.accepted.size())) {
      assertThat(restored.apply(c)).isTrue();
    }
    assertThat(CoreState.hashHex(restored)).isEqualTo(hash);

    // the funding configuration is part of the engine's: an engine without it does not load
    assertThatThrownBy(
            () ->
                CoreState.read(
                    new DataInputStream(new ByteArrayInputStream(state)),
                    OrderBookFactory.OPTIMISED,
                    new RiskEngine(RiskConfig.of(M, RiskMathTest.BTC)),
                    CoreListener.NONE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("other oracle or funding parameters");
  }
}
