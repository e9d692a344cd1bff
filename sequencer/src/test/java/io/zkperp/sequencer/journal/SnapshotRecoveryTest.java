package io.zkperp.sequencer.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots taken through a {@link Snapshotter} on a segmented journal (real files, real fsync):
 * recovery from the newest snapshot and the segments after it equals the state the core reached
 * (and a full replay); damaged snapshots fall back with a warning; covered segments are released.
 */
class SnapshotRecoveryTest {
  private static final long SEGMENT = 4096;

  @TempDir Path dir;

  /** What a run left: the core's hash at the end and its last journal record. */
  record Run(String hash, long lastSeq) {}

  /**
   * Runs n random commands as the pipeline does: accepted ones journaled (commit every 64),
   * snapshots when the snapshotter says so, the read side being the text "read side at seq".
   */
  static Run run(Path dataDir, long seed, int n, SnapshotterBuilder snapshots)
      throws IOException, InterruptedException {
    SequencerCore core = SequencerCore.withDefaults(CoreListener.NONE);
    RandomCommands gen = new RandomCommands(seed, 50);
    Snapshotter snapshotter = snapshots.readSide(SnapshotRecoveryTest::readSide).build();
    try (JournalWriter journal = JournalWriter.openSegments(dataDir, SEGMENT)) {
      for (int i = 0; i < n; i++) {
        Command c = gen.next();
        if (core.apply(c)) {
          long seq = journal.append(c);
          if (snapshotter.due(seq)) {
            byte[] state = SnapshotStore.serialize(core);
            journal.commit(); // the pipeline hands a snapshot over after its commit
            snapshotter.taken(seq, state, 0);
          } else if ((seq & 63) == 0) {
            journal.commit();
          }
        }
      }
      journal.commit();
      snapshotter.awaitWrites();
      snapshotter.close();
      return new Run(CoreState.hashHex(core), journal.lastSeq());
    }
  }

  static byte[] readSide(long seq) {
    return ("read side at " + seq).getBytes(StandardCharsets.UTF_8);
  }

  static SnapshotterBuilder every(Path dataDir, long records, int keep) throws IOException {
    return Snapshotter.builder(new SnapshotStore(dataDir.resolve(Recovery.SNAPSHOT_DIR)))
        .everyRecords(records)
        .keep(keep)
        .queueAll(true);
  }

  static List<Path> snapshots(Path dataDir) throws IOException {
    return new SnapshotStore(dataDir.resolve(Recovery.SNAPSHOT_DIR)).files();
  }

  @Test
  void snapshotPlusLaterSegmentsEqualsTheFullReplay() throws Exception {
    Run run = run(dir, 21, 30_000, every(dir, 4_000, Integer.MAX_VALUE));
    List<Path> files = snapshots(dir);
    assertThat(files).isNotEmpty();
    long newest = SnapshotStore.journalSeqOf(files.get(files.size() - 1));
    int segments = JournalSegments.list(dir).size();

    Recovery.Recovered fromSnapshot = RecoveryTest.recover(dir);
    assertThat(fromSnapshot.snapshotSeq()).isEqualTo(newest);
    assertThat(fromSnapshot.lastSeq()).isEqualTo(run.lastSeq());
    assertThat(fromSnapshot.replayed()).isEqualTo(run.lastSeq() - newest);
    assertThat(fromSnapshot.segmentsRead()).isLessThan(segments);
    assertThat(new String(fromSnapshot.readSide(), StandardCharsets.UTF_8))
        .isEqualTo("read side at " + newest);
    byte[] snapshotState = SnapshotStore.serialize(fromSnapshot.core());

    // the same directory without snapshots: a full replay over every segment
    for (Path p : files) {
      Files.delete(p);
    }
    Recovery.Recovered full = RecoveryTest.recover(dir);
    assertThat(full.snapshotSeq()).isZero();
    assertThat(full.segmentsRead()).isEqualTo(segments);
    assertThat(SnapshotStore.serialize(full.core())).isEqualTo(snapshotState);
    assertThat(CoreState.hashHex(full.core())).isEqualTo(run.hash());
  }

  @Test
  void damagedNewestSnapshotsFallBackToThePreviousWithAWarning() throws Exception {
    Run run = run(dir, 22, 20_000, every(dir, 3_000, Integer.MAX_VALUE));
    List<Path> files = snapshots(dir);
    assertThat(files).hasSizeGreaterThanOrEqualTo(3);
    Path newest = files.get(files.size() - 1);
    Path second = files.get(files.size() - 2);
    Path third = files.get(files.size() - 3);
    List<LogRecord> warnings = new ArrayList<>();
    Logger log = Logger.getLogger(SnapshotStore.class.getName());
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
              warnings.add(r);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(capture);
    try {
      // one byte flipped in the newest
      byte[] bytes = Files.readAllBytes(newest);
      bytes[bytes.length / 2] ^= 0x10;
      Files.write(newest, bytes);
      Recovery.Recovered r = RecoveryTest.recover(dir);
      assertThat(r.snapshotSeq()).isEqualTo(SnapshotStore.journalSeqOf(second));
      assertThat(r.skippedSnapshots())
          .extracting(SnapshotStore.Skipped::file)
          .containsExactly(newest);
      assertThat(CoreState.hashHex(r.core())).isEqualTo(run.hash());
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0).getParameters()).contains(newest);

      // and the second cut short (a partial write)
      try (RandomAccessFile f = new RandomAccessFile(second.toFile(), "rw")) {
        f.setLength(f.length() / 3);
      }
      r = RecoveryTest.recover(dir);
      assertThat(r.snapshotSeq()).isEqualTo(SnapshotStore.journalSeqOf(third));
      assertThat(r.skippedSnapshots())
          .extracting(SnapshotStore.Skipped::file)
          .containsExactly(newest, second);
      assertThat(new String(r.readSide(), StandardCharsets.UTF_8))
          .isEqualTo("read side at " + SnapshotStore.journalSeqOf(third));
      assertThat(CoreState.hashHex(r.core())).isEqualTo(run.hash());
      assertThat(warnings).hasSize(3);
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void keptSnapshotsAreBoundedAndCoveredSegmentsAreDeleted() throws Exception {
    // a temporary file left by a crash during an earlier write
    Path stale =
        Files.createDirectories(dir.resolve(Recovery.SNAPSHOT_DIR))
            .resolve("snapshot-00000000000000000007.bin.tmp");
    Files.write(stale, new byte[] {1, 2, 3});
    Run run = run(dir, 23, 30_000, every(dir, 2_500, 2).releaseSegments(dir, null));
    assertThat(stale).as("removed by the first prune").doesNotExist();
    List<Path> files = snapshots(dir);
    assertThat(files).hasSize(2);
    long oldestKept = SnapshotStore.journalSeqOf(files.get(0));
    List<JournalSegments.Segment> segments = JournalSegments.list(dir);
    // every segment left holds a record after the oldest kept snapshot, or is the one before
    // the first segment that starts after it
    assertThat(segments.get(0).firstSeq()).isLessThanOrEqualTo(oldestKept + 1);
    assertThat(segments.size() > 1 ? segments.get(1).firstSeq() : Long.MAX_VALUE)
        .isGreaterThan(oldestKept + 1);
    assertThat(segments.get(0).firstSeq()).isGreaterThan(1);

    Recovery.Recovered r = RecoveryTest.recover(dir);
    assertThat(r.lastSeq()).isEqualTo(run.lastSeq());
    assertThat(CoreState.hashHex(r.core())).isEqualTo(run.hash());
    // the newest damaged: the older kept one still has its journal tail
    Path newest = files.get(1);
    try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
      f.setLength(f.length() - 1);
    }
    r = RecoveryTest.recover(dir);
    assertThat(r.snapshotSeq()).isEqualTo(oldestKept);
    assertThat(CoreState.hashHex(r.core())).isEqualTo(run.hash());
  }

  @Test
  void theReleaseGateHoldsCoveredSegmentsUntilItAllowsTheirRecords() throws Exception {
    // a settling node whose batches are final up to record 1,500 only
    java.util.concurrent.atomic.AtomicLong finalUpTo =
        new java.util.concurrent.atomic.AtomicLong(1_500);
    Run run =
        run(
            dir,
            31,
            20_000,
            every(dir, 1_000, 1).releaseSegments(dir, null).releaseGate(finalUpTo::get));
    long snapshotSeq = SnapshotStore.journalSeqOf(snapshots(dir).get(0));
    assertThat(snapshotSeq).as("the snapshot covers far more than the gate").isGreaterThan(5_000);
    List<JournalSegments.Segment> held = JournalSegments.list(dir);
    // the segments wholly at or before the gate went; the one holding record 1,501 and every later
    // one stayed, although the snapshot covers them
    assertThat(held.get(0).firstSeq()).isGreaterThan(1).isLessThanOrEqualTo(1_501);
    assertThat(held.get(1).firstSeq()).isGreaterThan(1_501);
    long[] expect = {1_501};
    JournalReader.readJournal(
        dir, 1_500, (seq, c) -> assertThat(seq).isEqualTo(expect[0]++)); // nothing missing
    assertThat(expect[0] - 1).isEqualTo(run.lastSeq());

    // the batches become final: the next snapshot releases what it covers
    finalUpTo.set(Long.MAX_VALUE);
    Recovery.Recovered r = RecoveryTest.recover(dir);
    assertThat(CoreState.hashHex(r.core())).isEqualTo(run.hash());
    Snapshotter next =
        every(dir, 0, 1)
            .releaseSegments(dir, null)
            .releaseGate(finalUpTo::get)
            .readSide(SnapshotRecoveryTest::readSide)
            .build();
    next.taken(r.lastSeq(), SnapshotStore.serialize(r.core()), 0);
    next.awaitWrites();
    next.close();
    assertThat(next.heldByGate()).isFalse();
    assertThat(next.releasedSegments()).isEqualTo(held.size() - 1);
    assertThat(JournalSegments.list(dir)).hasSize(1);
    assertThat(CoreState.hashHex(RecoveryTest.recover(dir).core())).isEqualTo(run.hash());
  }

  @Test
  void aProtectedSnapshotAndTheJournalAfterItStayForARecoveryAtOrBeforeIt() throws Exception {
    // a settling node whose last sealed batch ends at record 2,500: recovery must start at or
    // before it, so the newest snapshot at or before it stays, and so does the journal after it
    long sealedUpTo = 2_500;
    Run run =
        run(
            dir,
            41,
            20_000,
            every(dir, 1_000, 1)
                .releaseSegments(dir, null)
                .protectSnapshotAtOrBefore(() -> sealedUpTo));
    List<Path> files = snapshots(dir);
    assertThat(files).hasSize(2);
    long protectedSeq = SnapshotStore.journalSeqOf(files.get(0));
    assertThat(protectedSeq).isLessThanOrEqualTo(sealedUpTo).isGreaterThan(sealedUpTo - 1_100);
    long newest = SnapshotStore.journalSeqOf(files.get(1));
    assertThat(newest).isGreaterThan(10_000);
    assertThat(JournalSegments.list(dir).get(0).firstSeq())
        .as("segments before the protected snapshot are released, none after it")
        .isGreaterThan(1)
        .isLessThanOrEqualTo(protectedSeq + 1);

    Recovery.Recovered atOrBefore =
        Recovery.recover(
            dir,
            io.zkperp.sequencer.book.OrderBookFactory.OPTIMISED,
            io.zkperp.sequencer.SelfTradePrevention.EXPIRE_MAKER,
            io.zkperp.sequencer.core.RiskHook.PERMISSIVE,
            CoreListener.NONE,
            null,
            sealedUpTo);
    assertThat(atOrBefore.snapshotSeq()).isEqualTo(protectedSeq);
    assertThat(atOrBefore.replayed()).isEqualTo(run.lastSeq() - protectedSeq);
    assertThat(CoreState.hashHex(atOrBefore.core())).isEqualTo(run.hash());
    Recovery.Recovered newestOne = RecoveryTest.recover(dir);
    assertThat(newestOne.snapshotSeq()).isEqualTo(newest);
    assertThat(SnapshotStore.serialize(newestOne.core()))
        .isEqualTo(SnapshotStore.serialize(atOrBefore.core()));

    // with no snapshot at or before the protected record, nothing is released at all
    Path other = dir.resolve("other");
    run(
        other,
        42,
        6_000,
        every(other, 1_000, 1).releaseSegments(other, null).protectSnapshotAtOrBefore(() -> 10));
    assertThat(JournalSegments.list(other).get(0).firstSeq()).isEqualTo(1);
    assertThat(snapshots(other)).hasSize(1);
  }
}
