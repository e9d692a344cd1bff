package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.Objects;

/**
 * A market leaf v2 (markets tree, index = market id).
 *
 * <p>Immutable; any thread.
 *
 * @param oraclePrice u64 collateral quanta per synthetic quantum, 32 fractional bits
 * @param oracleTimestamp u64 Unix seconds of the price
 * @param fundingIndex i64 cumulative funding per synthetic quantum, 32 fractional bits
 * @param fundingTimestamp u64 Unix seconds of the last funding tick
 * @param openInterest u64 sum of the long sizes
 * @param risk the risk parameters and tick bounds
 */
public record MarketV2(
    long oraclePrice,
    long oracleTimestamp,
    long fundingIndex,
    long fundingTimestamp,
    long openInterest,
    MarketRiskV2 risk) {
  /** Validates that the risk parameters are present. */
  public MarketV2 {
    Objects.requireNonNull(risk, "risk");
  }

  /**
   * {@code H(TAG_MARKET_V2, oraclePrice, oracleTimestamp, fundingIndex, fundingTimestamp,
   * openInterest, riskHash)}.
   *
   * @return the leaf hash
   */
  public Fr leafHash() {
    return Poseidon2.hash(
        LayoutV2.TAG_MARKET,
        Fr.fromUnsignedLong(oraclePrice),
        Fr.fromUnsignedLong(oracleTimestamp),
        Fr.fromLong(fundingIndex),
        Fr.fromUnsignedLong(fundingTimestamp),
        Fr.fromUnsignedLong(openInterest),
        risk.hash());
  }
}
