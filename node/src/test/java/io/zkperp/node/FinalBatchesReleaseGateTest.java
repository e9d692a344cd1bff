package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalSegments;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.journal.SnapshotStore;
import io.zkperp.sequencer.journal.Snapshotter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settling node's segment release gate on a real {@link BatchStore} (RocksDB), alone and behind
 * a real {@link Snapshotter} on real journal segments: a segment goes only when a snapshot covers
 * it and every batch up to its records is final on L1.
 */
class FinalBatchesReleaseGateTest {
  @TempDir Path dir;

  private static BatchRecord batch(long number, long firstSeq, long lastSeq, BatchStatus status) {
    return BatchRecord.sealed(
            number, firstSeq, lastSeq, 1, 0, new byte[32], new byte[] {1}, new byte[] {2})
        .withStatus(status);
  }

  @Test
  void releasableUpToTheLastRecordOfTheContiguousFinalBatches() throws Exception {
    try (BatchStore store = BatchStore.open(dir.resolve("batches"))) {
      FinalBatchesReleaseGate gate = new FinalBatchesReleaseGate(store);
      assertThat(gate.releasableJournalSeq()).as("no batch: hold everything").isZero();
      store.put(batch(1, 1, 100, BatchStatus.COMMITTED));
      store.put(batch(2, 101, 250, BatchStatus.FINAL));
      assertThat(gate.releasableJournalSeq()).as("batch 1 not final yet").isZero();
      store.put(batch(1, 1, 100, BatchStatus.FINAL));
      assertThat(gate.releasableJournalSeq()).isEqualTo(250);
      assertThat(gate.finalBatches()).isEqualTo(2);
      store.put(batch(3, 251, 300, BatchStatus.PROVEN));
      store.put(batch(4, 301, 400, BatchStatus.FINAL));
      assertThat(gate.releasableJournalSeq()).as("batch 3 is a gap").isEqualTo(250);
      store.put(batch(3, 251, 300, BatchStatus.FINAL));
      assertThat(gate.releasableJournalSeq()).isEqualTo(400);
      // many batches: read page by page
      for (long n = 5; n <= 1_000; n++) {
        store.put(batch(n, 400 + (n - 5) * 10 + 1, 400 + (n - 4) * 10, BatchStatus.FINAL));
      }
      assertThat(gate.releasableJournalSeq()).isEqualTo(400 + 996 * 10);
      assertThat(gate.finalBatches()).isEqualTo(1_000);
    }
  }

  @Test
  void theSnapshotterKeepsASegmentWhileItsBatchIsNotFinal() throws Exception {
    Path data = dir.resolve("data");
    long last;
    try (JournalWriter journal = JournalWriter.openSegments(data, 1024)) {
      for (int i = 1; i <= 2_000; i++) {
        journal.append(new Tick(i));
        if (i % 10 == 0) {
          journal.commit();
        }
      }
      journal.commit();
      last = journal.lastSeq();
    }
    List<JournalSegments.Segment> before = JournalSegments.list(data);
    assertThat(before).hasSizeGreaterThan(10);
    byte[] state = SnapshotStore.serialize(SequencerCore.withDefaults(CoreListener.NONE));
    try (BatchStore store = BatchStore.open(dir.resolve("batches"))) {
      store.put(batch(1, 1, 500, BatchStatus.FINAL));
      store.put(batch(2, 501, 1_500, BatchStatus.COMMITTED));
      FinalBatchesReleaseGate gate = new FinalBatchesReleaseGate(store);

      Snapshotter snapshotter =
          Snapshotter.builder(new SnapshotStore(data.resolve(Recovery.SNAPSHOT_DIR)))
              .keep(1)
              .releaseSegments(data, null)
              .releaseGate(gate)
              .build();
      snapshotter.taken(last, state, 0); // covers every record
      snapshotter.awaitWrites();
      assertThat(snapshotter.heldByGate()).isTrue();
      List<JournalSegments.Segment> held = JournalSegments.list(data);
      // only the segments wholly inside batch 1 went: the one holding record 501 stays
      assertThat(held.get(0).firstSeq()).isGreaterThan(1).isLessThanOrEqualTo(501);
      assertThat(held.get(1).firstSeq()).isGreaterThan(501);

      // batch 2 becomes final on L1: the next snapshot releases up to record 1,500
      store.put(batch(2, 501, 1_500, BatchStatus.FINAL));
      snapshotter.taken(last, state, 0);
      snapshotter.awaitWrites();
      snapshotter.close();
      List<JournalSegments.Segment> after = JournalSegments.list(data);
      assertThat(after.get(0).firstSeq()).isGreaterThan(501).isLessThanOrEqualTo(1_501);
      assertThat(after.get(1).firstSeq()).isGreaterThan(1_501);
      assertThat(snapshotter.heldByGate()).isTrue(); // records after 1,500 are in no final batch
    }
  }
}
