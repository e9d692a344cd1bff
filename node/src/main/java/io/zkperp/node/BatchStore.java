package io.zkperp.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The settlement's durable record of batches, in RocksDB: batch number (8 bytes big-endian) →
 * {@link BatchRecord}. Every write is synced (WAL fsync) before it returns, so a batch that was
 * sealed, proven or committed is still so after a crash. Thread-safe (RocksDB is); each batch is
 * written by the stage that owns its current state.
 */
public final class BatchStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final java.util.List<java.util.function.Consumer<BatchRecord>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final RocksDB db;
  private final Options options;
  private final WriteOptions sync;

  private BatchStore(RocksDB db, Options options, WriteOptions sync) {
    this.db = db;
    this.options = options;
    this.sync = sync;
  }

  /**
   * Opens or creates the store.
   *
   * @param dir its directory
   * @return the store
   * @throws IOException if RocksDB cannot open it
   */
  public static BatchStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Options options = new Options().setCreateIfMissing(true);
    try {
      return new BatchStore(
          RocksDB.open(options, dir.toString()), options, new WriteOptions().setSync(true));
    } catch (RocksDBException e) {
      options.close();
      throw new IOException("cannot open the batch store " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes (or replaces) a batch durably.
   *
   * @param r the batch
   * @throws IOException if the write fails
   */
  public void put(BatchRecord r) throws IOException {
    try {
      db.put(sync, key(r.number()), r.encode());
    } catch (RocksDBException e) {
      throw new IOException("cannot store " + r + ": " + e.getMessage(), e);
    }
    for (java.util.function.Consumer<BatchRecord> l : listeners) {
      try {
        l.accept(r);
      } catch (RuntimeException e) { // the write stands; a listener (e.g. a closed feed) missed it
        org.slf4j.LoggerFactory.getLogger(BatchStore.class)
            .warn("batch {}: a listener failed: {}", r.number(), e.toString());
      }
    }
  }

  /**
   * Calls {@code listener} after every durable {@link #put}, on the writing thread (e.g. the
   * finality stream); a listener that throws is logged and does not fail the put. A batch's writes
   * come from the stage that moves it, in order. Controlling thread, before the stages start.
   *
   * @param listener must not block
   */
  public void onPut(java.util.function.Consumer<BatchRecord> listener) {
    listeners.add(listener);
  }

  /**
   * A batch.
   *
   * @param number the batch number
   * @return the batch, if stored
   * @throws IOException if it cannot be read or is damaged
   */
  public Optional<BatchRecord> get(long number) throws IOException {
    try {
      byte[] v = db.get(key(number));
      return v == null ? Optional.empty() : Optional.of(BatchRecord.decode(v));
    } catch (RocksDBException e) {
      throw new IOException("cannot read batch " + number + ": " + e.getMessage(), e);
    }
  }

  /**
   * The newest batch.
   *
   * @return the batch with the highest number, if any
   * @throws IOException if it cannot be read
   */
  public Optional<BatchRecord> last() throws IOException {
    try (RocksIterator it = db.newIterator()) {
      it.seekToLast();
      return it.isValid() ? Optional.of(BatchRecord.decode(it.value())) : Optional.empty();
    }
  }

  /**
   * Batches in ascending order.
   *
   * @param from the first batch number wanted
   * @param limit the most to return
   * @return the batches
   * @throws IOException if one cannot be read
   */
  public List<BatchRecord> range(long from, int limit) throws IOException {
    List<BatchRecord> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(key(Math.max(from, 0))); it.isValid() && out.size() < limit; it.next()) {
        out.add(BatchRecord.decode(it.value()));
      }
    }
    return out;
  }

  private static byte[] key(long number) {
    return ByteBuffer.allocate(8).putLong(number).array();
  }

  /** Closes the database. */
  @Override
  public void close() {
    db.close();
    sync.close();
    options.close();
  }
}
