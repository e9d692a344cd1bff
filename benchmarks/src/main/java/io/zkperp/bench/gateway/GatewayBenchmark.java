package io.zkperp.bench.gateway;

import io.zkperp.bench.NodeJvmOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.LoadGenerator;
import io.zkperp.gateway.node.SignatureVerifiers;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.ReadGrantMessage;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.pipeline.Sequencer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * End-to-end benchmark of the node: signed {@code perp_placeOrder} over HTTP, from a load generator
 * in this JVM to the demo node (sequencer with risk engine + gateway) in a separate JVM on a fresh
 * data directory, both on the same machine. In one run it measures:
 *
 * <ol>
 *   <li>the single-core signature-verification rate of the same kind of orders, on one thread of
 *       this JVM: the intake's check (packed message hash + EdDSA with the signer's key table) with
 *       the node's verifier (native where the library loads), and for reference the Java one;
 *   <li>sustained orders/s: closed loop with a fixed number of orders in flight;
 *   <li>acknowledgement latency at fixed offered rates, open loop, measured from each order's
 *       planned send time (no coordinated omission).
 * </ol>
 *
 * Run with {@code ./zk bench-gateway}. Single-threaded driver.
 */
@Command(name = "gateway-bench", mixinStandardHelpOptions = true)
public final class GatewayBenchmark implements Callable<Integer> {
  @Option(names = "--accounts", description = "signing demo accounts (default ${DEFAULT-VALUE})")
  int accounts = 100;

  @Option(names = "--connections", description = "HTTP connections (default ${DEFAULT-VALUE})")
  int connections = 4;

  @Option(names = "--warmup-seconds", description = "warm-up at 2,000/s (default ${DEFAULT-VALUE})")
  int warmupSeconds = 20;

  @Option(names = "--seconds", description = "seconds per measured run (default ${DEFAULT-VALUE})")
  int seconds = 15;

  @Option(
      names = "--rates",
      split = ",",
      description = "offered rates, orders/s (default ${DEFAULT-VALUE})")
  List<Integer> rates = List.of(1000, 2000, 3000, 4000, 5000, 7500, 10000);

  @Option(
      names = "--in-flight",
      description = "closed-loop window, 0 skips the closed loop (default ${DEFAULT-VALUE})")
  int inFlight = 256;

  @Option(names = "--repeats", description = "runs per measurement (default ${DEFAULT-VALUE})")
  int repeats = 3;

  @Option(
      names = "--readers",
      description =
          "readers polling perp_getOrderBook and perp_getAccount during the open-loop runs; with"
              + " readers each rate runs without and with them in turn (default ${DEFAULT-VALUE})")
  int readers = 0;

  @Option(
      names = "--reader-interval-ms",
      description = "each reader's pause after an answer, ms (default ${DEFAULT-VALUE})")
  long readerIntervalMillis = 100;

  @Option(
      names = "--reads-only-seconds",
      description =
          "with readers: first this many seconds of reads alone (no orders, after as long again to"
              + " warm up), reporting the node's and this harness's CPU per 10,000 reads; 0 skips it"
              + " (default ${DEFAULT-VALUE})")
  int readsOnlySeconds = 0;

  @Option(
      names = "--book-levels",
      description =
          "with readers: resting orders placed on market 2 after the warm-up, this many price levels"
              + " a side outside the load generator's band, so that depth-50 reads get full sides"
              + " (default ${DEFAULT-VALUE})")
  int bookLevels = 0;

  @Mixin NodeJvmOptions nodeJvm = new NodeJvmOptions();

  @Option(
      names = "--node-arg",
      description =
          "an extra argument for the node's GatewayMain, repeatable (e.g. --node-arg"
              + " --feed-interval-ms --node-arg 5000)")
  List<String> nodeArgs = new ArrayList<>();

  @Option(
      names = "--node-classpath",
      description =
          "the node's class path, e.g. another build's benchmarks.jar to compare builds (default:"
              + " this harness's)")
  String nodeClasspath = System.getProperty("java.class.path");

  @Option(
      names = "--signature-verifier",
      description =
          "the node's order signature verifier: auto, native or java (default ${DEFAULT-VALUE})",
      converter = VerifierConverter.class)
  SignatureVerifiers signatureVerifier = SignatureVerifiers.AUTO;

  /** Parses {@code --signature-verifier}. */
  static final class VerifierConverter implements CommandLine.ITypeConverter<SignatureVerifiers> {
    @Override
    public SignatureVerifiers convert(String value) {
      return SignatureVerifiers.parse(value);
    }
  }

  /**
   * Entry point.
   *
   * @param args the options
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    System.out.println("# gateway end-to-end benchmark, " + Instant.now());
    System.out.println(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs, JDK "
            + Runtime.version()
            + ", load average "
            + Files.readString(Path.of("/proc/loadavg")).trim());

    List<SignatureVerifier> verifiers = new ArrayList<>();
    verifiers.add(signatureVerifier.create());
    if (!(verifiers.get(0) instanceof JavaSignatureVerifier)) {
      verifiers.add(new JavaSignatureVerifier(Sequencer.KEY_TABLES));
    }
    List<Double> verifyRates = verificationRates(verifiers);
    for (int i = 0; i < verifiers.size(); i++) {
      System.out.printf(
          "single-core verification (one thread, key tables), %s: %.0f orders/s (%.0f µs)%n",
          verifiers.get(i).description(), verifyRates.get(i), 1e6 / verifyRates.get(i));
    }
    double verify = verifyRates.get(0);

    Path dir = Files.createTempDirectory("zkperp-gateway-bench");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("node.log");
    List<String> cmd = nodeJvm.javaCommand();
    cmd.addAll(
        List.of(
            "-cp",
            nodeClasspath,
            "io.zkperp.gateway.node.GatewayMain",
            "--data-dir",
            dir.resolve("data").toString(),
            "--port",
            Integer.toString(port),
            "--demo-accounts",
            Integer.toString(accounts),
            "--no-rate-limits",
            "--signature-verifier",
            signatureVerifier.name().toLowerCase(java.util.Locale.ROOT)));
    if (readers > 0) { // one connection per reader, plus the generator's
      cmd.addAll(
          List.of(
              "--max-connections-per-ip",
              Integer.toString(readers + 64),
              "--max-connections",
              Integer.toString(Math.max(768, readers + 64))));
    }
    cmd.addAll(nodeArgs);
    System.out.println(
        "node: "
            + String.join(" ", cmd.subList(0, cmd.indexOf("-cp")))
            + " … GatewayMain "
            + String.join(" ", cmd.subList(cmd.indexOf("--data-dir"), cmd.size()))
            + " (log "
            + log
            + ")");
    Process node =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      URI url = URI.create("http://127.0.0.1:" + port + "/");
      awaitHealthy(url, node);
      LoadGenerator.Result warm = run(url, 2000, 0, warmupSeconds);
      System.out.println("warm-up 2,000/s: " + warm.summary());

      List<LoadGenerator.Result> closed = new ArrayList<>();
      for (int r = 0; r < (inFlight > 0 ? repeats : 0); r++) {
        LoadGenerator.Result res = run(url, 0, inFlight, seconds);
        System.out.println("closed loop, " + inFlight + " in flight: " + res.summary());
        closed.add(res);
      }
      closed.sort(Comparator.comparingDouble(LoadGenerator.Result::answersPerSecond));

      if (readers > 0) {
        if (bookLevels > 0) {
          BookDepth.place(url, 2, bookLevels, accounts);
          System.out.println(
              "book depth: " + bookLevels + " resting levels a side placed on market 2");
        }
        return readerComparison(url, node.pid()) ? 0 : 1;
      }
      List<String> rows = new ArrayList<>();
      for (int rate : rates) {
        List<LoadGenerator.Result> runs = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
          double slowBefore = metric(url, "journal_slow_commits_total");
          LoadGenerator.Result res = run(url, rate, 0, seconds);
          System.out.println(
              rate
                  + "/s: "
                  + res.summary()
                  + String.format(
                      "; journal commits ≥ 10 ms: %.0f (longest commit since start %.1f ms)",
                      metric(url, "journal_slow_commits_total") - slowBefore,
                      metric(url, "journal_commit_longest_seconds") * 1e3));
          runs.add(res);
        }
        runs.sort(Comparator.comparingLong(x -> x.latency().getValueAtPercentile(99)));
        LoadGenerator.Result m = runs.get(runs.size() / 2);
        rows.add(
            String.format(
                "| %,d/s | %,d / %,d | %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms |",
                rate,
                m.ok(),
                m.planned(),
                m.errors().isEmpty() ? "none" : m.errors().toString(),
                m.latency().getValueAtPercentile(50) / 1e3,
                m.latency().getValueAtPercentile(99) / 1e3,
                m.latency().getValueAtPercentile(99.9) / 1e3,
                m.latency().getMaxValue() / 1e3));
      }

      if (!closed.isEmpty()) {
        LoadGenerator.Result sustained = closed.get(closed.size() / 2);
        System.out.println();
        System.out.printf(
            "sustained (closed loop, %d in flight, median of %d × %d s): %,.0f orders/s, errors"
                + " %s%n",
            inFlight, repeats, seconds, sustained.answersPerSecond(), sustained.errors());
        System.out.printf(
            "single-core verification rate (same run): %,.0f orders/s → ratio %.2f%n",
            verify, sustained.answersPerSecond() / verify);
      }
      System.out.println();
      System.out.println(
          "| offered | answered ok | errors | p50 | p99 | p99.9 | max |   (median run by p99 of "
              + repeats
              + ")");
      System.out.println("|---:|---:|---|---:|---:|---:|---:|");
      rows.forEach(System.out::println);
      return 0;
    } finally {
      node.destroy(); // SIGTERM: the node shuts down gracefully
      if (!node.waitFor(30, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }

  /**
   * With {@link #readsOnlySeconds}, first the readers alone: the node's and this JVM's CPU per
   * 10,000 reads. Then each rate {@link #repeats} times without readers and with {@link #readers}
   * in turn (so a change in the machine's load hits both), then the median p99 of each and their
   * ratio. Every run prints the node's CPU seconds.
   *
   * @return false if a run's reads were not valid ({@link PollingReaders#valid}): the run failed
   */
  private boolean readerComparison(URI url, long nodePid) throws Exception {
    long grantSeconds =
        Math.min(
            ReadGrantMessage.MAX_VALIDITY_SECONDS,
            readsOnlySeconds + (long) rates.size() * repeats * (2L * seconds + 30) + 600);
    PollingReaders.Options readerOptions =
        new PollingReaders.Options(
            url, readers, readerIntervalMillis, accounts, LoadGenerator.domain(url), grantSeconds);
    boolean valid = true;
    if (readsOnlySeconds > 0) {
      valid &= readsOnly(readerOptions, nodePid);
    }
    List<String> rows = new ArrayList<>();
    for (int rate : rates) {
      List<LoadGenerator.Result> alone = new ArrayList<>();
      List<LoadGenerator.Result> read = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        double cpu0 = ProcessCpu.seconds(nodePid);
        LoadGenerator.Result a = run(url, rate, 0, seconds);
        System.out.printf(
            "%d/s, no readers: %s; node CPU %.2f s%n",
            rate, a.summary(), ProcessCpu.seconds(nodePid) - cpu0);
        alone.add(a);
        PollingReaders pr = PollingReaders.start(readerOptions);
        try {
          Thread.sleep(2 * readerIntervalMillis + 500); // all readers polling
          pr.reset();
          double cpu1 = ProcessCpu.seconds(nodePid);
          LoadGenerator.Result b = run(url, rate, 0, seconds);
          double nodeCpu = ProcessCpu.seconds(nodePid) - cpu1;
          System.out.printf(
              "%d/s, %d readers: %s; node CPU %.2f s; %s%n",
              rate, readers, b.summary(), nodeCpu, pr.summary());
          valid &= pr.valid();
          read.add(b);
        } finally {
          pr.stop();
        }
      }
      if (repeats == 0) {
        continue;
      }
      Comparator<LoadGenerator.Result> byP99 =
          Comparator.comparingLong(x -> x.latency().getValueAtPercentile(99));
      alone.sort(byP99);
      read.sort(byP99);
      LoadGenerator.Result a = alone.get(alone.size() / 2);
      LoadGenerator.Result b = read.get(read.size() / 2);
      double p99a = a.latency().getValueAtPercentile(99) / 1e3;
      double p99b = b.latency().getValueAtPercentile(99) / 1e3;
      rows.add(
          String.format(
              "| %,d/s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f |",
              rate,
              a.latency().getValueAtPercentile(50) / 1e3,
              p99a,
              b.latency().getValueAtPercentile(50) / 1e3,
              p99b,
              p99b / p99a));
    }
    if (!rows.isEmpty()) {
      System.out.println();
      System.out.println(
          "| offered | p50 no readers | p99 no readers | p50 with "
              + readers
              + " readers | p99 with readers | p99 ratio |   (median run by p99 of "
              + repeats
              + ")");
      System.out.println("|---:|---:|---:|---:|---:|---:|");
      rows.forEach(System.out::println);
    }
    if (!valid) {
      System.out.println(
          "INVALID RUN: more than "
              + Math.round(PollingReaders.MAX_ERROR_SHARE * 100)
              + "% of the reads of a run failed (see the error lines above); the comparison"
              + " measures nothing");
    }
    return valid;
  }

  /**
   * The readers alone for {@link #readsOnlySeconds}, after as long again of reads to warm the
   * node's read path (JIT): reads/s and the CPU seconds the node (user and system) and this JVM
   * (the readers' side) used per 10,000 reads; then the node's idle CPU (price feed, timers) over a
   * third as long without reads, and the node's CPU per 10,000 reads without it.
   *
   * @return whether the reads were valid
   */
  private boolean readsOnly(PollingReaders.Options options, long nodePid) throws Exception {
    long self = ProcessHandle.current().pid();
    PollingReaders pr = PollingReaders.start(options);
    ProcessCpu.Times node;
    ProcessCpu.Times io;
    ProcessCpu.Times harness;
    long reads;
    String summary;
    boolean valid;
    Instant from;
    Instant to;
    try {
      Thread.sleep(TimeUnit.SECONDS.toMillis(readsOnlySeconds)); // warm-up of the read path
      pr.reset();
      from = Instant.now();
      ProcessCpu.Times node0 = ProcessCpu.times(nodePid);
      ProcessCpu.Times io0 = ProcessCpu.threadTimes(nodePid, "gateway-io");
      ProcessCpu.Times self0 = ProcessCpu.times(self);
      Thread.sleep(TimeUnit.SECONDS.toMillis(readsOnlySeconds));
      node = ProcessCpu.times(nodePid).minus(node0);
      io = ProcessCpu.threadTimes(nodePid, "gateway-io").minus(io0);
      harness = ProcessCpu.times(self).minus(self0);
      to = Instant.now();
      reads = pr.answered();
      summary = pr.summary();
      valid = pr.valid();
    } finally {
      pr.stop();
    }
    Thread.sleep(2_000);
    int idleSeconds = Math.max(5, readsOnlySeconds / 3);
    ProcessCpu.Times idle0 = ProcessCpu.times(nodePid);
    Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
    ProcessCpu.Times idle = ProcessCpu.times(nodePid).minus(idle0);
    double perTenK = reads == 0 ? Double.NaN : 10_000.0 / reads;
    double idleShare = idle.total() / idleSeconds * readsOnlySeconds;
    System.out.printf(
        "reads only, %d readers, %d s after %d s of warm-up (%s to %s): %s%n"
            + "  node CPU %.2f s (user %.2f, system %.2f) = %.3f s per 10,000 reads (user %.3f,"
            + " system %.3f); idle node CPU %.2f s per %d s (measured over %d s after the reads);"
            + " without it %.3f s per 10,000 reads%n"
            + "  of it the node's gateway-io threads (Netty event loops) %.2f s (user %.2f, system"
            + " %.2f) = %.3f s per 10,000 reads%n"
            + "  harness (readers) CPU %.2f s = %.3f s per 10,000 reads%n",
        options.readers(),
        readsOnlySeconds,
        readsOnlySeconds,
        from,
        to,
        summary,
        node.total(),
        node.user(),
        node.system(),
        node.total() * perTenK,
        node.user() * perTenK,
        node.system() * perTenK,
        idleShare,
        readsOnlySeconds,
        idleSeconds,
        (node.total() - idleShare) * perTenK,
        io.total(),
        io.user(),
        io.system(),
        io.total() * perTenK,
        harness.total(),
        harness.total() * perTenK);
    return valid;
  }

  private LoadGenerator.Result run(URI url, int rate, int window, int secs)
      throws InterruptedException, IOException {
    // nonces above every earlier run's: runs start at least a second apart
    long nonceBase = System.currentTimeMillis() * 100;
    return LoadGenerator.run(
        new LoadGenerator.Options(url, rate, window, secs, 2, accounts, connections, nonceBase));
  }

  /**
   * Orders/s on one thread, per verifier: the node's ({@code --signature-verifier}) first, then the
   * Java reference if the node's is another. Each verifier keeps the signers' key tables, as the
   * intake does. The variants alternate in one-second slices (after a warm-up) and each rate is the
   * median of its slices, so a change in the machine's load affects all alike.
   */
  private List<Double> verificationRates(List<SignatureVerifier> verifiers) {
    PlaceOrder[] orders = LoadGenerator.signedOrders(accounts, 2, 4_000, 1, MessageDomain.DEMO);
    List<EdDsaPublicKey> keys =
        IntStream.range(0, accounts).mapToObj(a -> GatewayNode.demoKey(a).publicKey()).toList();
    List<List<Double>> slices = new ArrayList<>();
    verifiers.forEach(v -> slices.add(new ArrayList<>()));
    int next = 0;
    for (int round = 0; round < 9; round++) {
      for (int variant = 0; variant < verifiers.size(); variant++) {
        SignatureVerifier verifier = verifiers.get(variant);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(1);
        long count = 0;
        while (System.nanoTime() < deadline) {
          PlaceOrder o = orders[next++ % orders.length];
          if (!OrderSigning.verify(verifier, keys.get(o.account()), MessageDomain.DEMO, o)) {
            throw new IllegalStateException("a signed order did not verify");
          }
          count++;
        }
        if (round >= 3) { // rounds 0–2 warm up
          slices.get(variant).add(count / ((System.nanoTime() - start) / 1e9));
        }
      }
    }
    List<Double> rates = new ArrayList<>();
    for (List<Double> l : slices) {
      List<Double> sorted = new ArrayList<>(l);
      sorted.sort(null);
      rates.add(sorted.get(sorted.size() / 2));
    }
    return rates;
  }

  private static final HttpClient METRICS_CLIENT = HttpClient.newHttpClient();

  /** One value from the node's /metrics (Prometheus text), or NaN if it is missing. */
  private static double metric(URI url, String name) throws IOException, InterruptedException {
    HttpResponse<String> r =
        METRICS_CLIENT.send(
            HttpRequest.newBuilder(url.resolve("/metrics")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^" + name + " ([0-9.E+-]+)$").matcher(r.body());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static void awaitHealthy(URI url, Process node) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!node.isAlive()) {
        throw new IllegalStateException("the node exited with " + node.exitValue());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(url.resolve("/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the node did not become healthy within 120 s");
  }
}
