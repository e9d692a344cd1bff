package io.zkperp.state.kv;

import java.util.Arrays;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * A consistent point-in-time view of every column of a {@link KvStore} (a RocksDB snapshot): later
 * commits are invisible to it.
 *
 * <p>Confined to one thread at a time (it keeps iterators); take one snapshot per reader thread.
 * Close it to release the snapshot before closing the store.
 */
public final class KvSnapshot implements AutoCloseable {
  private final KvStore store;
  private final RocksDB db;
  private final Snapshot snapshot;
  private final ReadOptions read;
  private final ReadOptions prefixRead;
  private final RocksIterator[] prefixIterators = new RocksIterator[256];
  private boolean closed;

  KvSnapshot(KvStore store, RocksDB db) {
    this.store = store;
    this.db = db;
    this.snapshot = db.getSnapshot();
    this.read = new ReadOptions().setSnapshot(snapshot);
    this.prefixRead = new ReadOptions().setSnapshot(snapshot).setPrefixSameAsStart(true);
  }

  /**
   * Reads and decodes a value as of the snapshot.
   *
   * @param <K> key type
   * @param <V> value type
   * @param column the column
   * @param key the key
   * @return the value, or empty if absent
   */
  public <K, V> Optional<V> get(KvColumn<K, V> column, K key) {
    byte[] k = column.keys().serialize(key);
    byte[] v = getRaw(column, k);
    return v == null ? Optional.empty() : Optional.of(KvStore.decode(column, k, v));
  }

  /**
   * Reads bytes as of the snapshot.
   *
   * @param column the column
   * @param key the serialized key
   * @return a new array, or null if absent
   */
  public byte[] getRaw(KvColumn<?, ?> column, byte[] key) {
    ColumnFamilyHandle h = store.handle(column);
    if (h == null) {
      return null;
    }
    try {
      return db.get(h, read, key);
    } catch (RocksDBException e) {
      throw KvStore.failure("read " + column.name(), e);
    }
  }

  /**
   * Reads bytes as of the snapshot into a caller buffer.
   *
   * @param column the column
   * @param key the serialized key
   * @param value destination; a longer value is truncated
   * @return the full value length, or -1 if absent
   */
  public int getRaw(KvColumn<?, ?> column, byte[] key, byte[] value) {
    ColumnFamilyHandle h = store.handle(column);
    if (h == null) {
      return -1;
    }
    try {
      int n = db.get(h, read, key, 0, key.length, value, 0, value.length);
      return n == RocksDB.NOT_FOUND ? -1 : n;
    } catch (RocksDBException e) {
      throw KvStore.failure("read " + column.name(), e);
    }
  }

  /**
   * The first entry whose key is at least {@code key} and shares its first {@code
   * column.prefixLength()} bytes, as of the snapshot. Uses the column's prefix bloom filters.
   *
   * @param column a column with a prefix extractor
   * @param key the seek key, at least prefix-length long
   * @return the entry, or null if none in that prefix
   */
  public KvEntry ceilingInPrefix(KvColumn<?, ?> column, byte[] key) {
    int p = column.prefixLength();
    if (p <= 0 || key.length < p) {
      throw new IllegalArgumentException(column + " has no prefix extractor covering the key");
    }
    ColumnFamilyHandle h = store.handle(column);
    if (h == null) {
      return null;
    }
    RocksIterator it = prefixIterators[column.id()];
    if (it == null) {
      it = db.newIterator(h, prefixRead);
      prefixIterators[column.id()] = it;
    }
    it.seek(key);
    if (!it.isValid()) {
      return null;
    }
    byte[] k = it.key();
    if (k.length < p || !Arrays.equals(k, 0, p, key, 0, p)) {
      return null;
    }
    return new KvEntry(k, it.value());
  }

  /**
   * Visits entries with {@code from <= key < to} as of the snapshot.
   *
   * @param column the column
   * @param from first key (inclusive)
   * @param to end key (exclusive), or null for the end
   * @param visitor called per entry; return false to stop
   */
  public void scan(KvColumn<?, ?> column, byte[] from, byte[] to, KvStore.EntryVisitor visitor) {
    ColumnFamilyHandle h = store.handle(column);
    if (h == null) {
      return;
    }
    try (RocksIterator it = db.newIterator(h, read)) {
      KvStore.scan(it, from, to, visitor);
    }
  }

  /** Releases the snapshot and its iterators. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (RocksIterator it : prefixIterators) {
      if (it != null) {
        it.close();
      }
    }
    read.close();
    prefixRead.close();
    if (!store.isClosed()) {
      db.releaseSnapshot(snapshot);
    }
  }

  /**
   * One key and value.
   *
   * @param key the key bytes
   * @param value the value bytes
   */
  public record KvEntry(byte[] key, byte[] value) {}
}
