package io.zkperp.node;

import java.util.concurrent.CountDownLatch;

/**
 * Closes a node when its JVM shuts down (SIGTERM, SIGINT, the end of {@code main}), for the
 * processes that run one node in the foreground: {@link RollupNodeMain} and the drill and benchmark
 * mains. Stateless; any thread, once per node.
 */
public final class NodeShutdownHook {
  private NodeShutdownHook() {}

  /**
   * Registers a shutdown hook that closes {@code node} (a failure to close is printed with its
   * stack trace) and then counts the returned latch down, so that the main thread can wait for it.
   *
   * @param node the node
   * @param threadName the hook thread's name
   * @return the latch that reaches 0 once the node is closed
   */
  public static CountDownLatch closeOnShutdown(RollupNode node, String threadName) {
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  } finally {
                    closed.countDown();
                  }
                },
                threadName));
    return closed;
  }
}
