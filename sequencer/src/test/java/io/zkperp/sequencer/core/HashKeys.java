package io.zkperp.sequencer.core;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Keys that collide in {@link LongObjectHashMap} and {@link LongLongHashMap}: both hash a key to
 * the top bits of {@code key * 0x9E3779B97F4A7C15L}, so keys that agree in the top six bits of that
 * product share a home bucket at capacities 32 and 64 and stay close at larger ones. (If the maps
 * change their hash, these keys merely stop colliding; the properties stay valid.)
 */
final class HashKeys {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** Keys sharing the first home bucket. */
  static final long[] SAME_HOME = withTopHashBits(0, 0, 24);

  /** Keys near Long.MAX_VALUE sharing the last home bucket (their probes wrap around). */
  static final long[] LAST_HOME = withTopHashBits(Long.MAX_VALUE - (1L << 20), 0x3F, 24);

  private HashKeys() {}

  /**
   * Keys for the maps' properties: small dense keys, colliding keys at the first and the last home
   * bucket, the extremes, and keys spread uniformly up to 5,000 (growth past 1,024 slots).
   */
  static Arbitrary<Long> mapKeys() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.longs().between(0, 63)),
        Tuple.of(3, Arbitraries.of(boxed(SAME_HOME))),
        Tuple.of(3, Arbitraries.of(boxed(LAST_HOME))),
        Tuple.of(1, Arbitraries.of(0L, 1L, Long.MAX_VALUE - 1, Long.MAX_VALUE)),
        Tuple.of(
            4,
            Arbitraries.longs().between(0, 5_000).withDistribution(RandomDistribution.uniform())));
  }

  /** {@link #mapKeys()} with {@code extra} keys in {@code weight} of every 15 + weight draws. */
  static Arbitrary<Long> mapKeys(Arbitrary<Long> extra, int weight) {
    return Arbitraries.frequencyOf(Tuple.of(15, mapKeys()), Tuple.of(weight, extra));
  }

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
