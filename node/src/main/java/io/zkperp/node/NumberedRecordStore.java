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
 * Records keyed by a number (8 bytes big-endian, so in ascending order) in one RocksDB directory,
 * every write synced (WAL fsync) before it returns: what {@link BatchStore} and the v3 settlement's
 * batch store keep their records in. Thread-safe (RocksDB is).
 *
 * @param <R> the record type
 */
public final class NumberedRecordStore<R> implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  /**
   * Decodes a stored value.
   *
   * @param <R> the record type
   */
  @FunctionalInterface
  public interface Decoder<R> {
    /**
     * Decodes one value.
     *
     * @param bytes the stored bytes
     * @return the record
     * @throws IOException if the bytes are damaged
     */
    R decode(byte[] bytes) throws IOException;
  }

  private final RocksDB db;
  private final Options options;
  private final WriteOptions sync;
  private final String what;
  private final Decoder<R> decoder;

  private NumberedRecordStore(
      RocksDB db, Options options, WriteOptions sync, String what, Decoder<R> decoder) {
    this.db = db;
    this.options = options;
    this.sync = sync;
    this.what = what;
    this.decoder = decoder;
  }

  /**
   * Opens or creates a store.
   *
   * @param <R> the record type
   * @param dir its directory
   * @param what what a record is, for error messages ("batch", "v3 batch")
   * @param decoder decodes a stored value
   * @return the store
   * @throws IOException if RocksDB cannot open it
   */
  public static <R> NumberedRecordStore<R> open(Path dir, String what, Decoder<R> decoder)
      throws IOException {
    Files.createDirectories(dir);
    Options options = new Options().setCreateIfMissing(true);
    try {
      return new NumberedRecordStore<>(
          RocksDB.open(options, dir.toString()),
          options,
          new WriteOptions().setSync(true),
          what,
          decoder);
    } catch (RocksDBException e) {
      options.close();
      throw new IOException("cannot open the " + what + " store " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes (or replaces) a record durably.
   *
   * @param number its number
   * @param encoded its bytes
   * @param record the record, for the error message
   * @throws IOException if the write fails
   */
  public void put(long number, byte[] encoded, Object record) throws IOException {
    try {
      db.put(sync, key(number), encoded);
    } catch (RocksDBException e) {
      throw new IOException("cannot store " + record + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes a record durably.
   *
   * @param number its number
   * @throws IOException if the write fails
   */
  public void delete(long number) throws IOException {
    try {
      db.delete(sync, key(number));
    } catch (RocksDBException e) {
      throw new IOException("cannot delete " + what + " " + number + ": " + e.getMessage(), e);
    }
  }

  /**
   * A record.
   *
   * @param number its number
   * @return the record, if stored
   * @throws IOException if it cannot be read or is damaged
   */
  public Optional<R> get(long number) throws IOException {
    byte[] v;
    try {
      v = db.get(key(number));
    } catch (RocksDBException e) {
      throw new IOException("cannot read " + what + " " + number + ": " + e.getMessage(), e);
    }
    return v == null ? Optional.empty() : Optional.of(decoder.decode(v));
  }

  /**
   * The record with the highest number.
   *
   * @return it, if any
   * @throws IOException if it cannot be read
   */
  public Optional<R> last() throws IOException {
    try (RocksIterator it = db.newIterator()) {
      it.seekToLast();
      return it.isValid() ? Optional.of(decoder.decode(it.value())) : Optional.empty();
    }
  }

  /**
   * Records in ascending order of number.
   *
   * @param from the first number wanted
   * @param limit the most to return
   * @return the records
   * @throws IOException if one cannot be read
   */
  public List<R> range(long from, int limit) throws IOException {
    List<R> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(key(Math.max(from, 0))); it.isValid() && out.size() < limit; it.next()) {
        out.add(decoder.decode(it.value()));
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
