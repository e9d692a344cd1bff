package io.zkperp.sequencer.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segmented journal on real files: rotation, reading across segments, continuity, torn tails. */
class JournalSegmentsTest {
  private static final long SEGMENT = JournalSegments.MIN_SEGMENT_BYTES;

  @TempDir Path dir;

  /** Appends n random commands to the journal in {@code dir}, in segments, and closes it. */
  List<Command> writeSegments(long seed, int n) throws IOException {
    try (JournalWriter w = JournalWriter.openSegments(dir, SEGMENT)) {
      return append(w, seed, n);
    }
  }

  /** Appends n random commands, committing every 50 (and at the end). */
  static List<Command> append(JournalWriter w, long seed, int n) throws IOException {
    RandomCommands gen = new RandomCommands(seed, 20);
    List<Command> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Command c = gen.next();
      w.append(c);
      out.add(c);
      if (i % 50 == 49) {
        w.commit();
      }
    }
    w.commit();
    return out;
  }

  static List<byte[]> readAll(Path dataDir, long afterSeq, JournalReader.Scan[] scan)
      throws IOException {
    List<byte[]> out = new ArrayList<>();
    long[] expect = {afterSeq + 1};
    scan[0] =
        JournalReader.readJournal(
            dataDir,
            afterSeq,
            (seq, c) -> {
              assertThat(seq).isEqualTo(expect[0]++);
              out.add(CommandCodec.encode(c));
            });
    return out;
  }

  static List<byte[]> encoded(List<Command> commands) {
    return commands.stream().map(CommandCodec::encode).toList();
  }

  @Test
  void smallSegmentsRotateAndReadBackInOrderAcrossAThousandFiles() throws IOException {
    List<Command> written;
    long rotations;
    try (JournalWriter w = JournalWriter.openSegments(dir, SEGMENT)) {
      written = append(w, 1, 12_000);
      rotations = w.rotations();
    }
    List<JournalSegments.Segment> segments = JournalSegments.list(dir);
    assertThat(segments).hasSizeGreaterThan(1_000);
    assertThat(rotations).isEqualTo(segments.size() - 1);
    long total = 0;
    for (JournalSegments.Segment s : segments) {
      long size = Files.size(s.file());
      total += size;
      // at most the segment size plus one record
      assertThat(size)
          .isLessThanOrEqualTo(
              SEGMENT + JournalFormat.RECORD_HEADER_BYTES + JournalFormat.MAX_PAYLOAD);
      JournalReader.Result r = JournalReader.read(s.file(), (seq, c) -> {});
      assertThat(r.firstSeq()).as("named for its first record").isEqualTo(s.firstSeq());
    }
    JournalReader.Scan[] scan = new JournalReader.Scan[1];
    List<byte[]> read = readAll(dir, 0, scan);
    assertThat(read).hasSize(written.size());
    for (int i = 0; i < read.size(); i++) {
      assertThat(read.get(i)).isEqualTo(CommandCodec.encode(written.get(i)));
    }
    assertThat(scan[0].lastSeq()).isEqualTo(12_000);
    assertThat(scan[0].segments()).isEqualTo(segments.size());
    assertThat(scan[0].segmentsRead()).isEqualTo(segments.size());
    assertThat(scan[0].bytesRead()).isEqualTo(total);

    // reading after a record skips the segments wholly before it
    List<byte[]> tail = readAll(dir, 11_000, scan);
    assertThat(tail).hasSize(1_000);
    assertThat(tail.get(0)).isEqualTo(CommandCodec.encode(written.get(11_000)));
    assertThat(scan[0].segmentsRead()).isLessThan(segments.size() / 5);

    // reopening continues the sequence in the last segment
    try (JournalWriter w = JournalWriter.openSegments(dir, SEGMENT)) {
      assertThat(w.lastSeq()).isEqualTo(12_000);
      append(w, 2, 10);
    }
    assertThat(readAll(dir, 0, scan)).hasSize(12_010);
  }

  @Test
  void aMissingMiddleSegmentIsATypedError() throws IOException {
    writeSegments(3, 500);
    List<JournalSegments.Segment> segments = JournalSegments.list(dir);
    assertThat(segments).hasSizeGreaterThan(5);
    Files.delete(segments.get(3).file());
    assertThatThrownBy(() -> JournalReader.readJournal(dir, 0, (seq, c) -> {}))
        .isInstanceOfSatisfying(
            JournalCorruptedException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(JournalCorruptedException.Kind.MISSING_SEGMENT);
              assertThat(e.file()).isEqualTo(segments.get(4).file().toString());
            });
  }

  @Test
  void aMissingFirstSegmentWithoutASnapshotIsATypedError() throws IOException {
    writeSegments(4, 300);
    Files.delete(JournalSegments.list(dir).get(0).file());
    assertReadingFails(JournalCorruptedException.Kind.MISSING_SEGMENT);
  }

  @Test
  void aSegmentNamedForTheWrongRecordIsOutOfOrder() throws IOException {
    writeSegments(5, 500);
    List<JournalSegments.Segment> segments = JournalSegments.list(dir);
    JournalSegments.Segment third = segments.get(2);
    JournalSegments.Segment fourth = segments.get(3);
    // the third segment's records under a name that overlaps the second's: out of order
    Files.move(third.file(), JournalSegments.segmentFile(dir, third.firstSeq() - 1));
    assertReadingFails(JournalCorruptedException.Kind.SEGMENT_OUT_OF_ORDER);
    Files.move(JournalSegments.segmentFile(dir, third.firstSeq() - 1), third.file());
    // a segment whose first record is not the one its name says
    Files.move(fourth.file(), JournalSegments.segmentFile(dir, third.firstSeq() + 1));
    assertReadingFails(JournalCorruptedException.Kind.SEGMENT_OUT_OF_ORDER);
  }

  @Test
  void aTornTailIsDiscardedOnlyInTheLastSegment() throws IOException {
    List<Command> written;
    written = writeSegments(6, 500);
    List<JournalSegments.Segment> segments = JournalSegments.list(dir);
    Path last = segments.get(segments.size() - 1).file();
    long lastSize = Files.size(last);
    try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
      f.setLength(lastSize - 3); // the last record cut short
    }
    JournalReader.Scan[] scan = new JournalReader.Scan[1];
    assertThat(readAll(dir, 0, scan)).hasSize(written.size() - 1);
    assertThat(scan[0].discardedTailBytes()).isPositive();
    try (JournalWriter w = JournalWriter.openSegments(dir, SEGMENT)) {
      assertThat(w.lastSeq()).isEqualTo(written.size() - 1);
    }
    assertThat(readAll(dir, 0, scan)).hasSize(written.size() - 1);
    assertThat(scan[0].discardedTailBytes()).isZero();

    // the same damage at the end of an earlier segment is corruption
    Path middle = segments.get(2).file();
    try (RandomAccessFile f = new RandomAccessFile(middle.toFile(), "rw")) {
      f.setLength(f.length() - 3);
    }
    assertThatThrownBy(() -> JournalReader.readJournal(dir, 0, (seq, c) -> {}))
        .isInstanceOfSatisfying(
            JournalCorruptedException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(JournalCorruptedException.Kind.BAD_RECORD_IN_MIDDLE);
              assertThat(e.file()).isEqualTo(middle.toString());
            });
  }

  @Test
  void aCrashRightAfterRotationLeavesAnEmptyLastSegmentThatContinues() throws IOException {
    writeSegments(7, 100);
    List<JournalSegments.Segment> segments = JournalSegments.list(dir);
    // as if the process died after creating the next segment, before its header was complete
    Path next = JournalSegments.segmentFile(dir, 101);
    Files.write(next, Arrays.copyOf(JournalFormat.MAGIC, 5));
    JournalReader.Scan[] scan = new JournalReader.Scan[1];
    assertThat(readAll(dir, 0, scan)).hasSize(100);
    assertThat(scan[0].lastSeq()).isEqualTo(100);
    try (JournalWriter w = JournalWriter.openSegments(dir, SEGMENT)) {
      assertThat(w.lastSeq()).isEqualTo(100);
      assertThat(w.append(new RandomCommands(8, 5).next())).isEqualTo(101);
    }
    assertThat(JournalSegments.list(dir)).hasSize(segments.size() + 1);
    assertThat(readAll(dir, 0, scan)).hasSize(101);
  }

  @Test
  void aLegacyJournalFileIsReadAsTheFirstSegmentAndContinuedInSegments() throws IOException {
    List<Command> written = new ArrayList<>();
    try (JournalWriter w = JournalWriter.open(dir.resolve(Recovery.JOURNAL_FILE))) {
      written.addAll(append(w, 9, 200));
    }
    try (JournalWriter w = JournalWriter.openSegments(dir, SEGMENT)) {
      assertThat(w.lastSeq()).isEqualTo(200);
      written.addAll(append(w, 10, 300));
    }
    List<JournalSegments.Segment> segments = JournalSegments.list(dir);
    assertThat(segments.get(0).legacy()).isTrue();
    assertThat(segments.get(1).firstSeq()).isEqualTo(201);
    JournalReader.Scan[] scan = new JournalReader.Scan[1];
    List<byte[]> read = readAll(dir, 0, scan);
    assertThat(read).hasSize(500);
    for (int i = 0; i < 500; i++) {
      assertThat(read.get(i)).isEqualTo(CommandCodec.encode(written.get(i)));
    }
    // once a snapshot covers it, the legacy file is released like any segment
    List<Path> released = JournalSegments.releaseCovered(dir, 250, null);
    assertThat(released).contains(dir.resolve(Recovery.JOURNAL_FILE));
    assertThat(dir.resolve(Recovery.JOURNAL_FILE)).doesNotExist();
    assertThat(readAll(dir, 250, scan)).hasSize(250);
  }

  @Test
  void coveredSegmentsAreDeletedOrArchivedAndTheLastIsKept() throws IOException {
    writeSegments(11, 600);
    List<JournalSegments.Segment> before = JournalSegments.list(dir);
    long covered = before.get(5).firstSeq() - 1; // records of segments 0..4
    Path archive = dir.resolve("archive");
    List<Path> released = JournalSegments.releaseCovered(dir, covered, archive);
    assertThat(released)
        .containsExactlyElementsOf(before.subList(0, 5).stream().map(s -> s.file()).toList());
    for (Path p : released) {
      assertThat(p).doesNotExist();
      assertThat(archive.resolve(p.getFileName())).exists();
    }
    JournalReader.Scan[] scan = new JournalReader.Scan[1];
    assertThat(readAll(dir, covered, scan)).hasSize(600 - (int) covered);
    // without a snapshot covering them the journal now misses its start
    assertReadingFails(JournalCorruptedException.Kind.MISSING_SEGMENT);
    // everything covered: all but the last segment go
    JournalSegments.releaseCovered(dir, 600, null);
    List<JournalSegments.Segment> after = JournalSegments.list(dir);
    assertThat(after).hasSize(1);
    assertThat(after.get(0).file()).isEqualTo(before.get(before.size() - 1).file());
  }

  @Test
  void segmentSizeOutOfRangeIsRefused() {
    assertThatThrownBy(() -> JournalWriter.openSegments(dir, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segment size");
    assertThatThrownBy(() -> JournalWriter.openSegments(dir, (1L << 30) + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDirectoryThatCannotBeOpenedForFsyncIsCountedNotSwallowedSilently() throws IOException {
    long before = JournalSegments.directorySyncsSkipped();
    JournalSegments.syncDirectory(dir.resolve("no-such-directory"));
    assertThat(JournalSegments.directorySyncsSkipped()).isEqualTo(before + 1);
    JournalSegments.syncDirectory(dir); // an existing directory is fsynced, not skipped
    assertThat(JournalSegments.directorySyncsSkipped()).isEqualTo(before + 1);
  }

  /** Reading the journal from the start fails with a {@link JournalCorruptedException} of kind. */
  private void assertReadingFails(JournalCorruptedException.Kind kind) {
    assertThatThrownBy(() -> JournalReader.readJournal(dir, 0, (seq, c) -> {}))
        .isInstanceOfSatisfying(
            JournalCorruptedException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
