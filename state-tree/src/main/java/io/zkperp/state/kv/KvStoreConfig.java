package io.zkperp.state.kv;

/**
 * RocksDB resources of a {@link KvStore}.
 *
 * <p>Immutable; any thread.
 *
 * @param blockCacheBytes size of the LRU block cache shared by all columns
 * @param writeBufferBytes total memtable budget across columns (RocksDB {@code
 *     db_write_buffer_size})
 * @param backgroundJobs flush and compaction threads
 */
public record KvStoreConfig(long blockCacheBytes, long writeBufferBytes, int backgroundJobs) {
  /** 256 MiB block cache, 256 MiB of memtables, 2 background jobs. */
  public static final KvStoreConfig DEFAULT = new KvStoreConfig(256L << 20, 256L << 20, 2);

  /**
   * Validates the sizes.
   *
   * @throws IllegalArgumentException on a non-positive size
   */
  public KvStoreConfig {
    if (blockCacheBytes < (1 << 20)) {
      throw new IllegalArgumentException(
          "block cache must be at least 1 MiB, got " + blockCacheBytes);
    }
    if (writeBufferBytes < (1 << 20)) {
      throw new IllegalArgumentException(
          "write buffer budget must be at least 1 MiB, got " + writeBufferBytes);
    }
    if (backgroundJobs < 1) {
      throw new IllegalArgumentException("background jobs must be >= 1, got " + backgroundJobs);
    }
  }
}
