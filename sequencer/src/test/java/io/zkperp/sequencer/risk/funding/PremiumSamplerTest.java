package io.zkperp.sequencer.risk.funding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.state.MarketRisk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PremiumSamplerTest {
  static final long ONE = 1L << 32;
  static final int MARKET = 3;

  /** A multiple of 60: the first sample opens slot T0 / 60 and the period starts at T0. */
  static final long T0 = 1_700_000_040L;

  static final long INDEX = 10_000 * ONE;

  /** IMF 5%, MMF 3% (the risk tests' market). */
  static final MarketRisk RISK = new MarketRisk(50_000, 30_000, 100, 50, 10_000, 1_000, 10_000);

  /**
   * Impact collateral 500 → impact notional 500 / 5% = 10,000; interest 100 ppm (0.01%) per 8h;
   * sample clamp 6,000% · 2% = 1,200,000 ppm; rate clamp 600% · 2% = 120,000 ppm; max rate = the
   * rate clamp.
   */
  static final FundingConfig.MarketFunding PARAMS =
      new FundingConfig.MarketFunding(RISK, 500, 100, 60_000_000, 6_000_000, 120_000);

  static final FundingConfig CONFIG = FundingConfig.hourly(MARKET, PARAMS);

  /** One deep level each side: the impact prices are the level prices exactly. */
  static DepthLevels book(long bid, long ask) {
    return new DepthLevels(
        new long[] {bid}, new long[] {1_000}, new long[] {ask}, new long[] {1_000});
  }

  /** Bid 10,002 vs index 10,000: premium 2 / 10,000 = +200 ppm. */
  static final DepthLevels PLUS_200 = book(10_002, 10_003);

  /** Ask 9,999 vs index 10,000: premium −1 / 10,000 = −100 ppm. */
  static final DepthLevels MINUS_100 = book(9_998, 9_999);

  final PremiumSampler sampler = new PremiumSampler(CONFIG);

  private SampleResult.Sampled sampled(SampleResult r) {
    assertThat(r).isInstanceOf(SampleResult.Sampled.class);
    return (SampleResult.Sampled) r;
  }

  private FundingTickProposal due(TickResult r) {
    assertThat(r).isInstanceOf(TickResult.Due.class);
    return ((TickResult.Due) r).tick();
  }

  private static FundingError error(Object r, FundingRejection reason) {
    assertThat(r).isInstanceOf(FundingError.class);
    FundingError e = (FundingError) r;
    assertThat(e.reason()).isEqualTo(reason);
    return e;
  }

  @Test
  void configDerivedValues() {
    assertThat(PARAMS.impactNotional()).isEqualTo(10_000);
    assertThat(PARAMS.sampleClampPpm()).isEqualTo(1_200_000);
    assertThat(PARAMS.rateClampPpm()).isEqualTo(120_000);
  }

  @Test
  void hourlyAverageWorkedExample() {
    // 60 samples a minute apart: 30 at +200 ppm then 30 at −100 ppm.
    // sum = 30 · 200 − 30 · 100 = 3,000; divisor = max(60, 3,600 / 60) = 60; average = 50;
    // rate = 50 + 100 (interest) = 150 ppm / 8h, inside ±120,000;
    // Δindex = 150 · 3,600 · 10,000 · 2^32 / (10^6 · 28,800) = 0.1875 · 2^32 = 805,306,368
    for (int k = 0; k < 60; k++) {
      SampleResult.Sampled s =
          sampled(sampler.sample(MARKET, k < 30 ? PLUS_200 : MINUS_100, INDEX, T0 + 60L * k));
      assertThat(s.premiumPpm()).isEqualTo(k < 30 ? 200 : -100);
      assertThat(s.samples()).isEqualTo(k + 1);
    }
    assertThat(sampler.sampleSum(MARKET)).isEqualTo(3_000);
    assertThat(sampler.tick(MARKET, INDEX, T0 + 3_599))
        .isEqualTo(new TickResult.NotDue(MARKET, T0 + 3_600));
    FundingTickProposal t = due(sampler.tick(MARKET, INDEX, T0 + 3_600));
    assertThat(t)
        .isEqualTo(
            new FundingTickProposal(
                MARKET, T0 + 3_600, 3_600, 60, 60, 50, 150, INDEX, 805_306_368L));
    assertThat(t.toCommand())
        .isEqualTo(new io.zkperp.sequencer.command.FundingTick(MARKET, 805_306_368L, T0 + 3_600));
    // the next period starts at the tick
    assertThat(sampler.periodStart(MARKET)).isEqualTo(T0 + 3_600);
    assertThat(sampler.sampleCount(MARKET)).isZero();
    assertThat(sampler.tick(MARKET, INDEX, T0 + 3_601))
        .isEqualTo(new TickResult.NotDue(MARKET, T0 + 7_200));
  }

  @Test
  void missingSamplesCountAsZero() {
    // only 15 samples at +200 in the hour: sum 3,000, divisor max(15, 60) = 60 → average 50
    // (not 200): suppressing samples can only pull the premium toward 0
    for (int k = 0; k < 15; k++) {
      sampled(sampler.sample(MARKET, PLUS_200, INDEX, T0 + 60L * k));
    }
    FundingTickProposal t = due(sampler.tick(MARKET, INDEX, T0 + 3_600));
    assertThat(t.samples()).isEqualTo(15);
    assertThat(t.divisor()).isEqualTo(60);
    assertThat(t.averagePremiumPpm()).isEqualTo(50);
    assertThat(t.ratePpm()).isEqualTo(150);
  }

  @Test
  void averageRoundsTowardZero() {
    // one sample of −100 in the hour: −100 / 60 = −1.67 → −1 (floor would give −2); rate −1 + 100
    sampled(sampler.sample(MARKET, MINUS_100, INDEX, T0));
    FundingTickProposal t = due(sampler.tick(MARKET, INDEX, T0 + 3_600));
    assertThat(t.averagePremiumPpm()).isEqualTo(-1);
    assertThat(t.ratePpm()).isEqualTo(99);
    // Δindex = 99 · 3,600 · 10,000 · 2^32 / 2.88e10 = 0.12375 · 2^32 = 531,502,202.88 → 531,502,202
    assertThat(t.indexDelta()).isEqualTo(531_502_202L);
  }

  @Test
  void rateClampWorkedExample() {
    // bid 15,000 vs index 10,000: premium 5,000 / 10,000 = 500,000 ppm (under the sample clamp
    // 1,200,000), every minute → average 500,000; rate 500,100 clamped to 120,000 (600% · 2%);
    // Δindex = 120,000 · 3,600 · 10,000 / 2.88e10 = 150 units → 150 · 2^32, exactly the bound
    DepthLevels rich = book(15_000, 15_001);
    for (int k = 0; k < 60; k++) {
      assertThat(sampled(sampler.sample(MARKET, rich, INDEX, T0 + 60L * k)).clampedPremiumPpm())
          .isEqualTo(500_000);
    }
    FundingTickProposal t = due(sampler.tick(MARKET, INDEX, T0 + 3_600));
    assertThat(t.averagePremiumPpm()).isEqualTo(500_000);
    assertThat(t.ratePpm()).isEqualTo(120_000);
    assertThat(t.indexDelta()).isEqualTo(150 * ONE);
    assertThat(FundingTickCalculator.checkTick(t.indexDelta(), INDEX, 3_600, PARAMS.maxRatePpm()))
        .isNull();
    // the negative side: ask 5,000 → premium −500,000 → rate −499,900 → −120,000
    DepthLevels poor = book(4_999, 5_000);
    for (int k = 60; k < 120; k++) {
      sampled(sampler.sample(MARKET, poor, INDEX, T0 + 60L * k));
    }
    FundingTickProposal n = due(sampler.tick(MARKET, INDEX, T0 + 7_200));
    assertThat(n.ratePpm()).isEqualTo(-120_000);
    assertThat(n.indexDelta()).isEqualTo(-150 * ONE);
  }

  @Test
  void sampleClamp() {
    // bid 30,000 vs 10,000: premium 2,000,000 ppm, clamped to 6,000% · 2% = 1,200,000
    SampleResult.Sampled s = sampled(sampler.sample(MARKET, book(30_000, 30_001), INDEX, T0));
    assertThat(s.premiumPpm()).isEqualTo(2_000_000);
    assertThat(s.clampedPremiumPpm()).isEqualTo(1_200_000);
    assertThat(sampler.sampleSum(MARKET)).isEqualTo(1_200_000);
  }

  @Test
  void oneSamplePerSlot() {
    sampled(sampler.sample(MARKET, PLUS_200, INDEX, T0 + 5));
    // same slot [T0, T0 + 60): not due, nothing recorded
    assertThat(sampler.sample(MARKET, MINUS_100, INDEX, T0 + 59))
        .isEqualTo(new SampleResult.NotDue(MARKET, T0 + 60));
    assertThat(sampler.sampleSum(MARKET)).isEqualTo(200);
    sampled(sampler.sample(MARKET, MINUS_100, INDEX, T0 + 60));
    assertThat(sampler.sampleSum(MARKET)).isEqualTo(100);
    assertThat(sampler.periodStart(MARKET)).isEqualTo(T0 + 5);
  }

  @Test
  void longGapPadsAndUsesTheWholeInterval() {
    // one sample of +200 then nothing for a day: divisor max(1, 86,400 / 60 = 1,440);
    // 200 / 1,440 = 0.14 → 0; rate = interest 100; Δindex = 100 · 86,400 · 10,000 / 2.88e10 = 3
    // units → 3 · 2^32
    sampled(sampler.sample(MARKET, PLUS_200, INDEX, T0));
    FundingTickProposal t = due(sampler.tick(MARKET, INDEX, T0 + 86_400));
    assertThat(t.divisor()).isEqualTo(1_440);
    assertThat(t.averagePremiumPpm()).isZero();
    assertThat(t.ratePpm()).isEqualTo(100);
    assertThat(t.indexDelta()).isEqualTo(3 * ONE);
  }

  // ------------------------------------------------------------ refusals change nothing

  @Test
  void refusalsChangeNothing() {
    error(sampler.sample(9, PLUS_200, INDEX, T0), FundingRejection.MARKET_NOT_CONFIGURED);
    error(sampler.tick(9, INDEX, T0), FundingRejection.MARKET_NOT_CONFIGURED);
    error(sampler.sample(MARKET, PLUS_200, 0, T0), FundingRejection.NON_POSITIVE_PRICE);
    assertThat(sampler.periodStart(MARKET)).isEqualTo(Long.MIN_VALUE);
    error(sampler.tick(MARKET, INDEX, T0), FundingRejection.NOT_STARTED);

    sampled(sampler.sample(MARKET, PLUS_200, INDEX, T0 + 120));
    DepthLevels unsorted =
        new DepthLevels(new long[] {100, 101}, new long[] {1, 1}, new long[0], new long[0]);
    FundingError bad =
        error(sampler.sample(MARKET, unsorted, INDEX, T0 + 180), FundingRejection.INVALID_BOOK);
    assertThat(bad.message()).contains("not strictly best first");
    error(sampler.sample(MARKET, PLUS_200, -INDEX, T0 + 180), FundingRejection.NON_POSITIVE_PRICE);
    error(sampler.sample(MARKET, PLUS_200, INDEX, T0 + 60), FundingRejection.TIME_WENT_BACKWARDS);
    // the slot T0 + 180 is still free after the refusals
    assertThat(sampler.sampleCount(MARKET)).isEqualTo(1);
    assertThat(sampler.sampleSum(MARKET)).isEqualTo(200);
    error(sampler.tick(MARKET, 0, T0 + 120 + 3_600), FundingRejection.NON_POSITIVE_PRICE);
    assertThat(sampler.periodStart(MARKET)).isEqualTo(T0 + 120);
    assertThat(sampler.sampleCount(MARKET)).isEqualTo(1);
    sampled(sampler.sample(MARKET, MINUS_100, INDEX, T0 + 180));
    assertThat(sampler.sampleSum(MARKET)).isEqualTo(100);
  }

  @Test
  void configurationIsValidated() {
    assertThatThrownBy(() -> new FundingConfig(0, 3_600, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FundingConfig(60, 59, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    // max rate below the rate clamp (120,000): derived ticks could fail the bound
    assertThatThrownBy(
            () -> new FundingConfig.MarketFunding(RISK, 500, 100, 60_000_000, 6_000_000, 119_999))
        .hasMessageContaining("exceeds maxRatePpm");
    assertThatThrownBy(() -> new FundingConfig.MarketFunding(RISK, 0, 100, 1, 1, 120_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FundingConfig.MarketFunding(RISK, 500, 100, -1, 1, 120_000))
        .isInstanceOf(IllegalArgumentException.class);
    // impact notional overflow: Long.MAX_VALUE · 10^6 / 5%
    assertThatThrownBy(
            () -> new FundingConfig.MarketFunding(RISK, Long.MAX_VALUE, 100, 1, 1, 120_000))
        .hasMessageContaining("out of range");
  }

  // ------------------------------------------------------------ determinism

  @Test
  void replayAndSnapshotGiveTheSameTicks() throws IOException {
    List<Object> a = run(new PremiumSampler(CONFIG), 0, 40_000, null);
    List<Object> b = run(new PremiumSampler(CONFIG), 0, 40_000, null);
    assertThat(a).isEqualTo(b);
    assertThat(a.stream().filter(TickResult.Due.class::isInstance)).hasSizeGreaterThan(5);

    // snapshot after 17,003 s (a multiple of the script's 7 s step), restore into a fresh sampler,
    // continue: same results as a
    PremiumSampler first = new PremiumSampler(CONFIG);
    List<Object> head = run(first, 0, 17_003, null);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    first.writeState(new DataOutputStream(bytes));
    PremiumSampler restored = new PremiumSampler(CONFIG);
    restored.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    List<Object> tail = run(restored, 17_003, 40_000, null);
    List<Object> joined = new ArrayList<>(head);
    joined.addAll(tail);
    assertThat(joined).isEqualTo(a);
  }

  @Test
  void everyDerivedTickPassesTheRateBound() {
    List<Object> results = new ArrayList<>();
    run(new PremiumSampler(CONFIG), 0, 200_000, results);
    long ticks = 0;
    for (Object r : results) {
      if (r instanceof TickResult.Due d) {
        FundingTickProposal t = d.tick();
        assertThat(Math.abs(t.ratePpm())).isLessThanOrEqualTo(PARAMS.rateClampPpm());
        assertThat(
                FundingTickCalculator.checkTick(
                    t.indexDelta(), t.price(), t.intervalSeconds(), PARAMS.maxRatePpm()))
            .isNull();
        ticks++;
      }
    }
    assertThat(ticks).isGreaterThan(40);
  }

  /**
   * A deterministic script from time T0 + from to T0 + to: every 7 s a tick attempt then a sample
   * attempt, on a random book around a drifting index (seeded by the time, so a run can be split).
   */
  private static List<Object> run(PremiumSampler s, long from, long to, List<Object> sink) {
    List<Object> out = sink == null ? new ArrayList<>() : sink;
    for (long dt = from; dt < to; dt += 7) {
      long now = T0 + dt;
      SplittableRandom rnd = new SplittableRandom(now);
      long index = (10_000 + rnd.nextLong(-3_000, 3_000)) * ONE + rnd.nextLong(ONE);
      long mid = 10_000 + rnd.nextLong(-5_000, 5_000);
      long[] bp = {mid - 1, mid - 2 - rnd.nextInt(50), mid - 60 - rnd.nextInt(2_000)};
      long[] ap = {mid + 1, mid + 2 + rnd.nextInt(50), mid + 60 + rnd.nextInt(2_000)};
      long[] bs = {rnd.nextLong(1, 3), rnd.nextLong(1, 3), rnd.nextLong(1, 3)};
      long[] as = {rnd.nextLong(1, 3), rnd.nextLong(1, 3), rnd.nextLong(1, 3)};
      TickResult t = s.tick(MARKET, index, now);
      if (!(t instanceof TickResult.NotDue)) {
        out.add(t);
      }
      SampleResult r = s.sample(MARKET, new DepthLevels(bp, bs, ap, as), index, now);
      if (!(r instanceof SampleResult.NotDue)) {
        out.add(r);
      }
    }
    return out;
  }
}
