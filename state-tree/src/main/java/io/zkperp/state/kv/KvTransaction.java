package io.zkperp.state.kv;

import io.zkperp.state.StateError;
import io.zkperp.state.StateStoreException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Puts and deletes across the columns of one {@link KvStore}, accumulated in one RocksDB {@code
 * WriteBatch} and written atomically, with the WAL fsynced, by {@link #commit}. Until then nothing
 * is visible. Closing an uncommitted transaction discards it.
 *
 * <p>Confined to one thread. Raw puts copy the given arrays, so callers may reuse buffers.
 */
public final class KvTransaction implements AutoCloseable {
  private final KvStore store;
  private final WriteBatch batch = new WriteBatch();
  private boolean done;

  KvTransaction(KvStore store) {
    this.store = store;
  }

  /**
   * Adds a typed put.
   *
   * @param <K> key type
   * @param <V> value type
   * @param column the column
   * @param key the key
   * @param value the value
   */
  public <K, V> void put(KvColumn<K, V> column, K key, V value) {
    putRaw(column, column.keys().serialize(key), column.values().serialize(value));
  }

  /**
   * Adds a typed delete.
   *
   * @param <K> key type
   * @param column the column
   * @param key the key
   */
  public <K> void delete(KvColumn<K, ?> column, K key) {
    deleteRaw(column, column.keys().serialize(key));
  }

  /**
   * Adds a put of raw bytes (both arrays are copied).
   *
   * @param column the column
   * @param key the serialized key
   * @param value the serialized value
   */
  public void putRaw(KvColumn<?, ?> column, byte[] key, byte[] value) {
    checkOpen();
    try {
      batch.put(store.handle(column), key, value);
    } catch (RocksDBException e) {
      throw KvStore.failure("add a put to a write batch", e);
    }
  }

  /**
   * Adds a delete of a raw key (the array is copied).
   *
   * @param column the column
   * @param key the serialized key
   */
  public void deleteRaw(KvColumn<?, ?> column, byte[] key) {
    checkOpen();
    try {
      batch.delete(store.handle(column), key);
    } catch (RocksDBException e) {
      throw KvStore.failure("add a delete to a write batch", e);
    }
  }

  /**
   * Number of puts and deletes added so far.
   *
   * @return the count
   */
  public int size() {
    return batch.count();
  }

  /**
   * Writes everything atomically (one {@code WriteBatch}, {@code sync = true}) and closes the
   * transaction.
   *
   * @throws StateStoreException STORAGE_FAILURE if RocksDB fails; then nothing was written
   */
  public void commit() {
    checkOpen();
    try {
      store.write(batch);
    } finally {
      close();
    }
  }

  /** Discards the transaction if it was not committed and frees its memory. Idempotent. */
  @Override
  public void close() {
    if (!done) {
      done = true;
      batch.close();
    }
  }

  private void checkOpen() {
    if (done) {
      throw new StateStoreException(
          StateError.BATCH_CLOSED, "the transaction was already committed or closed");
    }
  }
}
