package io.zkperp.node;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every settlement stage shares, whatever batch format it seals ({@link Settlement}: format v2
 * on layout v1; {@code v3.SettlementV3}: format v3 on layout v2): the queue of accepted commands
 * fed in journal order ({@link #offer}), the stage thread {@code zkperp-settlement} that takes them
 * one at a time, the time limit that seals an open batch {@code maxBatchDelay} after it opened,
 * back-pressure (no batch opened while {@code maxAwaitingProof} sealed batches wait for proofs),
 * and the pause: the first record the stage cannot settle stops it for good ({@link #pausedAt()},
 * {@link #pauseReason()}, an ERROR log {@code settlement PAUSED at journal record N: …}); nothing
 * after it settles and nothing is dropped (a restart replays it to the same pause).
 *
 * <p>A subclass says what a record does ({@link #process}), whether a batch is open and full, how
 * to seal it ({@link #sealOpen}) and how to abort it ({@link #abortOpen}); it reports each stored
 * batch with {@link #sealed}.
 *
 * <p>Threads: {@link #offer} from the feeding thread (the replay, then the journal thread); {@link
 * #positionAfter} at open, {@link #start}/{@link #close} from the controlling thread; the hooks on
 * the stage thread; the getters from any thread.
 */
public abstract class SettlementStage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SettlementStage.class);

  private final Duration maxBatchDelay;
  private final int maxAwaitingProof;
  private final BlockingQueue<SettlementInput> queue = new LinkedBlockingQueue<>();
  private final AtomicLong lastSealed = new AtomicLong();
  private final AtomicLong pausedAt = new AtomicLong();
  private final List<Runnable> onSealed = new CopyOnWriteArrayList<>();
  private volatile String pauseReason = "";
  private volatile long pausedSinceNanos;
  private volatile long settledSeq;
  private volatile LongSupplier provedThrough = () -> Long.MAX_VALUE;
  private volatile boolean sealingHeld;
  private final StageProgress progress;
  private StageLoop loop; // made by start (a subclass is then fully built)

  /** The clock of batch time limits and pauses (monotonic nanoseconds). */
  protected final LongSupplier nanoClock;

  // stage thread only
  private long openedAtNanos;
  private long lastTaken = 1;

  /**
   * Creates the stage; nothing runs before {@link #start}.
   *
   * @param maxBatchDelay how long a batch stays open after it opened
   * @param maxAwaitingProof back-pressure limit (≥ 1; {@link Integer#MAX_VALUE}: none)
   * @param nanoClock monotonic nanoseconds
   */
  protected SettlementStage(Duration maxBatchDelay, int maxAwaitingProof, LongSupplier nanoClock) {
    this.maxBatchDelay = Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
    if (maxBatchDelay.isNegative() || maxAwaitingProof < 1) {
      throw new IllegalArgumentException("a non-negative delay and maxAwaitingProof ≥ 1");
    }
    this.maxAwaitingProof = maxAwaitingProof;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.progress = new StageProgress("settlement", nanoClock);
  }

  /**
   * Whether a record offered at or before the last stored batch is still given to {@link #process}
   * (a v3 translator follows every command to rebuild its live orders); the default ignores it.
   *
   * @return true to queue every record
   */
  protected boolean takesSettledRecords() {
    return false;
  }

  /**
   * Settles one record (stage thread). It may seal batches (reporting each with {@link #sealed}),
   * open one ({@link #batchOpened}) or pause ({@link #pause}).
   *
   * @param in the record
   * @throws IOException if a store fails (the stage pauses)
   */
  protected abstract void process(SettlementInput in) throws IOException;

  /**
   * Whether a batch is open. Stage thread.
   *
   * @return true while one holds records
   */
  protected abstract boolean batchOpen();

  /**
   * Whether the open batch must be sealed now by size. Stage thread.
   *
   * @return true when full
   */
  protected abstract boolean batchFull();

  /**
   * Seals and stores the open batch (the time limit or the size). Stage thread.
   *
   * @throws IOException if a store fails
   */
  protected abstract void sealOpen() throws IOException;

  /** Aborts the open batch (close; its records are replayed on restart). After the thread ended. */
  protected abstract void abortOpen();

  /**
   * Positions the stage after the last stored batch. Controlling thread, at open.
   *
   * @param batch the last stored batch (0: none)
   * @param seq every record up to it is settled
   */
  protected final void positionAfter(long batch, long seq) {
    lastSealed.set(batch);
    settledSeq = seq;
  }

  /** The open batch's time limit starts now. Stage thread. */
  protected final void batchOpened() {
    openedAtNanos = nanoClock.getAsLong();
  }

  /**
   * Reports a stored batch and runs the {@link #onSealed} listeners. Stage thread.
   *
   * @param batch its number
   * @param seq every record up to it is settled
   */
  protected final void sealed(long batch, long seq) {
    settledSeq = seq;
    lastSealed.set(batch);
    for (Runnable l : onSealed) {
      l.run();
    }
  }

  /**
   * Pauses at a record: the first pause stands. Stage thread.
   *
   * @param seq the record's journal sequence
   * @param why the reason
   */
  protected final void pause(long seq, String why) {
    if (pausedAt.get() != 0) {
      return;
    }
    pauseReason = why; // written before pausedAt, which readers read first
    pausedSinceNanos = nanoClock.getAsLong();
    pausedAt.set(Math.max(seq, 1));
    LOG.error("settlement PAUSED at journal record {}: {}", seq, why);
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
   * How long the settlement has been paused. Any thread.
   *
   * @return milliseconds, 0 while it runs
   */
  public long pausedForMillis() {
    return pausedAt.get() == 0 ? 0 : (nanoClock.getAsLong() - pausedSinceNanos) / 1_000_000;
  }

  /**
   * Calls {@code listener} on the stage thread after each sealed batch is stored. Controlling
   * thread, before {@link #start}.
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
   * Sealed batches waiting for their proofs (a metric). Any thread.
   *
   * @return the count, 0 when every sealed batch is proven
   */
  public long awaitingProof() {
    return Math.max(0, lastSealed.get() - provedThrough.getAsLong());
  }

  /**
   * Whether back-pressure holds the settlement: the limit of sealed batches wait for proofs, so no
   * new batch is opened (records wait in the queue; nothing is dropped). Any thread.
   *
   * @return true while held
   */
  public boolean sealingHeld() {
    return sealingHeld;
  }

  /**
   * Hands one accepted command to the stage (records already in a stored batch are ignored, unless
   * the stage {@link #takesSettledRecords}). Feeding thread, in journal order.
   *
   * @param in the command and its events
   */
  public void offer(SettlementInput in) {
    if (in.seq() > settledSeq || takesSettledRecords()) {
      queue.add(in);
    }
  }

  /** Starts the stage thread. Controlling thread. */
  public synchronized void start() {
    if (loop != null) {
      throw new IllegalStateException("already started");
    }
    loop =
        new StageLoop(
            "zkperp-settlement",
            Duration.ZERO, // the pass waits on the queue
            this::step,
            e -> {
              pause(lastTaken, "settlement failed: " + e);
              LOG.error("settlement stage failed; paused", e);
              return 0;
            },
            progress);
    loop.start();
  }

  /**
   * Records waiting for the stage (a metric). Any thread.
   *
   * @return the queue length
   */
  public int recordsWaiting() {
    return queue.size();
  }

  /**
   * The last sealed batch. Any thread.
   *
   * @return its number, 0 before the first
   */
  public long lastSealed() {
    return lastSealed.get();
  }

  /**
   * Every journal record up to this one is settled and stored in a batch. Any thread.
   *
   * @return the sequence, 0 before the first batch
   */
  public long settledSeq() {
    return settledSeq;
  }

  /**
   * The journal record the settlement paused at. Any thread.
   *
   * @return its sequence, or 0 while it runs
   */
  public long pausedAt() {
    return pausedAt.get();
  }

  /**
   * Why it paused. Any thread.
   *
   * @return the reason, "" while it runs
   */
  public String pauseReason() {
    return pauseReason;
  }

  /**
   * One pass: waits for a record (at most until the open batch is due), settles it, seals by size
   * or time; takes no record while too many sealed batches wait for proofs — even with a batch
   * open, since a record may seal full batches inside {@link #process} and open the next one (on
   * format v3 a batch is open almost always under steady trades, so a check made only between
   * batches held far too late). The open batch then waits, unsealed, until the proofs catch up.
   */
  private void step() throws IOException, InterruptedException {
    if (holdForProofs()) {
      Thread.sleep(50);
      return;
    }
    long waitNanos =
        !batchOpen()
            ? TimeUnit.MILLISECONDS.toNanos(100)
            : Math.max(0, openedAtNanos + maxBatchDelay.toNanos() - nanoClock.getAsLong());
    SettlementInput in = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
    if (in != null && pausedAt.get() == 0) {
      lastTaken = in.seq();
      process(in);
      lastTaken = in.seq() + 1; // a later failure (sealing) pauses at the next record
    }
    if (batchOpen()
        && (batchFull() || nanoClock.getAsLong() - openedAtNanos >= maxBatchDelay.toNanos())) {
      sealOpen();
    }
  }

  /** Back-pressure: whether to open no batch now; logs when it starts and ends. */
  private boolean holdForProofs() {
    long waiting = awaitingProof();
    boolean hold = waiting >= maxAwaitingProof && pausedAt.get() == 0;
    if (hold && !sealingHeld) {
      LOG.warn(
          "settlement HOLDS sealing after batch {}: {} sealed batches wait for proofs (limit {});"
              + " {} records wait",
          lastSealed.get(),
          waiting,
          maxAwaitingProof,
          queue.size());
    } else if (!hold && sealingHeld) {
      LOG.info("settlement resumes sealing: {} batches wait for proofs", waiting);
    }
    sealingHeld = hold;
    if (hold) {
      progress.waiting(
          waiting
              + " sealed batches wait for proofs (limit "
              + maxAwaitingProof
              + "); "
              + queue.size()
              + " records wait for the settlement");
    }
    return hold;
  }

  /** Stops the stage thread; an open batch is aborted (its records are replayed on restart). */
  @Override
  public void close() {
    StageLoop l;
    synchronized (this) {
      l = loop;
    }
    if (l != null) {
      l.close();
    }
    abortOpen();
  }
}
