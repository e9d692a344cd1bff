package io.zkperp.node;

import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The progress of one node stage, as its own thread reports it, for {@link NodeHealth} and the
 * stage metrics. Its {@link StageLoop} begins each pass with {@link #passStarted} and ends it with
 * {@link #passEnded} (or {@link #failed} when the pass threw); inside a pass (or in its failure
 * policy) the stage calls {@link #waiting} with what waits and could not be moved (e.g. {@code
 * batch 3 waits for its proof}) and {@link #advanced} when it moved work forward. A pass that ends
 * without waiting work, or that moved something, counts as advancing. The stage is stalled when it
 * has not advanced for longer than the node's stall limit — because work waits, its passes fail, or
 * its thread hangs in a pass.
 *
 * <p>Threads: the report methods from the stage's own thread; {@link #stalled} from any thread (it
 * reads volatile fields only, so the gateway's event loop may call it).
 */
public final class StageProgress {
  private final String stage;
  private final LongSupplier nanoClock;
  private volatile long lastAdvanceNanos;
  private volatile String waiting = "";
  private volatile String lastError = "";
  private volatile long failures;
  private boolean waitedThisPass; // stage thread only
  private boolean movedThisPass; // stage thread only

  /**
   * Creates the record of a stage that has just started (it counts as advanced now).
   *
   * @param stage the stage's name in {@code /health}, e.g. {@code proving}
   * @param nanoClock monotonic nanoseconds
   */
  public StageProgress(String stage, LongSupplier nanoClock) {
    this.stage = Objects.requireNonNull(stage, "stage");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.lastAdvanceNanos = nanoClock.getAsLong();
  }

  /**
   * The stage's name.
   *
   * @return e.g. {@code l1-submitter}
   */
  public String stage() {
    return stage;
  }

  /** The stage moved work forward in this pass (other work may still wait). Stage thread. */
  public void advanced() {
    movedThisPass = true;
    lastAdvanceNanos = nanoClock.getAsLong();
  }

  /**
   * Work waits and this pass could not move it (the stall clock keeps running unless the pass also
   * {@link #advanced}). Stage thread, also in the middle of a long pass (e.g. before an L1
   * transaction whose receipt it awaits).
   *
   * @param what what waits, e.g. {@code batch 3 waits for its proof}
   */
  public void waiting(String what) {
    waitedThisPass = true;
    waiting = Objects.requireNonNull(what, "what");
  }

  /** A pass begins. Stage thread ({@link StageLoop}). */
  public void passStarted() {
    waitedThisPass = false;
    movedThisPass = false;
  }

  /** The pass ended without an exception. Stage thread ({@link StageLoop}). */
  public void passEnded() {
    if (movedThisPass || !waitedThisPass) {
      lastAdvanceNanos = nanoClock.getAsLong();
    }
    if (!waitedThisPass) {
      waiting = "";
    }
    lastError = "";
  }

  /**
   * The pass failed (the stall clock keeps running). Stage thread ({@link StageLoop}).
   *
   * @param why the error, e.g. {@code eth_blockNumber: Connection refused}
   */
  public void failed(String why) {
    lastError = why == null ? "unknown error" : why;
    failures++; // stage thread only writes it
  }

  /**
   * Passes that failed since the start (a metric). Any thread.
   *
   * @return the count
   */
  public long failures() {
    return failures;
  }

  /**
   * Seconds since the stage last advanced (a metric). Any thread.
   *
   * @return seconds
   */
  public double secondsSinceAdvance() {
    return (nanoClock.getAsLong() - lastAdvanceNanos) / 1e9;
  }

  /**
   * How long the stage has not advanced and why, if longer than {@code limitNanos}. Any thread.
   *
   * @param limitNanos the stall limit
   * @return the stall in milliseconds and its reason, or empty
   */
  public Optional<Stall> stalled(long limitNanos) {
    long idle = nanoClock.getAsLong() - lastAdvanceNanos;
    if (idle <= limitNanos) {
      return Optional.empty();
    }
    String w = waiting;
    String e = lastError;
    String reason;
    if (!w.isEmpty() && !e.isEmpty()) {
      reason = w + "; last error: " + e;
    } else if (!w.isEmpty()) {
      reason = w;
    } else if (!e.isEmpty()) {
      reason = "every pass fails; last error: " + e;
    } else {
      reason = "no pass has completed (the stage's thread is busy or hung)";
    }
    return Optional.of(new Stall(idle / 1_000_000, reason));
  }

  /**
   * A stall.
   *
   * @param millis how long the stage has not advanced
   * @param reason what waits and the last error
   */
  public record Stall(long millis, String reason) {}
}
