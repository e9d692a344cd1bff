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
import java.util.List;

/**
 * Reads a journal front to back: one segment file ({@link #read}) or every segment of a data
 * directory in order ({@link #readJournal}, see {@link JournalSegments}). A damaged record (bad
 * length, cut short, bad checksum) is a <em>torn tail</em> when no intact record follows it
 * anywhere in the file: it and everything after it are discarded (never acknowledged, because
 * acknowledgement follows fsync). A damaged record followed by an intact one is corruption in the
 * middle: a {@link JournalCorruptedException}. A segment file is one memory map (up to 2 GiB; the
 * writer keeps segments at most {@link JournalSegments#MAX_SEGMENT_BYTES} plus one record); the
 * journal as a whole has no size limit (every whole-journal count and size is a {@code long}).
 * Stateless; any thread, one call at a time per journal.
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

  /**
   * What a scan of a data directory's journal found.
   *
   * @param firstSeq the first record of the first segment read (0 if none)
   * @param lastSeq the last intact record of the journal (0 if none)
   * @param delivered how many records were handed to the handler (those after {@code afterSeq})
   * @param segments the segment files of the journal
   * @param segmentsRead the segment files read (the ones before were wholly covered)
   * @param bytesRead the bytes of the segments read (a {@code long}: the journal has no size limit)
   * @param lastSegmentValidBytes the intact prefix of the last segment (header included)
   * @param discardedTailBytes the bytes of a torn tail of the last segment (0 if none)
   */
  public record Scan(
      long firstSeq,
      long lastSeq,
      long delivered,
      int segments,
      int segmentsRead,
      long bytesRead,
      long lastSegmentValidBytes,
      long discardedTailBytes) {}

  /** Carries a continuity error out of a record handler. */
  private static final class Discontinuity extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Discontinuity(JournalCorruptedException cause) {
      super(cause);
    }
  }

  private JournalReader() {}

  /**
   * Reads the journal of a data directory across its segments, in order, handing every intact
   * record after {@code afterSeq} to the handler. Segments wholly at or before {@code afterSeq}
   * (their successor starts at or before {@code afterSeq + 1}) are not read. Continuity is checked
   * across segments: the first segment read must start at or before {@code afterSeq + 1} (else
   * {@link JournalCorruptedException.Kind#MISSING_SEGMENT}), each segment's first record must be
   * the one its name says and follow the previous segment's last record (else {@code
   * MISSING_SEGMENT} for a gap, {@link JournalCorruptedException.Kind#SEGMENT_OUT_OF_ORDER} for an
   * overlap or a wrong name). Only the last segment may have a torn tail; damage at the end of an
   * earlier segment is {@link JournalCorruptedException.Kind#BAD_RECORD_IN_MIDDLE}, and so is an
   * earlier segment without records.
   *
   * @param dataDir the data directory
   * @param afterSeq records up to this one are covered by a snapshot (0 for none)
   * @param handler receives the records after {@code afterSeq}, in order
   * @return the scan result
   * @throws JournalCorruptedException if the journal is damaged other than at its tail, or a
   *     segment is missing or out of order
   * @throws IOException if reading fails
   */
  public static Scan readJournal(Path dataDir, long afterSeq, RecordHandler handler)
      throws IOException {
    List<JournalSegments.Segment> segments = JournalSegments.list(dataDir);
    int start = 0;
    for (int i = 1; i < segments.size(); i++) {
      if (segments.get(i).firstSeq() <= afterSeq + 1) {
        start = i;
      }
    }
    long firstSeq = 0;
    long lastSeq = 0;
    long expected = 0; // the next record's seq once known
    long[] delivered = {0};
    long bytes = 0;
    Result last = null;
    for (int i = start; i < segments.size(); i++) {
      JournalSegments.Segment seg = segments.get(i);
      boolean isLast = i == segments.size() - 1;
      if (!seg.legacy()) {
        if (i == start && seg.firstSeq() > afterSeq + 1) {
          throw new JournalCorruptedException(
              JournalCorruptedException.Kind.MISSING_SEGMENT,
              seg.file(),
              0,
              "the journal starts at record "
                  + seg.firstSeq()
                  + " but records from "
                  + (afterSeq + 1)
                  + " are needed"
                  + (afterSeq == 0 ? "" : " (the snapshot ends at " + afterSeq + ")"));
        }
        if (i > start && seg.firstSeq() != expected) {
          throw new JournalCorruptedException(
              seg.firstSeq() > expected
                  ? JournalCorruptedException.Kind.MISSING_SEGMENT
                  : JournalCorruptedException.Kind.SEGMENT_OUT_OF_ORDER,
              seg.file(),
              0,
              "the previous segment ends at record "
                  + (expected - 1)
                  + " but this one is named for record "
                  + seg.firstSeq());
        }
      }
      long named = seg.legacy() ? 0 : seg.firstSeq();
      long floor = i == start ? afterSeq + 1 : 0;
      boolean[] first = {true};
      Result r;
      try {
        r =
            read(
                seg.file(),
                (seq, command) -> {
                  if (first[0]) {
                    first[0] = false;
                    if (named != 0 && seq != named) {
                      throw new Discontinuity(
                          new JournalCorruptedException(
                              JournalCorruptedException.Kind.SEGMENT_OUT_OF_ORDER,
                              seg.file(),
                              JournalFormat.FILE_HEADER_BYTES,
                              "the segment's first record is "
                                  + seq
                                  + " but it should be "
                                  + named));
                    }
                    if (floor != 0 && seq > floor) {
                      throw new Discontinuity(
                          new JournalCorruptedException(
                              JournalCorruptedException.Kind.MISSING_SEGMENT,
                              seg.file(),
                              JournalFormat.FILE_HEADER_BYTES,
                              "the journal starts at record "
                                  + seq
                                  + " but records from "
                                  + floor
                                  + " are needed"));
                    }
                  }
                  if (seq > afterSeq) {
                    delivered[0]++;
                    handler.onRecord(seq, command);
                  }
                });
      } catch (Discontinuity d) {
        throw (JournalCorruptedException) d.getCause();
      }
      if (!isLast && (r.discardedTailBytes() > 0 || r.records() == 0)) {
        throw new JournalCorruptedException(
            JournalCorruptedException.Kind.BAD_RECORD_IN_MIDDLE,
            seg.file(),
            r.validBytes(),
            (r.records() == 0 ? "the segment holds no record" : "the segment's tail is damaged")
                + " but segment "
                + segments.get(i + 1).file().getFileName()
                + " follows it");
      }
      if (r.records() > 0) {
        if (firstSeq == 0) {
          firstSeq = r.firstSeq();
        }
        lastSeq = r.lastSeq();
        expected = r.lastSeq() + 1;
      } else if (!seg.legacy()) {
        lastSeq = Math.max(lastSeq, seg.firstSeq() - 1);
      }
      bytes += r.validBytes() + r.discardedTailBytes();
      last = r;
    }
    return new Scan(
        firstSeq,
        lastSeq,
        delivered[0],
        segments.size(),
        segments.size() - start,
        bytes,
        last == null ? 0 : last.validBytes(),
        last == null ? 0 : last.discardedTailBytes());
  }

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
      try {
        checkHeader(map);
        return scan(map, (int) size, handler);
      } catch (JournalCorruptedException e) {
        throw e.inFile(file);
      }
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
