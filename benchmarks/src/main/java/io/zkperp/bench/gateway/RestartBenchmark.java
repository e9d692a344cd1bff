package io.zkperp.bench.gateway;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import io.zkperp.sequencer.journal.Recovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Restart time of the demo node with many orders in its journal, with and without a snapshot. It
 * sets up a data directory (the node's demo setup), then appends {@code --orders} orders the way
 * the sequencer does (each applied to the recovered core, the accepted ones journaled; unsigned, as
 * replay never checks signatures): GTC limit orders of {@code --accounts} accounts on market 2,
 * random side, price 995–1005, size 1–5, as the gateway benchmark sends. The first start replays
 * them all into the read model and builds the history; then it measures {@link GatewayNode#open}
 * (recovery, read model, history check, gateway start, one price feed step) {@code --repeats} times
 * from the snapshot the previous shutdown wrote, and {@code --repeats} times with the snapshots
 * deleted (a full replay of the journal; the history is already there, so nothing is written to
 * it). Run with {@code benchmarks/run-restart.sh}. One thread.
 */
@Command(name = "restart-bench", mixinStandardHelpOptions = true)
public final class RestartBenchmark implements Callable<Integer> {
  @Option(names = "--orders", description = "orders in the journal (default ${DEFAULT-VALUE})")
  int orders = 1_000_000;

  @Option(names = "--accounts", description = "demo accounts (default ${DEFAULT-VALUE})")
  int accounts = 100;

  @Option(names = "--repeats", description = "restarts of each kind (default ${DEFAULT-VALUE})")
  int repeats = 3;

  @Option(names = "--data-dir", description = "where (default: a new temporary directory)")
  Path dataDir;

  @Option(
      names = "--snapshot-replica",
      arity = "1",
      description =
          "the node's --snapshot-replica: true copies the recovered core and read model for the"
              + " snapshot replica during each start (default ${DEFAULT-VALUE})")
  boolean snapshotReplica = true;

  /**
   * Entry point.
   *
   * @param args the options
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new RestartBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    System.out.println(
        "# node restart benchmark, " + Instant.now() + ", --snapshot-replica " + snapshotReplica);
    System.out.println(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs, JDK "
            + Runtime.version()
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MiB, load average "
            + Files.readString(Path.of("/proc/loadavg")).trim());
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("zkperp-restart-bench");
    NodeOptions options =
        NodeOptions.builder(dir)
            .config(GatewayConfig.builder().port(0).build())
            .feedIntervalMillis(0)
            .demoAccounts(accounts)
            .signatures(SignatureVerifiers.JAVA)
            // snapshots on shutdown only, all kept: no segment is released, so the full replay
            // without a snapshot has the whole journal
            .durability(
                new DurabilityOptions(
                        DurabilityOptions.defaults().journalSegmentBytes(), 0, 0, 1000, null)
                    .withSnapshotReplica(snapshotReplica))
            .build();
    GatewayNode.open(options).close(); // the demo setup, journaled
    long t0 = System.nanoTime();
    long accepted =
        JournalFill.append(dir, options.durability().journalSegmentBytes(), orders, accounts);
    double genSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "journal: %,d orders offered, %,d accepted and journaled in %.1f s; journal %,d MiB in %s%n",
        orders, accepted, genSeconds, size(dir.resolve("journal")) >> 20, dir);

    double first = timedOpen(options);
    System.out.printf(
        "first start (replay of every order from the setup's snapshot, history built): %.2f s;"
            + " history %,d MiB%n",
        first, size(dir.resolve("history")) >> 20);

    List<Double> withSnapshot = new ArrayList<>();
    List<Double> without = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      withSnapshot.add(timedOpen(options));
      System.out.printf("restart from a snapshot: %.3f s%n", withSnapshot.getLast());
      deleteSnapshots(dir);
      without.add(timedOpen(options));
      System.out.printf("restart without a snapshot (full replay): %.3f s%n", without.getLast());
    }
    withSnapshot.sort(Comparator.naturalOrder());
    without.sort(Comparator.naturalOrder());
    System.out.println();
    System.out.printf(
        "| orders in the journal | restart from a snapshot (median of %d) | without a snapshot"
            + " (median of %d) |%n",
        repeats, repeats);
    System.out.println("|---:|---:|---:|");
    System.out.printf(
        "| %,d | %.3f s %s | %.2f s %s |%n",
        accepted, withSnapshot.get(repeats / 2), withSnapshot, without.get(repeats / 2), without);
    return 0;
  }

  /** Opens the node, returns the seconds {@link GatewayNode#open} took, closes it. */
  private static double timedOpen(NodeOptions options) throws IOException, InterruptedException {
    System.gc();
    long start = System.nanoTime();
    GatewayNode node = GatewayNode.open(options);
    double seconds = (System.nanoTime() - start) / 1e9;
    node.close(); // writes a snapshot at the last record
    return seconds;
  }

  private static void deleteSnapshots(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve(Recovery.SNAPSHOT_DIR))) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
  }

  private static long size(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
