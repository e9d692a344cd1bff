package io.zkperp.node.v3;

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
 * The v3 settlement's durable record of its batches, in RocksDB: batch number (8 bytes big-endian)
 * → {@link V3BatchRecord} (header, origins, resume point; the witness, commitment and status are in
 * the node's {@code BatchStore}). Every write is synced (WAL fsync) before it returns. Thread-safe
 * (RocksDB is); written by the settlement's thread.
 */
public final class V3BatchStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final RocksDB db;
  private final Options options;
  private final WriteOptions sync;

  private V3BatchStore(RocksDB db, Options options, WriteOptions sync) {
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
  public static V3BatchStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Options options = new Options().setCreateIfMissing(true);
    try {
      return new V3BatchStore(
          RocksDB.open(options, dir.toString()), options, new WriteOptions().setSync(true));
    } catch (RocksDBException e) {
      options.close();
      throw new IOException("cannot open the v3 batch store " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes (or replaces) a batch durably.
   *
   * @param r the batch
   * @throws IOException if the write fails
   */
  public void put(V3BatchRecord r) throws IOException {
    try {
      db.put(sync, key(r.number()), r.encode());
    } catch (RocksDBException e) {
      throw new IOException("cannot store " + r + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes a batch durably (the settlement's record of a batch whose {@code BatchRecord} a crash
   * kept from being stored; it is sealed again from the replay).
   *
   * @param number the batch number
   * @throws IOException if the write fails
   */
  public void delete(long number) throws IOException {
    try {
      db.delete(sync, key(number));
    } catch (RocksDBException e) {
      throw new IOException("cannot delete v3 batch " + number + ": " + e.getMessage(), e);
    }
  }

  /**
   * A batch.
   *
   * @param number the batch number
   * @return the batch, if stored
   * @throws IOException if it cannot be read or is damaged
   */
  public Optional<V3BatchRecord> get(long number) throws IOException {
    try {
      byte[] v = db.get(key(number));
      return v == null ? Optional.empty() : Optional.of(V3BatchRecord.decode(v));
    } catch (RocksDBException e) {
      throw new IOException("cannot read v3 batch " + number + ": " + e.getMessage(), e);
    }
  }

  /**
   * The newest batch.
   *
   * @return the batch with the highest number, if any
   * @throws IOException if it cannot be read
   */
  public Optional<V3BatchRecord> last() throws IOException {
    try (RocksIterator it = db.newIterator()) {
      it.seekToLast();
      return it.isValid() ? Optional.of(V3BatchRecord.decode(it.value())) : Optional.empty();
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
  public List<V3BatchRecord> range(long from, int limit) throws IOException {
    List<V3BatchRecord> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(key(Math.max(from, 0))); it.isValid() && out.size() < limit; it.next()) {
        out.add(V3BatchRecord.decode(it.value()));
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
