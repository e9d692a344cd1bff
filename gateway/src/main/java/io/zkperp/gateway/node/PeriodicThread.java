package io.zkperp.gateway.node;

import java.util.Objects;
import org.slf4j.Logger;

/**
 * A daemon thread that runs one step periodically until closed: the demo node's price feed, the
 * devnet's oracle feeder and market maker. A step that throws a {@link RuntimeException} is logged
 * at WARN (unless the thread is stopping) and the loop goes on; an interrupt ends it. {@link
 * #start} and {@link #close} from one controlling thread.
 */
public final class PeriodicThread implements AutoCloseable {
  /** One step of the loop. */
  @FunctionalInterface
  public interface Step {
    /**
     * Runs once, on the periodic thread.
     *
     * @throws InterruptedException if interrupted (the loop ends)
     */
    void run() throws InterruptedException;
  }

  private final String name;
  private final Step step;
  private final Logger log;
  private volatile boolean running;
  private Thread thread;

  /**
   * A thread not yet started.
   *
   * @param name the thread's name, also in the WARN line of a failed step
   * @param step what runs each period
   * @param log where failed steps are logged
   */
  public PeriodicThread(String name, Step step, Logger log) {
    this.name = Objects.requireNonNull(name, "name");
    this.step = Objects.requireNonNull(step, "step");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Starts the thread.
   *
   * @param intervalMillis the pause between steps, &gt; 0
   * @param stepFirst whether the first step runs at once (else after the first pause)
   * @throws IllegalArgumentException if the interval is not positive
   * @throws IllegalStateException if already started
   */
  public synchronized void start(long intervalMillis, boolean stepFirst) {
    if (intervalMillis <= 0) {
      throw new IllegalArgumentException("intervalMillis must be > 0: " + intervalMillis);
    }
    if (thread != null) {
      throw new IllegalStateException(name + " already started");
    }
    running = true;
    thread =
        new Thread(
            () -> {
              boolean first = stepFirst;
              while (running) {
                try {
                  if (!first) {
                    Thread.sleep(intervalMillis);
                  }
                  first = false;
                  step.run();
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  // e.g. the bridge refusing commands while the node closes
                  if (running) {
                    log.warn("{} step failed", name, e);
                  }
                }
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the thread and waits for it (at most 15 s). Idempotent. */
  @Override
  public synchronized void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }
}
