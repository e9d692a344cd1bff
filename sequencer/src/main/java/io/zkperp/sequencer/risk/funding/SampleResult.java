package io.zkperp.sequencer.risk.funding;

/**
 * The outcome of {@link PremiumSampler#sample}: a recorded sample, a sample that was not due, or a
 * {@link FundingError}. Immutable; any thread.
 */
public sealed interface SampleResult
    permits SampleResult.Sampled, SampleResult.NotDue, FundingError {
  /**
   * A recorded sample.
   *
   * @param market the market
   * @param time the sample's time, seconds
   * @param impact the impact prices it was computed from
   * @param premiumPpm the raw premium, ppm
   * @param clampedPremiumPpm the premium after the per-sample clamp — the value added to the
   *     period's sum
   * @param samples the number of samples in the current period, this one included
   */
  record Sampled(
      int market,
      long time,
      ImpactPrices impact,
      long premiumPpm,
      long clampedPremiumPpm,
      int samples)
      implements SampleResult {}

  /**
   * No sample: this sampling slot already has one.
   *
   * @param market the market
   * @param nextSampleAt the first time at which the next sample is taken
   */
  record NotDue(int market, long nextSampleAt) implements SampleResult {}
}
