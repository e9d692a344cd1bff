package io.zkperp.sequencer.core;

import java.util.Arrays;

/**
 * Keys that collide in {@link LongObjectHashMap} and {@link LongLongHashMap}: both hash a key to
 * the top bits of {@code key * 0x9E3779B97F4A7C15L}, so keys that agree in the top six bits of that
 * product share a home bucket at capacities 32 and 64 and stay close at larger ones. (If the maps
 * change their hash, these keys merely stop colliding; the properties stay valid.)
 */
final class HashKeys {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private HashKeys() {}

  /**
   * The first {@code count} non-negative keys from {@code from} upwards whose hash has the top six
   * bits {@code topBits}.
   */
  static long[] withTopHashBits(long from, int topBits, int count) {
    long[] out = new long[count];
    int n = 0;
    for (long k = from; n < count; k++) {
      if (k < 0) {
        throw new IllegalStateException("ran past Long.MAX_VALUE");
      }
      if (topHashBits(k) == topBits) {
        out[n++] = k;
      }
    }
    return out;
  }

  /** The top six bits of {@code key}'s hash. */
  static int topHashBits(long key) {
    return (int) ((key * GOLDEN) >>> 58);
  }

  static Long[] boxed(long[] keys) {
    return Arrays.stream(keys).boxed().toArray(Long[]::new);
  }
}
