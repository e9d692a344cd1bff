package io.zkperp.sequencer.risk.funding;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import java.util.Map;
import java.util.TreeMap;

/**
 * The funding configuration: the sampling and tick intervals and each market's funding parameters.
 * Immutable (validated and copied); any thread.
 *
 * @param sampleIntervalSeconds one premium sample per slot of this many seconds (dYdX v4: 60)
 * @param tickIntervalSeconds a funding tick is due this long after the previous one (dYdX v4:
 *     3,600)
 * @param markets the parameters of each market, by id
 */
public record FundingConfig(
    long sampleIntervalSeconds,
    long tickIntervalSeconds,
    Map<Integer, FundingConfig.MarketFunding> markets) {
  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if an interval is not positive, the tick interval is shorter
   *     than the sample interval or above {@link FundingTickCalculator#MAX_INTERVAL_SECONDS}, or a
   *     market id is out of range
   */
  public FundingConfig {
    markets = Map.copyOf(new TreeMap<>(markets));
    if (sampleIntervalSeconds <= 0
        || tickIntervalSeconds < sampleIntervalSeconds
        || tickIntervalSeconds > FundingTickCalculator.MAX_INTERVAL_SECONDS) {
      throw new IllegalArgumentException(
          "need 0 < sampleIntervalSeconds ≤ tickIntervalSeconds ≤ 10^9: "
              + sampleIntervalSeconds
              + ", "
              + tickIntervalSeconds);
    }
    for (Integer id : markets.keySet()) {
      if (id < 0 || id > 0xFFFF) {
        throw new IllegalArgumentException("market id out of range: " + id);
      }
    }
  }

  /**
   * dYdX v4's cadence (a sample a minute, a tick an hour) for one market.
   *
   * @param market the market id
   * @param params its parameters
   * @return the configuration
   */
  public static FundingConfig hourly(int market, MarketFunding params) {
    return new FundingConfig(60, 3600, Map.of(market, params));
  }

  /**
   * A market's parameters.
   *
   * @param market the market id
   * @return its parameters, or null if it has none
   */
  public MarketFunding market(int market) {
    return markets.get(market);
  }

  /**
   * One market's funding parameters. The margin fractions are those of the market's risk leaf (one
   * definition: the same {@link MarketRisk} the risk engine uses). Immutable; any thread.
   *
   * @param risk the market's risk parameters: IMF for the impact notional and both fractions for
   *     the clamps
   * @param impactCollateral collateral quanta; impact notional = floor(impactCollateral · 10^6 /
   *     IMF) (dYdX v4: 500 USDC)
   * @param interestPpm interest added to the average premium, ppm per 8 hours (dYdX: 100 = 0.01%)
   * @param sampleClampFactorPpm each sample's premium is clamped to ±floor(factor · (IMF − MMF) /
   *     10^6) (dYdX v4 premium-vote clamp: 60,000,000 = 6,000%)
   * @param rateClampFactorPpm the rate is clamped to ±floor(factor · (IMF − MMF) / 10^6) (dYdX v4:
   *     6,000,000 = 600%)
   * @param maxRatePpm the maximum funding rate the tick bound allows, ppm per 8 hours; at least the
   *     rate clamp, so every derived tick passes {@link FundingTickCalculator#checkTick}
   */
  public record MarketFunding(
      MarketRisk risk,
      long impactCollateral,
      long interestPpm,
      long sampleClampFactorPpm,
      long rateClampFactorPpm,
      long maxRatePpm) {
    /**
     * Validates.
     *
     * @throws IllegalArgumentException if a parameter is out of range or the rate clamp exceeds the
     *     maximum rate
     */
    public MarketFunding {
      long imf = risk.initialMarginPpm();
      long mmf = risk.maintenanceMarginPpm();
      if (imf <= 0 || imf > RiskMath.PPM || mmf < 0 || mmf > imf) {
        throw new IllegalArgumentException("need 0 < IMF ≤ 10^6 and 0 ≤ MMF ≤ IMF: " + risk);
      }
      if (impactCollateral <= 0) {
        throw new IllegalArgumentException("impactCollateral must be > 0: " + impactCollateral);
      }
      if (maxRatePpm < 0 || maxRatePpm > FundingTickCalculator.MAX_RATE_PPM) {
        throw new IllegalArgumentException("maxRatePpm must be 0 to 10^9: " + maxRatePpm);
      }
      if (interestPpm < -FundingTickCalculator.MAX_RATE_PPM
          || interestPpm > FundingTickCalculator.MAX_RATE_PPM) {
        throw new IllegalArgumentException("|interestPpm| must be ≤ 10^9: " + interestPpm);
      }
      if (sampleClampFactorPpm < 0 || rateClampFactorPpm < 0) {
        throw new IllegalArgumentException("clamp factors must be ≥ 0");
      }
      try {
        ImpactPrices.impactNotional(impactCollateral, imf);
        FundingTickCalculator.rateClampPpm(sampleClampFactorPpm, imf, mmf);
        long rateClamp = FundingTickCalculator.rateClampPpm(rateClampFactorPpm, imf, mmf);
        if (rateClamp > maxRatePpm) {
          throw new IllegalArgumentException(
              "the rate clamp "
                  + rateClamp
                  + " ppm exceeds maxRatePpm "
                  + maxRatePpm
                  + ": derived ticks could fail the rate bound");
        }
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("funding parameters out of range: " + e.getMessage(), e);
      }
    }

    /**
     * The impact notional: floor(impactCollateral · 10^6 / IMF).
     *
     * @return collateral quanta
     */
    public long impactNotional() {
      return ImpactPrices.impactNotional(impactCollateral, risk.initialMarginPpm());
    }

    /**
     * The per-sample premium clamp: floor(sampleClampFactor · (IMF − MMF) / 10^6).
     *
     * @return ppm
     */
    public long sampleClampPpm() {
      return FundingTickCalculator.rateClampPpm(
          sampleClampFactorPpm, risk.initialMarginPpm(), risk.maintenanceMarginPpm());
    }

    /**
     * The rate clamp: floor(rateClampFactor · (IMF − MMF) / 10^6).
     *
     * @return ppm per 8 hours
     */
    public long rateClampPpm() {
      return FundingTickCalculator.rateClampPpm(
          rateClampFactorPpm, risk.initialMarginPpm(), risk.maintenanceMarginPpm());
    }
  }
}
