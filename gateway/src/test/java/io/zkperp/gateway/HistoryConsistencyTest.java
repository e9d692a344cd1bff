package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.journal.JournalSegments;
import io.zkperp.sequencer.journal.Recovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history that does not fit the journal stops the start with a message saying what to do, and the
 * journal and snapshots stay as they were: a history behind the snapshot recovery starts from (its
 * directory deleted: the records between cannot be replayed into it), and a history past the
 * journal's end (another directory's).
 */
class HistoryConsistencyTest {
  @TempDir Path dir;

  private static NodeOptions options(Path data) {
    return NodeOptions.builder(data)
        .feedIntervalMillis(0)
        .signatures(SignatureVerifiers.JAVA)
        .durability(new DurabilityOptions(64 << 10, 0, 0, 2, null))
        .build();
  }

  private static void trade(Path data, int orders) throws Exception {
    try (GatewayNode node = GatewayNode.open(options(data))) {
      for (int n = 1; n <= orders; n++) {
        int account = n % 2;
        CommandOutcomeCheck.accepted(
            node.gateway()
                .bridge()
                .submit(
                    DemoNodeRpc.limitOrder(
                        account,
                        account,
                        2,
                        account == 0 ? Side.SELL : Side.BUY,
                        1,
                        1000,
                        node.gateway().readModel().highestNonce(account) + 1)));
      }
    }
  }

  @Test
  void aHistoryBehindTheSnapshotStopsTheStart() throws Exception {
    Path data = dir.resolve("data");
    trade(data, 10);
    NodeSnapshots.delete(data.resolve(HistoryStore.DIR));
    Map<Path, Long> before = listing(data);
    assertThatThrownBy(() -> GatewayNode.open(options(data)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(
            "the history is at journal record 0 but recovery starts from the snapshot");
    assertThat(listing(data)).isEqualTo(before);
    // without the snapshots the whole journal is replayed and the history rebuilt
    NodeSnapshots.delete(data.resolve(Recovery.SNAPSHOT_DIR));
    try (GatewayNode node = GatewayNode.open(options(data))) {
      assertThat(
              node.gateway()
                  .readModel()
                  .fills(0, -1, io.zkperp.gateway.bridge.history.HistoryCursor.NEWEST, 100)
                  .items())
          .hasSize(5);
    }
  }

  @Test
  void aHistoryPastTheJournalStopsTheStart() throws Exception {
    Path a = dir.resolve("a");
    trade(a, 4);
    Path b = dir.resolve("b");
    NodeSnapshots.copy(a, b);
    trade(b, 6); // b's history goes further than a's journal
    NodeSnapshots.delete(a.resolve(HistoryStore.DIR));
    NodeSnapshots.copy(b.resolve(HistoryStore.DIR), a.resolve(HistoryStore.DIR));
    Map<Path, Long> before = listing(a);
    assertThatThrownBy(() -> GatewayNode.open(options(a)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("past the journal's last record");
    assertThat(listing(a)).isEqualTo(before);
  }

  /** The journal's and the snapshots' files with their sizes. */
  private static Map<Path, Long> listing(Path data) throws IOException {
    Map<Path, Long> out = new TreeMap<>();
    for (Path sub :
        new Path[] {data.resolve(JournalSegments.DIR), data.resolve(Recovery.SNAPSHOT_DIR)}) {
      if (!Files.isDirectory(sub)) {
        continue;
      }
      try (var s = Files.walk(sub)) {
        for (Path p : s.filter(Files::isRegularFile).toList()) {
          out.put(p, Files.size(p));
        }
      }
    }
    return out;
  }

  /** Asserts an accepted outcome. */
  private static final class CommandOutcomeCheck {
    static void accepted(
        java.util.concurrent.CompletableFuture<io.zkperp.gateway.bridge.CommandOutcome> f)
        throws Exception {
      assertThat(f.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(io.zkperp.gateway.bridge.CommandOutcome.Accepted.class);
    }
  }
}
