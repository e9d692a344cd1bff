package io.zkperp.state;

/**
 * Options of a {@link RollupStateStore}.
 *
 * <p>Immutable; any thread.
 *
 * @param keptVersions K: how many of the latest committed versions stay readable and can be rolled
 *     back to (at least 1; 1 keeps only the latest)
 * @param blockCacheBytes RocksDB block cache size
 * @param writeBufferBytes RocksDB memtable budget across columns
 * @param upperCacheHeight the accounts tree's levels at this height and above are mirrored in
 *     memory ({@code 2^(25-h) * 32} bytes at most, allocated in 32 KiB pages as the tree fills; 64
 *     MiB for 4); 25 disables the mirror, 0 would mirror the leaves too
 * @param hashThreads threads that hash in batched mode (1 = the writer thread only); witness mode
 *     always hashes on the writer thread
 */
public record StateStoreOptions(
    int keptVersions,
    long blockCacheBytes,
    long writeBufferBytes,
    int upperCacheHeight,
    int hashThreads) {
  /**
   * K = 64, 256 MiB block cache, 256 MiB memtables, mirror of the accounts tree's heights 2..24 (at
   * most 256 MiB, allocated as the tree fills: about 0.5 GiB of heap for a million accounts
   * scattered over the tree), 1 hashing thread. Mirroring from height 2 rather than 4 keeps the
   * random sibling reads of heights 2 and 3 off RocksDB; on 1,000-update batches in a 1M-account
   * tree it took batched mode from 60% to 75% of the time spent hashing (see docs/benchmarks.md).
   */
  public static final StateStoreOptions DEFAULT =
      new StateStoreOptions(64, 256L << 20, 256L << 20, 2, 1);

  /**
   * Validates the values.
   *
   * @throws StateStoreException INVALID_OPTION on an out-of-range value
   */
  public StateStoreOptions {
    if (keptVersions < 1) {
      throw invalid("keptVersions must be >= 1, got " + keptVersions);
    }
    if (blockCacheBytes < (1L << 20)) {
      throw invalid("blockCacheBytes must be >= 1 MiB, got " + blockCacheBytes);
    }
    if (writeBufferBytes < (1L << 20)) {
      throw invalid("writeBufferBytes must be >= 1 MiB, got " + writeBufferBytes);
    }
    if (upperCacheHeight < 0 || upperCacheHeight > TreeKind.ACCOUNTS.depth() + 1) {
      throw invalid("upperCacheHeight must be in [0, 25], got " + upperCacheHeight);
    }
    if (hashThreads < 1 || hashThreads > 256) {
      throw invalid("hashThreads must be in [1, 256], got " + hashThreads);
    }
  }

  private static StateStoreException invalid(String message) {
    return new StateStoreException(StateError.INVALID_OPTION, message);
  }

  /**
   * With another K.
   *
   * @param k versions to keep, at least 1
   * @return new options
   */
  public StateStoreOptions withKeptVersions(int k) {
    return new StateStoreOptions(
        k, blockCacheBytes, writeBufferBytes, upperCacheHeight, hashThreads);
  }

  /**
   * With another block cache size.
   *
   * @param bytes cache size
   * @return new options
   */
  public StateStoreOptions withBlockCacheBytes(long bytes) {
    return new StateStoreOptions(
        keptVersions, bytes, writeBufferBytes, upperCacheHeight, hashThreads);
  }

  /**
   * With another memtable budget.
   *
   * @param bytes memtable budget
   * @return new options
   */
  public StateStoreOptions withWriteBufferBytes(long bytes) {
    return new StateStoreOptions(
        keptVersions, blockCacheBytes, bytes, upperCacheHeight, hashThreads);
  }

  /**
   * With another mirror height.
   *
   * @param height lowest mirrored height of the accounts tree (25 = none)
   * @return new options
   */
  public StateStoreOptions withUpperCacheHeight(int height) {
    return new StateStoreOptions(
        keptVersions, blockCacheBytes, writeBufferBytes, height, hashThreads);
  }

  /**
   * With another number of hashing threads.
   *
   * @param threads hashing threads for batched mode
   * @return new options
   */
  public StateStoreOptions withHashThreads(int threads) {
    return new StateStoreOptions(
        keptVersions, blockCacheBytes, writeBufferBytes, upperCacheHeight, threads);
  }
}
