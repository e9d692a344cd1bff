package io.zkperp.protocol.eddsa;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used cache of {@link PublicKeyTable}s, so that the keys that sign most
 * (market makers, busy traders) verify with precomputed tables while memory stays bounded (about
 * 200 KB per entry). Thread-safe: lookups take a short lock; a missing table is built outside it,
 * so two threads may build the same table once each.
 */
public final class PublicKeyTableCache {
  private final int capacity;
  private final LinkedHashMap<EdDsaPublicKey, PublicKeyTable> entries;
  private long builds;

  /**
   * A cache.
   *
   * @param capacity the most tables kept (≥ 1)
   */
  public PublicKeyTableCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<EdDsaPublicKey, PublicKeyTable> eldest) {
            return size() > PublicKeyTableCache.this.capacity;
          }
        };
  }

  /**
   * The table of a key, built on first use.
   *
   * @param key the public key
   * @return its table
   */
  public PublicKeyTable table(EdDsaPublicKey key) {
    synchronized (entries) {
      PublicKeyTable t = entries.get(key);
      if (t != null) {
        return t;
      }
    }
    PublicKeyTable built = PublicKeyTable.of(key);
    synchronized (entries) {
      builds++;
      PublicKeyTable raced = entries.putIfAbsent(key, built);
      return raced != null ? raced : built;
    }
  }

  /**
   * The number of tables held.
   *
   * @return the size, at most the capacity
   */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /**
   * The number of tables built so far (misses).
   *
   * @return the count
   */
  public long builds() {
    synchronized (entries) {
      return builds;
    }
  }
}
