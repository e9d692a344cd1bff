package io.zkperp.bench.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the node's {@code /metrics} (Prometheus text) once a second on its own thread and keeps one
 * {@link Sample} per read: the settlement's records waiting, last sealed batch, batches per state,
 * batches awaiting proof, whether back-pressure holds the sealing, whether it is paused, the prover
 * lag and the last batch on L1. A failed read is kept as a missing sample (counted). Started and
 * stopped by one controlling thread; {@link #samples} from any.
 */
final class MetricsSampler implements AutoCloseable {
  /**
   * One read of {@code /metrics}.
   *
   * @param seconds seconds since the sampler started
   * @param waiting {@code settlement_records_waiting}: journal records the settlement has not taken
   * @param lastSealed {@code settlement_last_sealed_batch}
   * @param sealed batches SEALED or PROVING
   * @param proven batches PROVEN, COMMITTED or FINAL (proven at least)
   * @param committed batches COMMITTED or FINAL
   * @param awaitingProof {@code settlement_batches_awaiting_proof}
   * @param sealingHeld whether back-pressure holds the sealing ({@code settlement_sealing_held})
   * @param paused whether the settlement is paused ({@code settlement_paused})
   * @param proverLagSeconds {@code prover_lag_seconds}
   * @param l1LastBatch {@code l1_last_batch} (0 without L1)
   */
  record Sample(
      double seconds,
      long waiting,
      long lastSealed,
      long sealed,
      long proven,
      long committed,
      long awaitingProof,
      boolean sealingHeld,
      boolean paused,
      double proverLagSeconds,
      long l1LastBatch) {}

  private final URI metrics;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-metrics");
            t.setDaemon(true);
            return t;
          });
  private final List<Sample> samples = new ArrayList<>();
  private long start;
  private int failedReads;

  /**
   * A sampler of a node.
   *
   * @param node the node's JSON-RPC URL ({@code /metrics} beside it)
   */
  MetricsSampler(URI node) {
    this.metrics = node.resolve("/metrics");
  }

  /** Starts sampling; the clock of {@link Sample#seconds} starts now. */
  void start() {
    start = System.nanoTime();
    timer.scheduleAtFixedRate(this::sampleOnce, 0, 1, TimeUnit.SECONDS);
  }

  private void sampleOnce() {
    try {
      Map<String, Double> m = read();
      Sample s =
          new Sample(
              (System.nanoTime() - start) / 1e9,
              (long) get(m, "settlement_records_waiting"),
              (long) get(m, "settlement_last_sealed_batch"),
              (long) (batches(m, "SEALED") + batches(m, "PROVING")),
              (long) (batches(m, "PROVEN") + batches(m, "COMMITTED") + batches(m, "FINAL")),
              (long) (batches(m, "COMMITTED") + batches(m, "FINAL")),
              (long) get(m, "settlement_batches_awaiting_proof"),
              get(m, "settlement_sealing_held") > 0,
              get(m, "settlement_paused") > 0,
              get(m, "prover_lag_seconds"),
              (long) get(m, "l1_last_batch"));
      synchronized (samples) {
        samples.add(s);
      }
    } catch (IOException | RuntimeException e) {
      synchronized (samples) {
        failedReads++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One read of the node's metrics now, on the calling thread.
   *
   * @return every sample line's value by its name with labels ({@code name{k="v"}})
   * @throws IOException the node did not answer
   * @throws InterruptedException if interrupted
   */
  Map<String, Double> read() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("/metrics answered HTTP " + r.statusCode());
    }
    return PrometheusText.parse(r.body());
  }

  private static double get(Map<String, Double> m, String name) {
    return m.getOrDefault(name, 0.0);
  }

  private static double batches(Map<String, Double> m, String status) {
    return get(m, "settlement_batches{status=\"" + status + "\"}");
  }

  /**
   * The samples so far.
   *
   * @return a copy
   */
  List<Sample> samples() {
    synchronized (samples) {
      return new ArrayList<>(samples);
    }
  }

  /**
   * Reads that failed so far.
   *
   * @return the count
   */
  int failedReads() {
    synchronized (samples) {
      return failedReads;
    }
  }

  /** Stops sampling (waits up to 10 s for a read in progress). */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The Prometheus text format's sample lines, as far as the node writes them. */
  static final class PrometheusText {
    private PrometheusText() {}

    /**
     * Parses sample lines ({@code name value} or {@code name{labels} value}); comments are skipped,
     * a trailing comma inside the labels is dropped.
     *
     * @param text the exposition
     * @return value by name with labels
     */
    static Map<String, Double> parse(String text) {
      Map<String, Double> out = new HashMap<>();
      for (String line : text.split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        if (space <= 0) {
          continue;
        }
        String name = line.substring(0, space).trim().replace(",}", "}");
        try {
          out.put(name, Double.parseDouble(line.substring(space + 1).trim()));
        } catch (NumberFormatException e) {
          // not a sample line
        }
      }
      return out;
    }
  }
}
