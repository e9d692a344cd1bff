package io.zkperp.sequencer.risk.funding;

import io.zkperp.protocol.risk.RiskMath;

/**
 * The arithmetic of a funding tick: the 8-hour rate from the average premium, its clamp, the index
 * delta, and the maximum-rate bound — the rule the engine applies to every {@code FundingTick} and
 * the circuit will check (StarkEx {@code transactions/funding_tick.cairo}: |Δindex| ≤
 * max_funding_rate · price · Δt). Rates are in parts per million per 8 hours ({@value
 * #EIGHT_HOURS_SECONDS} s); prices and index deltas are 32.32 fixed point; Δt in seconds. Exact
 * integer arithmetic with 128-bit intermediates. Stateless; any thread.
 *
 * <pre>
 *   clamp       = floor(clampFactorPpm · (IMF − MMF) / 10^6)                      ppm / 8h
 *   rate        = min(clamp, max(−clamp, averagePremium + interest))              ppm / 8h
 *   indexDelta  = sign(rate) · floor(|rate| · Δt · price / (10^6 · 28,800))      32.32, toward 0
 *   bound       = floor(maxRate · Δt · price / (10^6 · 28,800))                   32.32
 *   valid tick  ⇔ Δt &gt; 0, price &gt; 0 and |indexDelta| ≤ bound
 *               ⇔ |indexDelta| · 10^6 · 28,800 ≤ maxRate · Δt · price            (no division)
 * </pre>
 *
 * Rounding the delta toward zero: funding moves collateral between longs and shorts only (Σ sizes =
 * 0, so Σ size · Δindex = 0 whatever Δindex is), so the delta's rounding can neither create nor
 * destroy collateral — settlement ({@link RiskMath#fundingCredit}) rounds each account down, which
 * is what keeps funding from minting. Toward zero means the charged rate is never larger in
 * magnitude than the computed one, so a delta computed from any rate with |rate| ≤ maxRate always
 * passes the bound (floor(|r|·x) ≤ floor(maxRate·x)); rounding away from zero could exceed it by
 * one unit.
 */
public final class FundingTickCalculator {
  /** The funding rate period: 8 hours, in seconds. */
  public static final long EIGHT_HOURS_SECONDS = 8 * 3600;

  /**
   * The largest rate (or maximum rate) accepted, ppm per 8 hours: 10^9 (100,000%), so that rate ·
   * Δt stays below 2^63.
   */
  public static final long MAX_RATE_PPM = 1_000_000_000L;

  /** The longest tick interval accepted, seconds: 10^9 (about 31.7 years). */
  public static final long MAX_INTERVAL_SECONDS = 1_000_000_000L;

  /** 10^6 · 8 hours: the denominator of a delta from a ppm-per-8-hours rate. */
  static final long RATE_DENOMINATOR = RiskMath.PPM * EIGHT_HOURS_SECONDS;

  private FundingTickCalculator() {}

  /**
   * The rate clamp: {@code floor(clampFactorPpm · (imfPpm − mmfPpm) / 10^6)} (dYdX v4: 600% of IMF
   * − MMF).
   *
   * @param clampFactorPpm the clamp factor, ppm (≥ 0; 6,000,000 = 600%)
   * @param imfPpm the initial margin fraction, ppm
   * @param mmfPpm the maintenance margin fraction, ppm (≤ imfPpm)
   * @return the clamp, ppm per 8 hours (≥ 0)
   * @throws ArithmeticException if an argument is out of range or the clamp overflows
   */
  public static long rateClampPpm(long clampFactorPpm, long imfPpm, long mmfPpm) {
    if (clampFactorPpm < 0 || mmfPpm < 0 || imfPpm < mmfPpm) {
      throw new ArithmeticException(
          "clamp needs factor ≥ 0 and 0 ≤ MMF ≤ IMF: "
              + clampFactorPpm
              + ", "
              + imfPpm
              + ", "
              + mmfPpm);
    }
    return Wide.mulDivFloor(clampFactorPpm, imfPpm - mmfPpm, RiskMath.PPM);
  }

  /**
   * The 8-hour funding rate: {@code clamp(averagePremiumPpm + interestPpm, ±clampPpm)}.
   *
   * @param averagePremiumPpm the average premium, ppm
   * @param interestPpm the interest rate, ppm per 8 hours
   * @param clampPpm the clamp (≥ 0)
   * @return the rate, ppm per 8 hours
   * @throws ArithmeticException if the sum overflows or the clamp is negative
   */
  public static long ratePpm(long averagePremiumPpm, long interestPpm, long clampPpm) {
    if (clampPpm < 0) {
      throw new ArithmeticException("clamp must be ≥ 0: " + clampPpm);
    }
    long r = Math.addExact(averagePremiumPpm, interestPpm);
    return Math.max(-clampPpm, Math.min(clampPpm, r));
  }

  /**
   * The funding index change of a tick: {@code sign(rate) · floor(|rate| · Δt · price / (10^6 ·
   * 28,800))} — rounded toward zero. Positive when the rate is positive (longs pay).
   *
   * @param ratePpm the rate, ppm per 8 hours (|rate| ≤ {@link #MAX_RATE_PPM})
   * @param price the index (oracle) price, 32.32 (&gt; 0)
   * @param dtSeconds Δt, seconds (1 to {@link #MAX_INTERVAL_SECONDS})
   * @return the index delta, 32.32
   * @throws ArithmeticException if an argument is out of range (price ≤ 0, Δt not in 1 to {@link
   *     #MAX_INTERVAL_SECONDS}, |rate| above {@link #MAX_RATE_PPM}) or the delta overflows
   */
  public static long indexDelta(long ratePpm, long price, long dtSeconds) {
    if (price <= 0
        || dtSeconds <= 0
        || dtSeconds > MAX_INTERVAL_SECONDS
        || ratePpm > MAX_RATE_PPM
        || ratePpm < -MAX_RATE_PPM) {
      throw new ArithmeticException(
          "price > 0, Δt 1 to 10^9 s and |rate| ≤ 10^9 ppm required: "
              + price
              + ", "
              + dtSeconds
              + ", "
              + ratePpm);
    }
    long magnitude = Wide.mulDivFloor(Math.abs(ratePpm) * dtSeconds, price, RATE_DENOMINATOR);
    return ratePpm < 0 ? -magnitude : magnitude;
  }

  /**
   * The largest |Δindex| a tick may have: {@code floor(maxRatePpm · Δt · price / (10^6 · 28,800))}.
   *
   * @param maxRatePpm the maximum funding rate, ppm per 8 hours (0 to {@link #MAX_RATE_PPM})
   * @param price the index price, 32.32 (&gt; 0)
   * @param dtSeconds Δt, seconds (1 to {@link #MAX_INTERVAL_SECONDS})
   * @return the bound, 32.32
   * @throws ArithmeticException if an argument is out of range or the bound is ≥ 2^63
   */
  public static long maxIndexDelta(long maxRatePpm, long price, long dtSeconds) {
    if (maxRatePpm < 0
        || maxRatePpm > MAX_RATE_PPM
        || price <= 0
        || dtSeconds <= 0
        || dtSeconds > MAX_INTERVAL_SECONDS) {
      throw new ArithmeticException(
          "max rate 0 to 10^9 ppm, price > 0 and Δt 1 to 10^9 s required: "
              + maxRatePpm
              + ", "
              + price
              + ", "
              + dtSeconds);
    }
    return Wide.mulDivFloor(maxRatePpm * dtSeconds, price, RATE_DENOMINATOR);
  }

  /**
   * Checks a funding tick against the maximum rate — the standalone validator for the engine (and
   * the rule the circuit checks): Δt &gt; 0, price &gt; 0, {@code |indexDelta| ≤
   * maxIndexDelta(maxRatePpm, price, Δt)}. Any thread.
   *
   * @param indexDelta the tick's index change, 32.32
   * @param price the market's index price at the tick, 32.32
   * @param dtSeconds the time since the market's previous tick (or the start of its funding), s
   * @param maxRatePpm the market's maximum funding rate, ppm per 8 hours (0 to {@link
   *     #MAX_RATE_PPM})
   * @return null if the tick is valid, otherwise the error
   */
  public static FundingError checkTick(
      long indexDelta, long price, long dtSeconds, long maxRatePpm) {
    if (price <= 0) {
      return FundingError.of(
          FundingRejection.NON_POSITIVE_PRICE, "index price %d must be > 0", price);
    }
    if (dtSeconds <= 0) {
      return FundingError.of(
          FundingRejection.NON_POSITIVE_INTERVAL,
          "funding interval %d s must be > 0 (the tick must be after the previous one)",
          dtSeconds);
    }
    if (dtSeconds > MAX_INTERVAL_SECONDS || maxRatePpm < 0 || maxRatePpm > MAX_RATE_PPM) {
      return FundingError.of(
          FundingRejection.OUT_OF_RANGE,
          "funding interval %d s must be ≤ %d and max rate %d ppm 0 to %d",
          dtSeconds,
          MAX_INTERVAL_SECONDS,
          maxRatePpm,
          MAX_RATE_PPM);
    }
    long bound;
    try {
      bound = maxIndexDelta(maxRatePpm, price, dtSeconds);
    } catch (ArithmeticException e) {
      // arguments are in range, so only the quotient overflowed: the exact bound is ≥ 2^63 and
      // every delta but Long.MIN_VALUE is within it
      bound = Long.MAX_VALUE;
    }
    if (indexDelta == Long.MIN_VALUE || Math.abs(indexDelta) > bound) {
      return FundingError.of(
          FundingRejection.RATE_BOUND_EXCEEDED,
          "funding index change %,d exceeds the bound %,d (max rate %d ppm per 8h · price %,d ·"
              + " %d s, 32.32); accepted: −%,d to %,d",
          indexDelta,
          bound,
          maxRatePpm,
          price,
          dtSeconds,
          bound,
          bound);
    }
    return null;
  }
}
