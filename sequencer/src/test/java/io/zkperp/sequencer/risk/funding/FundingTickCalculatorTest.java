package io.zkperp.sequencer.risk.funding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class FundingTickCalculatorTest {
  static final long ONE = 1L << 32;
  static final BigInteger D = BigInteger.valueOf(1_000_000L * 28_800);

  @Test
  void clampIsFactorTimesImfMinusMmf() {
    // 600% · (5% − 3%) = 12% = 120,000 ppm; 6,000% · 2% = 1,200,000
    assertThat(FundingTickCalculator.rateClampPpm(6_000_000, 50_000, 30_000)).isEqualTo(120_000);
    assertThat(FundingTickCalculator.rateClampPpm(60_000_000, 50_000, 30_000)).isEqualTo(1_200_000);
    // rounds down: 333,333 ppm · 1 ppm / 10^6 = 0.33 → 0
    assertThat(FundingTickCalculator.rateClampPpm(333_333, 2, 1)).isZero();
    assertThatThrownBy(() -> FundingTickCalculator.rateClampPpm(1, 30_000, 50_000))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void rateAddsInterestAndClamps() {
    assertThat(FundingTickCalculator.ratePpm(50, 100, 120_000)).isEqualTo(150);
    assertThat(FundingTickCalculator.ratePpm(500_000, 100, 120_000)).isEqualTo(120_000);
    assertThat(FundingTickCalculator.ratePpm(-500_000, 100, 120_000)).isEqualTo(-120_000);
    assertThat(FundingTickCalculator.ratePpm(-119_950, -100, 120_000)).isEqualTo(-120_000);
    assertThat(FundingTickCalculator.ratePpm(-119_950, 100, 120_000)).isEqualTo(-119_850);
  }

  @Test
  void indexDeltaWorkedExamples() {
    // rate 150 ppm / 8h, Δt 1 h, price 10,000: 150e-6 · (3,600 / 28,800) · 10,000 = 0.1875
    // = 3/16 → 0.1875 · 2^32 = 805,306,368 exactly (no rounding)
    assertThat(FundingTickCalculator.indexDelta(150, 10_000 * ONE, 3_600)).isEqualTo(805_306_368L);
    // the clamp 120,000 ppm for 1 h at 10,000: 0.12 · 1/8 · 10,000 = 150 units = 150 · 2^32
    assertThat(FundingTickCalculator.indexDelta(120_000, 10_000 * ONE, 3_600)).isEqualTo(150 * ONE);
    assertThat(FundingTickCalculator.indexDelta(-120_000, 10_000 * ONE, 3_600))
        .isEqualTo(-150 * ONE);
    // rounding toward zero: rate 7, Δt 3,600, price 1,000 + 2^-32 = 4,294,967,296,001 (32.32):
    // 7 · 3,600 · 4,294,967,296,001 / 28,800,000,000 = 108,233,175,859,225,200 / 2.88e10
    //   = 3,758,096.38… → 3,758,096 (and −3,758,096 for rate −7, not −3,758,097)
    assertThat(FundingTickCalculator.indexDelta(7, 1_000 * ONE + 1, 3_600)).isEqualTo(3_758_096);
    assertThat(FundingTickCalculator.indexDelta(-7, 1_000 * ONE + 1, 3_600)).isEqualTo(-3_758_096);
    // a tiny rate rounds to 0 both ways: 1 ppm · 1 s · 2^32 / 2.88e10 = 0.149
    assertThat(FundingTickCalculator.indexDelta(1, ONE, 1)).isZero();
    assertThat(FundingTickCalculator.indexDelta(-1, ONE, 1)).isZero();
    assertThat(FundingTickCalculator.indexDelta(0, ONE, 1)).isZero();
  }

  @Test
  void indexDeltaRefusesOutOfRangeArguments() {
    assertThatThrownBy(() -> FundingTickCalculator.indexDelta(1, 0, 1))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> FundingTickCalculator.indexDelta(1, ONE, 0))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> FundingTickCalculator.indexDelta(1_000_000_001, ONE, 1))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> FundingTickCalculator.indexDelta(Long.MIN_VALUE, ONE, 1))
        .isInstanceOf(ArithmeticException.class);
    // result overflow: 10^9 ppm · 10^9 s · 2^62 / 2.88e10 ≫ 2^63
    assertThatThrownBy(
            () -> FundingTickCalculator.indexDelta(1_000_000_000, 1L << 62, 1_000_000_000))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void boundIsInclusiveAndTyped() {
    // max rate 120,000 ppm / 8h, price 10,000, Δt 1 h → bound 150 · 2^32
    long p = 10_000 * ONE;
    assertThat(FundingTickCalculator.maxIndexDelta(120_000, p, 3_600)).isEqualTo(150 * ONE);
    assertThat(FundingTickCalculator.checkTick(150 * ONE, p, 3_600, 120_000)).isNull();
    assertThat(FundingTickCalculator.checkTick(-150 * ONE, p, 3_600, 120_000)).isNull();
    assertThat(FundingTickCalculator.checkTick(0, p, 3_600, 0)).isNull();
    FundingError over = FundingTickCalculator.checkTick(150 * ONE + 1, p, 3_600, 120_000);
    assertThat(over.reason()).isEqualTo(FundingRejection.RATE_BOUND_EXCEEDED);
    assertThat(over.message()).contains("644,245,094,401").contains("644,245,094,400");
    assertThat(FundingTickCalculator.checkTick(-150 * ONE - 1, p, 3_600, 120_000).reason())
        .isEqualTo(FundingRejection.RATE_BOUND_EXCEEDED);
    assertThat(FundingTickCalculator.checkTick(1, p, 3_600, 0).reason())
        .isEqualTo(FundingRejection.RATE_BOUND_EXCEEDED);
    assertThat(
            FundingTickCalculator.checkTick(Long.MIN_VALUE, Long.MAX_VALUE, 1_000, 1_000_000_000)
                .reason())
        .isEqualTo(FundingRejection.RATE_BOUND_EXCEEDED);
    // a bound beyond the long range: every representable delta but MIN_VALUE passes
    assertThat(
            FundingTickCalculator.checkTick(
                Long.MAX_VALUE, Long.MAX_VALUE, 1_000_000_000, 1_000_000_000))
        .isNull();
    assertThat(FundingTickCalculator.checkTick(0, p, 0, 120_000).reason())
        .isEqualTo(FundingRejection.NON_POSITIVE_INTERVAL);
    assertThat(FundingTickCalculator.checkTick(0, p, -5, 120_000).reason())
        .isEqualTo(FundingRejection.NON_POSITIVE_INTERVAL);
    assertThat(FundingTickCalculator.checkTick(0, 0, 3_600, 120_000).reason())
        .isEqualTo(FundingRejection.NON_POSITIVE_PRICE);
    assertThat(FundingTickCalculator.checkTick(0, p, 3_600, -1).reason())
        .isEqualTo(FundingRejection.OUT_OF_RANGE);
    assertThat(FundingTickCalculator.checkTick(0, p, 1_000_000_001, 1).reason())
        .isEqualTo(FundingRejection.OUT_OF_RANGE);
  }

  @Test
  void checkEqualsTheDivisionFreeCircuitRule() {
    // |Δ| · 10^6 · 28,800 ≤ maxRate · Δt · price (BigInteger) ⇔ checkTick(...) == null
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      long maxRate = rnd.nextLong(1_000_000_001);
      long price = 1 + ((rnd.nextLong() >>> 1) >>> rnd.nextInt(63));
      long dt = 1 + rnd.nextLong(rnd.nextBoolean() ? 7_200 : 1_000_000_000);
      long delta = (rnd.nextLong() >> rnd.nextInt(64));
      BigInteger lhs = BigInteger.valueOf(delta).abs().multiply(D);
      BigInteger rhs =
          BigInteger.valueOf(maxRate)
              .multiply(BigInteger.valueOf(dt))
              .multiply(BigInteger.valueOf(price));
      boolean ok = lhs.compareTo(rhs) <= 0;
      assertThat(FundingTickCalculator.checkTick(delta, price, dt, maxRate) == null)
          .as("delta %d price %d dt %d maxRate %d", delta, price, dt, maxRate)
          .isEqualTo(ok);
    }
  }

  /** Any rate within the maximum gives a delta that passes the bound, and rounds toward zero. */
  @Property(tries = 2000)
  void deltaFromAnyAllowedRatePassesTheBound(
      @ForAll @LongRange(min = 0, max = 1_000_000) long maxRate,
      @ForAll @LongRange(min = -1_000_000, max = 1_000_000) long rateSeed,
      @ForAll @LongRange(min = 1, max = 1L << 50) long price,
      @ForAll @LongRange(min = 1, max = 86_400) long dt) {
    long rate = maxRate == 0 ? 0 : rateSeed % (maxRate + 1);
    long delta = FundingTickCalculator.indexDelta(rate, price, dt);
    assertThat(FundingTickCalculator.checkTick(delta, price, dt, maxRate)).isNull();
    // toward zero: |delta| = floor(|exact|), same sign as the rate
    BigInteger exact =
        BigInteger.valueOf(Math.abs(rate))
            .multiply(BigInteger.valueOf(dt))
            .multiply(BigInteger.valueOf(price))
            .divide(D);
    assertThat(Math.abs(delta)).isEqualTo(exact.longValueExact());
    assertThat(Long.signum(delta)).isIn(0, Long.signum(rate));
  }
}
