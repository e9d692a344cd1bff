package io.zkperp.protocol.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;

/**
 * A position leaf: an account's signed size in one market and the funding index at which funding
 * was last settled on it. A position of size 0 is "no position": its snapshot is normalised to 0
 * and its leaf is the empty leaf 0.
 *
 * @param size i64 signed size in synthetic quanta (&gt; 0 long, &lt; 0 short)
 * @param fundingIndexSnapshot i64 funding index at the last settlement
 */
public record Position(long size, long fundingIndexSnapshot) {
  /** No position. */
  public static final Position NONE = new Position(0, 0);

  /** Length of {@link #toBytes()}. */
  public static final int ENCODED_BYTES = 16;

  /** Normalises a zero-size position to {@link #NONE}. */
  public Position {
    if (size == 0) {
      fundingIndexSnapshot = 0;
    }
  }

  /**
   * Whether this is "no position".
   *
   * @return size == 0
   */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * {@code size == 0 ? 0 : H(TAG_POSITION, size, fundingIndexSnapshot)}.
   *
   * @return the leaf hash
   */
  public Fr leafHash() {
    if (size == 0) {
      return Fr.ZERO;
    }
    return Poseidon2.hash(
        StateLayout.TAG_POSITION, Fr.fromLong(size), Fr.fromLong(fundingIndexSnapshot));
  }

  /**
   * size ‖ fundingIndexSnapshot, 8 bytes each, big-endian.
   *
   * @return 16 bytes
   */
  public byte[] toBytes() {
    byte[] b = new byte[ENCODED_BYTES];
    Bytes8.put(b, 0, size);
    Bytes8.put(b, 8, fundingIndexSnapshot);
    return b;
  }

  /**
   * Parses {@link #toBytes()}.
   *
   * @param b 16 bytes
   * @return the position
   */
  public static Position fromBytes(byte[] b) {
    Bytes8.requireLength(b, ENCODED_BYTES, "position");
    return new Position(Bytes8.get(b, 0), Bytes8.get(b, 8));
  }
}
