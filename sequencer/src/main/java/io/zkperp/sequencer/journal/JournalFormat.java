package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.command.CommandCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The journal file layout: a 16-byte header (magic "ZKPSEQJ1", format int, reserved int), then
 * records {@code [u32 payload length][u32 CRC32C of (seq ‖ payload)][u64 seq][payload]}, all
 * little-endian; the payload is one {@link CommandCodec} encoding. Sequence numbers start at 1 and
 * increase by 1. Stateless; any thread.
 */
final class JournalFormat {
  static final byte[] MAGIC = "ZKPSEQJ1".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT = 1;
  static final int FILE_HEADER_BYTES = 16;
  static final int RECORD_HEADER_BYTES = 16;
  static final int MAX_PAYLOAD = CommandCodec.MAX_BYTES;

  private JournalFormat() {}

  /** CRC32C of the seq (8 bytes LE) and the payload bytes in {@code buf[from, from + len)}. */
  static int crc(long seq, ByteBuffer buf, int from, int len) {
    CRC32C crc = new CRC32C();
    byte[] s = new byte[8];
    for (int i = 0; i < 8; i++) {
      s[i] = (byte) (seq >>> (8 * i));
    }
    crc.update(s);
    ByteBuffer slice = buf.duplicate();
    slice.limit(from + len).position(from);
    crc.update(slice);
    return (int) crc.getValue();
  }
}
