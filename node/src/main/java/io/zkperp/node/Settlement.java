package io.zkperp.node;

import io.zkperp.batcher.BatchExecutor;
import io.zkperp.batcher.BatchWitness;
import io.zkperp.batcher.L2Transaction;
import io.zkperp.batcher.TransactionRejectedException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.state.RollupStateStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settlement stage: consumes the engine's accepted commands in journal order, turns the
 * collateral ones into L2 transactions ({@link SettlementRecords}), executes them on the RocksDB
 * state tree with the batcher's {@link BatchExecutor} (witness mode; it refuses what the circuit
 * would refuse), cuts a batch when it is full or {@link Options#maxBatchDelay} after its first
 * transaction (padded with no-ops by the executor), and stores each sealed batch in the {@link
 * BatchStore} before the next starts.
 *
 * <p><b>Engine and tree agree, or it pauses.</b> After each transaction the tree's collateral of
 * every touched account must equal the engine's record. A command the circuit cannot prove ({@link
 * Translation.Unprovable}), a transaction the executor refuses, or a disagreement pauses the
 * settlement at that journal record: the batch before it is sealed (without it), nothing after it
 * settles, {@link #pausedAt()} names the record and an ERROR log says why. Nothing is dropped: the
 * record is in the journal and a restart replays it to the same pause.
 *
 * <p><b>Crash safety.</b> Batch <i>n</i> is the tree's version <i>n</i>. Sealing commits the tree
 * (one fsynced write) and then stores the batch (synced); {@link #open} rolls the tree back to the
 * last stored batch if a crash fell between the two, and takes journal records after that batch's
 * last sequence again from the replay.
 *
 * <p>The queue, stage thread, time limit, back-pressure and pause are {@link SettlementStage}'s.
 *
 * <p>Threads: {@link #offer} from the feeding thread (the replay, then the sequencer's journal
 * thread); everything else runs on the stage's own thread {@code zkperp-settlement}; the getters
 * from any thread.
 */
public final class Settlement extends SettlementStage {
  private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

  /**
   * How batches are cut.
   *
   * @param batchSize the circuit shape's slot count
   * @param maxBatchDelay how long a batch stays open after its first transaction
   * @param maxAwaitingProof back-pressure: no batch is opened while this many sealed batches wait
   *     for their proofs ({@link #awaitingProof}); ≥ 1
   */
  public record Options(int batchSize, Duration maxBatchDelay, int maxAwaitingProof) {
    /** Checks the ranges. */
    public Options {
      if (batchSize < 1 || maxBatchDelay.isNegative() || maxAwaitingProof < 1) {
        throw new IllegalArgumentException(
            "batchSize ≥ 1, a non-negative delay and maxAwaitingProof ≥ 1");
      }
    }

    /**
     * Options without back-pressure.
     *
     * @param batchSize see the record
     * @param maxBatchDelay see the record
     */
    public Options(int batchSize, Duration maxBatchDelay) {
      this(batchSize, maxBatchDelay, Integer.MAX_VALUE);
    }
  }

  private final RollupStateStore tree;
  private final BatchStore batches;
  private final Options options;

  // stage thread only
  private Fr priorityHash;
  private BatchExecutor open;
  private final List<L2Transaction> openTxs = new ArrayList<>();
  private long openFirstSeq;
  private long openLastSeq;

  /**
   * Creates the stage; call {@link #open} before feeding it.
   *
   * @param tree the state tree (this stage is its only writer)
   * @param batches the batch store
   * @param options batch size and delay
   * @param nanoClock monotonic nanoseconds (batch timeouts)
   */
  public Settlement(
      RollupStateStore tree, BatchStore batches, Options options, LongSupplier nanoClock) {
    super(
        Objects.requireNonNull(options, "options").maxBatchDelay(),
        options.maxAwaitingProof(),
        nanoClock);
    this.tree = Objects.requireNonNull(tree, "tree");
    this.batches = Objects.requireNonNull(batches, "batches");
    this.options = options;
  }

  /**
   * Reconciles the tree with the batch store (rolls back a tree version whose batch was never
   * stored) and positions the stage after the last stored batch. Controlling thread, before {@link
   * #start} and before the first {@link #offer}.
   *
   * @throws IOException if the store cannot be read, or the tree lacks a stored batch
   */
  public void open() throws IOException {
    var last = batches.last();
    long n = last.map(BatchRecord::number).orElse(0L);
    if (tree.version() > n) {
      LOG.warn(
          "state tree at version {} but the last stored batch is {}: rolling the tree back",
          tree.version(),
          n);
      tree.rollback(n);
    } else if (tree.version() < n) {
      throw new IOException(
          "the state tree is at version " + tree.version() + " but batch " + n + " is stored");
    }
    positionAfter(n, last.map(BatchRecord::lastSeq).orElse(0L));
    priorityHash = last.map(r -> Fr.fromBytes(r.priorityHashAfter())).orElse(Fr.ZERO);
    LOG.info("settlement opens after batch {} (journal record {})", n, settledSeq());
  }

  @Override
  protected boolean batchOpen() {
    return open != null;
  }

  @Override
  protected boolean batchFull() {
    return openTxs.size() >= options.batchSize();
  }

  @Override
  protected void sealOpen() throws IOException {
    seal();
  }

  @Override
  protected void process(SettlementInput in) throws IOException {
    Translation t = SettlementRecords.translate(in);
    switch (t) {
      case Translation.Skip s -> {}
      case Translation.Unprovable u -> {
        sealIfOpen();
        pause(in.seq(), "the circuit cannot prove " + u.what());
      }
      case Translation.Settle s -> settle(in.seq(), s);
    }
  }

  private void settle(long seq, Translation.Settle s) throws IOException {
    if (open != null && openTxs.size() >= options.batchSize()) {
      seal();
    }
    if (open == null) {
      open = new BatchExecutor(tree, options.batchSize(), lastSealed() + 1, priorityHash);
      openFirstSeq = seq;
      batchOpened();
    }
    Map<Integer, Long> expected = s.collateralAfter();
    if (s.tx() instanceof L2Transaction.ForcedWithdrawal f && expected.isEmpty()) {
      // the engine paid nothing: the tree must not pay either
      expected = Map.of(f.account(), open.account(f.account()).map(Account::collateral).orElse(0L));
    }
    try {
      open.apply(s.tx());
    } catch (TransactionRejectedException e) {
      sealIfOpen();
      pause(seq, "the batcher refuses " + s.tx() + ": " + e.reason() + ": " + e.getMessage());
      return;
    }
    for (var e : expected.entrySet()) {
      long tree = open.account(e.getKey()).map(Account::collateral).orElse(0L);
      if (tree != e.getValue()) {
        String why =
            "engine and tree disagree after "
                + s.tx()
                + ": account "
                + e.getKey()
                + " holds "
                + e.getValue()
                + " in the engine, "
                + tree
                + " in the tree";
        redoWithout(); // takes the transaction back out of the batch
        pause(seq, why);
        return;
      }
    }
    openTxs.add(s.tx());
    openLastSeq = seq;
  }

  /** Aborts the open batch and executes it again without its last (unrecorded) transaction. */
  private void redoWithout() throws IOException {
    open.close();
    open = null;
    if (!openTxs.isEmpty()) {
      open = new BatchExecutor(tree, options.batchSize(), lastSealed() + 1, priorityHash);
      for (L2Transaction tx : openTxs) {
        try {
          open.apply(tx);
        } catch (TransactionRejectedException e) {
          throw new IllegalStateException("a transaction accepted before is refused now: " + tx, e);
        }
      }
      seal();
    }
  }

  private void sealIfOpen() throws IOException {
    if (open != null && openTxs.isEmpty()) {
      open.close(); // nothing in it: no empty batch
      open = null;
    } else if (open != null) {
      seal();
    }
  }

  private void seal() throws IOException {
    long n = lastSealed() + 1;
    BatchWitness w = open.seal();
    open = null;
    BatchRecord r =
        BatchRecord.sealed(
            n,
            openFirstSeq,
            openLastSeq,
            openTxs.size(),
            w.priorityCount(),
            w.priorityHashAfter().toBytes(),
            w.encode(),
            w.commitmentInput());
    batches.put(r);
    priorityHash = w.priorityHashAfter();
    openTxs.clear();
    LOG.info(
        "batch {} sealed: {} transactions, {} priority ops, journal {}-{}",
        n,
        r.txCount(),
        r.priorityCount(),
        r.firstSeq(),
        r.lastSeq());
    sealed(n, r.lastSeq());
  }

  @Override
  protected void abortOpen() {
    if (open != null) {
      open.close();
      open = null;
    }
  }
}
