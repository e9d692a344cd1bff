package io.zkperp.protocol.eddsa;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded, frequency-admitted cache of per-signer precomputed tables ({@link PublicKeyTable} for
 * the Java verifier, a native table for a native one), so that the keys that sign most (market
 * makers, busy traders) verify with precomputed tables while memory stays bounded (about 230 KB per
 * Java table, 92 KB per native one) and a table is never built for a key that will not repay it.
 *
 * <p>Building a table costs about four ordinary verifications, so a plain LRU cache would thrash
 * when more keys are active than it holds (each miss would build a table that is evicted before it
 * is used again). Instead every lookup counts the key; a key gets a table only after {@link
 * #ADMIT_AFTER} uses, and when the cache is full only if it has been used more than the least used
 * key holding one, which it then replaces (TinyLFU's admission rule). Counts are halved every
 * {@code 16 × capacity} lookups, so that frequencies follow the current flow. With many equally
 * active keys the cache therefore settles on a fixed set of them instead of rebuilding tables, and
 * the rest verify without one ({@link #table} answers null).
 *
 * <p>Thread-safe: lookups take a lock; a table is built (about a millisecond) while holding it,
 * which happens only on admission.
 *
 * @param <T> the table type
 */
public final class PublicKeyTableCache<T> {
  /** Uses of a key before it may get a table. */
  public static final int ADMIT_AFTER = 4;

  private final int capacity;
  private final Function<EdDsaPublicKey, T> build;
  private final Map<EdDsaPublicKey, T> tables = new HashMap<>();
  private final Map<EdDsaPublicKey, int[]> counts = new HashMap<>();
  private long lookups;
  private long builds;

  /**
   * A cache.
   *
   * @param capacity the most tables kept (≥ 1)
   * @param build builds a key's table (called under the cache's lock, only on admission)
   */
  public PublicKeyTableCache(int capacity, Function<EdDsaPublicKey, T> build) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.build = java.util.Objects.requireNonNull(build);
  }

  /**
   * A cache of Java {@link PublicKeyTable}s.
   *
   * @param capacity the most tables kept (≥ 1)
   * @return the cache
   */
  public static PublicKeyTableCache<PublicKeyTable> ofJavaTables(int capacity) {
    return new PublicKeyTableCache<>(capacity, PublicKeyTable::of);
  }

  /**
   * Counts a use of the key and returns its table if it has (or now earns) one.
   *
   * @param key the public key about to verify a signature
   * @return its table, or null: verify without one
   */
  public synchronized T table(EdDsaPublicKey key) {
    if (++lookups % (16L * capacity) == 0) {
      age();
    }
    int[] count = counts.computeIfAbsent(key, k -> new int[1]);
    count[0]++;
    T t = tables.get(key);
    if (t != null || count[0] < ADMIT_AFTER) {
      return t;
    }
    if (tables.size() >= capacity) {
      EdDsaPublicKey victim = null;
      int least = Integer.MAX_VALUE;
      for (EdDsaPublicKey k : tables.keySet()) {
        int c = counts.get(k)[0];
        if (c < least) {
          least = c;
          victim = k;
        }
      }
      if (count[0] <= least) {
        return null; // not used more than the least used table holder: keep that one
      }
      tables.remove(victim);
    }
    t = build.apply(key);
    tables.put(key, t);
    builds++;
    return t;
  }

  private void age() {
    for (Iterator<Map.Entry<EdDsaPublicKey, int[]>> it = counts.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<EdDsaPublicKey, int[]> e = it.next();
      e.getValue()[0] >>= 1;
      if (e.getValue()[0] == 0 && !tables.containsKey(e.getKey())) {
        it.remove();
      }
    }
  }

  /**
   * The number of tables held.
   *
   * @return the size, at most the capacity
   */
  public synchronized int size() {
    return tables.size();
  }

  /**
   * The number of tables built so far.
   *
   * @return the count
   */
  public synchronized long builds() {
    return builds;
  }
}
