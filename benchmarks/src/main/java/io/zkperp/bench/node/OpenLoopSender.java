package io.zkperp.bench.node;

import io.zkperp.gateway.node.PipelinedConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Sends prepared {@code perp_placeOrder} requests open loop at a fixed rate over pipelined
 * keep-alive HTTP/1.1 connections (round robin), and records each answer's latency from the
 * request's <em>planned</em> send time (a stall of the node delays every later answer and counts:
 * no coordinated omission) in an HdrHistogram, with the JSON-RPC error codes and the orders the
 * engine filled (an answer with {@code "filled"} above 0). The sending thread paces; one reader
 * thread per connection parses the answers. One run per instance; the calling thread.
 */
final class OpenLoopSender {
  /**
   * The outcome of a run.
   *
   * @param planned requests planned
   * @param sent requests sent before the send limit ({@link #run})
   * @param ok answers with a result
   * @param filled answers whose order was filled (wholly or partly)
   * @param filledLots lots filled in all
   * @param errors answers with an error by JSON-RPC code (-1: unanswered or a broken connection)
   * @param elapsedSeconds from the first planned send to the last answer
   * @param latency microseconds from the planned send time to the answer
   */
  record Result(
      int planned,
      int sent,
      int ok,
      int filled,
      long filledLots,
      Map<Integer, Integer> errors,
      double elapsedSeconds,
      Histogram latency) {
    /** Latency at a percentile, milliseconds. */
    double ms(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1e3;
    }

    /** The longest latency, milliseconds. */
    double maxMs() {
      return latency.getMaxValue() / 1e3;
    }

    /** One line. */
    String summary() {
      return String.format(
          "planned %,d, sent %,d, ok %,d, filled %,d (%,d lots), errors %s, %.1f s; ack ms p50 %.2f"
              + " p99 %.2f p99.9 %.2f max %.2f",
          planned,
          sent,
          ok,
          filled,
          filledLots,
          errors,
          elapsedSeconds,
          ms(50),
          ms(99),
          ms(99.9),
          maxMs());
    }
  }

  /** How long the answers are waited for after the last send; later ones count as error -1. */
  static final int DRAIN_SECONDS = 60;

  /**
   * Sending stops this long after the run's planned end (a node that reads slower than the rate
   * blocks the writes); the rest is not sent.
   */
  static final int SEND_GRACE_SECONDS = 60;

  private OpenLoopSender() {}

  /**
   * Sends every request at {@code rate} per second, but none after {@link #SEND_GRACE_SECONDS} past
   * the planned end, and waits (up to {@link #DRAIN_SECONDS} s after the last) for the answers.
   *
   * @param url the node's JSON-RPC URL (loopback)
   * @param requests the prepared requests ({@link OrderStream#request})
   * @param rate requests per second
   * @param connections keep-alive connections
   * @return the result
   * @throws IOException a connection cannot be opened
   * @throws InterruptedException if interrupted
   */
  static Result run(URI url, byte[][] requests, int rate, int connections)
      throws IOException, InterruptedException {
    Histogram latency = new Histogram(300_000_000L, 3);
    Map<Integer, Integer> errors = new TreeMap<>();
    long[] counts = new long[3]; // ok, filled, filled lots
    PipelinedConnection.AnswerSink sink =
        (micros, body) -> {
          int code = body == null ? -1 : AnswerText.code(body);
          long filledLots = body == null ? 0 : AnswerText.filled(body);
          synchronized (latency) {
            latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
            if (code == 0) {
              counts[0]++;
              if (filledLots > 0) {
                counts[1]++;
                counts[2] += filledLots;
              }
            } else {
              errors.merge(code, 1, Integer::sum);
            }
          }
        };
    PipelinedConnection[] conns = new PipelinedConnection[connections];
    for (int c = 0; c < connections; c++) {
      conns[c] =
          new PipelinedConnection(
              new InetSocketAddress(url.getHost(), url.getPort()), "bench-sender-reader", sink);
    }
    System.gc(); // the prepared requests' garbage, before the clock starts
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long sendUntil =
        start + requests.length * interval + TimeUnit.SECONDS.toNanos(SEND_GRACE_SECONDS);
    int sent = 0;
    for (int i = 0; i < requests.length && System.nanoTime() < sendUntil; i++) {
      long planned = start + i * interval;
      long wait = planned - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      conns[i % connections].send(requests[i], planned);
      sent++;
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    for (PipelinedConnection c : conns) {
      c.awaitDrained(until);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    int unanswered = 0;
    for (PipelinedConnection c : conns) {
      unanswered += c.close();
    }
    synchronized (latency) {
      if (unanswered > 0) {
        errors.merge(-1, unanswered, Integer::sum);
      }
      return new Result(
          requests.length,
          sent,
          (int) counts[0],
          (int) counts[1],
          counts[2],
          new TreeMap<>(errors),
          elapsed,
          latency.copy());
    }
  }
}
