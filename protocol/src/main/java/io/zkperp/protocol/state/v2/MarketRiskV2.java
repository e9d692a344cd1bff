package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;

/**
 * A market's risk parameters and the bounds of its oracle and funding ticks, all u64.
 *
 * <p>Immutable; any thread.
 *
 * @param initialMarginPpm initial margin fraction, ppm
 * @param maintenanceMarginPpm maintenance margin fraction, ppm
 * @param baselinePositionSize size up to which the initial fraction applies
 * @param incrementalPositionSize size step above the baseline
 * @param incrementalInitialMarginPpm fraction added per step, ppm
 * @param maxPositionSize largest |size| of a position (below 2^55 in layout v2)
 * @param openInterestCap largest open interest
 * @param oracleMaxAgeSeconds how old an oracle report may be
 * @param oracleMaxFutureSeconds how far ahead of the clock a report may be
 * @param oracleMaxMovePpm largest price move of one tick, ppm
 * @param fundingMinIntervalSeconds shortest interval between funding ticks
 * @param fundingMaxRatePpm largest funding rate per tick, ppm
 */
public record MarketRiskV2(
    long initialMarginPpm,
    long maintenanceMarginPpm,
    long baselinePositionSize,
    long incrementalPositionSize,
    long incrementalInitialMarginPpm,
    long maxPositionSize,
    long openInterestCap,
    long oracleMaxAgeSeconds,
    long oracleMaxFutureSeconds,
    long oracleMaxMovePpm,
    long fundingMinIntervalSeconds,
    long fundingMaxRatePpm) {

  /**
   * {@code riskHash = H(TAG_MARKET_RISK_V2, the twelve fields in declaration order)}.
   *
   * @return the risk hash
   */
  public Fr hash() {
    return Poseidon2.hash(
        LayoutV2.TAG_MARKET_RISK,
        Fr.fromUnsignedLong(initialMarginPpm),
        Fr.fromUnsignedLong(maintenanceMarginPpm),
        Fr.fromUnsignedLong(baselinePositionSize),
        Fr.fromUnsignedLong(incrementalPositionSize),
        Fr.fromUnsignedLong(incrementalInitialMarginPpm),
        Fr.fromUnsignedLong(maxPositionSize),
        Fr.fromUnsignedLong(openInterestCap),
        Fr.fromUnsignedLong(oracleMaxAgeSeconds),
        Fr.fromUnsignedLong(oracleMaxFutureSeconds),
        Fr.fromUnsignedLong(oracleMaxMovePpm),
        Fr.fromUnsignedLong(fundingMinIntervalSeconds),
        Fr.fromUnsignedLong(fundingMaxRatePpm));
  }
}
