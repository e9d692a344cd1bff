package io.zkperp.node;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves sealed batches through the provers: submits each {@link BatchStatus#SEALED} batch as a
 * proof job (at most {@code maxInFlight} at a time: back-pressure), marks it {@link
 * BatchStatus#PROVING}, polls, checks that the proof's public input is the batch's own (SHA-256 of
 * its commitment input, top three bits cleared), stores it ({@link BatchStatus#PROVEN}) and only
 * then acknowledges the job. A retryable failure (the prover died on the job, e.g. killed with the
 * node, more often than the worker's attempt limit) is acknowledged and submitted again, up to
 * {@link #MAX_RETRIES} times; a permanent failure marks the batch {@link BatchStatus#FAILED} and is
 * logged as an error. After a restart it picks up every batch from the store where it stands (a
 * {@code PROVING} batch is submitted again, which the job store treats as a no-op).
 *
 * <p>Threads: its own thread {@code zkperp-proving}; {@link #wake} and the getters from any thread.
 */
public final class ProvingStage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProvingStage.class);

  /** How often a batch is proven again after a retryable failure before it is FAILED. */
  static final int MAX_RETRIES = 20;

  private final BatchStore batches;
  private final ProofJobs jobs;
  private final int maxInFlight;
  private final java.util.Map<Long, Integer> retries = new java.util.HashMap<>();
  private final StageLoop loop;
  private volatile long oldestWaitingSinceNanos;
  private long firstUnproven = 1; // stage thread only
  private volatile long provedThrough;
  private final StageProgress progress = new StageProgress("proving", System::nanoTime);

  /**
   * Creates the stage.
   *
   * @param batches the batch store
   * @param jobs where proofs are made
   * @param maxInFlight jobs submitted at once (≥ 1)
   * @param poll how often results are polled
   */
  public ProvingStage(BatchStore batches, ProofJobs jobs, int maxInFlight, Duration poll) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be ≥ 1");
    }
    this.batches = batches;
    this.jobs = jobs;
    this.maxInFlight = maxInFlight;
    this.loop =
        new StageLoop(
            "zkperp-proving",
            poll,
            () -> {
              firstUnproven = step(firstUnproven);
              provedThrough = firstUnproven - 1;
            },
            e -> {
              LOG.error("proving stage step failed; retrying", e);
              return poll.toMillis();
            },
            progress);
  }

  /**
   * The stage's progress: a batch proven (or failed for good) advances it; a batch waiting for its
   * proof stalls it. Any thread.
   *
   * @return the progress record
   */
  public StageProgress progress() {
    return progress;
  }

  /**
   * Batches 1 to this one are proven or failed for good (as of the stage's last pass); the
   * settlement's back-pressure reads it. Any thread.
   *
   * @return the batch number, 0 before the first pass or proof
   */
  public long provedThrough() {
    return provedThrough;
  }

  /** Starts the stage's thread. Controlling thread. */
  public void start() {
    loop.start();
  }

  /** Asks the stage to look at the store now (e.g. a batch was sealed). Any thread. */
  public void wake() {
    loop.wake();
  }

  /**
   * Prover lag: seconds since the oldest batch still waiting for its proof was first seen.
   *
   * @return seconds, 0 when none waits
   */
  public double lagSeconds() {
    long since = oldestWaitingSinceNanos;
    return since == 0 ? 0 : (System.nanoTime() - since) / 1e9;
  }

  /** One pass over the unproven batches; returns the first batch still unproven. */
  long step(long from) throws IOException {
    long first = from;
    boolean advancing = true;
    int submitted = 0;
    for (BatchRecord r : batches.range(from, 1_000)) {
      boolean settledNow = false; // proven or failed for good in this pass
      switch (r.status()) {
        case SEALED -> {
          if (submitted < maxInFlight) {
            jobs.submit(r.number(), r.witness());
            batches.put(r.withStatus(BatchStatus.PROVING));
            LOG.info("batch {} handed to the provers", r.number());
            submitted++;
            progress.advanced();
          } else {
            progress.waiting(
                "batch " + r.number() + " waits for a prover (" + maxInFlight + " jobs in flight)");
          }
          advancing = false;
        }
        case PROVING -> {
          jobs.submit(r.number(), r.witness()); // no-op when the job exists (after a restart too)
          submitted++;
          Optional<ProofJobs.Outcome> o = jobs.poll(r.number(), r.witness());
          if (o.isPresent() && o.get() instanceof ProofJobs.Proved p) {
            if (!Arrays.equals(p.publicInput(), publicInput(r.commitment()))) {
              batches.put(r.failed("the proof's public input is not the batch's"));
              settledNow = true;
              progress.advanced();
              LOG.error("batch {}: proof for another public input refused", r.number());
            } else {
              batches.put(r.proven(p.solidityProof()));
              settledNow = true;
              jobs.acknowledge(r.number(), r.witness());
              LOG.info("batch {} proven", r.number());
              progress.advanced();
            }
          } else if (o.isPresent()
              && o.get() instanceof ProofJobs.Failed f
              && f.retryable()
              && retries.merge(r.number(), 1, Integer::sum) <= MAX_RETRIES) {
            // the prover died on it (e.g. killed with the node): forget the result, prove again
            LOG.warn("batch {}: {}; submitting it again", r.number(), f.reason());
            jobs.acknowledge(r.number(), r.witness());
            jobs.submit(r.number(), r.witness());
            progress.waiting(
                "batch " + r.number() + " is proven again after: " + f.reason() + "; " + provers());
            advancing = false;
          } else if (o.isPresent() && o.get() instanceof ProofJobs.Failed f) {
            batches.put(r.failed(f.reason()));
            settledNow = true;
            LOG.error("batch {} FAILED to prove: {}", r.number(), f.reason());
            progress.advanced();
          } else {
            progress.waiting(
                "batch "
                    + r.number()
                    + " waits for its proof ("
                    + String.format(java.util.Locale.ROOT, "%.1f", lagSeconds())
                    + " s of prover lag); "
                    + provers());
            advancing = false;
          }
        }
        default -> {}
      }
      // a batch proven in this pass counts at once: provedThrough (the settlement's back-pressure
      // and its awaiting-proof gauge) must not lag a poll behind the store the submitter reads
      if (advancing
          && (settledNow
              || (r.status() != BatchStatus.SEALED && r.status() != BatchStatus.PROVING))) {
        first = r.number() + 1;
      }
    }
    oldestWaitingSinceNanos =
        batches.get(first).isPresent()
            ? (oldestWaitingSinceNanos == 0 ? System.nanoTime() : oldestWaitingSinceNanos)
            : 0;
    return first;
  }

  private String provers() {
    String s = jobs.proversState();
    return s.isEmpty() ? "provers: " + jobs.inFlight() + " jobs in flight" : s;
  }

  /**
   * The public input of a batch: SHA-256 of its commitment input with the top three bits cleared.
   *
   * @param commitment the commitment input
   * @return 32 bytes
   */
  static byte[] publicInput(byte[] commitment) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(commitment);
      h[0] &= 0x1F;
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops the stage's thread (jobs stay with the provers). */
  @Override
  public void close() {
    loop.close();
  }
}
