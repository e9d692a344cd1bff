package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.Recovery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of hostile requests (malformed JSON, wrong types, huge and fractional numbers, unknown
 * methods and parameters, bad envelopes, oversized bodies, deep nesting, bad batches, orders and
 * cancels with bad signatures) from 4 client threads, over HTTP and over WebSocket: every one gets
 * a JSON-RPC error (none a result), the server keeps answering, and the core's state hash and
 * journal are exactly those of the legitimate commands alone (replayed on a separate core). The
 * counts are system properties, so that {@code ./zk soak} runs the same test far longer than CI
 * does.
 */
class HostileInputTest {
  /** Hostile HTTP requests (CI: 100,000; {@code ./zk soak} sets more). */
  private static final int REQUESTS = Integer.getInteger("zkperp.hostile.requests", 100_000);

  /** Hostile WebSocket messages (CI: 4,000; {@code ./zk soak} sets more). */
  private static final int WS_MESSAGES = Integer.getInteger("zkperp.hostile.ws.messages", 4_000);

  /** Distinct validly signed orders that the hostile requests start from (signing is slow). */
  private static final int VALID_POOL = 512;

  @TempDir java.nio.file.Path dir;

  @Test
  void hostileRequestsGetErrorsAndLeaveTheStateUnchanged() throws Exception {
    GatewayHarness h = new GatewayHarness(dir, GatewayConfig.defaults(0));
    List<Command> legit = new ArrayList<>(GatewayHarness.SETUP);
    // real state first: a resting order placed over HTTP
    ObjectNode resting = h.order(0, 1, Side.SELL, 20, 1000, 1);
    JsonNode placed = h.call("perp_placeOrder", resting);
    assertThat(placed.path("result").path("status").asText()).isEqualTo("OPEN");
    legit.add(placedCommand(h, resting));

    List<String> bodies = bodies(h, resting, REQUESTS);
    long start = System.nanoTime();
    Map<Integer, Integer> byCode = new HashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Integer>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int from = t;
        results.add(
            clients.submit(
                () -> {
                  List<Integer> codes = new ArrayList<>();
                  try (RawHttpConnection c = new RawHttpConnection(h.gateway.port())) {
                    for (int i = from; i < bodies.size(); i += 4) {
                      codes.addAll(errorCodes(c, bodies.get(i)));
                    }
                  }
                  return codes;
                }));
      }
      int answered = 0;
      for (Future<List<Integer>> f : results) {
        for (int code : f.get()) {
          byCode.merge(code, 1, Integer::sum);
          answered++;
        }
      }
      assertThat(answered).isGreaterThanOrEqualTo(REQUESTS);
      report("http", REQUESTS, answered, start, byCode);
    } finally {
      clients.shutdownNow();
    }
    // the categories really were exercised
    assertThat(byCode)
        .containsKeys(-32700, -32600, -32601, -32602, -32001, -32002, 1001, 1002, 5001, 3002);
    assertThat(byCode).containsKeys(5101, 5102, 5103, 5104); // private reads with bad grants
    // still serving
    JsonNode markets = h.call("perp_getMarkets", null);
    assertThat(markets.path("result")).hasSize(2);
    JsonNode book = h.call("perp_getOrderBook", h.mapperObject("market", 1));
    assertThat(book.path("result").path("asks").get(0).path("size").asLong()).isEqualTo(20);
    h.close();
    assertOnlyLegitimateCommands(h, legit);
  }

  @Test
  void hostileWebSocketMessagesGetErrorsAndLeaveTheStateUnchanged() throws Exception {
    GatewayHarness h = new GatewayHarness(dir, GatewayConfig.defaults(0));
    List<Command> legit = new ArrayList<>(GatewayHarness.SETUP);
    ObjectNode resting = h.order(0, 1, Side.SELL, 20, 1000, 1);
    assertThat(h.call("perp_placeOrder", resting).path("result").path("status").asText())
        .isEqualTo("OPEN");
    legit.add(placedCommand(h, resting));
    // bodies above the frame limit close a WebSocket (1009, MessageLimitsTest): HTTP covers them
    List<String> bodies =
        bodies(h, resting, WS_MESSAGES * 17 / 16 + 16).stream()
            .filter(b -> b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 60_000)
            .limit(WS_MESSAGES)
            .toList();
    long start = System.nanoTime();
    Map<Integer, Integer> byCode = new HashMap<>();
    int answered = 0;
    List<StreamClient> clients = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      clients.add(StreamClient.connect(h));
    }
    // chunks of 100 messages, each followed by a sentinel whose answer ends the chunk: a client
    // that sends without reading is a slow consumer and is closed (SlowSubscriberTest)
    for (int from = 0; from < bodies.size(); from += 100) {
      StreamClient c = clients.get((from / 100) % 4);
      for (String body : bodies.subList(from, Math.min(bodies.size(), from + 100))) {
        c.ws.sendText(body, true).get();
      }
      String end = "end-" + from;
      String sentinel = "{\"jsonrpc\":\"2.0\",\"id\":\"" + end + "\",\"method\":\"rpc.discover\"}";
      c.ws.sendText(sentinel, true);
      JsonNode m;
      while (!end.equals((m = nextOrFail(c, from)).path("id").asText())) {
        if (m.path("id").asText().startsWith("end-")) {
          continue; // an earlier chunk's repeated sentinel
        }
        List<JsonNode> responses = responses(m);
        for (JsonNode resp : responses) {
          assertThat(resp.has("result")).as("a result for hostile input: %s", resp).isFalse();
          assertThat(resp.path("error").path("code").isInt()).as(resp.toString()).isTrue();
          byCode.merge(resp.path("error").path("code").asInt(), 1, Integer::sum);
          answered++;
        }
        if (m.path("error").path("code").asInt() == RpcError.RATE_LIMITED.code()
            && m.path("id").isNull()) {
          // refused before parsing, so without its id: it may have been the sentinel; ask again
          Thread.sleep(2);
          c.ws.sendText(sentinel, true);
        }
      }
    }
    for (StreamClient c : clients) {
      assertThat(c.closeCode).as("the socket stays open").isEqualTo(-1);
    }
    // every message without an id (a notification) goes unanswered; nearly all have one
    assertThat(answered).isGreaterThanOrEqualTo(bodies.size() * 9 / 10);
    report("websocket", bodies.size(), answered, start, byCode);
    assertThat(byCode).containsKeys(-32700, -32600, -32601, -32602, 1001, 1002, 3002);
    assertThat(byCode).containsKeys(5101, 5102, 5103, 5104);
    assertThat(h.call("perp_getMarkets", null).path("result")).hasSize(2);
    h.close();
    assertOnlyLegitimateCommands(h, legit);
  }

  private static JsonNode nextOrFail(StreamClient c, int from) throws InterruptedException {
    JsonNode m = c.messages.poll(20, java.util.concurrent.TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError(
          "no answer within 20 s to the chunk from message "
              + from
              + "; close code "
              + c.closeCode);
    }
    return m;
  }

  /** The core's state and journal are those of the legitimate commands alone. */
  private void assertOnlyLegitimateCommands(GatewayHarness h, List<Command> legit)
      throws Exception {
    SequencerCore reference = SequencerCore.withDefaults(CoreListener.NONE);
    for (Command c : legit) {
      assertThat(reference.apply(c)).isTrue();
    }
    assertThat(CoreState.hashHex(h.core)).isEqualTo(CoreState.hashHex(reference));
    List<Command> journaled = new ArrayList<>();
    JournalReader.read(dir.resolve(Recovery.JOURNAL_FILE), (seq, c) -> journaled.add(c));
    assertThat(journaled).containsExactlyElementsOf(legit);
  }

  /** {@code count} hostile request bodies, every 17th the resting order again (nonce in use). */
  private static List<String> bodies(GatewayHarness h, ObjectNode resting, int count)
      throws Exception {
    Random random = new Random(42);
    List<String> pool = new ArrayList<>();
    for (int k = 0; k < VALID_POOL; k++) {
      pool.add(h.order(1, 1, Side.BUY, 10, 990, 1_000 + k).toString());
    }
    String replayed =
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"perp_placeOrder\",\"params\":" + resting + "}";
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      bodies.add(
          i % 17 == 16
              ? replayed
              : hostile(
                  h,
                  random,
                  i,
                  (ObjectNode) GatewayHarness.MAPPER.readTree(pool.get(i % VALID_POOL))));
    }
    return bodies;
  }

  /** One line per transport for {@code ./zk soak}'s report. */
  private static void report(
      String transport, int sent, int answered, long startNanos, Map<Integer, Integer> byCode) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        java.util.Locale.ROOT,
        "[hostile] %s: %,d hostile requests, %,d JSON-RPC errors answered, none a result, in %.1f"
            + " s (%,.0f/s); heap in use %,d MiB; codes %s%n",
        transport,
        sent,
        answered,
        seconds,
        sent / seconds,
        (rt.totalMemory() - rt.freeMemory()) >> 20,
        new java.util.TreeMap<>(byCode));
  }

  private static Command placedCommand(GatewayHarness h, ObjectNode p) {
    // the same order the gateway built: decode what a fixed encoding of it gives back
    io.zkperp.sequencer.command.PlaceOrder o =
        new io.zkperp.sequencer.command.PlaceOrder(
            p.get("account").asInt(),
            p.get("market").asInt(),
            Side.valueOf(p.get("side").asText()),
            0,
            io.zkperp.sequencer.OrderType.LIMIT,
            io.zkperp.sequencer.TimeInForce.GTC,
            false,
            p.get("size").asLong(),
            p.get("price").asLong(),
            p.get("feeCap").asLong(),
            p.get("expiry").asLong(),
            p.get("nonce").asLong(),
            io.zkperp.sequencer.TriggerType.NONE,
            0,
            java.util.HexFormat.of().parseHex(p.get("signature").asText().substring(2)));
    return CommandCodec.decode(CommandCodec.encode(o));
  }

  /** Sends one body; returns the error codes of its response (one per answered element). */
  private static List<Integer> errorCodes(RawHttpConnection c, String body) throws Exception {
    RawHttpConnection.Response r;
    try {
      r = c.post(body);
    } catch (java.io.IOException e) {
      throw new AssertionError("no answer to hostile input " + cut(body), e);
    }
    List<Integer> codes = new ArrayList<>();
    if (r.status() == 204) {
      codes.add(0); // notification: nothing to answer, counted as handled
      return codes;
    }
    assertThat(r.status()).as(body).isIn(200, 413);
    JsonNode json = GatewayHarness.MAPPER.readTree(r.body());
    List<JsonNode> responses = responses(json);
    for (JsonNode resp : responses) {
      assertThat(resp.has("result")).as("a result for hostile input " + cut(body)).isFalse();
      assertThat(resp.path("error").path("code").isInt()).as(cut(body)).isTrue();
      assertThat(resp.path("error").path("message").asText()).isNotEmpty();
      codes.add(resp.path("error").path("code").asInt());
    }
    return codes;
  }

  private static String cut(String s) {
    return s.length() < 300 ? s : s.substring(0, 300) + "…";
  }

  private static final String[] BAD_VALUES = {
    "null",
    "true",
    "\"\"",
    "\"abc\"",
    "1.5",
    "1e3",
    "-0.0",
    "1E400",
    "99999999999999999999",
    "-9223372036854775809",
    "18446744073709551616",
    "[]",
    "{}",
    "[1]",
    "\"0x12\"",
    "\"1.0\"",
    "\"01\"",
    "\" 1\"",
    "\"+1\"",
    "123456789012345678901234567890123456789012345678901234567890"
  };
  private static final java.util.Set<String> OPTIONAL =
      java.util.Set.of(
          "clientOrderId", "type", "timeInForce", "reduceOnly", "trigger", "triggerPrice");
  private static final String[] FIELDS = {
    "account",
    "market",
    "side",
    "size",
    "price",
    "feeCap",
    "expiry",
    "nonce",
    "signature",
    "clientOrderId",
    "type",
    "timeInForce",
    "reduceOnly",
    "trigger",
    "triggerPrice"
  };

  private static final String[] PRIVATE_READS = {
    "perp_getAccount", "perp_getFills", "perp_getOpenOrders", "perp_getNonces"
  };

  /** Bad read grants of account 0 (signed once: signing is slow), by the error they must get. */
  private static volatile List<String> badGrants;

  /**
   * A private read of account 0 with no grant (5101), an expired one (5102), account 1's (5103) or
   * a tampered one (5104).
   */
  private static String badRead(GatewayHarness h, Random r, int i) {
    List<String> grants = badGrants;
    if (grants == null) {
      ObjectNode tampered = h.grant(0);
      tampered.put("validUntil", tampered.get("validUntil").asLong() - 1);
      grants =
          List.of(
              "",
              ",\"auth\":"
                  + TestGrants.auth(
                      h.keys[0],
                      0,
                      GatewayHarness.CLOCK,
                      io.zkperp.protocol.message.MessageDomain.DEMO),
              ",\"auth\":" + h.grant(1),
              ",\"auth\":" + tampered);
      badGrants = grants;
    }
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + i
        + ",\"method\":\""
        + PRIVATE_READS[r.nextInt(PRIVATE_READS.length)]
        + "\",\"params\":{\"account\":0"
        + grants.get(r.nextInt(grants.size()))
        + "}}";
  }

  private static String hostile(GatewayHarness h, Random r, int i, ObjectNode valid) {
    String validParams = valid.toString();
    String envelope =
        "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"perp_placeOrder\",\"params\":";
    switch (i % 16) {
      case 0 -> { // random bytes
        byte[] b = new byte[1 + r.nextInt(200)];
        r.nextBytes(b);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
      }
      case 1 -> { // truncated valid request
        String full = envelope + validParams + "}";
        return full.substring(0, r.nextInt(full.length() - 1));
      }
      case 2 -> { // a field with a bad value (type, fraction, huge number)
        String field = FIELDS[r.nextInt(FIELDS.length)];
        String bad = BAD_VALUES[r.nextInt(BAD_VALUES.length)];
        if (OPTIONAL.contains(field) && (bad.equals("null") || bad.equals("true"))) {
          bad = "\"abc\""; // null means absent and true is a valid reduceOnly: keep it invalid
        }
        ObjectNode p = valid.deepCopy();
        p.remove(field);
        String body = p.toString();
        return envelope + "{\"" + field + "\":" + bad + "," + body.substring(1) + "}";
      }
      case 3 -> { // unknown method
        return "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"m" + r.nextLong() + "\"}";
      }
      case 4 -> { // duplicate key
        return envelope + "{\"size\":10," + validParams.substring(1) + "}";
      }
      case 5 -> { // bad envelope
        String[] bad = {
          "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"perp_getMarkets\"}",
          "{\"id\":1,\"method\":\"perp_getMarkets\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"perp_getMarkets\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getMarkets\",\"params\":7}",
          "{\"jsonrpc\":\"2.0\",\"id\":1}",
          "\"perp_getMarkets\"",
          "[]"
        };
        return bad[r.nextInt(bad.length)];
      }
      case 6 -> { // oversized body
        return envelope + "{\"pad\":\"" + "x".repeat(70_000) + "\"}}";
      }
      case 7 -> { // deep nesting
        int depth = 65 + r.nextInt(2000);
        return "[".repeat(depth) + "]".repeat(depth);
      }
      case 8 -> { // batch over the limit
        return "[" + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"},".repeat(101) + "1]";
      }
      case 9 -> { // batch of junk
        return "[1,\"a\",null,{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"perp_nope\"},[]]";
      }
      case 10 -> { // order with a bad signature (valid shape)
        ObjectNode p = valid.deepCopy();
        byte[] sig = new byte[64];
        r.nextBytes(sig);
        p.put("signature", GatewayHarness.hex(sig));
        return envelope + p + "}";
      }
      case 11 -> { // order signed, then a signed field changed
        ObjectNode p = valid.deepCopy();
        p.put("price", 980);
        return envelope + p + "}";
      }
      case 12 -> { // order for an account without a key
        ObjectNode p = valid.deepCopy();
        p.put("account", 100 + r.nextInt(1000));
        return envelope + p + "}";
      }
      case 13 -> { // cancel with a bad signature
        return "{\"jsonrpc\":\"2.0\",\"id\":"
            + i
            + ",\"method\":\"perp_cancelOrder\",\"params\":{\"account\":0,\"orderId\":1,"
            + "\"validUntil\":"
            + (GatewayHarness.CLOCK + 60)
            + ",\"signature\":\""
            + h.signCancelOrder(0, false, 2, GatewayHarness.CLOCK + 60)
            + "\"}}";
      }
      case 14 -> { // cancel-all outside its validity window (correctly signed)
        long until = GatewayHarness.CLOCK + 301 + r.nextInt(1000);
        return "{\"jsonrpc\":\"2.0\",\"id\":"
            + i
            + ",\"method\":\"perp_cancelAll\",\"params\":{\"account\":0,\"validUntil\":"
            + until
            + ",\"signature\":\""
            + h.signCancelAll(0, -1, until)
            + "\"}}";
      }
      default -> { // a private read with a bad grant, or unknown parameter / params of wrong shape
        if (r.nextBoolean()) {
          return badRead(h, r, i);
        }
        return r.nextBoolean()
            ? envelope + "{\"x" + r.nextInt() + "\":1," + validParams.substring(1) + "}"
            : envelope + "[" + validParams + "]}";
      }
    }
  }

  /** The responses of one answer: the elements of a batch answer, or the single response. */
  private static List<JsonNode> responses(JsonNode answer) {
    List<JsonNode> out = new ArrayList<>();
    if (answer.isArray()) {
      answer.forEach(out::add);
    } else {
      out.add(answer);
    }
    return out;
  }
}
