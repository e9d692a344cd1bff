package io.zkperp.node;

import static io.zkperp.node.NodeItSupport.TUSD;
import static io.zkperp.node.NodeItSupport.await;
import static io.zkperp.node.NodeItSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.l1.AnvilExtension;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.L2Fixtures;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.journal.JournalSegments;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.journal.SnapshotStore;
import io.zkperp.state.RollupStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots on the settling node (real anvil, real proofs of the tiny shape, two prover workers):
 * journal segments of 1 KiB, a snapshot every 2 records; deposits, transfers and a withdrawal run
 * through several batches to L1. While no batch is FINAL (finality 40 blocks) no segment leaves,
 * however many snapshots cover them; once the batches are final the next snapshot releases the
 * covered segments (into an archive here, so the test can replay them). The node restarts from a
 * snapshot (not from genesis: it replays only the records after it), its accounts' keys and nonces
 * restored from the snapshot, and goes on settling a batch L1 accepts; the engine recovered from
 * snapshot + tail equals a full replay of every record.
 */
class NodeSnapshotIT {
  @RegisterExtension static final AnvilExtension anvil = new AnvilExtension();

  @TempDir Path dir;

  NodeConfig config(RollupDeployment d) {
    return NodeItSupport.config(dir, anvil.rpcUrl(), d, NodeItSupport.worker(dir).withWorkers(2))
        .withL1(
            new NodeConfig.L1(
                anvil.rpcUrl(),
                d.rollup(),
                NodeItSupport.OPERATOR,
                1,
                40,
                100,
                0,
                Duration.ofMillis(200)))
        .withJournalSegmentBytes(1_024)
        .withSnapshots(new NodeConfig.Snapshots(2, 0, 1, dir.resolve("archive")));
  }

  static long transfer(RollupNode node, EdDsaPrivateKey key, int from, int to, long nonce)
      throws IOException {
    CommandOutcome o = node.submitTransfer(L2Fixtures.transfer(key, from, to, 3 * TUSD, nonce));
    assertThat(o).isInstanceOf(CommandOutcome.Accepted.class);
    return ((CommandOutcome.Accepted) o).journalSeq();
  }

  /** The last journal record of the longest run of FINAL batches from batch 1. */
  static long finalThrough(RollupNode node) throws IOException {
    long seq = 0;
    for (BatchRecord b : node.batches().range(1, 10_000)) {
      if (b.status() != BatchStatus.FINAL) {
        break;
      }
      seq = b.lastSeq();
    }
    return seq;
  }

  static void awaitSettled(RollupNode node, long journalSeq, BatchStatus at) throws Exception {
    await(
        "record " + journalSeq + " " + at,
        () -> {
          try {
            List<BatchRecord> all = node.batches().range(1, 10_000);
            return !all.isEmpty()
                && all.getLast().lastSeq() >= journalSeq
                && all.stream().allMatch(b -> b.status().ordinal() >= at.ordinal());
          } catch (IOException e) {
            return false;
          }
        },
        180);
  }

  static long archived(Path archive) throws IOException {
    if (!Files.isDirectory(archive)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(archive)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".log")).count();
    }
  }

  @Test
  void restartsFromASnapshotAndReleasesSegmentsOnlyOnceTheirBatchesAreFinal() throws Exception {
    EdDsaPrivateKey alice = NodeItSupport.l2Key(1);
    EdDsaPrivateKey bob = NodeItSupport.l2Key(2);
    Path nodeDir = dir.resolve("node");
    Path archive = dir.resolve("archive");
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d = NodeItSupport.deploy(l1);
      NodeItSupport.fundAndDeposit(l1, d, DevAccounts.account(2), alice, 1, 600 * TUSD);
      NodeItSupport.fundAndDeposit(l1, d, DevAccounts.account(3), bob, 2, 200 * TUSD);
      long aliceNonce = 0;
      long bobNonce = 0;
      long last;
      try (RollupNode node = RollupNode.open(config(d))) {
        assertThat(node.recovery().snapshotSeq()).isZero();
        NodeItSupport.mine(anvil.rpcUrl(), 1);
        await(
            "both deposits credited",
            () -> node.accounts().account(1) != null && node.accounts().account(2) != null,
            60);
        for (int i = 0; i < 6; i++) {
          transfer(node, alice, 1, 2, aliceNonce++);
          transfer(node, bob, 2, 1, bobNonce++);
        }
        CommandOutcome w =
            node.submitWithdrawal(
                L2Fixtures.withdrawal(alice, 1, DevAccounts.account(2), 50 * TUSD, aliceNonce++));
        assertThat(w).isInstanceOf(CommandOutcome.Accepted.class);
        last = ((CommandOutcome.Accepted) w).journalSeq();
        awaitSettled(node, last, BatchStatus.COMMITTED);
        assertThat(node.settlement().lastSealed()).isGreaterThanOrEqualTo(4);
        long lastOfWave = last;
        await(
            "a snapshot past every record",
            () -> node.snapshotter().writtenSeq() >= lastOfWave - 1,
            30);
        // snapshots cover the journal, but no batch is FINAL (40 blocks): nothing leaves
        assertThat(finalThrough(node)).isZero();
        assertThat(node.snapshotter().written()).isGreaterThan(3);
        assertThat(node.snapshotter().releasedSegments()).isZero();
        assertThat(archived(archive)).isZero();
        List<JournalSegments.Segment> segments = JournalSegments.list(nodeDir);
        assertThat(segments).hasSizeGreaterThanOrEqualTo(2);
        assertThat(segments.getFirst().firstSeq()).isEqualTo(1);

        // the batches become final: the next snapshots release what they cover
        NodeItSupport.mine(anvil.rpcUrl(), 45);
        awaitSettled(node, last, BatchStatus.FINAL);
        long finalSeq = finalThrough(node);
        transfer(node, alice, 1, 2, aliceNonce++);
        last = transfer(node, bob, 2, 1, bobNonce++);
        long waitFor = last;
        await("segments released", () -> node.snapshotter().releasedSegments() > 0, 30);
        assertThat(archived(archive)).isPositive();
        long firstKept = JournalSegments.list(nodeDir).getFirst().firstSeq();
        assertThat(firstKept)
            .as("only records in FINAL batches left the journal")
            .isGreaterThan(1)
            .isLessThanOrEqualTo(finalSeq + 1);
        awaitSettled(node, waitFor, BatchStatus.COMMITTED);
      }

      // the engine from snapshot + tail equals a full replay of every record (archive + journal)
      long settled;
      try (BatchStore batches = BatchStore.open(nodeDir.resolve("batches"))) {
        settled = batches.last().orElseThrow().lastSeq();
      }
      Path full = dir.resolve("full");
      Files.createDirectories(full.resolve(JournalSegments.DIR));
      for (Path from : List.of(archive, nodeDir.resolve(JournalSegments.DIR))) {
        try (Stream<Path> s = Files.list(from)) {
          for (Path p : s.toList()) {
            Files.copy(p, full.resolve(JournalSegments.DIR).resolve(p.getFileName()));
          }
        }
      }
      Recovery.Recovered replay =
          Recovery.recover(
              full,
              OrderBookFactory.OPTIMISED,
              SelfTradePrevention.EXPIRE_MAKER,
              DemoMarkets.riskEngine(),
              CoreListener.NONE);
      assertThat(replay.snapshotSeq()).isZero();
      assertThat(replay.lastSeq()).isEqualTo(last);
      Recovery.Recovered fromSnapshot =
          Recovery.recover(
              nodeDir,
              OrderBookFactory.OPTIMISED,
              SelfTradePrevention.EXPIRE_MAKER,
              DemoMarkets.riskEngine(),
              CoreListener.NONE,
              null,
              settled);
      assertThat(fromSnapshot.snapshotSeq()).isPositive().isLessThanOrEqualTo(settled);
      assertThat(SnapshotStore.serialize(fromSnapshot.core()))
          .isEqualTo(SnapshotStore.serialize(replay.core()));

      // the restart: from a snapshot, replaying only what follows it; accounts and nonces restored
      try (RollupNode node = RollupNode.open(config(d))) {
        RollupNode.Recovery r = node.recovery();
        assertThat(r.lastSeq()).isEqualTo(last);
        assertThat(r.snapshotSeq())
            .as("not from genesis")
            .isPositive()
            .isLessThanOrEqualTo(settled);
        assertThat(r.replayed()).isEqualTo(last - r.snapshotSeq()).isLessThan(last);
        assertThat(node.accounts().account(1).nextNonce()).isEqualTo(aliceNonce);
        assertThat(node.accounts().account(2).nextNonce()).isEqualTo(bobNonce);
        assertThat(node.accounts().nextPriorityIndex()).isEqualTo(2);
        long before = node.settlement().lastSealed();
        long next = transfer(node, alice, 1, 2, aliceNonce++);
        awaitSettled(node, next, BatchStatus.COMMITTED);
        assertThat(node.settlement().lastSealed()).isEqualTo(before + 1);
        assertThat(status(node, before + 1)).isIn(BatchStatus.COMMITTED, BatchStatus.FINAL);
        // L1 verified the new batch's proof from the previous root: the roots go on as before
        BatchRecord b = node.batches().get(before + 1).orElseThrow();
        RollupStateStore tree = node.tree();
        assertThat(tree.root().toBigInteger()).isEqualTo(RollupNodeKillIT.newRoot(b));
        long aliceExpected = 600 * TUSD - 8 * 3 * TUSD + 7 * 3 * TUSD - 50 * TUSD;
        long bobExpected = 200 * TUSD + 8 * 3 * TUSD - 7 * 3 * TUSD;
        assertThat(tree.view().account(1).orElseThrow().collateral()).isEqualTo(aliceExpected);
        assertThat(tree.view().account(2).orElseThrow().collateral()).isEqualTo(bobExpected);
      }
    }
  }
}
