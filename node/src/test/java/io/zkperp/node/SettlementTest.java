package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.batcher.BatchExecutor;
import io.zkperp.batcher.L2Transaction;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.ServeL1ForcedTrade;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.SignedTransferCollateral;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.ForcedTradeRequest;
import io.zkperp.state.RollupStateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settlement stage on a real RocksDB state tree and batch store (no proofs): batches cut by
 * size and by time, a record the circuit cannot prove pauses it (nothing dropped, nothing after it
 * settles), so does an engine/tree disagreement, and a crash between the tree's commit and the
 * batch's record is rolled back on open.
 */
class SettlementTest {
  static final L1Address ALICE = L1Address.fromHex("0x" + "a1".repeat(20));
  static final L1Address BOB = L1Address.fromHex("0x" + "b2".repeat(20));
  static final EdDsaPrivateKey ALICE_KEY = key(1);
  static final EdDsaPrivateKey BOB_KEY = key(2);

  @TempDir Path dir;
  long now;

  static EdDsaPrivateKey key(int i) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (0x60 + i));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  static SettlementInput deposit(long seq, long index, int account, long amount, long after) {
    EdDsaPrivateKey k = account == 1 ? ALICE_KEY : BOB_KEY;
    return new SettlementInput(
        seq,
        new CreditL1Deposit(
            index,
            account,
            account == 1 ? ALICE : BOB,
            k.publicKey().point().x(),
            k.publicKey().point().y(),
            amount),
        List.of(new SequencerEvent.Deposited(account, amount, 0, after)));
  }

  static SettlementInput transfer(
      long seq, int from, int to, long amount, long nonce, long fa, long ta) {
    byte[] sig =
        EdDsa.sign(
                from == 1 ? ALICE_KEY : BOB_KEY,
                TransactionMessages.transfer(from, to, amount, nonce))
            .encode();
    return new SettlementInput(
        seq,
        new SignedTransferCollateral(from, to, amount, nonce, sig),
        List.of(new SequencerEvent.Transferred(from, to, amount, 0, 0, fa, ta)));
  }

  Settlement open(RollupStateStore tree, BatchStore batches, int size, Duration delay)
      throws IOException {
    Settlement s = new Settlement(tree, batches, new Settlement.Options(size, delay), () -> now);
    s.open();
    return s;
  }

  static void await(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void backPressureHoldsSealingWhileTooManyBatchesWaitForProofs() throws Exception {
    java.util.concurrent.atomic.AtomicLong proved = new java.util.concurrent.atomic.AtomicLong();
    try (RollupStateStore tree = RollupStateStore.open(dir.resolve("state"));
        BatchStore batches = BatchStore.open(dir.resolve("batches"));
        Settlement s =
            new Settlement(
                tree, batches, new Settlement.Options(1, Duration.ofSeconds(5), 2), () -> now)) {
      s.open();
      s.awaitProofsOf(proved::get);
      s.start();
      s.offer(deposit(1, 0, 1, 600, 600));
      s.offer(deposit(2, 1, 2, 200, 200));
      s.offer(transfer(3, 1, 2, 150, 0, 450, 350));
      await(() -> s.lastSealed() == 2); // one slot per batch
      await(s::sealingHeld);
      Thread.sleep(300);
      assertThat(s.lastSealed()).as("held: 2 batches wait for proofs").isEqualTo(2);
      assertThat(s.awaitingProof()).isEqualTo(2);
      assertThat(s.recordsWaiting()).as("the transfer waits, not dropped").isEqualTo(1);
      assertThat(s.pausedAt()).isZero();
      proved.set(1); // batch 1 proven
      await(() -> s.lastSealed() == 3);
      assertThat(batches.get(3).orElseThrow().firstSeq()).isEqualTo(3);
      await(s::sealingHeld); // batches 2 and 3 wait again
      proved.set(3);
      await(() -> !s.sealingHeld());
      assertThat(s.awaitingProof()).isZero();
    }
  }

  @Test
  void cutsBatchesBySizeAndByTimeAndStoresThem() throws Exception {
    try (RollupStateStore tree = RollupStateStore.open(dir.resolve("state"));
        BatchStore batches = BatchStore.open(dir.resolve("batches"));
        Settlement s = open(tree, batches, 2, Duration.ofSeconds(5))) {
      s.start();
      s.offer(deposit(1, 0, 1, 600, 600));
      s.offer(new SettlementInput(2, new Tick(5), List.of())); // nothing to settle
      s.offer(deposit(3, 1, 2, 200, 200));
      await(() -> s.lastSealed() == 1); // full: 2 slots
      s.offer(transfer(4, 1, 2, 150, 0, 450, 350));
      Thread.sleep(200);
      assertThat(s.lastSealed()).isEqualTo(1); // open, not full, not late
      now += Duration.ofSeconds(5).toNanos();
      await(() -> s.lastSealed() == 2); // late: sealed padded
      BatchRecord b1 = batches.get(1).orElseThrow();
      BatchRecord b2 = batches.get(2).orElseThrow();
      assertThat(b1.status()).isEqualTo(BatchStatus.SEALED);
      assertThat(b1.firstSeq()).isEqualTo(1);
      assertThat(b1.lastSeq()).isEqualTo(3);
      assertThat(b1.priorityCount()).isEqualTo(2);
      assertThat(b2.txCount()).isEqualTo(1);
      assertThat(b2.lastSeq()).isEqualTo(4);
      assertThat(tree.version()).isEqualTo(2);
      assertThat(tree.view().account(1).orElseThrow().collateral()).isEqualTo(450);
      assertThat(tree.view().account(2).orElseThrow().collateral()).isEqualTo(350);
      assertThat(BatchRecord.decode(b2.encode())).isEqualTo(b2);
    }
  }

  @Test
  void aRecordTheCircuitCannotProvePausesTheSettlementBeforeIt() throws Exception {
    try (RollupStateStore tree = RollupStateStore.open(dir.resolve("state"));
        BatchStore batches = BatchStore.open(dir.resolve("batches"));
        Settlement s = open(tree, batches, 4, Duration.ofMinutes(1))) {
      s.start();
      s.offer(deposit(1, 0, 1, 600, 600));
      // an operator deposit (no L1 priority op): the circuit cannot prove it
      s.offer(
          new SettlementInput(
              2, new DepositCollateral(1, 5), List.of(new SequencerEvent.Deposited(1, 5, 0, 605))));
      s.offer(deposit(3, 1, 2, 200, 200));
      await(() -> s.pausedAt() != 0);
      assertThat(s.pausedAt()).isEqualTo(2);
      assertThat(s.pauseReason()).contains("DepositCollateral").contains("Deposited");
      // the batch before it was sealed without it; nothing after it settles
      Thread.sleep(200);
      assertThat(s.lastSealed()).isEqualTo(1);
      assertThat(batches.get(1).orElseThrow().lastSeq()).isEqualTo(1);
      assertThat(tree.view().account(2)).isEmpty();
    }
  }

  @Test
  void aForcedTradeIsUnprovableEvenWhenInvalidNeverSkipped() {
    ForcedTradeRequest r = new ForcedTradeRequest(1, 2, 1, true, 5, 5_000, 7);
    assertThat(
            SettlementRecords.translate(
                new SettlementInput(
                    12,
                    new ServeL1ForcedTrade(3, r, false),
                    List.of(
                        new SequencerEvent.ForcedTradeServed(
                            3, r, ForcedTradeReason.BAD_SIGNATURE, 0, 0, 0, 0, 0, 0, 0, 0, 0)))))
        .isInstanceOfSatisfying(
            Translation.Unprovable.class,
            u ->
                assertThat(u.what())
                    .contains("ServeL1ForcedTrade at journal record 12")
                    .contains("ForcedTradeServed"));
  }

  @Test
  void pricesAndTradesAreUnprovableButOrdersWithoutRecordsAreSkipped() {
    assertThat(
            SettlementRecords.translate(
                new SettlementInput(
                    9,
                    new OraclePrice(1, 100, 1),
                    List.of(new SequencerEvent.PriceTickApplied(1, 100L << 32, 1, 0)))))
        .isInstanceOfSatisfying(
            Translation.Unprovable.class,
            u -> assertThat(u.what()).contains("OraclePrice at journal record 9"));
    assertThat(SettlementRecords.translate(new SettlementInput(10, new Tick(3), List.of())))
        .isInstanceOf(Translation.Skip.class);
    assertThat(
            SettlementRecords.translate(
                new SettlementInput(
                    11, new ServeL1ForcedWithdrawal(2, 1, ALICE, 10_000), List.of())))
        .isInstanceOfSatisfying(
            Translation.Settle.class,
            t -> {
              assertThat(t.tx()).isEqualTo(new L2Transaction.ForcedWithdrawal(1, ALICE, 10_000));
              assertThat(t.collateralAfter()).isEmpty();
            });
  }

  @Test
  void anEngineTreeDisagreementPausesAndLeavesTheTransactionOut() throws Exception {
    try (RollupStateStore tree = RollupStateStore.open(dir.resolve("state"));
        BatchStore batches = BatchStore.open(dir.resolve("batches"));
        Settlement s = open(tree, batches, 4, Duration.ofMinutes(1))) {
      s.start();
      s.offer(deposit(1, 0, 1, 600, 600));
      // the engine says 590 after the withdrawal (e.g. funding it settled): the tree says 500
      byte[] sig = EdDsa.sign(ALICE_KEY, TransactionMessages.withdrawal(1, ALICE, 100, 0)).encode();
      s.offer(
          new SettlementInput(
              2,
              new SignedWithdrawCollateral(1, 100, 0, sig),
              List.of(new SequencerEvent.Withdrawn(1, 100, 90, 590))));
      await(() -> s.pausedAt() != 0);
      assertThat(s.pausedAt()).isEqualTo(2);
      assertThat(s.pauseReason()).contains("disagree").contains("590").contains("500");
      await(() -> s.lastSealed() == 1);
      assertThat(batches.get(1).orElseThrow().txCount()).isEqualTo(1);
      assertThat(tree.view().account(1).orElseThrow().collateral()).isEqualTo(600);
      assertThat(tree.view().account(1).orElseThrow().nonce()).isZero();
    }
  }

  @Test
  void aTreeVersionWithoutItsBatchRecordIsRolledBackOnOpen() throws Exception {
    try (RollupStateStore tree = RollupStateStore.open(dir.resolve("state"));
        BatchStore batches = BatchStore.open(dir.resolve("batches"))) {
      try (Settlement s = open(tree, batches, 1, Duration.ofMinutes(1))) {
        s.start();
        s.offer(deposit(1, 0, 1, 600, 600));
        await(() -> s.lastSealed() == 1);
      }
      // a crash after the tree committed batch 2 but before its record was stored
      try (BatchExecutor ex =
          new BatchExecutor(
              tree, 1, 2, Fr.fromBytes(batches.get(1).orElseThrow().priorityHashAfter()))) {
        ex.apply(new L2Transaction.Deposit(2, BOB, BOB_KEY.publicKey(), 200));
        ex.seal();
      }
      assertThat(tree.version()).isEqualTo(2);
      try (Settlement s = open(tree, batches, 1, Duration.ofMinutes(1))) {
        assertThat(tree.version()).isEqualTo(1);
        assertThat(tree.view().account(2)).isEmpty();
        s.start();
        s.offer(deposit(1, 0, 1, 600, 600)); // already in batch 1: ignored
        s.offer(deposit(2, 1, 2, 200, 200)); // replayed from the journal
        await(() -> s.lastSealed() == 2);
        assertThat(batches.get(2).orElseThrow().firstSeq()).isEqualTo(2);
        assertThat(tree.view().account(2).orElseThrow().collateral()).isEqualTo(200);
        assertThat(tree.view().account(1).orElseThrow().collateral()).isEqualTo(600);
      }
    }
    // a batch store ahead of the tree is refused, not papered over
    try (RollupStateStore tree = RollupStateStore.open(dir.resolve("other-state"));
        BatchStore batches = BatchStore.open(dir.resolve("batches"))) {
      assertThatThrownBy(() -> open(tree, batches, 1, Duration.ofMinutes(1)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("batch 2 is stored");
    }
  }
}
