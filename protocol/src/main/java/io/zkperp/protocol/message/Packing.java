package io.zkperp.protocol.message;

import io.zkperp.protocol.field.Fr;

/**
 * Packs unsigned values big-endian into one field element: the first value written ends up in the
 * highest bits. At most 248 bits per element, so every packed element is below the field modulus.
 * Not thread-safe (one per packing).
 */
final class Packing {
  private final byte[] bytes = new byte[Fr.BYTES];
  private int bits;

  /** Appends the low {@code width} bits of {@code value} (width a multiple of 8, ≤ 64). */
  Packing put(long value, int width) {
    bits += width;
    if (bits > 248) {
      throw new IllegalStateException("more than 248 bits packed into one element");
    }
    int n = width / 8;
    // shift what is packed so far up by n bytes, then write the value into the lowest n bytes
    System.arraycopy(bytes, n, bytes, 0, Fr.BYTES - n);
    for (int i = 0; i < n; i++) {
      bytes[Fr.BYTES - 1 - i] = (byte) (value >>> (8 * i));
    }
    return this;
  }

  /** The packed element. */
  Fr element() {
    return Fr.fromBytes(bytes);
  }
}
