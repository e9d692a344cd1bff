package io.zkperp.node;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The thread of one node stage: runs the stage's pass, idles for {@code idle} (or until {@link
 * #wake}), and repeats until {@link #close}. A pass that throws an {@link IOException} or a {@link
 * RuntimeException} goes to the stage's {@link OnFailure}, which says how long to wait before the
 * next pass; an interrupt ends the thread.
 *
 * <p>Threads: {@link #start} and {@link #close} from the controlling thread; {@link #wake} from any
 * thread; the pass and the failure policy run on the stage's own thread, which is a daemon named by
 * the stage.
 */
final class StageLoop implements AutoCloseable {
  /** One pass of a stage. Stage thread. */
  @FunctionalInterface
  interface Pass {
    /**
     * Does one round of the stage's work.
     *
     * @throws IOException if a store or L1 fails
     * @throws InterruptedException if the stage is being closed
     */
    void run() throws IOException, InterruptedException;
  }

  /** What a stage does when a pass fails. Stage thread. */
  interface OnFailure {
    /**
     * Handles a failed pass (logs it, pauses the stage, …).
     *
     * @param e what the pass threw
     * @return milliseconds to wait before the next pass (0: none)
     */
    long failed(Exception e);

    /** Called after each pass that did not throw. */
    default void succeeded() {}
  }

  /** The longest wait between retries of {@link #retryWithBackoff}. */
  static final long MAX_BACKOFF_MILLIS = 10_000;

  private final String threadName;
  private final Duration idle;
  private final Pass pass;
  private final OnFailure onFailure;
  private final StageProgress progress; // null: not reported
  private final Object signal = new Object();
  private boolean woken; // guarded by signal
  private volatile boolean running;
  private Thread thread; // guarded by this

  /**
   * Creates the loop; nothing runs before {@link #start}.
   *
   * @param threadName the thread's name, e.g. {@code zkperp-proving}
   * @param idle the pause after a pass that did not throw (zero: none)
   * @param pass the stage's pass
   * @param onFailure what a failed pass does
   */
  StageLoop(String threadName, Duration idle, Pass pass, OnFailure onFailure) {
    this(threadName, idle, pass, onFailure, null);
  }

  /**
   * Creates the loop reporting each pass's end to {@code progress}; nothing runs before {@link
   * #start}.
   *
   * @param threadName the thread's name, e.g. {@code zkperp-proving}
   * @param idle the pause after a pass that did not throw (zero: none)
   * @param pass the stage's pass
   * @param onFailure what a failed pass does
   * @param progress told of every pass's end ({@link StageProgress#passEnded} or {@link
   *     StageProgress#failed}), or null
   */
  StageLoop(
      String threadName, Duration idle, Pass pass, OnFailure onFailure, StageProgress progress) {
    this.threadName = Objects.requireNonNull(threadName, "threadName");
    this.idle = Objects.requireNonNull(idle, "idle");
    this.pass = Objects.requireNonNull(pass, "pass");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.progress = progress;
  }

  /**
   * A failure policy for a stage that talks to L1: logs a warning ("{@code what}: message; retrying
   * in n ms") and waits, starting at {@code first} and doubling after each failure in a row up to
   * {@link #MAX_BACKOFF_MILLIS}; a pass that succeeds resets the wait.
   *
   * @param log the stage's logger
   * @param what the stage in the log, e.g. {@code L1 watcher}
   * @param first the first wait
   * @return a policy for one loop (it keeps the current wait)
   */
  static OnFailure retryWithBackoff(Logger log, String what, Duration first) {
    return retryWithBackoff(log, () -> what, first);
  }

  /**
   * {@link #retryWithBackoff(Logger, String, Duration)} with a description computed at each failure
   * (e.g. naming the batch the stage waits on).
   *
   * @param log the stage's logger
   * @param what the stage and what it waits on, at the time of the failure
   * @param first the first wait
   * @return a policy for one loop (it keeps the current wait)
   */
  static OnFailure retryWithBackoff(
      Logger log, java.util.function.Supplier<String> what, Duration first) {
    long firstMillis = first.toMillis();
    return new OnFailure() {
      private long backoff = firstMillis;

      @Override
      public long failed(Exception e) {
        long wait = backoff;
        log.warn("{}: {}; retrying in {} ms", what.get(), e.getMessage(), wait);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        return wait;
      }

      @Override
      public void succeeded() {
        backoff = firstMillis;
      }
    };
  }

  /** Starts the thread. Controlling thread. */
  synchronized void start() {
    running = true;
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Ends the current idle pause now, or the next one if the stage is in a pass. Any thread. */
  void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  /** Stops the thread and waits up to 10 s for it to end. Controlling thread. */
  @Override
  public void close() {
    running = false;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (running) {
      try {
        if (progress != null) {
          progress.passStarted();
        }
        pass.run();
        if (progress != null) {
          progress.passEnded();
        }
        onFailure.succeeded();
        idle();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        if (progress != null) {
          progress.failed(String.valueOf(e.getMessage()));
        }
        long wait = onFailure.failed(e);
        if (wait > 0) {
          try {
            Thread.sleep(wait);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  private void idle() throws InterruptedException {
    long left = idle.toNanos();
    if (left <= 0) {
      return;
    }
    long deadline = System.nanoTime() + left;
    synchronized (signal) {
      while (!woken && left > 0) {
        TimeUnit.NANOSECONDS.timedWait(signal, left);
        left = deadline - System.nanoTime();
      }
      woken = false;
    }
  }
}
