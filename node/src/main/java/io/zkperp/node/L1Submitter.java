package io.zkperp.node;

import io.zkperp.l1.L1Exception;
import io.zkperp.l1.L1RevertException;
import io.zkperp.l1.L1Sender;
import io.zkperp.l1.L1Session;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Commits proven batches to the rollup contract strictly in order. Each pass reads what L1 already
 * has — the rollup's {@code lastBatchNumber} — so it never submits a batch twice or skips one, also
 * after a restart or a crash between sending and recording: a batch L1 has but the store does not
 * mark committed is marked from its {@code BatchCommitted} event (transaction and block) after its
 * new state root is checked against the store's. The next batch is sent when it is {@link
 * BatchStatus#PROVEN}, through an {@link L1Sender} (local nonce, estimated gas, EIP-1559 fees from
 * the node, a commit not mined in time replaced at the same nonce with fees +12.5 % up to a cap,
 * retries; a revert is decoded and nothing is sent); the gas its receipt says the commit used is
 * stored with the batch's L1 transaction ({@link BatchRecord#l1GasUsed()}; unknown for a batch
 * found on L1 instead). A committed batch becomes {@link BatchStatus#FINAL} once its block has
 * {@code finality} confirmations. While L1 is unreachable it waits and retries with backoff,
 * warning with the batch that waits, and reports to {@link #progress()} ({@code /health}, stage
 * metrics). What depends on the batch format — the commit call built from a stored batch and the
 * {@code BatchCommitted} event read back — is the {@link RollupContract}'s ({@link
 * RollupV2Contract}, {@link io.zkperp.node.v3.RollupV3Contract}).
 *
 * <p>Threads: its own thread {@code zkperp-l1-submitter}; getters from any thread.
 */
public final class L1Submitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(L1Submitter.class);

  private final L1Session session;
  private final L1Sender sender;
  private final RollupContract rollup;
  private final BatchStore batches;
  private final long finality;
  private final StageLoop loop;
  private volatile long l1Batch = -1;
  private volatile boolean frozen;
  private volatile BigInteger gasSpent = BigInteger.ZERO;
  private volatile long l1Head = -1;
  private final StageProgress progress = new StageProgress("l1-submitter", System::nanoTime);

  /**
   * Creates the submitter of a format v2 rollup ({@code ZkPerpRollup}).
   *
   * @param session the L1 connection
   * @param sender the operator's sender (the rollup's submitter role)
   * @param rollupAddress the rollup
   * @param batches the batch store
   * @param finality confirmations after which a committed batch is final (≥ 0)
   * @param poll the pause between passes
   */
  public L1Submitter(
      L1Session session,
      L1Sender sender,
      String rollupAddress,
      BatchStore batches,
      long finality,
      Duration poll) {
    this(session, sender, new RollupV2Contract(session, rollupAddress), batches, finality, poll);
  }

  /**
   * Creates the submitter of a rollup of either format: {@code rollup} builds the commit call from
   * each stored batch and reads its {@code BatchCommitted} event back (e.g. {@link
   * io.zkperp.node.v3.RollupV3Contract} for format v3 batches, whose records hold the v3 commitment
   * bytes).
   *
   * @param session the L1 connection (for the head block)
   * @param sender the operator's sender (the rollup's submitter role)
   * @param rollup the rollup contract
   * @param batches the batch store
   * @param finality confirmations after which a committed batch is final (≥ 0)
   * @param poll the pause between passes
   */
  public L1Submitter(
      L1Session session,
      L1Sender sender,
      RollupContract rollup,
      BatchStore batches,
      long finality,
      Duration poll) {
    this.session = session;
    this.sender = sender;
    this.rollup = rollup;
    this.batches = batches;
    this.finality = finality;
    this.loop =
        new StageLoop(
            "zkperp-l1-submitter",
            poll,
            this::step,
            StageLoop.retryWithBackoff(LOG, this::describeWaiting, poll),
            progress);
  }

  /**
   * The submitter's progress: a batch committed (or found on L1, or final) advances it, as does a
   * pass with nothing to send; a proven batch that cannot be committed (L1 unreachable, a commit
   * not mined) or a batch that failed to prove stalls it. Any thread.
   *
   * @return the progress record
   */
  public StageProgress progress() {
    return progress;
  }

  /**
   * The stage and the batch it waits to commit, for its warnings; a proven batch waiting is also
   * reported to {@link #progress()}. Stage thread, after a failed pass.
   */
  private String describeWaiting() {
    try {
      for (BatchRecord r : batches.range(Math.max(1, l1Batch + 1), 10_000)) {
        if (r.status() == BatchStatus.PROVEN) {
          String what = waitingToCommit(r.number());
          progress.waiting(what);
          return "L1 submitter (" + what + ")";
        }
        if (r.status() != BatchStatus.COMMITTED && r.status() != BatchStatus.FINAL) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the description is best effort
    }
    return "L1 submitter (no proven batch waiting)";
  }

  private static String waitingToCommit(long batch) {
    return "batch " + batch + " proven, not yet committed on L1";
  }

  /** Starts the thread. Controlling thread. */
  public void start() {
    loop.start();
  }

  /**
   * The last batch number L1 reported.
   *
   * @return the number, -1 before the first read
   */
  public long l1Batch() {
    return l1Batch;
  }

  /**
   * Whether the submitter found the rollup frozen on L1 ({@code frozen()}): it commits nothing more
   * (every commit would revert {@code RollupFrozen}). Any thread.
   *
   * @return true once the freeze was read
   */
  public boolean frozen() {
    return frozen;
  }

  /**
   * Commits replaced with higher fees because they were not mined in time (a metric).
   *
   * @return the count
   */
  public long replacements() {
    return sender.replacements();
  }

  /**
   * The newest L1 block the last pass read (a metric: a committed batch has head − its block
   * confirmations, and is final at the configured finality). Any thread.
   *
   * @return the block number, -1 before the first pass
   */
  public long l1Head() {
    return l1Head;
  }

  /**
   * Gas used by this node's commits since it started (a metric).
   *
   * @return gas
   */
  public BigInteger gasSpent() {
    return gasSpent;
  }

  /**
   * One pass: reconcile with L1, send the next proven batch, mark final batches.
   *
   * @throws IOException if the store fails
   */
  void step() throws IOException {
    if (!frozen && rollup.frozen()) {
      // a frozen rollup refuses every commit (RollupFrozen) for ever: stop sending
      frozen = true;
      LOG.error(
          "the rollup {} is FROZEN on L1 (a forced withdrawal passed its deadline): no batch is"
              + " committed any more; accounts leave by escape with perp_getEscapeProof",
          rollup.address());
    }
    long onL1 = rollup.lastBatchNumber();
    l1Batch = onL1;
    long head = session.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    l1Head = head;
    for (BatchRecord r : batches.range(1, 10_000)) {
      if (r.number() <= onL1) {
        if (r.status() != BatchStatus.COMMITTED && r.status() != BatchStatus.FINAL) {
          recordFromL1(r);
          progress.advanced();
        } else if (r.status() == BatchStatus.COMMITTED && r.l1Block() + finality <= head) {
          batches.put(r.withStatus(BatchStatus.FINAL));
          progress.advanced();
          LOG.info("batch {} final (L1 block {}, head {})", r.number(), r.l1Block(), head);
        }
      } else if (frozen) {
        progress.advanced(); // nothing more can be done: the freeze is reported on its own
        return;
      } else if (r.number() == onL1 + 1 && r.status() == BatchStatus.PROVEN) {
        progress.waiting(waitingToCommit(r.number()));
        if (commit(r)) {
          progress.advanced();
        }
        return;
      } else if (r.number() == onL1 + 1 && r.status() == BatchStatus.FAILED) {
        progress.waiting(
            "batch "
                + r.number()
                + " FAILED to prove ("
                + r.detail()
                + "): no later batch can be committed");
        return;
      } else {
        return;
      }
    }
  }

  /** Commits {@code r}; false if L1 had moved on (re-read on the next pass). */
  private boolean commit(BatchRecord r) throws IOException {
    TransactionReceipt receipt;
    try {
      receipt =
          sender.send(
              rollup.address(), rollup.commitCall(r), BigInteger.ZERO, "commitBatch " + r.number());
    } catch (L1RevertException e) {
      if ("WrongBatchNumber".equals(e.errorName())) {
        LOG.warn("batch {}: L1 moved on ({}); re-reading", r.number(), e.getMessage());
        return false;
      }
      throw e;
    }
    gasSpent = gasSpent.add(receipt.getGasUsed());
    batches.put(
        r.committed(
            receipt.getTransactionHash(),
            receipt.getBlockNumber().longValueExact(),
            receipt.getGasUsed().longValueExact()));
    LOG.info(
        "batch {} committed on L1: tx {} block {} gas {}",
        r.number(),
        receipt.getTransactionHash(),
        receipt.getBlockNumber(),
        receipt.getGasUsed());
    return true;
  }

  /** A batch L1 has but the store does not mark: take its transaction from the event. */
  private void recordFromL1(BatchRecord r) throws IOException {
    Optional<RollupContract.Committed> event = rollup.committed(r.number());
    if (event.isEmpty()) {
      throw new L1Exception("L1 reports batch " + r.number() + " but has no event for it", null);
    }
    RollupContract.Committed e = event.get();
    BigInteger ours = rollup.newStateRoot(r);
    if (!e.newStateRoot().equals(ours)) {
      throw new IllegalStateException(
          "L1 batch "
              + r.number()
              + " has state root "
              + e.newStateRoot()
              + " but the node sealed "
              + ours
              + ": another operator's state");
    }
    batches.put(r.committed(e.txHash(), e.block()));
    LOG.info("batch {} found committed on L1 (tx {}): recorded", r.number(), e.txHash());
  }

  /** Stops the thread. */
  @Override
  public void close() {
    loop.close();
  }
}
