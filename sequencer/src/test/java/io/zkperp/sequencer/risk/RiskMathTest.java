package io.zkperp.sequencer.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RiskMathTest {
  /** 1000.5 collateral quanta per synthetic quantum in 32.32: 1000·2^32 + 2^31. */
  static final long P_1000_5 = (1000L << 32) + (1L << 31);

  static final MarketRisk BTC =
      // IMF 5%, MMF 3%, baseline 100, +1% per started 50 above it, max 1,000, OI cap 10,000
      new MarketRisk(50_000, 30_000, 100, 50, 10_000, 1_000, 10_000);

  @Test
  void valueRoundsDownAndNotionalRoundsUp() {
    // 3 · 1000.5 = 3001.5: a long is worth 3001, a short −3002 (both rounded toward −∞);
    // the notional of either is 3002 (rounded up)
    assertThat(RiskMath.value(3, P_1000_5)).isEqualTo(3001);
    assertThat(RiskMath.value(-3, P_1000_5)).isEqualTo(-3002);
    assertThat(RiskMath.notional(3, P_1000_5)).isEqualTo(3002);
    assertThat(RiskMath.notional(-3, P_1000_5)).isEqualTo(3002);
    // 4 · 1000.5 = 4002 exactly: no rounding either way
    assertThat(RiskMath.value(-4, P_1000_5)).isEqualTo(-4002);
    assertThat(RiskMath.notional(4, P_1000_5)).isEqualTo(4002);
    // smallest fraction: 1 quantum at 2^-32 is worth 0 long, −1 short, notional 1
    assertThat(RiskMath.value(1, 1)).isZero();
    assertThat(RiskMath.value(-1, 1)).isEqualTo(-1);
    assertThat(RiskMath.notional(1, 1)).isEqualTo(1);
  }

  @Test
  void valueMatchesBigIntegerAndOverflowThrows() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      long size = rnd.nextLong() >> rnd.nextInt(64);
      long price = (rnd.nextLong() >>> 1) >> rnd.nextInt(63);
      BigInteger exact = BigInteger.valueOf(size).multiply(BigInteger.valueOf(price));
      BigInteger floor = exact.shiftRight(32); // BigInteger shifts floor toward −∞
      BigInteger ceilAbs = exact.abs().add(BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE));
      ceilAbs = ceilAbs.shiftRight(32);
      if (floor.bitLength() < 64) {
        assertThat(RiskMath.value(size, price)).isEqualTo(floor.longValueExact());
      } else {
        assertThatThrownBy(() -> RiskMath.value(size, price))
            .isInstanceOf(ArithmeticException.class);
      }
      if (size != Long.MIN_VALUE && ceilAbs.bitLength() < 64) {
        assertThat(RiskMath.notional(size, price)).isEqualTo(ceilAbs.longValueExact());
      } else {
        assertThatThrownBy(() -> RiskMath.notional(size, price))
            .isInstanceOf(ArithmeticException.class);
      }
    }
  }

  @Test
  void ppmProductsRoundBothWays() {
    // 3,003 · 500 / 10^6 = 1.5015 → up 2, down 1
    assertThat(RiskMath.mulPpmUp(3_003, 500)).isEqualTo(2);
    assertThat(RiskMath.mulPpmDown(3_003, 500)).isEqualTo(1);
    // exact: 2,000,000 · 500 / 10^6 = 1,000
    assertThat(RiskMath.mulPpmUp(2_000_000, 500)).isEqualTo(1_000);
    assertThat(RiskMath.mulPpmDown(2_000_000, 500)).isEqualTo(1_000);
    // large amounts stay exact: (2^62 + 1) · 1% = 46,116,860,184,273,879.05 →
    // 46,116,860,184,273,880
    assertThat(RiskMath.mulPpmUp((1L << 62) + 1, 10_000)).isEqualTo(46_116_860_184_273_880L);
    assertThat(RiskMath.mulPpmDown((1L << 62) + 1, 10_000)).isEqualTo(46_116_860_184_273_879L);
    // fee: a charge rounds up, a rebate rounds down in magnitude
    assertThat(RiskMath.fee(77_077, 500)).isEqualTo(39); // 38.5385 → 39
    assertThat(RiskMath.fee(77_077, -100)).isEqualTo(-7); // −7.7077 → −7
    assertThat(RiskMath.fee(3_003, -100)).isZero(); // −0.3003 → 0
  }

  @Test
  void initialMarginFractionGrowsWithSize() {
    // baseline 100, +10,000 ppm per started step of 50 above it, base 50,000 ppm
    assertThat(RiskMath.initialMarginPpm(0, BTC)).isEqualTo(50_000);
    assertThat(RiskMath.initialMarginPpm(100, BTC)).isEqualTo(50_000); // at the baseline
    assertThat(RiskMath.initialMarginPpm(101, BTC)).isEqualTo(60_000); // ceil(1/50) = 1 step
    assertThat(RiskMath.initialMarginPpm(150, BTC)).isEqualTo(60_000); // ceil(50/50) = 1
    assertThat(RiskMath.initialMarginPpm(151, BTC)).isEqualTo(70_000); // ceil(51/50) = 2
    assertThat(RiskMath.initialMarginPpm(1_000, BTC)).isEqualTo(230_000); // ceil(900/50) = 18
    // capped at 100%: 5% + 95 steps · 1% = 100% at |s| = 100 + 95·50 = 4,850
    assertThat(RiskMath.initialMarginPpm(4_850, BTC)).isEqualTo(1_000_000);
    assertThat(RiskMath.initialMarginPpm(Long.MAX_VALUE, BTC)).isEqualTo(1_000_000);
    // requirements at 1,000 per quantum (fixed 1000·2^32):
    long p = 1000L << 32;
    assertThat(RiskMath.initialRequirement(100, p, BTC)).isEqualTo(5_000); // 100,000 · 5%
    assertThat(RiskMath.initialRequirement(-101, p, BTC)).isEqualTo(6_060); // 101,000 · 6%
    assertThat(RiskMath.initialRequirement(150, p, BTC)).isEqualTo(9_000); // 150,000 · 6%
    assertThat(RiskMath.initialRequirement(151, p, BTC)).isEqualTo(10_570); // 151,000 · 7%
    assertThat(RiskMath.initialRequirement(1_000, p, BTC)).isEqualTo(230_000); // 1,000,000 · 23%
    assertThat(RiskMath.maintenanceRequirement(150, p, BTC)).isEqualTo(4_500); // 150,000 · 3%
    // with a fractional price the notional rounds up first: 3 at 1000.5 → 3,002 · 5% = 150.1 → 151
    assertThat(RiskMath.initialRequirement(3, P_1000_5, BTC)).isEqualTo(151);
  }

  @Test
  void fundingCreditRoundsDown() {
    // index 3,579,139,413 (≈ 0.8333 per quantum) since snapshot 0: 150 · 3,579,139,413 / 2^32 =
    // 124.99999996…; the long pays ceil = 125, the short receives floor = 124
    assertThat(RiskMath.fundingCredit(150, 0, 3_579_139_413L)).isEqualTo(-125);
    assertThat(RiskMath.fundingCredit(-150, 0, 3_579_139_413L)).isEqualTo(124);
    // a falling index: longs receive (rounded down), shorts pay (rounded up)
    assertThat(RiskMath.fundingCredit(150, 3_579_139_413L, 0)).isEqualTo(124);
    assertThat(RiskMath.fundingCredit(-150, 3_579_139_413L, 0)).isEqualTo(-125);
    assertThat(RiskMath.fundingCredit(150, 7, 7)).isZero();
  }

  @Test
  void productsCompareExactly() {
    assertThat(RiskMath.compareProducts(4_000, 4_320, 4_000, 2_880)).isPositive();
    assertThat(RiskMath.compareProducts(-5, 3, -3, 5)).isZero();
    assertThat(RiskMath.compareProducts(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, 3))
        .isPositive();
    assertThat(RiskMath.compareProducts(-Long.MAX_VALUE, Long.MAX_VALUE, 1, 1)).isNegative();
    assertThat(RiskMath.compareProducts(1L << 40, 1L << 40, (1L << 40) + 1, (1L << 40) - 1))
        .isPositive(); // 2^80 > 2^80 − 1
  }

  @Test
  void configRejectsRebatesTheTakerFeesDoNotCover() {
    assertThatThrownBy(
            () ->
                new RiskConfig(
                    java.util.Map.of(1, BTC),
                    java.util.List.of(new FeeTier(-100, 500), new FeeTier(-600, 700)),
                    java.util.Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taker fee 500 ppm does not cover maker rebate -600 ppm");
  }
}
