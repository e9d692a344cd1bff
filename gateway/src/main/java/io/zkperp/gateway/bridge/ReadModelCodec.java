package io.zkperp.gateway.bridge;

import io.zkperp.sequencer.Side;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The byte layout of a {@link ReadModel} snapshot (the read side of a node snapshot): magic
 * "ZKPRMOD2", the journal sequence it is at, then the read model's and {@link AccountState}'s
 * contents in ascending key order, big-endian, nothing after. Fills and funding ticks are not in
 * it: they live in the {@link io.zkperp.gateway.bridge.history.HistoryStore} (format 1, "ZKPRMOD1",
 * carried the newest 10,000 of each and is refused). Integrity is the enclosing snapshot file's
 * checksum; this layer only refuses bytes that do not parse. Not thread-safe: one encoding or
 * decoding per instance.
 */
final class ReadModelCodec {
  static final long MAGIC = 0x5A4B50524D4F4432L; // "ZKPRMOD2"

  private ReadModelCodec() {}

  /** A growing big-endian buffer. */
  static final class Out {
    private ByteBuffer buf = ByteBuffer.allocate(1 << 16);

    private void room(int n) {
      if (buf.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
    }

    void writeLong(long v) {
      room(8);
      buf.putLong(v);
    }

    void writeInt(int v) {
      room(4);
      buf.putInt(v);
    }

    void writeByte(int v) {
      room(1);
      buf.put((byte) v);
    }

    void writeBoolean(boolean v) {
      writeByte(v ? 1 : 0);
    }

    byte[] bytes() {
      return Arrays.copyOf(buf.array(), buf.position());
    }
  }

  /** Reads what {@link Out} wrote; a short buffer throws {@link BufferUnderflowException}. */
  static final class In {
    private final ByteBuffer buf;

    In(byte[] bytes) {
      this.buf = ByteBuffer.wrap(bytes);
    }

    long readLong() {
      return buf.getLong();
    }

    int readInt() {
      return buf.getInt();
    }

    int readByte() {
      return buf.get();
    }

    boolean readBoolean() {
      int b = buf.get();
      if (b != 0 && b != 1) {
        throw new IllegalArgumentException("boolean byte " + b);
      }
      return b == 1;
    }

    int remaining() {
      return buf.remaining();
    }
  }

  /** Encodes, with helpers for the shared shapes. */
  static final class Writer {
    private final Out out = new Out();

    Out out() {
      return out;
    }

    void header(long journalSeq) {
      out.writeLong(MAGIC);
      out.writeLong(journalSeq);
    }

    void intLongMap(Map<Integer, Long> map) {
      byIntKey(map, out::writeLong);
    }

    /**
     * A map by {@code int} key: its size, then each entry in ascending key order as the key and
     * what {@code value} writes of its value.
     */
    <V> void byIntKey(Map<Integer, V> map, Consumer<V> value) {
      List<Integer> keys = new ArrayList<>(map.keySet());
      Collections.sort(keys);
      out.writeInt(keys.size());
      for (int k : keys) {
        out.writeInt(k);
        value.accept(map.get(k));
      }
    }

    void side(Side side) {
      out.writeByte(side.ordinal());
    }

    byte[] bytes() {
      return out.bytes();
    }
  }

  /** Decodes; every malformed input ends in an unchecked exception the caller turns typed. */
  static final class Reader {
    private final In in;

    Reader(byte[] bytes) {
      this.in = new In(bytes);
    }

    In in() {
      return in;
    }

    long header() {
      if (in.remaining() < 16 || in.readLong() != MAGIC) {
        throw new IllegalArgumentException("not a read model snapshot (bad magic)");
      }
      return in.readLong();
    }

    /** A count that cannot exceed the bytes left (each entry takes at least one). */
    int count() {
      int n = in.readInt();
      if (n < 0 || n > in.remaining()) {
        throw new IllegalArgumentException("count " + n + " out of range");
      }
      return n;
    }

    Map<Integer, Long> intLongMap() {
      return byIntKey(in::readLong);
    }

    /**
     * What {@link Writer#byIntKey} wrote: the count, then each key and its value as {@code value}
     * reads it.
     */
    <V> Map<Integer, V> byIntKey(Supplier<V> value) {
      Map<Integer, V> map = new HashMap<>();
      for (int i = 0, n = count(); i < n; i++) {
        map.put(in.readInt(), value.get());
      }
      return map;
    }

    Side side() {
      int b = in.readByte();
      if (b < 0 || b >= Side.values().length) {
        throw new IllegalArgumentException("side " + b);
      }
      return Side.values()[b];
    }

    void end() {
      if (in.remaining() != 0) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the read model");
      }
    }
  }
}
