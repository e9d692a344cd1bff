package io.zkperp.sequencer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.TestKeys;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.journal.SnapshotReplica;
import io.zkperp.sequencer.journal.SnapshotStore;
import io.zkperp.sequencer.journal.Snapshotter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots taken by a {@link SnapshotReplica} behind the real pipeline (signed orders, intake,
 * core, fsynced journal): the core and journal threads never pause for a snapshot, the replica's
 * events equal the pipeline's, and every snapshot equals the state a replay of the journal reaches
 * at its record, with the read side of the same record.
 */
class ReplicaSnapshotPipelineTest {
  @TempDir Path dir;

  @Test
  void replicaSnapshotsEqualTheJournalReplayAtTheirRecordAndNeverPauseThePipeline()
      throws Exception {
    TestKeys keys = new TestKeys(20);
    RandomCommands gen = new RandomCommands(77, 20);
    List<byte[]> encoded = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      encoded.add(CommandCodec.encode(keys.sign(gen.next())));
    }
    Map<Long, List<SequencerEvent>> outputEvents = new ConcurrentHashMap<>();
    Map<Long, List<SequencerEvent>> replicaEvents = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(encoded.size());
    SequencerOutput out =
        new SequencerOutput() {
          @Override
          public void onAccepted(long requestId, long journalSeq, List<SequencerEvent> events) {
            outputEvents.put(journalSeq, List.copyOf(events));
            done.countDown();
          }

          @Override
          public void onRejected(long requestId, RejectReason reason, String message) {
            done.countDown();
          }
        };
    SequencerCore core = SequencerCore.withDefaults(CoreListener.NONE);
    // the read side's copy: the last record it applied, which each snapshot's read side states
    long[] followerSeq = {0};
    SnapshotReplica replica =
        new SnapshotReplica(
            SnapshotReplica.copyOf(core, OrderBookFactory.OPTIMISED, RiskHook.PERMISSIVE),
            0,
            (seq, command, events) -> {
              replicaEvents.put(seq, List.copyOf(events));
              followerSeq[0] = seq;
            },
            64);
    Snapshotter snapshotter =
        Snapshotter.builder(new SnapshotStore(dir.resolve(Recovery.SNAPSHOT_DIR)))
            .everyRecords(250)
            .keep(Integer.MAX_VALUE)
            .queueAll(true)
            .replica(replica)
            .readSide(
                seq -> {
                  assertThat(followerSeq[0]).isEqualTo(seq);
                  return ("read side at " + seq).getBytes(StandardCharsets.UTF_8);
                })
            .build();
    JournalWriter journal = JournalWriter.open(dir.resolve(Recovery.JOURNAL_FILE));
    Sequencer sequencer =
        Sequencer.builder(core, journal, keys.directory(), MessageDomain.DEMO, out)
            .snapshotter(snapshotter)
            .signatures(new io.zkperp.protocol.eddsa.JavaSignatureVerifier(16))
            .ringSize(256)
            .start();
    for (int i = 0; i < encoded.size(); i++) {
      sequencer.submit(i, encoded.get(i));
    }
    assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
    sequencer.close(); // the final snapshot comes from the replica too
    snapshotter.awaitWrites();
    snapshotter.close();
    long lastSeq = journal.lastSeq();
    journal.close();

    assertThat(lastSeq).isGreaterThan(1_000);
    assertThat(snapshotter.longestCorePauseNanos()).as("core thread never serialised").isZero();
    assertThat(snapshotter.longestReadSidePauseNanos()).as("journal thread never encoded").isZero();
    assertThat(snapshotter.failures()).isZero();
    assertThat(replica.failed()).isFalse();
    assertThat(replica.appliedSeq()).isEqualTo(lastSeq);
    assertThat(replicaEvents).isEqualTo(outputEvents);

    // every snapshot (every 250th record, and the final one) equals the journal's replay there
    List<Path> files = new SnapshotStore(dir.resolve(Recovery.SNAPSHOT_DIR)).files();
    assertThat(files).hasSize((int) (lastSeq / 250) + (lastSeq % 250 == 0 ? 0 : 1));
    assertThat(SnapshotStore.journalSeqOf(files.getLast())).isEqualTo(lastSeq);
    Map<Long, String> replayHashes = new ConcurrentHashMap<>();
    SequencerCore replay = SequencerCore.withDefaults(CoreListener.NONE);
    JournalReader.read(
        dir.resolve(Recovery.JOURNAL_FILE),
        (seq, c) -> {
          assertThat(replay.apply(c)).isTrue();
          if (seq % 250 == 0 || seq == lastSeq) {
            replayHashes.put(seq, CoreState.hashHex(replay));
          }
        });
    assertThat(CoreState.hashHex(replay)).isEqualTo(CoreState.hashHex(core));
    Path one = dir.resolve("one");
    for (Path file : files) {
      long seq = SnapshotStore.journalSeqOf(file);
      // load each snapshot alone: the newest intact one in a directory of its own
      Files.createDirectories(one.resolve(Recovery.SNAPSHOT_DIR));
      Path copy = Files.copy(file, one.resolve(Recovery.SNAPSHOT_DIR).resolve(file.getFileName()));
      var loaded =
          new SnapshotStore(one.resolve(Recovery.SNAPSHOT_DIR))
              .loadLatest(OrderBookFactory.OPTIMISED, RiskHook.PERMISSIVE, CoreListener.NONE)
              .orElseThrow();
      Files.delete(copy);
      assertThat(loaded.journalSeq()).isEqualTo(seq);
      assertThat(CoreState.hashHex(loaded.core()))
          .as("snapshot at %d", seq)
          .isEqualTo(replayHashes.get(seq));
      assertThat(new String(loaded.readSide(), StandardCharsets.UTF_8))
          .isEqualTo("read side at " + seq);
    }
  }
}
