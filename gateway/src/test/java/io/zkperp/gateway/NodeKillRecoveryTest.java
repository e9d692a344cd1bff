package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.Recovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real demo node in a child JVM ({@link KilledNodeMain}) on 2 KiB journal segments with a
 * snapshot every 20 records (so the writer is nearly always busy), SIGKILLed under order load,
 * restarted on the same directory, killed again: after every kill each acknowledged order is in the
 * journal at its acknowledged sequence number, and recovery from the newest valid snapshot plus the
 * segments after it equals a full replay of the journal (the live segments plus the archived ones),
 * core and read model byte for byte. Rounds: system property {@code zkperp.killRounds} (default 3;
 * the acceptance run uses 20).
 */
class NodeKillRecoveryTest {
  @TempDir Path dir;

  /** An acknowledged order: its journal sequence, account and nonce. */
  record Ack(long seq, int account, long nonce) {}

  @Test
  void everyAcknowledgedOrderSurvivesSigkillWhileSnapshotsAreWritten() throws Exception {
    int rounds = Integer.getInteger("zkperp.killRounds", 3);
    Path data = dir.resolve("data");
    Path archive = dir.resolve("archive");
    long[] nonces = new long[10];
    List<Ack> acked = Collections.synchronizedList(new ArrayList<>());
    int killedWhileWriting = 0;
    long restartedFromSnapshot = 0;
    for (int round = 0; round < rounds; round++) {
      Process child = KilledNodeMain.spawn(data, 2048, 20, archive);
      int port = KilledNodeMain.awaitPort(child);
      int before = acked.size();
      KillUnderLoad.run(
          child,
          (first, i) -> {
            int account = first + 4 * (i % (first < 2 ? 3 : 2));
            long nonce = ++nonces[account];
            Side side = nonce % 5 == 0 ? Side.SELL : Side.BUY;
            long price = side == Side.SELL ? 990 : 950 + nonce % 40;
            JsonNode r = DemoNodeRpc.placeLimit(port, account, 2, side, 1, price, nonce);
            if (r.has("result")) {
              acked.add(new Ack(r.path("result").path("journalSeq").asLong(), account, nonce));
            }
          },
          () -> acked.size() >= before + 300);
      assertThat(acked.size()).isGreaterThanOrEqualTo(before + 300);
      try (Stream<Path> s = Files.list(data.resolve(Recovery.SNAPSHOT_DIR))) {
        if (s.anyMatch(p -> p.toString().endsWith(".tmp"))) {
          killedWhileWriting++;
        }
      }
      restartedFromSnapshot += check(data, archive, acked);
    }
    System.out.printf(
        "kill rounds: %d, killed while a snapshot was being written: %d, recovered from a"
            + " snapshot: %d, acknowledged orders: %d%n",
        rounds, killedWhileWriting, restartedFromSnapshot, acked.size());
    assertThat(restartedFromSnapshot).isEqualTo(rounds);
    // the node itself restarts on the directory with every acknowledged order
    long last = acked.stream().mapToLong(Ack::seq).max().orElseThrow();
    try (GatewayNode node =
        GatewayNode.open(
            NodeOptions.builder(data)
                .feedIntervalMillis(0)
                .signatures(SignatureVerifiers.JAVA)
                .durability(new DurabilityOptions(2048, 20, 0, 2, archive))
                .build())) {
      assertThat(node.gateway().readModel().journalSeq()).isGreaterThanOrEqualTo(last);
    }
  }

  /**
   * Every acknowledged order at its sequence number in the whole journal (live and archived
   * segments); recovery of the directory as it is equals the full replay. Returns 1 if recovery
   * started from a snapshot.
   */
  private int check(Path data, Path archive, List<Ack> acked) throws Exception {
    Path full = dir.resolve("full");
    NodeSnapshots.delete(full);
    NodeSnapshots.copy(data, full);
    NodeSnapshots.delete(full.resolve(Recovery.SNAPSHOT_DIR));
    NodeSnapshots.restoreArchived(archive, full);
    Map<Long, Ack> journaled = new HashMap<>();
    JournalReader.readJournal(
        full,
        0,
        (seq, c) -> {
          if (c instanceof PlaceOrder o) {
            journaled.put(seq, new Ack(seq, o.account(), o.nonce()));
          }
        });
    synchronized (acked) {
      for (Ack a : acked) {
        assertThat(journaled.get(a.seq())).as("acknowledged order at %d", a.seq()).isEqualTo(a);
      }
    }
    NodeSnapshots.State recovered = NodeSnapshots.recover(data);
    NodeSnapshots.State replayed = NodeSnapshots.recover(full);
    assertThat(replayed.recovered().snapshotSeq()).isZero();
    assertThat(recovered.recovered().lastSeq()).isEqualTo(replayed.recovered().lastSeq());
    assertThat(recovered.core()).isEqualTo(replayed.core());
    assertThat(recovered.readModel()).isEqualTo(replayed.readModel());
    NodeSnapshots.delete(full);
    return recovered.recovered().snapshotSeq() > 0 ? 1 : 0;
  }
}
