package io.zkperp.state;

import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvTransaction;
import java.io.ByteArrayOutputStream;

/** Splits a version's log or diff into values of at most ~64 KiB keyed (version, chunk). */
final class ChunkWriter {
  private static final int LIMIT = 64 << 10;

  private final KvTransaction tx;
  private final KvColumn<byte[], byte[]> column;
  private final long version;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final byte[] entry = new byte[9];
  private int chunk;

  ChunkWriter(KvTransaction tx, KvColumn<byte[], byte[]> column, long version) {
    this.tx = tx;
    this.column = column;
    this.version = version;
  }

  ByteArrayOutputStream buffer() {
    return buf;
  }

  void addKey(int columnId, long key) {
    entry[0] = (byte) columnId;
    io.zkperp.state.kv.Bytes.putLong(entry, 1, key);
    buf.writeBytes(entry);
    entryDone();
  }

  void entryDone() {
    if (buf.size() >= LIMIT) {
      flushChunk();
    }
  }

  void finish() {
    if (buf.size() > 0) {
      flushChunk();
    }
  }

  private void flushChunk() {
    tx.putRaw(column, Schema.chunkKey(version, chunk++), buf.toByteArray());
    buf.reset();
  }
}
