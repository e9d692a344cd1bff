package io.zkperp.node;

import java.util.function.BooleanSupplier;

/**
 * Polling waits for the node's tests of both formats (public for package {@code
 * io.zkperp.node.v3}). Any thread; it blocks the caller.
 */
public final class Await {
  private Await() {}

  /**
   * Polls {@code done} every 50 ms until it holds.
   *
   * @param what what is waited for, for the error
   * @param done the condition
   * @param seconds how long at the most
   * @throws InterruptedException if interrupted while waiting
   * @throws AssertionError {@code timed out waiting for: what} past the deadline
   */
  public static void until(String what, BooleanSupplier done, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }
}
