package io.zkperp.sequencer.risk;

/**
 * A market's risk parameters, the fields of the state layout's market risk leaf ({@code
 * docs/state-layout.md} §4). Fractions in parts per million. Immutable; any thread.
 *
 * @param initialMarginPpm base initial margin fraction (IMF), 1 to 10^6
 * @param maintenanceMarginPpm maintenance margin fraction (MMF), 0 to initialMarginPpm
 * @param baselinePositionSize |size| up to which the IMF is the base one (≥ 0)
 * @param incrementalPositionSize the size step above the baseline (&gt; 0)
 * @param incrementalInitialMarginPpm IMF added per started step above the baseline (0 to 10^6)
 * @param maxPositionSize the largest |size| an order may open or increase to (&gt; 0)
 * @param openInterestCap the largest open interest (Σ long sizes) orders may increase to (&gt; 0)
 */
public record MarketRiskParams(
    long initialMarginPpm,
    long maintenanceMarginPpm,
    long baselinePositionSize,
    long incrementalPositionSize,
    long incrementalInitialMarginPpm,
    long maxPositionSize,
    long openInterestCap) {
  /**
   * Validates the parameters.
   *
   * @throws IllegalArgumentException if a parameter is out of range
   */
  public MarketRiskParams {
    if (initialMarginPpm <= 0 || initialMarginPpm > RiskMath.PPM) {
      throw new IllegalArgumentException("initialMarginPpm must be 1 to 10^6: " + initialMarginPpm);
    }
    if (maintenanceMarginPpm < 0 || maintenanceMarginPpm > initialMarginPpm) {
      throw new IllegalArgumentException(
          "maintenanceMarginPpm must be 0 to initialMarginPpm: " + maintenanceMarginPpm);
    }
    if (baselinePositionSize < 0 || incrementalPositionSize <= 0) {
      throw new IllegalArgumentException(
          "baselinePositionSize must be ≥ 0 and incrementalPositionSize > 0");
    }
    if (incrementalInitialMarginPpm < 0 || incrementalInitialMarginPpm > RiskMath.PPM) {
      throw new IllegalArgumentException(
          "incrementalInitialMarginPpm must be 0 to 10^6: " + incrementalInitialMarginPpm);
    }
    if (maxPositionSize <= 0 || openInterestCap <= 0) {
      throw new IllegalArgumentException("maxPositionSize and openInterestCap must be > 0");
    }
  }
}
