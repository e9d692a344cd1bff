package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStore;
import io.zkperp.node.L2Accounts;
import io.zkperp.node.SettlementInput;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.Tick;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A format v3 settlement restarted from a node snapshot instead of the journal's first record, on
 * real parts: the fixture engine ({@link FixtureChain}: real engine, real signatures), real RocksDB
 * stores and the real {@link SettlementV3}. A first run settles every command and stores the
 * batches the shape cuts, then "crashes" (closed with its open batch unsealed and its commands'
 * tree versions unstored, as a kill leaves them). Each restart works on a copy of that crashed data
 * directory: the reference replays the whole journal; every other one restores the translator at a
 * snapshot point S — the live signed orders and core time a replica following records 1…S holds,
 * through their snapshot bytes, and the owners of {@link L2Accounts} after the same records — and
 * is fed only the records after S. Every S at or before the resume point's previous record gives
 * the reference's tree root, stored batches (settlement records and batch records, witness and
 * commitment bytes included) and final translator state; S past it is refused with nothing changed.
 */
class SettlementV3SnapshotTest {
  static final long START = 1_000;
  static final L1Address[] OWNERS = {
    null,
    L1Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
    L1Address.fromHex("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
    L1Address.fromHex("0x90F79bf6EB2c4f870365E785982E1f101E93b906"),
    L1Address.fromHex("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65")
  };

  /** A node's v3 stores and its stage, opened (rolled back, positioned) but not started. */
  static final class Node implements AutoCloseable {
    final V3StateTree tree;
    final V3BatchStore settled;
    final BatchStore batches;
    final SettlementV3 settlement;

    Node(Path dir, Duration maxBatchDelay) throws Exception {
      tree =
          V3StateTree.open(
              dir.resolve("v3"),
              SettlementV3Test.TREE,
              FixtureChain.risk(),
              FixtureChain.oracle(),
              null,
              1);
      settled = V3BatchStore.open(dir.resolve("v3-batches"));
      batches = BatchStore.open(dir.resolve("batches"));
      settlement =
          new SettlementV3(
              tree.store(),
              settled,
              batches,
              new SettlementV3.Circuit(
                  FixtureChain.DOMAIN, FixtureChain.SHAPE_NAME, FixtureChain.V3_TINY),
              FeeSchedule.of(FixtureChain.risk()),
              START,
              new SettlementV3.Options(maxBatchDelay, Integer.MAX_VALUE),
              System::nanoTime);
      settlement.open();
    }

    /**
     * Feeds the stage the journal's records after {@code after}, then starts it (as the node's
     * replay does: every record queued first, so the time limit does not seal a batch between two
     * records of the replay on a loaded machine).
     */
    void feedAfter(FixtureChain chain, long after) {
      for (SettlementInput in : chain.inputs) {
        if (in.seq() > after) {
          settlement.offer(in);
        }
      }
      settlement.start();
    }

    @Override
    public void close() {
      settlement.close();
      batches.close();
      settled.close();
      tree.close();
    }
  }

  /** What a restart ends with. */
  record Outcome(
      Fr root,
      List<V3BatchRecord> settled,
      List<byte[]> records,
      byte[] translator,
      Map<?, ?> owners) {
    static Outcome of(Node n) throws Exception {
      n.settlement.close(); // the translator is read after the stage thread stopped
      return new Outcome(
          n.tree.store().roots().stateRoot(),
          n.settled.range(1, 100),
          n.batches.range(1, 100).stream().map(BatchRecord::encode).toList(),
          n.settlement.translator().encodeState(),
          n.settlement.translator().owners());
    }

    void assertSameAs(Outcome ref, String what) {
      assertThat(root).as(what + ": tree root").isEqualTo(ref.root);
      assertThat(settled).as(what + ": settlement records").isEqualTo(ref.settled);
      assertThat(records).as(what + ": batch records").hasSameSizeAs(ref.records);
      for (int i = 0; i < records.size(); i++) {
        assertThat(records.get(i))
            .as(what + ": batch record " + (i + 1) + " (witness, commitment, range)")
            .isEqualTo(ref.records.get(i));
      }
      assertThat(translator).as(what + ": translator state").isEqualTo(ref.translator);
      assertThat(owners).as(what + ": owners").isEqualTo(ref.owners);
    }
  }

  /**
   * Records 1–3 deposits of accounts 1–3, 4 a tick, 5 an oracle price, 6 and 7 GTC sells of
   * accounts 1 and 3 (both rest), 8 account 2's IOC buy (fills account 1's sell; account 3's
   * stays), 9 account 1's withdrawal, 10 account 4's deposit, 11 account 4's IOC buy (fills account
   * 3's sell, resting since record 7), 12 account 3's withdrawal. On v3-tiny (one deposit slot)
   * batches 1 and 2 hold one deposit each, batch 3 records 3–9, batch 4 records 10–12.
   */
  private static FixtureChain scenario(Path dir) throws Exception {
    FixtureChain chain = new FixtureChain(dir, START);
    for (int a = 1; a <= 3; a++) {
      chain.apply(FixtureChain.deposit(a - 1, a, OWNERS[a], OrderScenario.DEPOSIT));
    }
    chain.apply(new Tick(chain.now + 5));
    chain.apply(chain.oracle(1, OrderScenario.PRICE));
    chain.apply(order(1, Side.SELL, TimeInForce.GTC));
    chain.apply(order(3, Side.SELL, TimeInForce.GTC));
    chain.apply(order(2, Side.BUY, TimeInForce.IOC));
    chain.apply(FixtureChain.withdrawal(1, OWNERS[1], 1_000, 0));
    chain.apply(FixtureChain.deposit(3, 4, OWNERS[4], OrderScenario.DEPOSIT));
    chain.apply(order(4, Side.BUY, TimeInForce.IOC));
    chain.apply(FixtureChain.withdrawal(3, OWNERS[3], 2_000, 0));
    chain.seal();
    return chain;
  }

  private static io.zkperp.sequencer.command.PlaceOrder order(
      int account, Side side, TimeInForce tif) {
    return FixtureChain.order(account, 1, side, tif, OrderScenario.SIZE, OrderScenario.PRICE, 1);
  }

  /** The translator state a snapshot replica writes at record {@code s}, through its bytes. */
  static TranslatorState stateAt(FixtureChain chain, long s) throws IOException {
    TranslatorState t = new TranslatorState(START);
    for (SettlementInput in : chain.inputs) {
      if (in.seq() <= s) {
        t.follow(in.command(), in.events());
      }
    }
    return TranslatorState.decode(t.encode());
  }

  /** The owners the snapshot's accounts hold at record {@code s}. */
  static Map<Integer, L1Address> ownersAt(FixtureChain chain, long s) {
    L2Accounts accounts = new L2Accounts();
    for (SettlementInput in : chain.inputs) {
      if (in.seq() <= s) {
        accounts.apply(in.command());
      }
    }
    return accounts.owners();
  }

  static void copy(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  /** Runs every command, waits until {@code stored} batches are stored, and "crashes". */
  private static Path crashedRun(FixtureChain chain, Path dir, long versions, long stored)
      throws Exception {
    Path data = dir.resolve("crashed");
    try (Node first = new Node(data, Duration.ofHours(1))) {
      first.feedAfter(chain, 0);
      await(() -> first.tree.store().version() == versions, "every command settled");
      await(() -> first.settlement.lastSealed() == stored, "batch " + stored + " stored");
    } // the crash: the open batch is lost, its commands' versions are on the tree, unstored
    return data;
  }

  private static Outcome restart(
      FixtureChain chain, Path crashed, Path data, long snapshotSeq, long lastBatch)
      throws Exception {
    copy(crashed, data);
    try (Node n = new Node(data, Duration.ofSeconds(1))) {
      if (snapshotSeq > 0) {
        n.settlement.restoreTranslator(
            snapshotSeq, stateAt(chain, snapshotSeq), ownersAt(chain, snapshotSeq));
      }
      n.feedAfter(chain, snapshotSeq);
      await(() -> n.settlement.lastSealed() == lastBatch, "batch " + lastBatch + " sealed");
      assertThat(n.settlement.pausedAt()).as("no pause").isZero();
      return Outcome.of(n);
    }
  }

  @Test
  void everySnapshotAtOrBeforeTheResumePointRestartsToTheFullReplaysBatches(@TempDir Path dir)
      throws Exception {
    try (FixtureChain chain = scenario(dir.resolve("harness"))) {
      assertThat(chain.sealed).hasSize(4);
      assertThat(chain.sealed.get(2).origins().get(0).seq()).isEqualTo(3);
      assertThat(chain.sealed.get(3).origins().get(0).seq()).isEqualTo(10);
      // 9 commands with steps (3 deposits, the price, the fill, the withdrawal, the deposit, the
      // fill, the withdrawal): batches 1-3 stored, batch 4 open when the node dies
      Path crashed = crashedRun(chain, dir, SettlementV3.GENESIS_VERSION + 9, 3);
      try (Node probe = new Node(dir.resolve("probe"), Duration.ofHours(1))) {
        assertThat(probe.settlement.snapshotLimit()).as("a fresh node: no snapshot").isZero();
      }
      Outcome full = restart(chain, crashed, dir.resolve("full"), 0, 4);
      assertThat(full.settled)
          .extracting(V3BatchRecord::stateRootAfter)
          .containsExactlyElementsOf(chain.sealed.stream().map(SealedBatchV3::newRoot).toList());
      assertThat(full.root).isEqualTo(chain.store.roots().stateRoot());
      assertThat(full.settled.get(2).resume())
          .as("batch 3 resumes at record 10")
          .isEqualTo(new V3BatchRecord.Resume(SettlementV3.GENESIS_VERSION + 6, 10, 0));
      try (Node n = new Node(copyOf(crashed, dir.resolve("limit")), Duration.ofHours(1))) {
        assertThat(n.settlement.snapshotLimit()).isEqualTo(9);
      }
      // S = 1 and 2: batch 1 or 2 open at the snapshot; 5-9: batch 3 open, sells resting (6, 7),
      // one resting across the fill at 8 until record 11
      for (long s = 1; s <= 9; s++) {
        restart(chain, crashed, dir.resolve("snapshot-" + s), s, 4)
            .assertSameAs(full, "snapshot at record " + s);
      }
    }
  }

  private static Path copyOf(Path from, Path to) throws IOException {
    copy(from, to);
    return to;
  }

  @Test
  void aSnapshotPastTheResumePointIsRefusedWithNothingChanged(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = scenario(dir.resolve("harness"))) {
      Path crashed = crashedRun(chain, dir, SettlementV3.GENESIS_VERSION + 9, 3);
      Path data = copyOf(crashed, dir.resolve("node"));
      try (Node n = new Node(data, Duration.ofSeconds(1))) {
        for (long s = 10; s <= 12; s++) {
          long at = s;
          assertThatThrownBy(
                  () -> n.settlement.restoreTranslator(at, stateAt(chain, at), ownersAt(chain, at)))
              .isInstanceOf(IOException.class)
              .hasMessageContaining("resumes at record 10")
              .hasMessageContaining("at or before record 9");
        }
        // nothing changed: the same stage replays the whole journal to the reference's batches
        n.feedAfter(chain, 0);
        await(() -> n.settlement.lastSealed() == 4, "batch 4 sealed");
        n.settlement.close();
        assertThat(n.settled.last().orElseThrow().stateRootAfter())
            .isEqualTo(chain.sealed.get(3).newRoot());
        assertThat(n.tree.store().roots().stateRoot()).isEqualTo(chain.store.roots().stateRoot());
        assertThat(n.settlement.translator().liveOrders()).isZero();
      }
    }
  }

  @Test
  void withoutTheSnapshotsSignedOrdersTheFillAfterItPauses(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = scenario(dir.resolve("harness"))) {
      Path crashed = crashedRun(chain, dir, SettlementV3.GENESIS_VERSION + 9, 3);
      try (Node n = new Node(copyOf(crashed, dir.resolve("node")), Duration.ofHours(1))) {
        // the core's time of record 7 but no live order: what a snapshot of the engine alone gives
        TranslatorState noOrders = new TranslatorState(stateAt(chain, 7).time());
        n.settlement.restoreTranslator(7, noOrders, ownersAt(chain, 7));
        n.feedAfter(chain, 7);
        await(() -> n.settlement.pausedAt() != 0, "the pause");
        // record 8's fill is before the resume point (only translated, its batch is stored); the
        // fill of record 11 against account 3's sell, resting since record 7, cannot be settled
        assertThat(n.settlement.pausedAt()).as("the fill of record 11").isEqualTo(11);
        assertThat(n.settlement.pauseReason()).contains("has no signed order");
      }
    }
  }

  @Test
  void aSnapshotBeforeACommandCutAcrossBatchesBatchesItsRestOnce(@TempDir Path dir)
      throws Exception {
    try (FixtureChain chain = threeMakers(dir.resolve("harness"))) {
      long taker = chain.seq;
      assertThat(chain.sealed).hasSize(5);
      // batch 4 is cut inside the taker's command after 2 of its 3 trades
      Path crashed = crashedRun(chain, dir, SettlementV3.GENESIS_VERSION + 6, 4);
      Outcome full = restart(chain, crashed, dir.resolve("full"), 0, 5);
      assertThat(full.root).isEqualTo(chain.store.roots().stateRoot());
      assertThat(full.settled.get(3).resume().seq()).isEqualTo(taker);
      assertThat(full.settled.get(3).resume().stepsBatched()).isEqualTo(2);
      try (Node n = new Node(copyOf(crashed, dir.resolve("limit")), Duration.ofHours(1))) {
        assertThat(n.settlement.snapshotLimit())
            .as("the taker's command is executed again: the snapshot must be before it")
            .isEqualTo(taker - 1);
        assertThatThrownBy(
                () ->
                    n.settlement.restoreTranslator(
                        taker, stateAt(chain, taker), ownersAt(chain, taker)))
            .isInstanceOf(IOException.class);
      }
      // at taker − 1 the three sells rest: their signatures come from the snapshot
      assertThat(stateAt(chain, taker - 1).liveOrders()).isEqualTo(3);
      for (long s : new long[] {taker - 1, taker - 3, 4}) {
        restart(chain, crashed, dir.resolve("snapshot-" + s), s, 5)
            .assertSameAs(full, "snapshot at record " + s);
      }
    }
  }

  /** {@code SettlementV3Test}'s three-maker scenario: a taker crossing three makers' sells. */
  private static FixtureChain threeMakers(Path dir) throws Exception {
    FixtureChain chain = new FixtureChain(dir, START);
    for (int a = 1; a <= 4; a++) {
      chain.apply(FixtureChain.deposit(a - 1, a, OWNERS[a], 1_000_000));
    }
    chain.apply(new Tick(chain.now + 5));
    chain.apply(chain.oracle(1, OrderScenario.PRICE));
    for (int a = 1; a <= 3; a++) {
      chain.apply(order(a, Side.SELL, TimeInForce.GTC));
    }
    chain.apply(
        FixtureChain.order(
            4, 1, Side.BUY, TimeInForce.IOC, 3 * OrderScenario.SIZE, OrderScenario.PRICE, 1));
    chain.seal();
    return chain;
  }
}
