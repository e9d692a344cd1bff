package io.zkperp.sequencer.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The journal of a data directory as a sequence of segment files: {@code <data
 * dir>/journal/journal-<first sequence number, 20 digits>.log}, each in the {@link JournalFormat}
 * layout, read in the order of their first sequence numbers. A journal written before segments
 * existed ({@code <data dir>/journal.log}, {@link #LEGACY_FILE}) is read as the first segment: it
 * is never renamed, the writer appends to it while it is the only segment, and it is deleted like
 * any other segment once a snapshot covers it. Stateless; any thread.
 */
public final class JournalSegments {
  /** The segments' subdirectory of the data directory. */
  public static final String DIR = "journal";

  /** The single journal file of data directories written before segments. */
  public static final String LEGACY_FILE = "journal.log";

  /** The default segment size: 64 MiB. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  /** The smallest segment size (tests use it to rotate often). */
  public static final long MIN_SEGMENT_BYTES = 1024;

  /** The largest segment size: 1 GiB, so that one segment is always one memory map. */
  public static final long MAX_SEGMENT_BYTES = 1L << 30;

  private static final System.Logger LOG = System.getLogger(JournalSegments.class.getName());
  private static final AtomicLong DIRECTORY_SYNCS_SKIPPED = new AtomicLong();

  private static final Pattern NAME = Pattern.compile("journal-(\\d{20})\\.log");

  /**
   * One segment file.
   *
   * @param file the file
   * @param firstSeq the sequence number of its first record, from its name (0 for the legacy file,
   *     whose name does not say)
   * @param legacy whether it is the legacy {@code journal.log}
   */
  public record Segment(Path file, long firstSeq, boolean legacy) {}

  private JournalSegments() {}

  /**
   * The file of the segment whose first record is {@code firstSeq}.
   *
   * @param dataDir the data directory
   * @param firstSeq its first sequence number (≥ 1)
   * @return the path (which need not exist)
   */
  public static Path segmentFile(Path dataDir, long firstSeq) {
    return dataDir.resolve(DIR).resolve(String.format("journal-%020d.log", firstSeq));
  }

  /**
   * Checks a segment size.
   *
   * @param segmentBytes the size
   * @return the size
   * @throws IllegalArgumentException outside {@link #MIN_SEGMENT_BYTES} to {@link
   *     #MAX_SEGMENT_BYTES}
   */
  public static long checkSegmentBytes(long segmentBytes) {
    if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "journal segment size must be "
              + MIN_SEGMENT_BYTES
              + " bytes to 1 GiB, got "
              + segmentBytes);
    }
    return segmentBytes;
  }

  /**
   * The segments of a data directory in journal order: the legacy file first if present, then the
   * segment files by first sequence number. Other files in the segment directory are ignored.
   *
   * @param dataDir the data directory
   * @return the segments (empty for a directory without a journal)
   * @throws IOException if listing fails
   */
  public static List<Segment> list(Path dataDir) throws IOException {
    List<Segment> out = new ArrayList<>();
    Path legacy = dataDir.resolve(LEGACY_FILE);
    if (Files.isRegularFile(legacy)) {
      out.add(new Segment(legacy, 0, true));
    }
    Path dir = dataDir.resolve(DIR);
    if (Files.isDirectory(dir)) {
      List<Segment> segments = new ArrayList<>();
      try (Stream<Path> s = Files.list(dir)) {
        s.forEach(
            p -> {
              Matcher m = NAME.matcher(p.getFileName().toString());
              if (m.matches()) {
                segments.add(new Segment(p, Long.parseLong(m.group(1)), false));
              }
            });
      }
      segments.sort((a, b) -> Long.compare(a.firstSeq(), b.firstSeq()));
      out.addAll(segments);
    }
    return out;
  }

  /**
   * Deletes (or moves to {@code archiveDir}) every segment whose records are all at or before
   * {@code coveredSeq}: a segment is covered when the next segment starts at or before {@code
   * coveredSeq + 1}. The last segment (the one being written) is never touched. Any thread, one
   * call at a time per data directory; safe while the writer appends (it only appends to the last
   * segment, and starts a new one only after closing the current).
   *
   * @param dataDir the data directory
   * @param coveredSeq every record up to this one is in a snapshot that is kept
   * @param archiveDir where covered segments go, or null to delete them
   * @return the segment files released, in journal order
   * @throws IOException if deleting or moving fails
   */
  public static List<Path> releaseCovered(Path dataDir, long coveredSeq, Path archiveDir)
      throws IOException {
    List<Segment> segments = list(dataDir);
    List<Path> released = new ArrayList<>();
    for (int i = 0; i + 1 < segments.size(); i++) {
      if (segments.get(i + 1).firstSeq() > coveredSeq + 1) {
        break;
      }
      Path file = segments.get(i).file();
      if (archiveDir == null) {
        Files.delete(file);
      } else {
        Files.createDirectories(archiveDir);
        // not atomic across file systems: after a crash the segment may be in both places, and
        // is released again (replacing the copy) after the next snapshot
        Files.move(
            file,
            archiveDir.resolve(file.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      released.add(file);
    }
    if (!released.isEmpty()) {
      syncDirectory(dataDir.resolve(DIR));
      if (released.get(0).getParent().equals(dataDir)) {
        syncDirectory(dataDir); // the legacy file
      }
      if (archiveDir != null) {
        syncDirectory(archiveDir);
      }
    }
    return released;
  }

  /**
   * Fsyncs a directory so that a file created, renamed or deleted in it stays so after a crash. A
   * directory that cannot be opened for fsync (a platform without directory fsync, or an I/O error
   * on open) is skipped: the rename is still atomic, but it may not survive a power loss. Each skip
   * is counted ({@link #directorySyncsSkipped}) and logged at WARNING, with the cause the first
   * time and as a count after that (one line per 1,000 skips), so a platform that never supports it
   * does not flood the log.
   *
   * @param dir the directory
   * @throws IOException if the fsync itself fails
   */
  static void syncDirectory(Path dir) throws IOException {
    FileChannel d;
    try {
      d = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException e) {
      long n = DIRECTORY_SYNCS_SKIPPED.incrementAndGet();
      if (n == 1) {
        LOG.log(
            System.Logger.Level.WARNING,
            "cannot open directory "
                + dir
                + " to fsync it; a file created, renamed or deleted there may not survive a power"
                + " loss (further skips are counted in journal.directory.syncs.skipped)",
            e);
      } else if (n % 1_000 == 0) {
        LOG.log(
            System.Logger.Level.WARNING,
            "directory fsync skipped {0} times so far (last: {1}: {2})",
            n,
            dir,
            e.toString());
      }
      return;
    }
    try (d) {
      d.force(true);
    }
  }

  /**
   * How many directory fsyncs were skipped because the directory could not be opened, in this
   * process. Any thread.
   *
   * @return the count
   */
  public static long directorySyncsSkipped() {
    return DIRECTORY_SYNCS_SKIPPED.get();
  }
}
