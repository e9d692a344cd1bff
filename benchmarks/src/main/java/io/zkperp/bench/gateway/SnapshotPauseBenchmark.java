package io.zkperp.bench.gateway;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.journal.Snapshotter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a snapshot costs the acknowledgement path of the demo node, taken by pausing the core and
 * journal threads ({@code --snapshot-replica false}) and by the snapshot replica ({@code true}),
 * alternately in one run on one data directory. The directory is set up as {@link
 * RestartBenchmark}'s (demo setup, then {@code --orders} orders on market 2 journaled the way the
 * sequencer does), so the core and read model hold a large state. Each run opens the node (from the
 * previous run's snapshot), sends {@code --rate} signed IOC orders per second through the gateway's
 * bridge for {@code --seconds} (open loop: latency from each order's planned send time, into an
 * HdrHistogram), asks for a snapshot every {@code --snapshot-every-ms}, and reports the snapshots'
 * pauses of the core and journal threads (the {@link Snapshotter}'s figures; with the replica, the
 * longest hand-off of one command to it) and the acknowledgement latency. Run with {@code
 * benchmarks/run-snapshot-pause.sh}. One thread (the completions are recorded on the bridge's).
 */
@Command(name = "snapshot-pause-bench", mixinStandardHelpOptions = true)
public final class SnapshotPauseBenchmark implements Callable<Integer> {
  @Option(names = "--orders", description = "orders journaled first (default ${DEFAULT-VALUE})")
  int orders = 300_000;

  @Option(names = "--accounts", description = "demo accounts (default ${DEFAULT-VALUE})")
  int accounts = 100;

  @Option(names = "--rate", description = "probe orders per second (default ${DEFAULT-VALUE})")
  int rate = 1_000;

  @Option(names = "--seconds", description = "probe time per run (default ${DEFAULT-VALUE})")
  int seconds = 12;

  @Option(
      names = "--snapshot-every-ms",
      description = "a snapshot request this often (default ${DEFAULT-VALUE})")
  long snapshotEveryMillis = 2_500;

  @Option(
      names = "--repeats",
      description = "runs of each way, alternating (default ${DEFAULT-VALUE})")
  int repeats = 3;

  @Option(names = "--data-dir", description = "where (default: a new temporary directory)")
  Path dataDir;

  private long nextNonce = 1_000_000_000L;

  /**
   * Entry point.
   *
   * @param args the options
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new SnapshotPauseBenchmark()).execute(args));
  }

  /** One run's figures. */
  private record Run(
      boolean replica,
      int snapshots,
      long longestPauseNanos,
      long replicaNanos,
      Histogram latency,
      long accepted,
      long refused) {}

  @Override
  public Integer call() throws Exception {
    System.out.println("# snapshot pause benchmark, " + Instant.now());
    System.out.println(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs, JDK "
            + Runtime.version()
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MiB, load average "
            + Files.readString(Path.of("/proc/loadavg")).trim());
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("zkperp-snapshot-bench");
    GatewayNode.open(options(dir, true)).close(); // the demo setup, journaled
    long accepted =
        JournalFill.append(
            dir, DurabilityOptions.defaults().journalSegmentBytes(), orders, accounts);
    System.out.printf("journal: %,d orders journaled in %s%n", accepted, dir);
    GatewayNode.open(options(dir, true)).close(); // replays them once; a snapshot on close
    List<Run> runs = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      for (boolean replica : new boolean[] {false, true}) {
        Run run = run(dir, replica);
        runs.add(run);
        System.out.printf(
            "%s: %d snapshots, longest pause of the pipeline %.3f ms%s; ack p50 %.2f ms, p99 %.2f"
                + " ms, p99.9 %.2f ms, max %.2f ms; %,d accepted, %,d refused%n",
            replica ? "replica" : "pausing",
            run.snapshots(),
            run.longestPauseNanos() / 1e6,
            replica
                ? String.format(" (replica thread %.1f ms per snapshot)", run.replicaNanos() / 1e6)
                : "",
            run.latency().getValueAtPercentile(50) / 1e6,
            run.latency().getValueAtPercentile(99) / 1e6,
            run.latency().getValueAtPercentile(99.9) / 1e6,
            run.latency().getMaxValue() / 1e6,
            run.accepted(),
            run.refused());
      }
    }
    System.out.println();
    System.out.println(
        "| way | runs | longest pause per run (median) | ack p99 (median) | ack max (median) |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (boolean replica : new boolean[] {false, true}) {
      List<Run> mine = runs.stream().filter(x -> x.replica() == replica).toList();
      System.out.printf(
          "| %s | %d | %.3f ms | %.2f ms | %.2f ms |%n",
          replica ? "replica" : "pausing",
          mine.size(),
          median(mine.stream().mapToDouble(x -> x.longestPauseNanos() / 1e6).toArray()),
          median(
              mine.stream().mapToDouble(x -> x.latency().getValueAtPercentile(99) / 1e6).toArray()),
          median(mine.stream().mapToDouble(x -> x.latency().getMaxValue() / 1e6).toArray()));
    }
    return 0;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  private NodeOptions options(Path dir, boolean replica) {
    return NodeOptions.builder(dir)
        .config(GatewayConfig.builder().port(0).build())
        .feedIntervalMillis(1_000)
        .demoAccounts(accounts)
        .signatures(SignatureVerifiers.AUTO)
        .durability(
            new DurabilityOptions(DurabilityOptions.defaults().journalSegmentBytes(), 0, 0, 2, null)
                .withSnapshotReplica(replica))
        .build();
  }

  private Run run(Path dir, boolean replica) throws Exception {
    int n = rate * seconds;
    List<PlaceOrder> probes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int account = i % accounts;
      long nonce = nextNonce++;
      boolean buy = (i / accounts) % 2 == 0;
      PlaceOrder o =
          new PlaceOrder(
              account,
              2,
              buy ? Side.BUY : Side.SELL,
              (int) nonce,
              OrderType.LIMIT,
              TimeInForce.IOC,
              false,
              1,
              buy ? 1010 : 990,
              1000,
              4_000_000_000L,
              nonce,
              TriggerType.NONE,
              0,
              new byte[64]);
      probes.add(OrderSigning.sign(GatewayNode.demoKey(account), MessageDomain.DEMO, o));
    }
    System.gc();
    Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    GatewayNode node = GatewayNode.open(options(dir, replica));
    Snapshotter snapshotter = node.snapshotter();
    long writtenBefore = snapshotter.written();
    long longestPause = 0;
    long replicaNanos = 0;
    int replicaSnapshots = 0;
    List<CompletableFuture<CommandOutcome>> futures = new ArrayList<>(n);
    try {
      long period = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime();
      long nextSnapshot = start + TimeUnit.MILLISECONDS.toNanos(snapshotEveryMillis);
      long seen = writtenBefore;
      for (int i = 0; i < n; i++) {
        long planned = start + i * period;
        long now;
        while ((now = System.nanoTime()) < planned) {
          LockSupport.parkNanos(Math.min(planned - now, 200_000));
        }
        if (now >= nextSnapshot) {
          node.requestSnapshot();
          nextSnapshot += TimeUnit.MILLISECONDS.toNanos(snapshotEveryMillis);
        }
        if (snapshotter.written() != seen) { // a snapshot finished: read its figures
          seen = snapshotter.written();
          if (replica) {
            replicaNanos += snapshotter.lastReplicaSnapshotNanos();
            replicaSnapshots++;
          } else {
            longestPause =
                Math.max(
                    longestPause,
                    snapshotter.lastCorePauseNanos() + snapshotter.lastReadSidePauseNanos());
          }
        }
        CompletableFuture<CommandOutcome> f = node.gateway().bridge().submit(probes.get(i));
        futures.add(f);
        f.whenComplete(
            (o, e) -> {
              latency.recordValue(Math.max(0, System.nanoTime() - planned));
              if (o instanceof CommandOutcome.Accepted) {
                accepted.incrementAndGet();
              } else {
                refused.incrementAndGet();
              }
            });
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .exceptionally(e -> null)
          .get(60, TimeUnit.SECONDS);
      Thread.sleep(500); // the last snapshot's write
      if (replica) {
        longestPause = snapshotter.replica().longestHandOffNanos();
      }
      return new Run(
          replica,
          (int) (snapshotter.written() - writtenBefore),
          longestPause,
          replicaSnapshots == 0 ? 0 : replicaNanos / replicaSnapshots,
          latency,
          accepted.get(),
          refused.get());
    } finally {
      node.close();
    }
  }
}
