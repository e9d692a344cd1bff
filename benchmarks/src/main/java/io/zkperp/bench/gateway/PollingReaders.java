package io.zkperp.bench.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.protocol.message.MessageDomain;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Readers that poll the node while the load generator sends orders, as traders' clients would:
 * reader {@code i} is demo account {@code i mod accounts}, and sends {@code perp_getOrderBook}
 * (market 2, depth 50) and {@code perp_getAccount} of its own account with its read grant ({@code
 * auth}, signed with the account's demo key, {@link DemoReadGrants}) in turn over its own
 * keep-alive HTTP/1.1 connection ({@link KeepAliveHttp}), waiting {@code intervalMillis} after each
 * answer. Counts answers per method and failed reads by kind ({@link ReadErrors}) and records the
 * reads' latency. A run in which more than {@link #MAX_ERROR_SHARE} of the reads failed is not a
 * valid measurement ({@link #valid}). {@link #start}, {@link #reset}, {@link #stop} and the reports
 * from the driver thread.
 */
final class PollingReaders {
  /** The largest share of failed reads a valid run may have. */
  static final double MAX_ERROR_SHARE = 0.01;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the readers do.
   *
   * @param url the node
   * @param readers how many
   * @param intervalMillis each reader's pause after an answer
   * @param accounts demo accounts 0 to accounts−1 are read (reader i reads account i mod accounts)
   * @param domain the node's signed-message domain (for the read grants)
   * @param grantSeconds how long each read grant is valid (renewed when a quarter is left)
   */
  record Options(
      URI url,
      int readers,
      long intervalMillis,
      int accounts,
      MessageDomain domain,
      long grantSeconds) {}

  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong books = new AtomicLong();
  private final AtomicLong accountReads = new AtomicLong();
  private final AtomicLong grantsSigned = new AtomicLong();
  private final ReadErrors errors = new ReadErrors();
  private final Recorder latency = new Recorder(3);
  private volatile long resetNanos = System.nanoTime();

  private PollingReaders() {}

  /**
   * Starts the readers.
   *
   * @param o what they do
   * @return the running readers
   */
  static PollingReaders start(Options o) {
    PollingReaders r = new PollingReaders();
    for (int i = 0; i < o.readers(); i++) {
      int id = i;
      Thread t = new Thread(() -> r.poll(o, id), "reader-" + i);
      t.setDaemon(true);
      r.threads.add(t);
      t.start();
    }
    return r;
  }

  private void poll(Options o, int id) {
    int account = id % o.accounts();
    DemoReadGrants grants =
        new DemoReadGrants(o.domain(), o.grantSeconds(), () -> System.currentTimeMillis() / 1000);
    byte[] book =
        ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getOrderBook\","
                + "\"params\":{\"market\":2,\"depth\":50}}")
            .getBytes(StandardCharsets.UTF_8);
    Random random = new Random(id);
    long signedSeen = 0;
    try (KeepAliveHttp http = new KeepAliveHttp(o.url(), 10_000)) {
      // spread the first requests over one interval
      Thread.sleep(random.nextLong(o.intervalMillis() + 1));
      for (long i = 0; !stop.get(); i++) {
        boolean isBook = i % 2 == 0;
        byte[] body =
            isBook
                ? book
                : ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getAccount\","
                        + "\"params\":{\"account\":"
                        + account
                        + ",\"auth\":"
                        + grants.auth(account)
                        + "}}")
                    .getBytes(StandardCharsets.UTF_8);
        if (grants.signed() != signedSeen) {
          grantsSigned.addAndGet(grants.signed() - signedSeen);
          signedSeen = grants.signed();
        }
        String method = isBook ? "perp_getOrderBook" : "perp_getAccount";
        long start = System.nanoTime();
        try {
          KeepAliveHttp.Answer a = http.post(body);
          if (a.status() == 200 && isResult(a.body())) {
            latency.recordValue((System.nanoTime() - start) / 1_000);
            (isBook ? books : accountReads).incrementAndGet();
          } else {
            countError(method, a);
          }
        } catch (IOException e) {
          errors.add(e.getClass().getSimpleName(), method, String.valueOf(e.getMessage()));
        }
        Thread.sleep(o.intervalMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A JSON-RPC result: the gateway writes {@code "jsonrpc"} first, then result or error. */
  private static boolean isResult(byte[] body) {
    String head = new String(body, 0, Math.min(body.length, 32), StandardCharsets.US_ASCII);
    return head.startsWith("{\"jsonrpc\":\"2.0\",\"result\":");
  }

  private void countError(String method, KeepAliveHttp.Answer a) {
    try {
      JsonNode error = JSON.readTree(a.body()).path("error");
      if (!error.isMissingNode()) {
        errors.add(
            error.path("data").path("error").asText("code " + error.path("code").asText()),
            method,
            error.path("message").asText());
        return;
      }
    } catch (IOException e) {
      // not JSON: counted by status below
    }
    errors.add("HTTP " + a.status(), method, a.text());
  }

  /** Clears the counters and the histogram (before a measured run). */
  void reset() {
    resetNanos = System.nanoTime();
    books.set(0);
    accountReads.set(0);
    errors.clear();
    latency.reset();
  }

  /**
   * Reads answered with a result since {@link #reset}.
   *
   * @return the count, both methods
   */
  long answered() {
    return books.get() + accountReads.get();
  }

  /**
   * {@code perp_getOrderBook} calls answered with a result since {@link #reset}.
   *
   * @return the count
   */
  long bookReads() {
    return books.get();
  }

  /**
   * {@code perp_getAccount} calls answered with a result since {@link #reset}.
   *
   * @return the count
   */
  long accountReads() {
    return accountReads.get();
  }

  /**
   * Failed reads since {@link #reset}, by kind.
   *
   * @return the errors
   */
  ReadErrors errors() {
    return errors;
  }

  /**
   * Whether the reads since {@link #reset} make a valid run: some reads answered, and at most
   * {@link #MAX_ERROR_SHARE} of them failed.
   *
   * @return true if valid
   */
  boolean valid() {
    return valid(answered(), errors.total());
  }

  private static boolean valid(long answered, long failed) {
    return answered > 0 && failed <= MAX_ERROR_SHARE * (answered + failed);
  }

  /**
   * A line with the reads since {@link #reset} (answers per method, errors, reads/s, read latency),
   * then one line per error kind with its first messages, then {@code INVALID RUN: …} when the run
   * is not {@link #valid}.
   *
   * @return the summary
   */
  String summary() {
    var h = latency.getIntervalHistogram();
    double seconds = (System.nanoTime() - resetNanos) / 1e9;
    long bookCount = books.get(); // read once: the readers may still be running
    long accountCount = accountReads.get();
    long ok = bookCount + accountCount;
    long failed = errors.total();
    StringBuilder b =
        new StringBuilder(
            String.format(
                "%,d reads answered (%,.0f/s: %,d perp_getOrderBook, %,d perp_getAccount), %,d"
                    + " errors, read latency p50 %.2f ms p99 %.2f ms, %,d read grants signed",
                ok,
                ok / seconds,
                bookCount,
                accountCount,
                failed,
                h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3,
                grantsSigned.get()));
    if (failed > 0) {
      b.append(System.lineSeparator()).append(errors.report().stripTrailing());
    }
    if (!valid(ok, failed)) {
      b.append(System.lineSeparator())
          .append(
              String.format(
                  "INVALID RUN: %,d of %,d reads failed (more than %.0f%%), or none answered",
                  failed, ok + failed, MAX_ERROR_SHARE * 100));
    }
    return b.toString();
  }

  /** Stops the readers and waits for them. */
  void stop() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(15));
    }
  }
}
