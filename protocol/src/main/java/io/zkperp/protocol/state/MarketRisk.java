package io.zkperp.protocol.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;

/**
 * A market's risk parameters, committed in its market leaf through {@link #hash()}. All values are
 * u64; margin fractions are in parts per million.
 *
 * @param initialMarginPpm initial margin fraction at or below the baseline size
 * @param maintenanceMarginPpm maintenance margin fraction
 * @param baselinePositionSize position size up to which the initial fraction applies
 * @param incrementalPositionSize size step above the baseline
 * @param incrementalInitialMarginPpm added initial fraction per step
 * @param maxPositionSize largest allowed position size
 * @param openInterestCap largest allowed open interest
 */
public record MarketRisk(
    long initialMarginPpm,
    long maintenanceMarginPpm,
    long baselinePositionSize,
    long incrementalPositionSize,
    long incrementalInitialMarginPpm,
    long maxPositionSize,
    long openInterestCap) {
  /** Length of the binary form inside {@link Market#toBytes()}. */
  public static final int ENCODED_BYTES = 7 * 8;

  /**
   * {@code H(TAG_MARKET_RISK, fields in declaration order)}.
   *
   * @return the risk hash
   */
  public Fr hash() {
    return Poseidon2.hash(
        StateLayout.TAG_MARKET_RISK,
        Fr.fromUnsignedLong(initialMarginPpm),
        Fr.fromUnsignedLong(maintenanceMarginPpm),
        Fr.fromUnsignedLong(baselinePositionSize),
        Fr.fromUnsignedLong(incrementalPositionSize),
        Fr.fromUnsignedLong(incrementalInitialMarginPpm),
        Fr.fromUnsignedLong(maxPositionSize),
        Fr.fromUnsignedLong(openInterestCap));
  }

  void write(byte[] b, int off) {
    long[] v = {
      initialMarginPpm,
      maintenanceMarginPpm,
      baselinePositionSize,
      incrementalPositionSize,
      incrementalInitialMarginPpm,
      maxPositionSize,
      openInterestCap
    };
    for (int i = 0; i < v.length; i++) {
      Bytes8.put(b, off + 8 * i, v[i]);
    }
  }

  static MarketRisk read(byte[] b, int off) {
    return new MarketRisk(
        Bytes8.get(b, off),
        Bytes8.get(b, off + 8),
        Bytes8.get(b, off + 16),
        Bytes8.get(b, off + 24),
        Bytes8.get(b, off + 32),
        Bytes8.get(b, off + 40),
        Bytes8.get(b, off + 48));
  }
}
