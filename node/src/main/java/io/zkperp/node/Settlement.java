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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Threads: {@link #offer} from the feeding thread (the replay, then the sequencer's journal
 * thread); everything else runs on the stage's own thread {@code zkperp-settlement}; the getters
 * from any thread.
 */
public final class Settlement implements AutoCloseable {
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
  private final LongSupplier nanoClock;
  private final BlockingQueue<SettlementInput> queue = new LinkedBlockingQueue<>();
  private final AtomicLong lastSealed = new AtomicLong();
  private final AtomicLong pausedAt = new AtomicLong();
  private final List<Runnable> onSealed = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile String pauseReason = "";
  private volatile long pausedSinceNanos;
  private final StageProgress progress;
  private volatile long settledSeq;
  private volatile LongSupplier provedThrough = () -> Long.MAX_VALUE;
  private volatile boolean sealingHeld;
  private final StageLoop loop;

  // stage thread only
  private Fr priorityHash;
  private BatchExecutor open;
  private final List<L2Transaction> openTxs = new ArrayList<>();
  private long openFirstSeq;
  private long openLastSeq;
  private long openedAtNanos;

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
    this.tree = Objects.requireNonNull(tree, "tree");
    this.batches = Objects.requireNonNull(batches, "batches");
    this.options = Objects.requireNonNull(options, "options");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.progress = new StageProgress("settlement", nanoClock);
    this.loop =
        new StageLoop(
            "zkperp-settlement",
            Duration.ZERO, // the pass waits on the queue
            this::step,
            e -> {
              pause(openLastSeq + 1, "settlement failed: " + e);
              LOG.error("settlement stage failed; paused", e);
              return 0;
            },
            progress);
  }

  /**
   * The stage's progress: every pass that does not throw advances it (a pause is reported apart,
   * see {@link #pausedAt()}). Any thread.
   *
   * @return the progress record
   */
  public StageProgress progress() {
    return progress;
  }

  /**
   * How long the settlement has been paused.
   *
   * @return milliseconds, 0 while it runs
   */
  public long pausedForMillis() {
    return pausedAt.get() == 0 ? 0 : (nanoClock.getAsLong() - pausedSinceNanos) / 1_000_000;
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
    lastSealed.set(n);
    settledSeq = last.map(BatchRecord::lastSeq).orElse(0L);
    priorityHash = last.map(r -> Fr.fromBytes(r.priorityHashAfter())).orElse(Fr.ZERO);
    LOG.info("settlement opens after batch {} (journal record {})", n, settledSeq);
  }

  /**
   * Calls {@code listener} on the stage thread after each sealed batch is stored.
   *
   * @param listener e.g. waking the proving stage
   */
  public void onSealed(Runnable listener) {
    onSealed.add(listener);
  }

  /**
   * Where back-pressure reads how far the proofs are: batches 1 to {@code provedThrough} are proven
   * (or failed for good), the others after them wait. Any thread (until it is set, nothing waits
   * for proofs).
   *
   * @param provedThrough e.g. the proving stage's {@link ProvingStage#provedThrough()}
   */
  public void awaitProofsOf(LongSupplier provedThrough) {
    this.provedThrough = Objects.requireNonNull(provedThrough);
  }

  /**
   * Sealed batches waiting for their proofs (a metric).
   *
   * @return the count, 0 when every sealed batch is proven
   */
  public long awaitingProof() {
    return Math.max(0, lastSealed.get() - provedThrough.getAsLong());
  }

  /**
   * Whether back-pressure holds the settlement: {@link Options#maxAwaitingProof} batches wait for
   * proofs, so no new batch is opened (records wait in the queue; nothing is dropped). Any thread.
   *
   * @return true while held
   */
  public boolean sealingHeld() {
    return sealingHeld;
  }

  /**
   * Hands one accepted command to the stage (records already in a stored batch are ignored).
   * Feeding thread, in journal order.
   *
   * @param in the command and its events
   */
  public void offer(SettlementInput in) {
    if (in.seq() > settledSeq) {
      queue.add(in);
    }
  }

  /** Starts the stage thread. Controlling thread. */
  public void start() {
    loop.start();
  }

  /**
   * Records waiting for the stage (a metric).
   *
   * @return the queue length
   */
  public int recordsWaiting() {
    return queue.size();
  }

  /**
   * The last sealed batch.
   *
   * @return its number, 0 before the first
   */
  public long lastSealed() {
    return lastSealed.get();
  }

  /**
   * The last journal record of the last sealed batch (every record up to it is settled). Any
   * thread.
   *
   * @return the sequence, 0 before the first batch
   */
  public long settledSeq() {
    return settledSeq;
  }

  /**
   * The journal record the settlement paused at.
   *
   * @return its sequence, or 0 while it runs
   */
  public long pausedAt() {
    return pausedAt.get();
  }

  /**
   * Why it paused.
   *
   * @return the reason, "" while it runs
   */
  public String pauseReason() {
    return pauseReason;
  }

  /**
   * One pass: waits for a record (at most until the open batch is due), settles it, seals; opens no
   * batch while too many wait for proofs.
   */
  private void step() throws IOException, InterruptedException {
    if (open == null && holdForProofs()) {
      Thread.sleep(50);
      return;
    }
    long waitNanos =
        open == null
            ? TimeUnit.MILLISECONDS.toNanos(100)
            : Math.max(
                0, openedAtNanos + options.maxBatchDelay().toNanos() - nanoClock.getAsLong());
    SettlementInput in = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
    if (in != null && pausedAt.get() == 0) {
      process(in);
    }
    if (open != null
        && (openTxs.size() >= options.batchSize()
            || nanoClock.getAsLong() - openedAtNanos >= options.maxBatchDelay().toNanos())) {
      seal();
    }
  }

  /** Back-pressure: whether to open no batch now; logs when it starts and ends. */
  private boolean holdForProofs() {
    long waiting = awaitingProof();
    boolean hold = waiting >= options.maxAwaitingProof() && pausedAt.get() == 0;
    if (hold && !sealingHeld) {
      LOG.warn(
          "settlement HOLDS sealing after batch {}: {} sealed batches wait for proofs (limit {});"
              + " {} records wait",
          lastSealed.get(),
          waiting,
          options.maxAwaitingProof(),
          queue.size());
    } else if (!hold && sealingHeld) {
      LOG.info("settlement resumes sealing: {} batches wait for proofs", waiting);
    }
    sealingHeld = hold;
    if (hold) {
      progress.waiting(
          waiting
              + " sealed batches wait for proofs (limit "
              + options.maxAwaitingProof()
              + "); "
              + queue.size()
              + " records wait for the settlement");
    }
    return hold;
  }

  private void process(SettlementInput in) throws IOException {
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
      open = new BatchExecutor(tree, options.batchSize(), lastSealed.get() + 1, priorityHash);
      openFirstSeq = seq;
      openedAtNanos = nanoClock.getAsLong();
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
      open = new BatchExecutor(tree, options.batchSize(), lastSealed.get() + 1, priorityHash);
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
    long n = lastSealed.get() + 1;
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
    settledSeq = openLastSeq;
    lastSealed.set(n);
    openTxs.clear();
    LOG.info(
        "batch {} sealed: {} transactions, {} priority ops, journal {}-{}",
        n,
        r.txCount(),
        r.priorityCount(),
        r.firstSeq(),
        r.lastSeq());
    for (Runnable l : onSealed) {
      l.run();
    }
  }

  private void pause(long seq, String why) {
    if (pausedAt.get() != 0) {
      return; // stage thread only: the first pause stands
    }
    pauseReason = why; // written before pausedAt, which readers read first
    pausedSinceNanos = nanoClock.getAsLong();
    pausedAt.set(Math.max(seq, 1));
    LOG.error("settlement PAUSED at journal record {}: {}", seq, why);
  }

  /** Stops the stage thread; an open batch is aborted (its records are replayed on restart). */
  @Override
  public void close() {
    loop.close();
    if (open != null) {
      open.close();
      open = null;
    }
  }
}
