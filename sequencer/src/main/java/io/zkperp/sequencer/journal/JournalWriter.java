package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends accepted commands to a journal with group commit: {@link #append} only buffers; {@link
 * #commit} writes the buffer and fsyncs ({@code FileChannel.force}). Callers acknowledge a command
 * only after the commit that follows its append. Opening an existing journal verifies its last file
 * ({@link JournalReader}) and cuts off a torn tail.
 *
 * <p>Two layouts: one file ({@link #open}: never rotates; tests and benchmarks), or the segments of
 * a data directory ({@link #openSegments}, see {@link JournalSegments}): when the current segment
 * has reached the segment size, the next append first writes and fsyncs what is buffered for it,
 * closes it and starts the next segment, named for that append's sequence number (header written
 * and fsynced, directory fsynced). A record is therefore durable after the commit that follows its
 * append, whichever segment it is in, and a segment holds at most the segment size plus one record.
 *
 * <p>Thread rule: one thread at a time (the pipeline's journal thread, or the core thread in tests
 * and benchmarks).
 */
public final class JournalWriter implements AutoCloseable {
  private FileChannel channel;
  private final ByteBuffer buffer;
  private final Path dataDir; // null: one file, no rotation
  private final long segmentBytes;
  private volatile long rotations;
  // written by the owning thread only; volatile so that metrics may read them from any thread
  private volatile long lastSeq;
  private volatile long committedSeq;
  private long position;
  private volatile long commits;
  private volatile long commitNanos;
  private volatile long slowCommits;
  private volatile long longestCommitNanos;

  /** A commit (write + fsync) at least this long counts as slow: the disk stalled. */
  public static final long SLOW_COMMIT_NANOS = 10_000_000;

  /** The append buffer's size in bytes. */
  private static final int BUFFER_BYTES = 1 << 22;

  /** A writer appending at the end of {@code channel}, after the record {@code lastSeq}. */
  private JournalWriter(FileChannel channel, long lastSeq, Path dataDir, long segmentBytes)
      throws IOException {
    this.channel = channel;
    this.dataDir = dataDir;
    this.segmentBytes = segmentBytes;
    this.position = channel.size();
    this.lastSeq = lastSeq;
    this.committedSeq = lastSeq;
    this.buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Opens (or creates) a journal for appending. An existing file is scanned: a torn tail is cut
   * off, corruption in the middle throws.
   *
   * @param file the journal file
   * @return the writer, positioned after the last intact record
   * @throws JournalCorruptedException if the existing journal is corrupt in the middle
   * @throws IOException if I/O fails
   */
  public static JournalWriter open(Path file) throws IOException {
    long lastSeq = 0;
    long validBytes = 0;
    if (Files.exists(file)) {
      JournalReader.Result r = JournalReader.read(file, (seq, c) -> {});
      lastSeq = r.lastSeq();
      validBytes = r.validBytes();
    }
    FileChannel ch = openAt(file, validBytes);
    return new JournalWriter(ch, lastSeq, null, Long.MAX_VALUE);
  }

  /**
   * Opens (or creates) the segmented journal of a data directory for appending. Only the last
   * segment is scanned (recovery has read the others): a torn tail is cut off, corruption in the
   * middle throws, a last segment without records continues at the sequence number its name says. A
   * directory with only the legacy {@code journal.log} appends to it until it reaches the segment
   * size; the next segment is then a file of the segment directory.
   *
   * @param dataDir the data directory (created if absent)
   * @param segmentBytes rotate when a segment has reached this size ({@link
   *     JournalSegments#MIN_SEGMENT_BYTES} to {@link JournalSegments#MAX_SEGMENT_BYTES})
   * @return the writer, positioned after the last intact record
   * @throws JournalCorruptedException if the last segment is corrupt in the middle, or its first
   *     record is not the one its name says
   * @throws IOException if I/O fails
   * @throws IllegalArgumentException if the segment size is out of range
   */
  public static JournalWriter openSegments(Path dataDir, long segmentBytes) throws IOException {
    JournalSegments.checkSegmentBytes(segmentBytes);
    Files.createDirectories(dataDir.resolve(JournalSegments.DIR));
    java.util.List<JournalSegments.Segment> all = JournalSegments.list(dataDir);
    Path file;
    long lastSeq;
    long validBytes = 0;
    if (all.isEmpty()) {
      file = JournalSegments.segmentFile(dataDir, 1);
      lastSeq = 0;
    } else {
      JournalSegments.Segment last = all.get(all.size() - 1);
      file = last.file();
      JournalReader.Result r = JournalReader.read(file, (seq, c) -> {});
      if (r.records() > 0 && !last.legacy() && r.firstSeq() != last.firstSeq()) {
        throw new JournalCorruptedException(
            JournalCorruptedException.Kind.SEGMENT_OUT_OF_ORDER,
            file,
            JournalFormat.FILE_HEADER_BYTES,
            "the segment's first record is "
                + r.firstSeq()
                + " but its name says "
                + last.firstSeq());
      }
      lastSeq = r.records() > 0 ? r.lastSeq() : Math.max(0, last.firstSeq() - 1);
      validBytes = r.validBytes();
    }
    FileChannel ch = openAt(file, validBytes);
    JournalSegments.syncDirectory(file.getParent());
    return new JournalWriter(ch, lastSeq, dataDir, segmentBytes);
  }

  /** Opens a journal file whose intact prefix is validBytes: a header is written, a tail cut. */
  private static FileChannel openAt(Path file, long validBytes) throws IOException {
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (validBytes < JournalFormat.FILE_HEADER_BYTES) {
        ch.truncate(0);
        ByteBuffer header = ByteBuffer.allocate(JournalFormat.FILE_HEADER_BYTES);
        header.order(ByteOrder.LITTLE_ENDIAN);
        header.put(JournalFormat.MAGIC).putInt(JournalFormat.FORMAT).putInt(0).flip();
        while (header.hasRemaining()) {
          ch.write(header, header.position());
        }
        ch.force(true);
      } else if (ch.size() > validBytes) {
        ch.truncate(validBytes);
        ch.force(true);
      }
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return ch;
  }

  /**
   * Buffers one command as the next record. Not durable until {@link #commit}.
   *
   * @param command the accepted command
   * @return its sequence number
   * @throws IOException if flushing a full buffer fails
   */
  public long append(Command command) throws IOException {
    if (position + buffer.position() >= segmentBytes) {
      rotate(lastSeq + 1);
    }
    if (buffer.remaining() < JournalFormat.RECORD_HEADER_BYTES + JournalFormat.MAX_PAYLOAD) {
      flush();
    }
    long seq = lastSeq + 1;
    int start = buffer.position();
    int payloadAt = start + JournalFormat.RECORD_HEADER_BYTES;
    buffer.position(payloadAt);
    CommandCodec.encode(command, buffer);
    int len = buffer.position() - payloadAt;
    buffer.putInt(start, len);
    buffer.putLong(start + 8, seq);
    buffer.putInt(start + 4, JournalFormat.crc(seq, buffer, payloadAt, len));
    lastSeq = seq;
    return seq;
  }

  /**
   * Writes everything appended and fsyncs: afterwards every appended record is durable.
   *
   * @throws IOException if writing or syncing fails (the process must then stop acknowledging)
   */
  public void commit() throws IOException {
    if (committedSeq == lastSeq) {
      return;
    }
    long start = System.nanoTime();
    flush();
    channel.force(false);
    long took = System.nanoTime() - start;
    commitNanos += took;
    if (took >= SLOW_COMMIT_NANOS) {
      slowCommits++;
    }
    if (took > longestCommitNanos) {
      longestCommitNanos = took;
    }
    committedSeq = lastSeq;
    commits++;
  }

  /** Makes what the current segment holds durable, closes it and starts the segment of firstSeq. */
  private void rotate(long firstSeq) throws IOException {
    flush();
    channel.force(false);
    channel.close();
    Path next = JournalSegments.segmentFile(dataDir, firstSeq);
    channel = openAt(next, 0);
    JournalSegments.syncDirectory(next.getParent());
    position = channel.size();
    rotations++;
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      position += channel.write(buffer, position);
    }
    buffer.clear();
  }

  /**
   * The sequence number of the last appended record.
   *
   * @return the number, 0 for an empty journal
   */
  public long lastSeq() {
    return lastSeq;
  }

  /**
   * How many new segments this writer has started since it was opened (0 for a single-file
   * journal). Any thread (for metrics).
   *
   * @return the count
   */
  public long rotations() {
    return rotations;
  }

  /**
   * The sequence number of the last durable record.
   *
   * @return the number
   */
  public long committedSeq() {
    return committedSeq;
  }

  /**
   * How many fsyncs {@link #commit} has done (the group-commit count).
   *
   * @return the count
   */
  public long commits() {
    return commits;
  }

  /**
   * Time spent in {@link #commit} writing and fsyncing, in total. Any thread (for metrics).
   *
   * @return nanoseconds
   */
  public long commitNanos() {
    return commitNanos;
  }

  /**
   * How many commits took at least {@link #SLOW_COMMIT_NANOS} (a stalled disk holds every waiting
   * acknowledgement that long). Any thread (for metrics).
   *
   * @return the count
   */
  public long slowCommits() {
    return slowCommits;
  }

  /**
   * The longest commit so far. Any thread (for metrics).
   *
   * @return nanoseconds
   */
  public long longestCommitNanos() {
    return longestCommitNanos;
  }

  /**
   * Commits and closes.
   *
   * @throws IOException if the final commit fails
   */
  @Override
  public void close() throws IOException {
    try {
      commit();
    } finally {
      channel.close();
    }
  }
}
