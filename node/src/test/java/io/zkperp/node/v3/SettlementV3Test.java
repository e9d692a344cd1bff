package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.node.BatchStatus;
import io.zkperp.node.NodeHealth;
import io.zkperp.node.SettlementInput;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.state.StateStoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SettlementV3} on real RocksDB stores ({@link V3StateTree}, {@link V3BatchStore}) fed the
 * order scenario's journal records ({@link OrderScenario} on the {@link FixtureChain}: real engine,
 * real signatures in the fixture domain, chain 31337, rollup {@code 0x9fE4…a6e0}): the stored
 * batches equal the harness's (roots, priority chain, T, records, witness, public input), each
 * stored witness satisfies the v3-tiny circuit over JNI, a crash between settling and storing batch
 * 2 resumes to the same batches with each step stored once, an unprovable record pauses with its
 * reason on {@code /health}'s check, and the genesis refuses another configuration.
 */
class SettlementV3Test {
  static final L1Address MAKER_OWNER =
      L1Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  static final L1Address TAKER_OWNER =
      L1Address.fromHex("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
  static final long START = 1_000;
  static final StateStoreOptions TREE =
      StateStoreOptions.DEFAULT
          .withBlockCacheBytes(8L << 20)
          .withWriteBufferBytes(8L << 20)
          .withKeptVersions(64);
  static BatchProver checker;

  @BeforeAll
  static void open() {
    checker = BatchProver.openForCheck(FixtureChain.SHAPE_NAME, FixtureChain.DOMAIN);
  }

  @AfterAll
  static void close() {
    if (checker != null) {
      checker.close();
    }
  }

  /** The node side: the genesis store, the batch store and the stage over them. */
  static final class Node implements AutoCloseable {
    final V3StateTree tree;
    final V3BatchStore settled;
    final io.zkperp.node.BatchStore batches;
    final SettlementV3 settlement;

    Node(Path dir, Duration maxBatchDelay) throws Exception {
      this(dir, maxBatchDelay, FixtureChain.SHAPE_NAME);
    }

    /** A node sealing batches of another node shape. */
    Node(Path dir, Duration maxBatchDelay, String shapeName) throws Exception {
      this(dir, maxBatchDelay, shapeName, Integer.MAX_VALUE);
    }

    /** A node whose back-pressure holds at {@code maxAwaitingProof} sealed, unproven batches. */
    Node(Path dir, Duration maxBatchDelay, String shapeName, int maxAwaitingProof)
        throws Exception {
      tree =
          V3StateTree.open(
              dir.resolve("v3"), TREE, FixtureChain.risk(), FixtureChain.oracle(), null, 1);
      settled = V3BatchStore.open(dir.resolve("v3-batches"));
      batches = io.zkperp.node.BatchStore.open(dir.resolve("batches"));
      settlement =
          new SettlementV3(
              tree.store(),
              settled,
              batches,
              new SettlementV3.Circuit(FixtureChain.DOMAIN, shapeName, V3Shapes.shape(shapeName)),
              FeeSchedule.of(FixtureChain.risk()),
              START,
              new SettlementV3.Options(maxBatchDelay, maxAwaitingProof),
              System::nanoTime);
      settlement.open();
      settlement.start();
    }

    List<V3BatchRecord> stored() throws Exception {
      return settled.range(1, 100);
    }

    List<io.zkperp.node.BatchRecord> records() throws Exception {
      return batches.range(1, 100);
    }

    @Override
    public void close() {
      settlement.close();
      batches.close();
      settled.close();
      tree.close();
    }
  }

  private static FixtureChain scenario(Path dir) throws Exception {
    FixtureChain chain = new FixtureChain(dir, START);
    OrderScenario.run(chain, MAKER_OWNER, TAKER_OWNER);
    return chain;
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /**
   * The stored batches (the settlement's records and the node's batch records) are the harness's,
   * field for field, and the circuit accepts each stored witness.
   */
  private static void assertSameBatches(Node node, List<SealedBatchV3> expected) throws Exception {
    List<V3BatchRecord> stored = node.stored();
    List<io.zkperp.node.BatchRecord> records = node.records();
    assertThat(stored).hasSize(expected.size());
    assertThat(records).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      V3BatchRecord r = stored.get(i);
      io.zkperp.node.BatchRecord b = records.get(i);
      SealedBatchV3 e = expected.get(i);
      assertThat(r.number()).isEqualTo(e.batchNumber());
      assertThat(r.header(FixtureChain.DOMAIN)).isEqualTo(e.header());
      assertThat(r.stateRootAfter()).isEqualTo(e.newRoot());
      assertThat(r.priorityAfter()).isEqualTo(e.priorityAfter());
      assertThat(r.priorityCount()).isEqualTo(e.witness().priorityCount());
      assertThat(r.publicInput()).isEqualTo(e.witness().publicInput());
      assertThat(r.origins()).isEqualTo(e.origins());
      assertThat(b.number()).isEqualTo(e.batchNumber());
      assertThat(b.status()).isEqualTo(BatchStatus.SEALED);
      assertThat(b.firstSeq()).isEqualTo(r.firstSeq());
      assertThat(b.lastSeq()).isEqualTo(r.lastSeq());
      assertThat(b.txCount()).isEqualTo(e.liveSteps());
      assertThat(b.priorityCount()).isEqualTo(e.witness().priorityCount());
      assertThat(b.priorityHashAfter()).isEqualTo(e.priorityAfter().toBytes());
      assertThat(b.commitment()).isEqualTo(e.witness().commitment());
      assertThat(
              java.util.Arrays.copyOfRange(
                  b.commitment(),
                  io.zkperp.batcher.v3.witness.BatchCommitmentV3.HEADER_BYTES,
                  b.commitment().length))
          .as("the records commitBatch takes")
          .isEqualTo(e.records());
      assertThat(b.witness()).isEqualTo(e.witness().witness());
      checker.check(b.witness());
    }
  }

  @Test
  void theOrderScenarioSettlesIntoTheHarnessBatches(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = scenario(dir.resolve("harness"));
        Node node = new Node(dir.resolve("node"), Duration.ofSeconds(3))) {
      assertThat(node.tree.genesis())
          .as("the deployer's genesis is the harness's")
          .isEqualTo(new V3Genesis(chain.genesisRoot, 1, 0));
      var deployed = node.tree.genesis().toContract();
      assertThat(deployed.stateRoot).isEqualTo(chain.genesisRoot.toBigInteger());
      assertThat(deployed.firstAccountId).isEqualTo(java.math.BigInteger.ONE);
      assertThat(deployed.collateral).isZero();
      chain.inputs.forEach(node.settlement::offer);
      await(() -> node.settlement.lastSealed() == 2, "batch 2 sealed by the time limit");
      assertThat(chain.sealed).hasSize(2);
      assertSameBatches(node, chain.sealed);
      assertThat(node.tree.store().roots().stateRoot()).isEqualTo(chain.store.roots().stateRoot());
      assertThat(node.settlement.settledSeq()).isEqualTo(chain.seq);
      assertThat(node.settlement.pausedAt()).isZero();
    }
  }

  /**
   * Back-pressure holds with a batch open: the second deposit seals batch 1 inside its own step
   * (v3-tiny has one deposit slot) and opens batch 2; with batch 1 unproven at a limit of 1, the
   * settlement takes no further record, and batch 2 is neither filled nor sealed until batch 1 is
   * proven — then (within the batch's time limit) the batches are the harness's. Before the fix the
   * held settlement kept taking records into the open batch.
   */
  @Test
  void backPressureHoldsWithABatchOpen(@TempDir Path dir) throws Exception {
    java.util.concurrent.atomic.AtomicLong proved = new java.util.concurrent.atomic.AtomicLong();
    try (FixtureChain chain = scenario(dir.resolve("harness"));
        Node node =
            new Node(dir.resolve("node"), Duration.ofSeconds(3), FixtureChain.SHAPE_NAME, 1)) {
      node.settlement.awaitProofsOf(proved::get);
      chain.inputs.forEach(node.settlement::offer);
      await(() -> node.settlement.lastSealed() == 1, "batch 1 sealed inside the second deposit");
      await(node.settlement::sealingHeld, "held with batch 2 open");
      Thread.sleep(1_000);
      assertThat(node.settlement.lastSealed()).as("batch 2 not sealed while held").isEqualTo(1);
      assertThat(node.settlement.recordsWaiting())
          .as("the records after the second deposit wait, none dropped")
          .isEqualTo(chain.inputs.size() - 2);
      proved.set(1);
      await(() -> node.settlement.lastSealed() == 2, "batch 2 sealed once batch 1 is proven");
      assertSameBatches(node, chain.sealed);
      assertThat(node.settlement.settledSeq()).isEqualTo(chain.seq);
    }
  }

  @Test
  void aCrashBetweenSettlingAndStoringResumesToTheSameBatches(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = scenario(dir.resolve("harness"))) {
      Path data = dir.resolve("node");
      long settledVersion;
      try (Node first = new Node(data, Duration.ofHours(1))) {
        chain.inputs.forEach(first.settlement::offer);
        // every command with steps is a tree version after genesis; batch 1 is stored when the
        // second deposit finds the deposit slot taken, batch 2 stays open (no time limit)
        long versions = SettlementV3.GENESIS_VERSION + chain.steps;
        await(() -> first.tree.store().version() == versions, "every command settled");
        assertThat(first.settlement.lastSealed()).isEqualTo(1);
        settledVersion = first.tree.store().version();
      } // the crash: batch 2's commands are on the tree, batch 2 is not stored
      assertThat(settledVersion).isEqualTo(SettlementV3.GENESIS_VERSION + 6);
      // and a crash between batch 2's two writes: its settlement record without its batch record
      try (V3BatchStore s = V3BatchStore.open(data.resolve("v3-batches"))) {
        V3BatchRecord one = s.get(1).orElseThrow();
        s.put(
            new V3BatchRecord(
                2,
                one.shapeName(),
                one.batchTime(),
                one.priorityAfter(),
                one.stateRootAfter(),
                one.stateRootAfter(),
                one.priorityAfter(),
                0,
                one.publicInput(),
                List.of(new SealedBatchV3.StepOrigin(2, 0, "Collateral")),
                new V3BatchRecord.Resume(7, 9, 0)));
      }

      try (Node second = new Node(data, Duration.ofMillis(300))) {
        V3BatchRecord one = second.stored().get(0);
        assertThat(one.resume()).isEqualTo(new V3BatchRecord.Resume(2, 2, 0));
        assertThat(second.tree.store().version()).as("rolled back to batch 1").isEqualTo(2);
        chain.inputs.forEach(second.settlement::offer); // the replay from the journal's start
        await(() -> second.settlement.lastSealed() == 2, "batch 2 sealed after the restart");
        assertSameBatches(second, chain.sealed);
        assertThat(second.settlement.stepsSettled())
            .as("only the steps after batch 1 settled again")
            .isEqualTo(chain.steps - 1);
        Set<String> seen = new HashSet<>();
        for (V3BatchRecord r : second.stored()) {
          for (SealedBatchV3.StepOrigin o : r.origins()) {
            assertThat(seen.add(o.seq() + "/" + o.step())).as("step %s stored once", o).isTrue();
          }
        }
        assertThat(seen).hasSize(chain.steps);
        assertThat(second.tree.store().roots().stateRoot())
            .isEqualTo(chain.store.roots().stateRoot());
      }
    }
  }

  /**
   * Four deposits (batches 1-3 hold one each), an oracle tick, three makers' sells and a taker's
   * buy crossing all three: the taker's command has three trade steps and v3-tiny two trade slots,
   * so batch 4 is cut inside that command and its third trade opens batch 5.
   */
  private static FixtureChain threeMakerScenario(Path dir) throws Exception {
    FixtureChain chain = new FixtureChain(dir, START);
    for (int a = 1; a <= 4; a++) {
      chain.apply(
          FixtureChain.deposit(
              a - 1, a, L1Address.fromHex(String.format("0x%040x", a)), 1_000_000));
    }
    chain.apply(new io.zkperp.sequencer.command.Tick(chain.now + 5));
    chain.apply(chain.oracle(1, OrderScenario.PRICE));
    for (int a = 1; a <= 3; a++) {
      chain.apply(
          FixtureChain.order(
              a,
              1,
              io.zkperp.sequencer.Side.SELL,
              io.zkperp.sequencer.TimeInForce.GTC,
              OrderScenario.SIZE,
              OrderScenario.PRICE,
              1));
    }
    chain.apply(
        FixtureChain.order(
            4,
            1,
            io.zkperp.sequencer.Side.BUY,
            io.zkperp.sequencer.TimeInForce.IOC,
            3 * OrderScenario.SIZE,
            OrderScenario.PRICE,
            1));
    chain.seal();
    return chain;
  }

  @Test
  void aCrashAfterABatchCutInsideACommandStoresEachStepOnce(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = threeMakerScenario(dir.resolve("harness"))) {
      assertThat(chain.sealed).hasSize(5);
      long taker = chain.seq;
      assertThat(chain.sealed.get(3).origins())
          .endsWith(
              new SealedBatchV3.StepOrigin(taker, 0, "Trade"),
              new SealedBatchV3.StepOrigin(taker, 1, "Trade"));
      assertThat(chain.sealed.get(4).origins())
          .containsExactly(new SealedBatchV3.StepOrigin(taker, 2, "Trade"));
      Path data = dir.resolve("node");
      try (Node first = new Node(data, Duration.ofHours(1))) {
        chain.inputs.forEach(first.settlement::offer);
        long versions = SettlementV3.GENESIS_VERSION + 6; // 4 deposits, the oracle, the taker
        await(() -> first.tree.store().version() == versions, "every command settled");
        await(() -> first.settlement.lastSealed() == 4, "batch 4 stored");
        assertThat(first.stored().get(3).resume())
            .as("batch 4 resumes inside the taker's command, after its 2 trades")
            .isEqualTo(new V3BatchRecord.Resume(versions - 1, taker, 2));
      } // the crash: the taker's third trade is on the tree, batch 5 is not stored
      try (Node second = new Node(data, Duration.ofMillis(300))) {
        assertThat(second.tree.store().version()).isEqualTo(SettlementV3.GENESIS_VERSION + 5);
        chain.inputs.forEach(second.settlement::offer);
        await(() -> second.settlement.lastSealed() == 5, "batch 5 sealed after the restart");
        assertSameBatches(second, chain.sealed);
        assertThat(second.settlement.stepsSettled())
            .as("the taker's command executed again on the rolled-back tree")
            .isEqualTo(3);
        Set<String> seen = new HashSet<>();
        for (V3BatchRecord r : second.stored()) {
          for (SealedBatchV3.StepOrigin o : r.origins()) {
            assertThat(seen.add(o.seq() + "/" + o.step())).as("step %s stored once", o).isTrue();
          }
        }
        assertThat(seen).hasSize(chain.steps);
        assertThat(second.tree.store().roots().stateRoot())
            .isEqualTo(chain.store.roots().stateRoot());
      }
    }
  }

  @Test
  void anUnprovableRecordPausesWithItsReason(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = new FixtureChain(dir.resolve("harness"), START);
        Node node = new Node(dir.resolve("node"), Duration.ofHours(1))) {
      chain.apply(FixtureChain.deposit(0, OrderScenario.MAKER, MAKER_OWNER, 1_000));
      assertThat(chain.core.apply(new DepositCollateral(OrderScenario.MAKER, 5))).isTrue();
      List<SettlementInput> inputs = new ArrayList<>(chain.inputs);
      inputs.add(
          new SettlementInput(
              2, new DepositCollateral(OrderScenario.MAKER, 5), chain.events.drain()));
      inputs.forEach(node.settlement::offer);
      await(() -> node.settlement.pausedAt() != 0, "the pause");
      assertThat(node.settlement.pausedAt()).isEqualTo(2);
      assertThat(node.settlement.pauseReason()).contains("DepositCollateral").contains("Deposited");
      assertThat(node.settlement.lastSealed()).as("the deposit before it sealed").isEqualTo(1);
      assertThat(node.stored().get(0).origins())
          .containsExactly(new SealedBatchV3.StepOrigin(1, 0, "Collateral"));
      assertThat(node.tree.store().version()).as("nothing of it on the tree").isEqualTo(2);
      var problems =
          new NodeHealth(
                  node.settlement, List.of(node.settlement.progress()), Duration.ofMinutes(2))
              .problems();
      assertThat(problems)
          .anySatisfy(
              p -> assertThat(p.toString()).contains("paused at journal record 2", "Deposited"));
      // perp_getSettlement's lookup: the deposit is in sealed batch 1, the operator deposit paused
      var finality = new io.zkperp.node.FinalityLookup(node.batches, node.settlement);
      assertThat(finality.of(1).status()).isEqualTo("SEALED");
      assertThat(finality.of(1).batch()).map(io.zkperp.node.BatchRecord::number).contains(1L);
      assertThat(finality.of(2).status()).isEqualTo("paused");
    }
  }

  @Test
  void aStepTheBatcherRefusesPausesWithNothingOfItWritten(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = new FixtureChain(dir.resolve("harness"), START);
        Node node = new Node(dir.resolve("node"), Duration.ofHours(1))) {
      chain.apply(FixtureChain.deposit(0, 1, MAKER_OWNER, 5_000));
      // the engine does not check withdrawal signatures (the node's intake does): one signed for
      // another amount is journaled, and the batcher refuses it
      byte[] sig =
          new io.zkperp.protocol.message.WithdrawalMessage(1, MAKER_OWNER, 101, 0)
              .sign(FixtureChain.key(1), FixtureChain.DOMAIN);
      assertThatThrownBy(
              () ->
                  chain.apply(
                      new io.zkperp.sequencer.command.SignedWithdrawCollateral(1, 100, 0, sig)))
          .isInstanceOf(StepRefusedException.class);
      chain.inputs.forEach(node.settlement::offer);
      await(() -> node.settlement.pausedAt() != 0, "the pause");
      assertThat(node.settlement.pausedAt()).isEqualTo(2);
      assertThat(node.settlement.pauseReason()).contains("SIGNATURE");
      assertThat(node.settlement.lastSealed()).isEqualTo(1);
      assertThat(node.tree.store().version()).isEqualTo(SettlementV3.GENESIS_VERSION + 1);
      assertThat(node.tree.store().roots().stateRoot())
          .isEqualTo(node.stored().get(0).stateRootAfter());
    }
  }

  @Test
  void anUnbatchableStepPausesWithTheTreeRolledBack(@TempDir Path dir) throws Exception {
    // v3-devnet has no liquidation slot (v3-tiny has one: BatchAssemblerTest)
    try (FixtureChain chain = new FixtureChain(dir.resolve("harness"), START, "v3-devnet");
        Node node = new Node(dir.resolve("node"), Duration.ofHours(1), "v3-devnet")) {
      chain.openALongTheNextPriceLiquidates(MAKER_OWNER, TAKER_OWNER);
      var price = chain.liquidatingPrice();
      assertThatThrownBy(() -> chain.apply(price)).isInstanceOf(UnbatchableStepException.class);
      int settled = chain.inputs.size() - 1;
      assertThat(settled).isEqualTo(7);
      chain.inputs.forEach(node.settlement::offer);
      await(() -> node.settlement.pausedAt() != 0, "the pause");
      assertThat(node.settlement.pausedAt()).isEqualTo(settled + 1);
      assertThat(node.settlement.pauseReason()).contains("v3-devnet");
      long sealedBefore = node.settlement.lastSealed();
      assertThat(sealedBefore).as("the open batch sealed first").isPositive();
      assertThat(node.tree.store().roots().stateRoot())
          .as("the liquidation, settled on the tree, rolled back")
          .isEqualTo(chain.rootAfter(settled))
          .isEqualTo(node.stored().get((int) sealedBefore - 1).stateRootAfter());
      assertThat(node.records()).hasSize((int) sealedBefore);
    }
  }

  @Test
  void aRestartWithAnotherConfigurationIsRefused(@TempDir Path dir) throws Exception {
    Path v3 = dir.resolve("v3");
    V3Genesis written;
    try (V3StateTree t =
        V3StateTree.open(v3, TREE, FixtureChain.risk(), FixtureChain.oracle(), null, 1)) {
      written = t.genesis();
      assertThat(t.store().version()).isEqualTo(SettlementV3.GENESIS_VERSION);
    }
    OracleConfig.MarketOracle m = FixtureChain.oracle().market(1);
    OracleConfig quorum3 =
        new OracleConfig(
            Map.of(
                1,
                new OracleConfig.MarketOracle(
                    m.signers(), 3, m.maxAgeSeconds(), m.maxFutureSeconds(), m.maxMovePpm()),
                2,
                new OracleConfig.MarketOracle(
                    m.signers(), 3, m.maxAgeSeconds(), m.maxFutureSeconds(), m.maxMovePpm())));
    assertThatThrownBy(() -> V3StateTree.open(v3, TREE, FixtureChain.risk(), quorum3, null, 1))
        .isInstanceOfSatisfying(
            GenesisMismatchException.class,
            e -> {
              assertThat(e.stored()).isEqualTo(written);
              assertThat(e.configured().stateRoot()).isNotEqualTo(written.stateRoot());
            });
    assertThatThrownBy(
            () -> V3StateTree.open(v3, TREE, FixtureChain.risk(), FixtureChain.oracle(), null, 7))
        .isInstanceOf(GenesisMismatchException.class)
        .hasMessageContaining("firstAccountId=7");
    try (V3StateTree t =
        V3StateTree.open(v3, TREE, FixtureChain.risk(), FixtureChain.oracle(), null, 1)) {
      assertThat(t.genesis()).isEqualTo(written);
      assertThat(t.store().version()).as("nothing written").isEqualTo(1);
      assertThat(t.store().roots().stateRoot()).isEqualTo(written.stateRoot());
    }
    // the genesis file without its store (the state directory deleted) is refused
    try (var files = java.nio.file.Files.walk(v3.resolve("state"))) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
    assertThatThrownBy(
            () -> V3StateTree.open(v3, TREE, FixtureChain.risk(), FixtureChain.oracle(), null, 1))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("state store is empty");
  }

  @Test
  void aDamagedBatchRecordIsRefused(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = scenario(dir.resolve("harness"))) {
      V3BatchRecord r =
          V3BatchRecord.sealed(chain.sealed.get(1), new V3BatchRecord.Resume(8, 9, 0));
      byte[] bytes = r.encode();
      assertThat(V3BatchRecord.decode(bytes)).isEqualTo(r);
      assertThatThrownBy(
              () -> V3BatchRecord.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
          .isInstanceOf(java.io.IOException.class);
      byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
      assertThatThrownBy(() -> V3BatchRecord.decode(longer))
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("trailing");
      byte[] format = bytes.clone();
      format[3] = 9;
      assertThatThrownBy(() -> V3BatchRecord.decode(format))
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("format 9");
    }
  }
}
