package io.zkperp.protocol.state.v2;

import java.math.BigInteger;

/**
 * One entry of an account's position list. An entry of size 0 is empty: its market and snapshot are
 * not stored (the constructor sets both to 0), it packs to 0 ({@link #pack()}).
 *
 * <p>Packing: {@code market + (size + 2^55)·2^6 + (fundingSnapshot + 2^63)·2^62}, 126 bits.
 *
 * <p>Immutable; any thread.
 *
 * @param market market id, 0 … 63
 * @param size signed size in synthetic quanta, |size| ≤ 2^55 − 1; 0 = empty
 * @param fundingSnapshot the market's funding index when funding was last settled on the position
 */
public record PositionEntry(int market, long size, long fundingSnapshot) {
  /** The largest |size| an entry holds: 2^55 − 1. */
  public static final long MAX_ABS_SIZE = (1L << 55) - 1;

  /** The largest market id an entry holds. */
  public static final int MAX_MARKET = 63;

  /** Bits of one packed entry. */
  public static final int BITS = 126;

  /** The empty entry. */
  public static final PositionEntry EMPTY = new PositionEntry(0, 0, 0);

  private static final BigInteger SIZE_OFFSET = BigInteger.ONE.shiftLeft(55);
  private static final BigInteger SNAPSHOT_OFFSET = BigInteger.ONE.shiftLeft(63);
  private static final BigInteger SIZE_MASK = BigInteger.ONE.shiftLeft(56).subtract(BigInteger.ONE);

  /**
   * Validates a non-empty entry's ranges.
   *
   * @throws InvalidStateFieldException {@link StateFieldError#POSITION_OUT_OF_RANGE}
   */
  public PositionEntry {
    if (size == 0) {
      market = 0;
      fundingSnapshot = 0;
    } else {
      if (market < 0 || market > MAX_MARKET) {
        throw new InvalidStateFieldException(
            StateFieldError.POSITION_OUT_OF_RANGE, "market " + market + " is not in [0, 63]");
      }
      if (size > MAX_ABS_SIZE || size < -MAX_ABS_SIZE) {
        throw new InvalidStateFieldException(
            StateFieldError.POSITION_OUT_OF_RANGE, "|size| of " + size + " is not below 2^55");
      }
    }
  }

  /**
   * Whether the entry holds no position.
   *
   * @return size == 0
   */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * The 126-bit packed value: 0 when empty.
   *
   * @return the value
   */
  public BigInteger pack() {
    if (size == 0) {
      return BigInteger.ZERO;
    }
    return BigInteger.valueOf(fundingSnapshot)
        .add(SNAPSHOT_OFFSET)
        .shiftLeft(56)
        .add(BigInteger.valueOf(size).add(SIZE_OFFSET))
        .shiftLeft(6)
        .add(BigInteger.valueOf(market));
  }

  /**
   * Inverts {@link #pack()}: accepts exactly the values it produces.
   *
   * @param value a non-negative integer
   * @return the entry
   * @throws InvalidStateFieldException {@link StateFieldError#NON_CANONICAL_ENTRY} for a value of
   *     2^126 or more, or a non-zero value whose size field is 0 or 2^55
   */
  public static PositionEntry unpack(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > BITS) {
      throw new InvalidStateFieldException(
          StateFieldError.NON_CANONICAL_ENTRY, "entry value has more than 126 bits: " + value);
    }
    if (value.signum() == 0) {
      return EMPTY;
    }
    int market = value.intValue() & MAX_MARKET;
    long size = value.shiftRight(6).and(SIZE_MASK).subtract(SIZE_OFFSET).longValueExact();
    long snapshot = value.shiftRight(62).subtract(SNAPSHOT_OFFSET).longValueExact();
    if (size == 0 || size < -MAX_ABS_SIZE) {
      throw new InvalidStateFieldException(
          StateFieldError.NON_CANONICAL_ENTRY, "size field of " + value + " is not a stored size");
    }
    return new PositionEntry(market, size, snapshot);
  }
}
