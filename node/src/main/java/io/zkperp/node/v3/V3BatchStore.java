package io.zkperp.node.v3;

import io.zkperp.node.NumberedRecordStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The v3 settlement's durable record of its batches, in RocksDB: batch number (8 bytes big-endian)
 * → {@link V3BatchRecord} (header, origins, resume point; the witness, commitment and status are in
 * the node's {@code BatchStore}). Every write is synced (WAL fsync) before it returns. Thread-safe
 * (RocksDB is); written by the settlement's thread.
 */
public final class V3BatchStore implements AutoCloseable {
  private final NumberedRecordStore<V3BatchRecord> records;

  private V3BatchStore(NumberedRecordStore<V3BatchRecord> records) {
    this.records = records;
  }

  /**
   * Opens or creates the store.
   *
   * @param dir its directory
   * @return the store
   * @throws IOException if RocksDB cannot open it
   */
  public static V3BatchStore open(Path dir) throws IOException {
    return new V3BatchStore(NumberedRecordStore.open(dir, "v3 batch", V3BatchRecord::decode));
  }

  /**
   * Writes (or replaces) a batch durably.
   *
   * @param r the batch
   * @throws IOException if the write fails
   */
  public void put(V3BatchRecord r) throws IOException {
    records.put(r.number(), r.encode(), r);
  }

  /**
   * Deletes a batch durably (the settlement's record of a batch whose {@code BatchRecord} a crash
   * kept from being stored; it is sealed again from the replay).
   *
   * @param number the batch number
   * @throws IOException if the write fails
   */
  public void delete(long number) throws IOException {
    records.delete(number);
  }

  /**
   * A batch.
   *
   * @param number the batch number
   * @return the batch, if stored
   * @throws IOException if it cannot be read or is damaged
   */
  public Optional<V3BatchRecord> get(long number) throws IOException {
    return records.get(number);
  }

  /**
   * The newest batch.
   *
   * @return the batch with the highest number, if any
   * @throws IOException if it cannot be read
   */
  public Optional<V3BatchRecord> last() throws IOException {
    return records.last();
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
    return records.range(from, limit);
  }

  /** Closes the database. */
  @Override
  public void close() {
    records.close();
  }
}
