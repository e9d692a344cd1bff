package io.zkperp.gateway.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.SignedOrderMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load generator for {@code perp_placeOrder} against a demo node: pre-signs orders of the
 * demo accounts (random BUY/SELL around one price on one market, so that they rest and cross),
 * sends them at a fixed rate over HTTP, and records each latency from its <em>planned</em> send
 * time (no coordinated omission) into an HdrHistogram. {@code java -cp … LoadGenerator [--url URL]
 * [--rate PER_SECOND] [--seconds S] [--market M]}. {@link #run} from one thread.
 */
public final class LoadGenerator {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The outcome of a run.
   *
   * @param planned orders planned (rate · seconds)
   * @param ok answers with a result
   * @param errors answers with an error, by code (-1: no HTTP answer)
   * @param elapsedSeconds from the first planned send to the last answer
   * @param latency latencies in microseconds, from planned send time to answer
   */
  public record Result(
      int planned, int ok, Map<Integer, Integer> errors, double elapsedSeconds, Histogram latency) {
    /**
     * A one-paragraph summary.
     *
     * @return the summary
     */
    public String summary() {
      return String.format(
          "planned %d, ok %d, errors %s, %.0f answers/s; latency ms p50 %.2f p90 %.2f p99 %.2f"
              + " p99.9 %.2f max %.2f",
          planned,
          ok,
          errors,
          (ok + errors.values().stream().mapToInt(Integer::intValue).sum()) / elapsedSeconds,
          latency.getValueAtPercentile(50) / 1e3,
          latency.getValueAtPercentile(90) / 1e3,
          latency.getValueAtPercentile(99) / 1e3,
          latency.getValueAtPercentile(99.9) / 1e3,
          latency.getMaxValue() / 1e3);
    }
  }

  private LoadGenerator() {}

  /**
   * Pre-signs and sends {@code rate · seconds} orders.
   *
   * @param url the gateway's JSON-RPC URL
   * @param rate orders per second
   * @param seconds duration
   * @param market the market (tick 1, step 1 on the demo node's market 2)
   * @param nonceBase the first nonce of every account (larger than any nonce used before)
   * @return the result
   * @throws InterruptedException if interrupted
   */
  public static Result run(URI url, int rate, int seconds, int market, long nonceBase)
      throws InterruptedException {
    int n = rate * seconds;
    Random random = new Random(1);
    long[] prices = new long[n];
    boolean[] sells = new boolean[n];
    long[] sizes = new long[n];
    for (int i = 0; i < n; i++) {
      prices[i] = 1000 + random.nextInt(11) - 5;
      sells[i] = random.nextBoolean();
      sizes[i] = 1 + random.nextInt(5);
    }
    String[] bodies = new String[n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              int account = i % GatewayNode.DEMO_ACCOUNTS;
              long nonce = nonceBase + i / GatewayNode.DEMO_ACCOUNTS;
              PlaceOrder o =
                  SignedOrderMessage.sign(
                      GatewayNode.demoKey(account),
                      new PlaceOrder(
                          account,
                          market,
                          sells[i] ? Side.SELL : Side.BUY,
                          (int) nonce,
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
              bodies[i] =
                  "{\"jsonrpc\":\"2.0\",\"id\":"
                      + i
                      + ",\"method\":\"perp_placeOrder\",\"params\":{\"account\":"
                      + account
                      + ",\"market\":"
                      + market
                      + ",\"side\":\""
                      + o.side()
                      + "\",\"clientOrderId\":"
                      + Integer.toUnsignedLong(o.clientOrderId())
                      + ",\"size\":"
                      + o.size()
                      + ",\"price\":"
                      + o.price()
                      + ",\"feeCap\":1000,\"expiry\":4000000000,\"nonce\":"
                      + nonce
                      + ",\"signature\":\"0x"
                      + HexFormat.of().formatHex(o.signature())
                      + "\"}}";
            });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(pool)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Histogram latency = new Histogram(60_000_000L, 3);
    Map<Integer, Integer> errors = new TreeMap<>();
    int[] ok = new int[1];
    CountDownLatch done = new CountDownLatch(n);
    long intervalNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long planned = start + i * intervalNanos;
      long wait = planned - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      http.sendAsync(
              HttpRequest.newBuilder(url)
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString(bodies[i]))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (r, t) -> {
                long micros = (System.nanoTime() - planned) / 1000;
                int code = -1;
                boolean good = false;
                if (t == null) {
                  try {
                    JsonNode json = MAPPER.readTree(r.body());
                    good = json.has("result");
                    code = json.path("error").path("code").asInt(-1);
                  } catch (Exception e) {
                    code = -1;
                  }
                }
                synchronized (latency) {
                  latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                  if (good) {
                    ok[0]++;
                  } else {
                    errors.merge(code, 1, Integer::sum);
                  }
                }
                done.countDown();
              });
    }
    done.await(120, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdownNow();
    synchronized (latency) {
      return new Result(n, ok[0], new TreeMap<>(errors), elapsed, latency.copy());
    }
  }

  /**
   * Entry point.
   *
   * @param args the options
   * @throws Exception if the run fails
   */
  public static void main(String[] args) throws Exception {
    URI url = URI.create("http://127.0.0.1:8545/");
    int rate = 1000;
    int seconds = 10;
    int market = 2;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--url" -> url = URI.create(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--market" -> market = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.println(run(url, rate, seconds, market, System.currentTimeMillis()).summary());
  }
}
