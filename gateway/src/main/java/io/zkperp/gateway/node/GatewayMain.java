package io.zkperp.gateway.node;

import io.zkperp.gateway.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -cp … io.zkperp.gateway.node.GatewayMain [--data-dir DIR] [--host HOST] [--port
 * PORT]}: starts a {@link GatewayNode} (defaults: {@code ./zkperp-data}, 127.0.0.1, 8545) and runs
 * until the process is stopped (SIGINT/SIGTERM: graceful shutdown). Main thread.
 */
public final class GatewayMain {
  private GatewayMain() {}

  /**
   * Entry point.
   *
   * @param args the options
   * @throws Exception if the node cannot start
   */
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of("zkperp-data");
    String host = "127.0.0.1";
    int port = 8545;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--data-dir" -> dataDir = Path.of(require(args[i], value));
        case "--host" -> host = require(args[i], value);
        case "--port" -> port = Integer.parseInt(require(args[i], value));
        default -> {
          System.err.println(
              "usage: GatewayMain [--data-dir DIR] [--host HOST] [--port PORT]; unknown: "
                  + args[i]);
          System.exit(2);
        }
      }
      i++;
    }
    GatewayConfig config = GatewayConfig.defaults(port).withHost(host);
    GatewayNode node = GatewayNode.open(dataDir, config, () -> System.currentTimeMillis() / 1000);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                  } catch (java.io.IOException e) {
                    System.err.println("closing the journal failed: " + e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "gateway-shutdown"));
    System.out.println(
        "zkperp gateway on http://"
            + host
            + ":"
            + node.gateway().port()
            + " (data "
            + dataDir
            + ")");
    stopped.await();
  }

  private static String require(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
