package io.zkperp.protocol.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.Objects;

/**
 * A market leaf: oracle price, funding index, open interest and risk parameters.
 *
 * @param oraclePrice u64 collateral quanta per synthetic quantum, 32 fractional bits
 * @param oracleTimestamp u64 seconds since the epoch of the price in use
 * @param fundingIndex i64 cumulative funding per synthetic quantum, 32 fractional bits
 * @param fundingTimestamp u64 seconds since the epoch of the last funding tick
 * @param openInterest u64 sum of long sizes
 * @param risk the risk parameters
 */
public record Market(
    long oraclePrice,
    long oracleTimestamp,
    long fundingIndex,
    long fundingTimestamp,
    long openInterest,
    MarketRisk risk) {
  /** Length of {@link #toBytes()}. */
  public static final int ENCODED_BYTES = 5 * 8 + MarketRisk.ENCODED_BYTES;

  /** Validates that risk is present. */
  public Market {
    Objects.requireNonNull(risk, "risk");
  }

  /**
   * {@code H(TAG_MARKET, oraclePrice, oracleTimestamp, fundingIndex, fundingTimestamp,
   * openInterest, risk.hash())}.
   *
   * @return the leaf hash
   */
  public Fr leafHash() {
    return Poseidon2.hash(
        StateLayout.TAG_MARKET,
        Fr.fromUnsignedLong(oraclePrice),
        Fr.fromUnsignedLong(oracleTimestamp),
        Fr.fromLong(fundingIndex),
        Fr.fromUnsignedLong(fundingTimestamp),
        Fr.fromUnsignedLong(openInterest),
        risk.hash());
  }

  /**
   * The five market fields then the seven risk fields, 8 bytes each, big-endian.
   *
   * @return 96 bytes
   */
  public byte[] toBytes() {
    byte[] b = new byte[ENCODED_BYTES];
    Bytes8.put(b, 0, oraclePrice);
    Bytes8.put(b, 8, oracleTimestamp);
    Bytes8.put(b, 16, fundingIndex);
    Bytes8.put(b, 24, fundingTimestamp);
    Bytes8.put(b, 32, openInterest);
    risk.write(b, 40);
    return b;
  }

  /**
   * Parses {@link #toBytes()}.
   *
   * @param b 96 bytes
   * @return the market
   */
  public static Market fromBytes(byte[] b) {
    Bytes8.requireLength(b, ENCODED_BYTES, "market");
    return new Market(
        Bytes8.get(b, 0),
        Bytes8.get(b, 8),
        Bytes8.get(b, 16),
        Bytes8.get(b, 24),
        Bytes8.get(b, 32),
        MarketRisk.read(b, 40));
  }
}
