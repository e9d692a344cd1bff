package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The kill of {@link NodeKillRecoveryTest} and {@link HistoryKillTest}: four threads send orders to
 * a {@link KilledNodeMain} child until enough were acknowledged (or 60 s passed), then the child is
 * SIGKILLed under that load, the threads are stopped, and the child must have died by the signal.
 * Test thread.
 */
final class KillUnderLoad {
  /** The load threads. */
  static final int THREADS = 4;

  private KillUnderLoad() {}

  /** Sends one order; called by the load threads until the node is gone. */
  interface OrderSender {
    /**
     * Sends load thread {@code thread}'s {@code i}-th order and notes whether it was acknowledged.
     *
     * @throws Exception once the node cannot be reached (the thread then stops)
     */
    void send(int thread, int i) throws Exception;
  }

  /**
   * Runs the load, then SIGKILLs the child.
   *
   * @param child the node's process
   * @param sender sends the orders
   * @param enough whether enough orders were acknowledged for the kill
   */
  static void run(Process child, OrderSender sender, BooleanSupplier enough) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; !stop.get(); i++) {
                  try {
                    sender.send(thread, i);
                  } catch (Exception e) {
                    return; // the node is gone
                  }
                }
              },
              "orders-" + t);
      th.start();
      load.add(th);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!enough.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    child.destroyForcibly(); // SIGKILL, under load
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    stop.set(true);
    for (Thread t : load) {
      t.join(30_000);
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }
}
