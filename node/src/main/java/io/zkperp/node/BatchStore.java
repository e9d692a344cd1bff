package io.zkperp.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The settlement's durable record of batches, in RocksDB: batch number (8 bytes big-endian) →
 * {@link BatchRecord}. Every write is synced (WAL fsync) before it returns, so a batch that was
 * sealed, proven or committed is still so after a crash. Thread-safe (RocksDB is); each batch is
 * written by the stage that owns its current state.
 */
public final class BatchStore implements AutoCloseable {
  private final java.util.List<java.util.function.Consumer<BatchRecord>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final NumberedRecordStore<BatchRecord> records;

  private BatchStore(NumberedRecordStore<BatchRecord> records) {
    this.records = records;
  }

  /**
   * Opens or creates the store.
   *
   * @param dir its directory
   * @return the store
   * @throws IOException if RocksDB cannot open it
   */
  public static BatchStore open(Path dir) throws IOException {
    return new BatchStore(NumberedRecordStore.open(dir, "batch", BatchRecord::decode));
  }

  /**
   * Writes (or replaces) a batch durably.
   *
   * @param r the batch
   * @throws IOException if the write fails
   */
  public void put(BatchRecord r) throws IOException {
    records.put(r.number(), r.encode(), r);
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
    return records.get(number);
  }

  /**
   * The newest batch.
   *
   * @return the batch with the highest number, if any
   * @throws IOException if it cannot be read
   */
  public Optional<BatchRecord> last() throws IOException {
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
  public List<BatchRecord> range(long from, int limit) throws IOException {
    return records.range(from, limit);
  }

  /** Closes the database. */
  @Override
  public void close() {
    records.close();
  }
}
