package io.zkperp.gateway.node;

import io.zkperp.gateway.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -cp … io.zkperp.gateway.node.GatewayMain [--data-dir DIR] [--host HOST] [--port PORT]
 * [--feed-interval-ms MS]}: starts a {@link GatewayNode} (defaults: {@code ./zkperp-data},
 * 127.0.0.1, 8545, a price feed step every 1,000 ms), prints how to try it, and runs until the
 * process is stopped (SIGINT/SIGTERM: graceful shutdown). {@code ./zk node} runs this. Main thread.
 */
public final class GatewayMain {
  private static final String USAGE =
      "usage: zk node [--data-dir DIR] [--host HOST] [--port PORT] [--feed-interval-ms MS]"
          + " [--demo-accounts N] [--no-rate-limits] [--signature-verifier auto|native|java]";

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
    long feedMillis = GatewayNode.DEFAULT_FEED_INTERVAL_MILLIS;
    int demoAccounts = GatewayNode.DEMO_ACCOUNTS;
    boolean rateLimits = true;
    SignatureVerifiers signatures = SignatureVerifiers.AUTO;
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--data-dir" -> dataDir = Path.of(require(args[i], value));
          case "--host" -> host = require(args[i], value);
          case "--port" -> port = Integer.parseInt(require(args[i], value));
          case "--feed-interval-ms" -> feedMillis = Long.parseLong(require(args[i], value));
          case "--demo-accounts" -> demoAccounts = Integer.parseInt(require(args[i], value));
          case "--signature-verifier" ->
              signatures = SignatureVerifiers.parse(require(args[i], value));
          case "--no-rate-limits" -> {
            rateLimits = false;
            i--; // takes no value
          }
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
        i++;
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    GatewayConfig config = GatewayConfig.defaults(port).withHost(host);
    if (!rateLimits) { // for load tests on loopback: limits far above what the node can do
      config = config.withRateLimits(1e9, 1_000_000_000, 1e9, 1_000_000_000);
    }
    GatewayNode node =
        GatewayNode.open(
            dataDir,
            config,
            () -> System.currentTimeMillis() / 1000,
            feedMillis,
            demoAccounts,
            signatures);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                    System.out.println("zkperp demo node stopped; journal closed");
                  } catch (java.io.IOException e) {
                    System.err.println("closing the journal failed: " + e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "gateway-shutdown"));
    String url = "http://" + host + ":" + node.gateway().port() + "/";
    System.out.println(
        "zkperp demo node on "
            + url
            + " (data "
            + dataDir.toAbsolutePath().normalize()
            + "; Ctrl-C stops it)\n"
            + "Try it:\n"
            + "  curl -s "
            + url
            + " -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getMarkets\"}'\n"
            + "  ./zk client"
            + (url.equals("http://127.0.0.1:8545/") ? "" : " --url " + url)
            + " place-order --demo-account 1 --market 2 --side BUY --size 1 --price 1000");
    stopped.await();
  }

  private static String require(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
