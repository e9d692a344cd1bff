package io.zkperp.node;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.web3j.crypto.Credentials;

/**
 * Runs a {@link RollupNode} until the process is stopped. Options ({@code --name value}): {@code
 * --data-dir} (required), {@code --port} (0), {@code --shape} (tiny), {@code --keys} (the shared
 * key cache), {@code --batch-delay-ms} (2000), and for L1 {@code --l1} (JSON-RPC URL), {@code
 * --rollup}, {@code --operator-key} (hex), {@code --confirmations} (2), {@code --finality} (2),
 * {@code --start-block} (0), {@code --poll-ms} (500). Without {@code --l1} nothing is settled on
 * L1. Drills and tests only: {@code --censor-forced-withdrawals true} makes the node ignore L1
 * forced withdrawals ({@link NodeConfig#censorForcedWithdrawals}) so that the rollup can be frozen
 * and escaped from. Prints {@code node listening on port N} once serving. Main thread.
 */
public final class RollupNodeMain {
  private RollupNodeMain() {}

  private static boolean censor(String v) {
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "--censor-forced-withdrawals takes true or false, got " + v);
    };
  }

  /**
   * Starts the node and waits.
   *
   * @param args the options
   * @throws Exception if the node cannot start
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      o.put(args[i].substring(2), args[i + 1]);
    }
    if (!o.containsKey("data-dir")) {
      System.err.println(
          "usage: RollupNodeMain --data-dir DIR [--port N] [--l1 URL --rollup ADDR"
              + " --operator-key HEX] ...\n"
              + "  --censor-forced-withdrawals true   DRILL/TEST ONLY: ignore L1 forced"
              + " withdrawals so that they pass their deadline (anyone may then freeze the"
              + " rollup)");
      System.exit(2);
    }
    Path dataDir = Path.of(o.get("data-dir"));
    String shape = o.getOrDefault("shape", "tiny");
    WorkerOptions worker = WorkerOptions.defaults(dataDir.resolve("prover-jobs"), shape);
    if (o.containsKey("keys")) {
      worker = worker.withKeyDir(Path.of(o.get("keys")));
    }
    long poll = Long.parseLong(o.getOrDefault("poll-ms", "500"));
    NodeConfig.L1 l1 =
        o.containsKey("l1")
            ? new NodeConfig.L1(
                o.get("l1"),
                o.get("rollup"),
                Credentials.create(o.get("operator-key")),
                Long.parseLong(o.getOrDefault("confirmations", "2")),
                Long.parseLong(o.getOrDefault("finality", "2")),
                1_000,
                Long.parseLong(o.getOrDefault("start-block", "0")),
                Duration.ofMillis(poll))
            : null;
    NodeConfig cfg =
        new NodeConfig(
            dataDir.resolve("node"),
            GatewayConfig.defaults(Integer.parseInt(o.getOrDefault("port", "0"))),
            BatchProver.batchSize(shape),
            Duration.ofMillis(Long.parseLong(o.getOrDefault("batch-delay-ms", "2000"))),
            worker,
            l1,
            censor(o.getOrDefault("censor-forced-withdrawals", "false")));
    if (cfg.censorForcedWithdrawals()) {
      System.err.println(
          "WARNING: --censor-forced-withdrawals: this node ignores L1 forced withdrawals"
              + " (drills and tests only)");
    }
    RollupNode node = RollupNode.open(cfg);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  } finally {
                    stop.countDown();
                  }
                },
                "zkperp-node-shutdown"));
    System.out.println("node listening on port " + node.gateway().port());
    System.out.flush();
    stop.await();
  }
}
