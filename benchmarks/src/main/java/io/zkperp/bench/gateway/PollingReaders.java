package io.zkperp.bench.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Readers that poll the node while the load generator sends orders: each of {@code n} threads sends
 * {@code perp_getOrderBook} (market 2, depth 50) and {@code perp_getAccount} (a random demo
 * account) in turn over its own keep-alive HTTP/1.1 connection, waiting {@code intervalMillis}
 * after each answer. Counts answers and errors and records the reads' latency. {@link #start} and
 * {@link #stop} from the driver thread.
 */
final class PollingReaders {
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Recorder latency = new Recorder(3);
  private volatile long resetNanos = System.nanoTime();

  private PollingReaders() {}

  /**
   * Starts the readers.
   *
   * @param url the node
   * @param n how many
   * @param intervalMillis the pause after each answer
   * @param accounts demo accounts to read, 0 to accounts−1
   * @return the running readers
   */
  static PollingReaders start(URI url, int n, long intervalMillis, int accounts) {
    PollingReaders r = new PollingReaders();
    for (int i = 0; i < n; i++) {
      int id = i;
      Thread t = new Thread(() -> r.poll(url, id, intervalMillis, accounts), "reader-" + i);
      t.setDaemon(true);
      r.threads.add(t);
      t.start();
    }
    return r;
  }

  private void poll(URI url, int id, long intervalMillis, int accounts) {
    // one client per reader: its own connection, as separate clients would have
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Random random = new Random(id);
    try {
      // spread the first requests over one interval
      Thread.sleep(random.nextLong(intervalMillis + 1));
      for (long i = 0; !stop.get(); i++) {
        String body =
            i % 2 == 0
                ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getOrderBook\","
                    + "\"params\":{\"market\":2,\"depth\":50}}"
                : "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getAccount\","
                    + "\"params\":{\"account\":"
                    + random.nextInt(accounts)
                    + "}}";
        long start = System.nanoTime();
        try {
          HttpResponse<String> resp =
              http.send(
                  HttpRequest.newBuilder(url)
                      .timeout(Duration.ofSeconds(10))
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (resp.statusCode() == 200 && resp.body().contains("\"result\"")) {
            ok.incrementAndGet();
            latency.recordValue((System.nanoTime() - start) / 1_000);
          } else {
            errors.incrementAndGet();
          }
        } catch (java.io.IOException e) {
          errors.incrementAndGet();
        }
        Thread.sleep(intervalMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      http.close();
    }
  }

  /** Clears the counters and the histogram (before a measured run). */
  void reset() {
    resetNanos = System.nanoTime();
    ok.set(0);
    errors.set(0);
    latency.reset();
  }

  /**
   * A line with the reads since {@link #reset}: answers, errors, reads/s, read latency.
   *
   * @return the summary
   */
  String summary() {
    var h = latency.getIntervalHistogram();
    double seconds = (System.nanoTime() - resetNanos) / 1e9;
    return String.format(
        "%,d reads answered (%,.0f/s), %,d errors, read latency p50 %.2f ms p99 %.2f ms",
        ok.get(),
        ok.get() / seconds,
        errors.get(),
        h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(99) / 1e3);
  }

  /** Stops the readers and waits for them. */
  void stop() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(15));
    }
  }
}
