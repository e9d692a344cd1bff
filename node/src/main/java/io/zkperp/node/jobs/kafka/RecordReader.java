package io.zkperp.node.jobs.kafka;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Strict big-endian reads over one record value, each failure a {@link MalformedRecordException}.
 */
final class RecordReader {
  private final ByteBuffer in;
  private final String what;

  RecordReader(byte[] value, String what) {
    this.in = ByteBuffer.wrap(value);
    this.what = what;
  }

  void magic(byte[] expected, int version) throws MalformedRecordException {
    byte[] m = bytes(expected.length);
    if (!java.util.Arrays.equals(m, expected)) {
      throw fail("not a " + what + " record (magic)");
    }
    int v = u8();
    if (v != version) {
      throw fail(what + " record version " + v + ", expected " + version);
    }
  }

  int u8() throws MalformedRecordException {
    try {
      return in.get() & 0xff;
    } catch (BufferUnderflowException e) {
      throw fail("truncated " + what + " record at byte " + in.position());
    }
  }

  long u64() throws MalformedRecordException {
    try {
      return in.getLong();
    } catch (BufferUnderflowException e) {
      throw fail("truncated " + what + " record at byte " + in.position());
    }
  }

  byte[] bytes(int n) throws MalformedRecordException {
    if (n < 0 || n > in.remaining()) {
      throw fail(
          "truncated " + what + " record: " + n + " bytes at byte " + in.position() + " wanted");
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  /** A length-prefixed (u32) byte string. */
  byte[] lengthPrefixed() throws MalformedRecordException {
    int n;
    try {
      n = in.getInt();
    } catch (BufferUnderflowException e) {
      throw fail("truncated " + what + " record at byte " + in.position());
    }
    return bytes(n);
  }

  /** A short (u8-length) UTF-8 string. */
  String shortString() throws MalformedRecordException {
    return new String(bytes(u8()), StandardCharsets.UTF_8);
  }

  void end() throws MalformedRecordException {
    if (in.hasRemaining()) {
      throw fail(in.remaining() + " trailing bytes after the " + what + " record");
    }
  }

  MalformedRecordException fail(String message) {
    return new MalformedRecordException(message);
  }
}
