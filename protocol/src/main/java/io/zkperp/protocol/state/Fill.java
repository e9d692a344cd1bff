package io.zkperp.protocol.state;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;

/**
 * A fill leaf: which signed order (by nonce) owns a slot of an account's fills tree and how much of
 * it has been filled. The slot is {@code orderNonce mod 2^16} ({@link #slotOf}).
 *
 * @param orderNonce u64 nonce of the order, never 0
 * @param filledAmount u64 synthetic quanta filled so far
 */
public record Fill(long orderNonce, long filledAmount) {
  /** Length of {@link #toBytes()}. */
  public static final int ENCODED_BYTES = 16;

  /**
   * Rejects nonce 0, which would be indistinguishable from an empty slot.
   *
   * @throws InvalidEncodingException if orderNonce is 0
   */
  public Fill {
    if (orderNonce == 0) {
      throw new InvalidEncodingException(
          EncodingError.OUT_OF_RANGE, "order nonces start at 1; nonce 0 marks an empty fill slot");
    }
  }

  /**
   * The fills-tree slot of an order nonce.
   *
   * @param orderNonce u64 nonce
   * @return {@code orderNonce mod 2^16}
   */
  public static int slotOf(long orderNonce) {
    return (int) (orderNonce & ((1L << StateLayout.FILLS_DEPTH) - 1));
  }

  /**
   * This fill's slot.
   *
   * @return {@code slotOf(orderNonce)}
   */
  public int slot() {
    return slotOf(orderNonce);
  }

  /**
   * {@code H(TAG_FILL, orderNonce, filledAmount)}.
   *
   * @return the leaf hash
   */
  public Fr leafHash() {
    return Poseidon2.hash(
        StateLayout.TAG_FILL, Fr.fromUnsignedLong(orderNonce), Fr.fromUnsignedLong(filledAmount));
  }

  /**
   * orderNonce ‖ filledAmount, 8 bytes each, big-endian.
   *
   * @return 16 bytes
   */
  public byte[] toBytes() {
    byte[] b = new byte[ENCODED_BYTES];
    Bytes8.put(b, 0, orderNonce);
    Bytes8.put(b, 8, filledAmount);
    return b;
  }

  /**
   * Parses {@link #toBytes()}.
   *
   * @param b 16 bytes
   * @return the fill
   */
  public static Fill fromBytes(byte[] b) {
    Bytes8.requireLength(b, ENCODED_BYTES, "fill");
    return new Fill(Bytes8.get(b, 0), Bytes8.get(b, 8));
  }
}
