package io.zkperp.gateway.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * Load generator for {@code perp_placeOrder} against a node on the loopback interface (other hosts
 * are refused). It pre-signs orders of many demo accounts (keys from {@link GatewayNode#demoKey}):
 * random BUY/SELL at 995–1005 on one market, so that they rest and cross. It sends them over a few
 * keep-alive HTTP/1.1 connections with pipelining (the gateway answers each connection in request
 * order), from one sender thread, with one reader thread per connection; a response is matched to
 * its request by position. This keeps the generator's own CPU cost to a socket write and read per
 * order, which matters when it shares the node's cores.
 *
 * <ul>
 *   <li><b>Open loop</b> ({@code --rate}): order i is planned at start + i/rate and its latency is
 *       measured from that <em>planned</em> time, so a stall in the node (or in the sender) counts
 *       against every order planned during it: no coordinated omission.
 *   <li><b>Closed loop</b> ({@code --in-flight N}): at most N orders outstanding; the next is sent
 *       when an answer arrives. Measures sustained throughput; latency is from the actual send.
 * </ul>
 *
 * Bounded: {@code --seconds} (at most 600) times the rate, at most {@link #MAX_ORDERS} orders, and
 * answers are awaited at most 60 s after the last send. {@code java -cp … LoadGenerator [--url URL]
 * [--rate R | --in-flight N] [--seconds S] [--market M] [--accounts A] [--connections C]}. {@link
 * #run} from one thread.
 */
public final class LoadGenerator {
  /** The most orders one run signs and sends. */
  public static final int MAX_ORDERS = 2_000_000;

  /**
   * What to run.
   *
   * @param url the gateway's JSON-RPC URL (loopback only)
   * @param rate orders per second in open loop, or 0 for closed loop
   * @param inFlight closed loop: orders outstanding (ignored in open loop)
   * @param seconds duration (open loop: rate · seconds orders; closed loop: time limit)
   * @param market the market (demo market 2: tick 1, step 1)
   * @param accounts demo accounts 0 … accounts−1 sign the orders, in turn
   * @param connections keep-alive connections
   * @param nonceBase the first nonce of every account (larger than any nonce used before)
   */
  public record Options(
      URI url,
      int rate,
      int inFlight,
      int seconds,
      int market,
      int accounts,
      int connections,
      long nonceBase) {
    /** Checks the bounds. */
    public Options {
      if (rate < 0 || (rate == 0 && inFlight < 1)) {
        throw new IllegalArgumentException("give a rate > 0 (open loop) or in-flight ≥ 1");
      }
      if (seconds < 1 || seconds > 600) {
        throw new IllegalArgumentException("seconds must be 1 to 600, got " + seconds);
      }
      if ((long) rate * seconds > MAX_ORDERS) {
        throw new IllegalArgumentException("at most " + MAX_ORDERS + " orders per run");
      }
      if (accounts < 1 || connections < 1 || connections > 64) {
        throw new IllegalArgumentException("accounts ≥ 1 and connections 1 to 64");
      }
    }
  }

  /**
   * The outcome of a run.
   *
   * @param planned orders planned (open loop) or sent (closed loop)
   * @param ok answers with a result
   * @param errors answers with an error, by JSON-RPC code (-1: no answer / broken connection)
   * @param elapsedSeconds from the first send to the last answer
   * @param latency latencies in microseconds (open loop: from the planned send time)
   * @param maxMicrosBySecond the longest latency of the orders planned in each second of the run
   *     (where in the run the tail comes from)
   */
  public record Result(
      int planned,
      int ok,
      Map<Integer, Integer> errors,
      double elapsedSeconds,
      Histogram latency,
      long[] maxMicrosBySecond) {
    /**
     * Answers per second over the run.
     *
     * @return (ok + errors) / elapsed
     */
    public double answersPerSecond() {
      return (ok + errors.values().stream().mapToInt(Integer::intValue).sum()) / elapsedSeconds;
    }

    /**
     * A one-paragraph summary.
     *
     * @return the summary
     */
    public String summary() {
      return String.format(
          "planned %d, ok %d, errors %s, %.0f answers/s; latency ms p50 %.2f p90 %.2f p99 %.2f"
              + " p99.9 %.2f max %.2f; max by second %s",
          planned,
          ok,
          errors,
          answersPerSecond(),
          latency.getValueAtPercentile(50) / 1e3,
          latency.getValueAtPercentile(90) / 1e3,
          latency.getValueAtPercentile(99) / 1e3,
          latency.getValueAtPercentile(99.9) / 1e3,
          latency.getMaxValue() / 1e3,
          java.util.Arrays.stream(maxMicrosBySecond)
              .mapToObj(m -> String.format("%.1f", m / 1e3))
              .toList());
    }

    /**
     * The result as one JSON line (microseconds), for harnesses.
     *
     * @return the JSON text
     */
    public String json() {
      return String.format(
          "{\"planned\":%d,\"ok\":%d,\"errors\":\"%s\",\"elapsedSeconds\":%.3f,"
              + "\"answersPerSecond\":%.1f,\"p50us\":%d,\"p90us\":%d,\"p99us\":%d,"
              + "\"p999us\":%d,\"maxus\":%d}",
          planned,
          ok,
          errors,
          elapsedSeconds,
          answersPerSecond(),
          latency.getValueAtPercentile(50),
          latency.getValueAtPercentile(90),
          latency.getValueAtPercentile(99),
          latency.getValueAtPercentile(99.9),
          latency.getMaxValue());
    }
  }

  private LoadGenerator() {}

  /**
   * Open loop with the demo node's 10 accounts over 4 connections (the smoke test's shape).
   *
   * @param url the gateway's JSON-RPC URL
   * @param rate orders per second
   * @param seconds duration
   * @param market the market
   * @param nonceBase the first nonce of every account
   * @return the result
   * @throws InterruptedException if interrupted
   * @throws IOException if a connection cannot be opened
   */
  public static Result run(URI url, int rate, int seconds, int market, long nonceBase)
      throws InterruptedException, IOException {
    return run(new Options(url, rate, 0, seconds, market, 10, 4, nonceBase));
  }

  /**
   * Signs the orders, then sends them.
   *
   * @param o what to run
   * @return the result
   * @throws InterruptedException if interrupted
   * @throws IOException if a connection cannot be opened
   */
  public static Result run(Options o) throws InterruptedException, IOException {
    InetAddress address = InetAddress.getByName(o.url().getHost());
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "the load generator only targets the loopback interface, not " + o.url().getHost());
    }
    int port = o.url().getPort() < 0 ? 80 : o.url().getPort();
    int n = o.rate() > 0 ? o.rate() * o.seconds() : Math.min(MAX_ORDERS, 12_000 * o.seconds());
    byte[][] requests = sign(o, n);
    Histogram latency = new Histogram(120_000_000L, 3);
    Map<Integer, Integer> errors = new TreeMap<>();
    int[] ok = new int[1];
    boolean openLoop = o.rate() > 0;
    Semaphore window = new Semaphore(openLoop ? 0 : o.inFlight());
    int[] sent = new int[1];
    long[] maxBySecond = new long[o.seconds() + 1];
    long[] startNanos = new long[1];
    PipelinedConnection[] connections = new PipelinedConnection[o.connections()];
    for (int c = 0; c < connections.length; c++) {
      connections[c] =
          new PipelinedConnection(
              new InetSocketAddress(address, port),
              "loadgen-reader",
              (micros, body) -> {
                int code = code(body);
                synchronized (latency) {
                  latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                  long second =
                      (System.nanoTime() - micros * 1000 - startNanos[0]) / 1_000_000_000L;
                  int b = (int) Math.max(0, Math.min(maxBySecond.length - 1, second));
                  maxBySecond[b] = Math.max(maxBySecond[b], micros);
                  if (code == 0) {
                    ok[0]++;
                  } else {
                    errors.merge(code, 1, Integer::sum);
                  }
                }
                if (!openLoop) {
                  window.release();
                }
              });
    }
    // Signing leaves a lot of garbage in this JVM; collect it before the clock starts, so that a
    // pause of the generator itself does not land inside the measurement and count as the node's.
    System.gc();
    long start = System.nanoTime();
    synchronized (latency) {
      startNanos[0] = start;
    }
    long deadline = start + TimeUnit.SECONDS.toNanos(o.seconds());
    long intervalNanos = openLoop ? 1_000_000_000L / o.rate() : 0;
    for (int i = 0; i < n; i++) {
      long planned;
      if (openLoop) {
        planned = start + i * intervalNanos;
        long wait = planned - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      } else {
        if (System.nanoTime() >= deadline) {
          break;
        }
        window.acquire();
        planned = System.nanoTime();
      }
      connections[i % connections.length].send(requests[i], planned);
      sent[0]++;
    }
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (PipelinedConnection c : connections) {
      c.awaitDrained(waitUntil);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    int unanswered = 0;
    for (PipelinedConnection c : connections) {
      unanswered += c.close();
    }
    synchronized (latency) {
      if (unanswered > 0) {
        errors.merge(-1, unanswered, Integer::sum);
      }
      return new Result(
          openLoop ? n : sent[0],
          ok[0],
          new TreeMap<>(errors),
          elapsed,
          latency.copy(),
          maxBySecond.clone());
    }
  }

  /**
   * The orders a run sends: demo accounts 0 … accounts−1 in turn, random BUY/SELL at 995–1005, size
   * 1–5, GTC limit, client order id = nonce, each signed with the account's demo key (in parallel).
   * Any thread.
   *
   * @param accounts the number of signing accounts
   * @param market the market
   * @param n the number of orders
   * @param nonceBase the first nonce of every account
   * @param domain the node's signed-message domain
   * @return the signed orders
   */
  public static PlaceOrder[] signedOrders(
      int accounts, int market, int n, long nonceBase, MessageDomain domain) {
    Random random = new Random(1);
    long[] prices = new long[n];
    boolean[] sells = new boolean[n];
    long[] sizes = new long[n];
    for (int i = 0; i < n; i++) {
      prices[i] = 1000 + random.nextInt(11) - 5;
      sells[i] = random.nextBoolean();
      sizes[i] = 1 + random.nextInt(5);
    }
    EdDsaPrivateKey[] keys =
        IntStream.range(0, accounts).mapToObj(GatewayNode::demoKey).toArray(EdDsaPrivateKey[]::new);
    PlaceOrder[] orders = new PlaceOrder[n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              int account = i % accounts;
              long nonce = nonceBase + i / accounts;
              orders[i] =
                  OrderSigning.sign(
                      keys[account],
                      domain,
                      new PlaceOrder(
                          account,
                          market,
                          sells[i] ? Side.SELL : Side.BUY,
                          (int) nonce, // unique among the account's live orders
                          OrderType.LIMIT,
                          TimeInForce.GTC,
                          false,
                          sizes[i],
                          prices[i],
                          1000,
                          4_000_000_000L,
                          nonce,
                          TriggerType.NONE,
                          0,
                          new byte[64]));
            });
    return orders;
  }

  private static byte[][] sign(Options o, int n) throws IOException, InterruptedException {
    MessageDomain domain = domain(o.url());
    PlaceOrder[] orders = signedOrders(o.accounts(), o.market(), n, o.nonceBase(), domain);
    byte[][] requests = new byte[n][];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              requests[i] = PlaceOrderRequest.http(i, orders[i]);
            });
    return requests;
  }

  /**
   * The node's signed-message domain, from {@code perp_getDomain}. Any thread.
   *
   * @param url the node's JSON-RPC URL
   * @return the domain its orders must be signed for
   * @throws IOException if the node cannot be reached or answers something else
   * @throws InterruptedException if interrupted
   */
  public static MessageDomain domain(URI url) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(url)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getDomain\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode result = new ObjectMapper().readTree(r.body()).path("result");
      if (!result.has("chainId") || !result.has("rollupAddress")) {
        throw new IOException("perp_getDomain answered " + r.body());
      }
      if (result.path("formatVersion").asInt() != MessageDomain.FORMAT_VERSION) {
        throw new IOException(
            "the node signs with message format "
                + result.path("formatVersion").asInt()
                + ", this generator with "
                + MessageDomain.FORMAT_VERSION);
      }
      return MessageDomain.of(
          Long.parseUnsignedLong(result.get("chainId").asText()),
          L1Address.fromHex(result.get("rollupAddress").asText()));
    }
  }

  private static int code(String body) {
    if (body == null) {
      return -1; // sent on a broken connection
    }
    if (body.contains("\"result\"")) {
      return 0;
    }
    int at = body.indexOf("\"code\":");
    if (at < 0) {
      return -1;
    }
    int end = at + 7;
    while (end < body.length()
        && (Character.isDigit(body.charAt(end)) || body.charAt(end) == '-')) {
      end++;
    }
    return Integer.parseInt(body.substring(at + 7, end));
  }

  /**
   * Entry point ({@link LoadGeneratorCli}): prints the summary and, with {@code --json}, one JSON
   * line; {@code --help} lists the options. Exits 0, 1 (the run failed) or 2 (an invalid option).
   *
   * @param args the options
   */
  public static void main(String[] args) {
    System.exit(LoadGeneratorCli.run(args));
  }
}
