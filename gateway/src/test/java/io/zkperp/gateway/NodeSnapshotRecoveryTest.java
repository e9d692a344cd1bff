package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.journal.JournalCorruptedException;
import io.zkperp.sequencer.journal.JournalSegments;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.journal.SnapshotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo node on 1 KiB journal segments with a snapshot every 7 records: a snapshot (core and
 * read model) plus the segments after it recover exactly the state of a full replay and of the
 * running node, byte for byte; the node itself restarts from it.
 */
class NodeSnapshotRecoveryTest {
  @TempDir Path dir;

  static NodeOptions options(Path dir, DurabilityOptions durability) {
    return NodeOptions.builder(dir)
        .clockSeconds(() -> 1_700_000_000L)
        .feedIntervalMillis(0)
        .signatures(SignatureVerifiers.JAVA)
        .durability(durability)
        .build();
  }

  @Test
  void snapshotPlusLaterSegmentsEqualsTheFullReplayAndTheRunningNode() throws Exception {
    // many snapshots kept: no segment is released, so a full replay stays possible
    DurabilityOptions durability = new DurabilityOptions(1024, 7, 0, 1_000, null);
    byte[] liveReadModel;
    long lastSeq;
    int fills = 0;
    try (GatewayNode node = GatewayNode.open(options(dir, durability))) {
      for (int n = 1; n <= 60; n++) {
        int account = n % 10;
        // sells and buys around 1,000 on market 2: some rest, some cross
        Side side = n % 3 == 0 ? Side.SELL : Side.BUY;
        long price = side == Side.SELL ? 995 + n % 7 : 990 + n % 13;
        JsonNode r = DemoNodeRpc.placeLimit(node, account, 2, side, 2, price, n);
        assertThat(r.has("result")).as(r.toString()).isTrue();
        fills += r.path("result").path("fills").size();
      }
      ReadModel readModel = node.gateway().readModel();
      lastSeq = readModel.journalSeq();
      liveReadModel = readModel.encodeSnapshot(lastSeq);
      assertThat(node.snapshotter().written()).isPositive();
      var metrics = node.gateway().metrics();
      assertThat(metrics.get("snapshot.written").functionCounter().count()).isPositive();
      assertThat(metrics.get("journal.segment.rotations").functionCounter().count()).isPositive();
      assertThat(metrics.get("snapshot.seq").gauge().value()).isPositive();
    }
    assertThat(fills).as("some orders traded").isPositive();
    List<JournalSegments.Segment> segments = JournalSegments.list(dir);
    assertThat(segments).hasSizeGreaterThan(5);
    List<Path> snapshots = new SnapshotStore(dir.resolve(Recovery.SNAPSHOT_DIR)).files();
    // the last one was taken on close, at the last record
    assertThat(SnapshotStore.journalSeqOf(snapshots.get(snapshots.size() - 1))).isEqualTo(lastSeq);

    NodeSnapshots.State atClose = NodeSnapshots.recover(dir);
    assertThat(atClose.recovered().snapshotSeq()).isEqualTo(lastSeq);
    assertThat(atClose.recovered().replayed()).isZero();
    assertThat(atClose.readModel()).isEqualTo(liveReadModel);

    // an earlier snapshot: its core and read model plus the later segments
    Path mid = dir.resolveSibling(dir.getFileName() + "-mid");
    NodeSnapshots.copy(dir, mid);
    for (Path p : snapshots.subList(snapshots.size() / 2, snapshots.size())) {
      Files.delete(mid.resolve(Recovery.SNAPSHOT_DIR).resolve(p.getFileName()));
    }
    NodeSnapshots.State fromMid = NodeSnapshots.recover(mid);
    assertThat(fromMid.recovered().snapshotSeq()).isPositive().isLessThan(lastSeq - 10);
    assertThat(fromMid.recovered().replayed())
        .isEqualTo(lastSeq - fromMid.recovered().snapshotSeq());
    assertThat(fromMid.recovered().segmentsRead()).isLessThan(segments.size());

    // no snapshot: the whole journal
    Path full = dir.resolveSibling(dir.getFileName() + "-full");
    NodeSnapshots.copy(dir, full);
    NodeSnapshots.delete(full.resolve(Recovery.SNAPSHOT_DIR));
    NodeSnapshots.State fromJournal = NodeSnapshots.recover(full);
    assertThat(fromJournal.recovered().snapshotSeq()).isZero();
    assertThat(fromJournal.recovered().replayed()).isEqualTo(lastSeq);

    assertThat(fromMid.core()).isEqualTo(fromJournal.core()).isEqualTo(atClose.core());
    assertThat(fromMid.readModel())
        .isEqualTo(fromJournal.readModel())
        .isEqualTo(atClose.readModel())
        .isEqualTo(liveReadModel);
    NodeSnapshots.delete(mid);
    NodeSnapshots.delete(full);

    // the node restarts from the snapshot and serves the same read model
    try (GatewayNode node = GatewayNode.open(options(dir, durability))) {
      assertThat(node.gateway().readModel().encodeSnapshot(lastSeq)).isEqualTo(liveReadModel);
    }
  }

  @Test
  void coveredSegmentsAreReleasedToTheArchiveAndTheNodeStillRestarts() throws Exception {
    Path archive = dir.resolveSibling(dir.getFileName() + "-archive");
    DurabilityOptions durability = new DurabilityOptions(1024, 5, 0, 2, archive);
    byte[] liveReadModel;
    long lastSeq;
    try (GatewayNode node = GatewayNode.open(options(dir, durability))) {
      for (int n = 1; n <= 40; n++) {
        JsonNode r = DemoNodeRpc.placeLimit(node, n % 10, 2, Side.BUY, 1, 950 + n, n);
        assertThat(r.has("result")).as(r.toString()).isTrue();
      }
      lastSeq = node.gateway().readModel().journalSeq();
      liveReadModel = node.gateway().readModel().encodeSnapshot(lastSeq);
    }
    assertThat(new SnapshotStore(dir.resolve(Recovery.SNAPSHOT_DIR)).files()).hasSize(2);
    try (var s = Files.list(archive)) {
      assertThat(s.count()).as("segments moved to the archive").isPositive();
    }
    assertThat(JournalSegments.list(dir).get(0).firstSeq()).isGreaterThan(1);
    try (GatewayNode node = GatewayNode.open(options(dir, durability))) {
      assertThat(node.gateway().readModel().encodeSnapshot(lastSeq)).isEqualTo(liveReadModel);
    }
    NodeSnapshots.delete(archive);
  }

  @Test
  void aMissingSegmentStopsTheStartWithATypedErrorAndChangesNothing() throws Exception {
    // one snapshot only, at close: every segment is still needed after a lost middle one
    DurabilityOptions durability = new DurabilityOptions(1024, 0, 0, 2, null);
    try (GatewayNode node = GatewayNode.open(options(dir, durability))) {
      for (int n = 1; n <= 30; n++) {
        DemoNodeRpc.placeLimit(node, n % 10, 2, Side.BUY, 1, 950 + n, n);
      }
    }
    NodeSnapshots.delete(dir.resolve(Recovery.SNAPSHOT_DIR));
    List<JournalSegments.Segment> segments = JournalSegments.list(dir);
    assertThat(segments).hasSizeGreaterThan(4);
    Files.delete(segments.get(2).file());
    Map<Path, Long> before = listing(dir);
    long historyBefore = appliedSeq(dir);
    assertThatThrownBy(() -> GatewayNode.open(options(dir, durability)))
        .isInstanceOfSatisfying(
            JournalCorruptedException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(JournalCorruptedException.Kind.MISSING_SEGMENT);
              assertThat(e.getMessage()).contains(segments.get(3).file().getFileName().toString());
            });
    assertThat(listing(dir)).isEqualTo(before);
    // RocksDB reorganises its own files on open (the log into tables); what it holds is the same
    assertThat(appliedSeq(dir)).isEqualTo(historyBefore).isPositive();
  }

  private static long appliedSeq(Path dir) throws Exception {
    try (HistoryStore h = HistoryStore.open(dir.resolve(HistoryStore.DIR))) {
      return h.appliedSeq();
    }
  }

  /** Every file under a directory with its size (the lock file and the history aside). */
  private static Map<Path, Long> listing(Path dir) throws Exception {
    Map<Path, Long> out = new TreeMap<>();
    try (var s = Files.walk(dir)) {
      for (Path p :
          s.filter(Files::isRegularFile)
              .filter(p -> !p.startsWith(dir.resolve(HistoryStore.DIR)))
              .toList()) {
        if (!p.getFileName().toString().equals("node.lock")) {
          out.put(p, Files.size(p));
        }
      }
    }
    return out;
  }
}
