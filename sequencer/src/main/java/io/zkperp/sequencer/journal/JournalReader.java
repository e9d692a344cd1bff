package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.MalformedCommandException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a journal file front to back. A damaged record (bad length, cut short, bad checksum) is a
 * <em>torn tail</em> when no intact record follows it anywhere in the file: it and everything after
 * it are discarded (never acknowledged, because acknowledgement follows fsync). A damaged record
 * followed by an intact one is corruption in the middle: a {@link JournalCorruptedException}. Files
 * up to 2 GiB (one memory map). Stateless; any thread, one call at a time per file.
 */
public final class JournalReader {
  /** Receives each intact record. */
  @FunctionalInterface
  public interface RecordHandler {
    /**
     * One record.
     *
     * @param seq its sequence number
     * @param command the decoded command
     */
    void onRecord(long seq, Command command);
  }

  /**
   * What a scan found.
   *
   * @param firstSeq the first record's sequence number (0 if none)
   * @param lastSeq the last intact record's sequence number (0 if none)
   * @param records the number of intact records
   * @param validBytes the length of the intact prefix (header included)
   * @param discardedTailBytes the bytes of a torn tail after it (0 if none)
   */
  public record Result(
      long firstSeq, long lastSeq, long records, long validBytes, long discardedTailBytes) {}

  private JournalReader() {}

  /**
   * Reads every intact record.
   *
   * @param file the journal
   * @param handler receives records in order
   * @return the scan result
   * @throws JournalCorruptedException if the journal is damaged other than at its tail
   * @throws IOException if reading fails
   */
  public static Result read(Path file, RecordHandler handler) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException("journal " + file + " is over 2 GiB; rotate journals earlier");
      }
      if (size < JournalFormat.FILE_HEADER_BYTES) {
        // a torn header: nothing was ever acknowledged
        return new Result(0, 0, 0, 0, size);
      }
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      map.order(ByteOrder.LITTLE_ENDIAN);
      checkHeader(map);
      return scan(map, (int) size, handler);
    }
  }

  private static void checkHeader(ByteBuffer map) throws JournalCorruptedException {
    byte[] magic = new byte[8];
    map.get(0, magic);
    int format = map.getInt(8);
    if (!Arrays.equals(magic, JournalFormat.MAGIC) || format != JournalFormat.FORMAT) {
      throw new JournalCorruptedException(
          JournalCorruptedException.Kind.BAD_HEADER, 0, "not a zkperp journal of format 1");
    }
  }

  private static Result scan(ByteBuffer map, int size, RecordHandler handler)
      throws JournalCorruptedException {
    int pos = JournalFormat.FILE_HEADER_BYTES;
    long firstSeq = 0;
    long lastSeq = 0;
    long count = 0;
    while (pos < size) {
      String damage = null;
      int len = 0;
      if (size - pos < JournalFormat.RECORD_HEADER_BYTES) {
        damage = "record header cut short";
      } else {
        len = map.getInt(pos);
        if (len < 1 || len > JournalFormat.MAX_PAYLOAD) {
          damage = "payload length " + len + " out of range";
        } else if ((long) pos + JournalFormat.RECORD_HEADER_BYTES + len > size) {
          damage = "record cut short by the end of the file";
        } else {
          long seq = map.getLong(pos + 8);
          int crc = map.getInt(pos + 4);
          int payloadAt = pos + JournalFormat.RECORD_HEADER_BYTES;
          if (JournalFormat.crc(seq, map, payloadAt, len) != crc) {
            damage = "checksum mismatch";
          } else {
            if (lastSeq != 0 && seq != lastSeq + 1) {
              throw new JournalCorruptedException(
                  JournalCorruptedException.Kind.SEQUENCE_GAP,
                  pos,
                  "sequence " + seq + " follows " + lastSeq);
            }
            Command command;
            try {
              ByteBuffer payload = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
              payload.limit(payloadAt + len).position(payloadAt);
              command = CommandCodec.decode(payload);
              if (payload.hasRemaining()) {
                throw new MalformedCommandException("trailing bytes");
              }
            } catch (MalformedCommandException e) {
              throw new JournalCorruptedException(
                  JournalCorruptedException.Kind.BAD_RECORD_IN_MIDDLE,
                  pos,
                  "record " + seq + " has a valid checksum but does not decode: " + e.getMessage());
            }
            if (firstSeq == 0) {
              firstSeq = seq;
            }
            lastSeq = seq;
            count++;
            handler.onRecord(seq, command);
            pos = payloadAt + len;
            continue;
          }
        }
      }
      // damaged record at pos: a torn tail unless an intact record follows it
      long next = intactRecordAfter(map, pos + 1, size, lastSeq);
      if (next < 0) {
        return new Result(firstSeq, lastSeq, count, pos, size - pos);
      }
      throw new JournalCorruptedException(
          JournalCorruptedException.Kind.BAD_RECORD_IN_MIDDLE,
          pos,
          damage + " after record " + lastSeq + ", but an intact record starts at byte " + next);
    }
    return new Result(firstSeq, lastSeq, count, pos, 0);
  }

  /** Offset of the first intact record with seq &gt; lastSeq at or after {@code from}, or -1. */
  private static long intactRecordAfter(ByteBuffer map, int from, int size, long lastSeq) {
    for (int j = from; j + JournalFormat.RECORD_HEADER_BYTES <= size; j++) {
      int len = map.getInt(j);
      if (len < 1
          || len > JournalFormat.MAX_PAYLOAD
          || (long) j + JournalFormat.RECORD_HEADER_BYTES + len > size) {
        continue;
      }
      long seq = map.getLong(j + 8);
      if (seq > lastSeq
          && JournalFormat.crc(seq, map, j + JournalFormat.RECORD_HEADER_BYTES, len)
              == map.getInt(j + 4)) {
        return j;
      }
    }
    return -1;
  }
}
