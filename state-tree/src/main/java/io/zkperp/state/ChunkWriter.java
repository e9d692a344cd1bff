package io.zkperp.state;

import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvTransaction;
import java.io.ByteArrayOutputStream;

/**
 * Splits a version's log or diff into values of at most ~64 KiB keyed (version, chunk), written
 * into one {@link KvTransaction}. Used by the state stores of every layout.
 *
 * <p>Not thread-safe: the writer thread that owns the transaction.
 */
public final class ChunkWriter {
  private static final int LIMIT = 64 << 10;

  private final KvTransaction tx;
  private final KvColumn<byte[], byte[]> column;
  private final long version;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final byte[] entry = new byte[9];
  private int chunk;

  /**
   * Creates a writer.
   *
   * @param tx the transaction to write into
   * @param column the chunked column
   * @param version the version whose chunks these are
   */
  public ChunkWriter(KvTransaction tx, KvColumn<byte[], byte[]> column, long version) {
    this.tx = tx;
    this.column = column;
    this.version = version;
  }

  /**
   * The current chunk's buffer, for variable-length entries (call {@link #entryDone} after each).
   *
   * @return the buffer
   */
  public ByteArrayOutputStream buffer() {
    return buf;
  }

  /**
   * Appends a 9-byte log entry (column id ‖ key).
   *
   * @param columnId the column's id
   * @param key the key
   */
  public void addKey(int columnId, long key) {
    entry[0] = (byte) columnId;
    io.zkperp.state.kv.Bytes.putLong(entry, 1, key);
    buf.writeBytes(entry);
    entryDone();
  }

  /** Ends an entry written into {@link #buffer}; starts a new chunk past the limit. */
  public void entryDone() {
    if (buf.size() >= LIMIT) {
      flushChunk();
    }
  }

  /** Writes the last, partial chunk. */
  public void finish() {
    if (buf.size() > 0) {
      flushChunk();
    }
  }

  private void flushChunk() {
    tx.putRaw(
        column, io.zkperp.state.kv.VersionedKeys.chunkKey(version, chunk++), buf.toByteArray());
    buf.reset();
  }
}
