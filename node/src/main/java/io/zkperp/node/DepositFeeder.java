package io.zkperp.node;

import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.SequencerBridge;
import io.zkperp.l1.L1Deposit;
import io.zkperp.l1.L1Exception;
import io.zkperp.l1.L1ForcedWithdrawal;
import io.zkperp.l1.L1PriorityOp;
import io.zkperp.l1.PriorityOpWatcher;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the L1 priority queue into the engine: polls the {@link PriorityOpWatcher} and submits each
 * confirmed operation as {@link CreditL1Deposit} or {@link ServeL1ForcedWithdrawal} carrying its
 * queue index, waiting until it is journaled. The engine accepts an index only once and in order
 * ({@code PRIORITY_OP_OUT_OF_ORDER} otherwise), and the watcher's {@link
 * PriorityOpWatcher.Sink#nextIndex} is the engine's next index as the journal shows it ({@link
 * L2Accounts#nextPriorityIndex}), so a deposit is credited exactly once across crashes and reorgs.
 *
 * <p>Threads: its own thread {@code zkperp-l1-watcher}.
 */
public final class DepositFeeder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DepositFeeder.class);

  private final PriorityOpWatcher watcher;
  private final SequencerBridge bridge;
  private final L2Accounts accounts;
  private final StageLoop loop;
  private final StageProgress progress = new StageProgress("l1-watcher", System::nanoTime);
  private final boolean censor;
  private volatile long safeHead = -1;
  private long censoredIndex = -1;

  /**
   * Creates the feeder.
   *
   * @param watcher the L1 watcher
   * @param bridge where commands are submitted
   * @param accounts the journal's view of the next priority index
   * @param poll the pause between polls
   */
  public DepositFeeder(
      PriorityOpWatcher watcher, SequencerBridge bridge, L2Accounts accounts, Duration poll) {
    this(watcher, bridge, accounts, poll, false);
  }

  /**
   * Creates the feeder, optionally censoring forced withdrawals (drills and tests only: {@link
   * NodeConfig#censorForcedWithdrawals}). A censored request is never taken, so the watcher offers
   * it again on every poll and nothing queued after it is taken either (the queue is consumed in
   * order, on L1 as in the engine); it stays unserved until its deadline passes and anyone freezes
   * the rollup.
   *
   * @param watcher the L1 watcher
   * @param bridge where commands are submitted
   * @param accounts the journal's view of the next priority index
   * @param poll the pause between polls
   * @param censorForcedWithdrawals whether to ignore L1 forced withdrawals
   */
  public DepositFeeder(
      PriorityOpWatcher watcher,
      SequencerBridge bridge,
      L2Accounts accounts,
      Duration poll,
      boolean censorForcedWithdrawals) {
    this.censor = censorForcedWithdrawals;
    this.watcher = watcher;
    this.bridge = bridge;
    this.accounts = accounts;
    this.loop =
        new StageLoop(
            "zkperp-l1-watcher",
            poll,
            this::step,
            StageLoop.retryWithBackoff(LOG, "L1 watcher", poll),
            progress);
  }

  /**
   * The watcher's progress: a poll of L1 that succeeded advances it. Any thread.
   *
   * @return the progress record
   */
  public StageProgress progress() {
    return progress;
  }

  /** Starts the thread. Controlling thread. */
  public void start() {
    loop.start();
  }

  /**
   * The newest L1 block scanned (head − confirmations).
   *
   * @return the block, -1 before the first poll
   */
  public long safeHead() {
    return safeHead;
  }

  /**
   * The queue index of the forced withdrawal this node is censoring (drill option), -1 if none. Any
   * thread.
   *
   * @return the index
   */
  public synchronized long censoredIndex() {
    return censoredIndex;
  }

  private void step() {
    try {
      PriorityOpWatcher.Poll p = watcher.poll(new Sink());
      safeHead = p.safeHead();
    } catch (Censored c) {
      // the poll stopped at the censored request, which the next poll offers again
      LOG.debug("poll stopped at censored forced withdrawal {}", censoredIndex());
    }
  }

  /** Thrown out of the sink to stop a poll at a censored forced withdrawal. */
  private static final class Censored extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Censored() {
      super(null, null, false, false);
    }
  }

  private synchronized boolean censorNow(L1ForcedWithdrawal f) {
    if (censoredIndex == f.index()) {
      return false;
    }
    censoredIndex = f.index();
    return true;
  }

  /** Submits one operation and waits for the journal. */
  private final class Sink implements PriorityOpWatcher.Sink {
    @Override
    public long nextIndex() {
      return accounts.nextPriorityIndex();
    }

    @Override
    public void accept(L1PriorityOp op) {
      if (censor && op instanceof L1ForcedWithdrawal f) {
        if (censorNow(f)) {
          LOG.warn(
              "CENSORING L1 forced withdrawal {} of account {} (drill option"
                  + " censorForcedWithdrawals): it and every later L1 operation stay untaken",
              f.index(),
              f.accountId());
        }
        throw new Censored();
      }
      Command c =
          switch (op) {
            case L1Deposit d ->
                new CreditL1Deposit(
                    d.index(),
                    d.accountId(),
                    d.owner(),
                    d.key().point().x(),
                    d.key().point().y(),
                    d.amount());
            case L1ForcedWithdrawal f ->
                new ServeL1ForcedWithdrawal(f.index(), f.accountId(), f.owner(), f.amount());
          };
      CommandOutcome o;
      try {
        o = bridge.submit(c).get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new L1Exception("interrupted while crediting " + c, e);
      } catch (ExecutionException | TimeoutException e) {
        throw new L1Exception("crediting " + c + " failed: " + e, e);
      }
      if (o instanceof CommandOutcome.Rejected r) {
        if (r.reason() == RejectReason.PRIORITY_OP_OUT_OF_ORDER
            && accounts.nextPriorityIndex() > op.index()) {
          return; // credited meanwhile
        }
        throw new L1Exception(
            "the engine refused " + c + ": " + r.reason() + " " + r.message(), null);
      }
      LOG.info("L1 priority op {} credited: {}", op.index(), c);
    }
  }

  /** Stops the thread. */
  @Override
  public void close() {
    loop.close();
  }
}
