package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.sequencer.Side;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Book stream acceptance: subscribe over WebSocket, trade over HTTP, rebuild the book from the
 * snapshot and the deltas (checking every sequence is the previous + 1) and compare it with
 * perp_getOrderBook; disconnect, trade more, resubscribe, and rebuild again.
 */
class BookStreamTest {
  @TempDir Path dir;

  /** A client that rebuilds the book of one subscription. */
  private static final class BookClient implements WebSocket.Listener {
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final StringBuilder partial = new StringBuilder();
    final TreeMap<Long, long[]> bids = new TreeMap<>(Comparator.reverseOrder());
    final TreeMap<Long, long[]> asks = new TreeMap<>();
    long sequence = -1;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(GatewayHarness.MAPPER.readTree(partial.toString()));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    JsonNode next() throws InterruptedException {
      JsonNode m = messages.poll(20, TimeUnit.SECONDS);
      assertThat(m).as("a message within 20 s").isNotNull();
      return m;
    }

    /** Applies stream messages until the client's sequence reaches {@code target}. */
    void applyUntil(long target) throws InterruptedException {
      while (sequence < target) {
        JsonNode m = next();
        assertThat(m.path("method").asText()).isEqualTo("perp_subscription");
        JsonNode p = m.path("params");
        long seq = p.path("sequence").asLong();
        if (p.path("type").asText().equals("snapshot")) {
          bids.clear();
          asks.clear();
          load(bids, p.path("bids"));
          load(asks, p.path("asks"));
        } else {
          assertThat(seq).as("no gap, no repeat").isEqualTo(sequence + 1);
          for (JsonNode c : p.path("changes")) {
            TreeMap<Long, long[]> side = c.path("side").asText().equals("BUY") ? bids : asks;
            if (c.path("size").asLong() == 0) {
              side.remove(c.path("price").asLong());
            } else {
              side.put(
                  c.path("price").asLong(),
                  new long[] {c.path("size").asLong(), c.path("orders").asLong()});
            }
          }
        }
        sequence = seq;
      }
    }

    private static void load(TreeMap<Long, long[]> side, JsonNode levels) {
      for (JsonNode l : levels) {
        side.put(
            l.path("price").asLong(),
            new long[] {l.path("size").asLong(), l.path("orders").asLong()});
      }
    }

    ArrayNode levels(Map<Long, long[]> side) {
      ArrayNode a = GatewayHarness.MAPPER.createArrayNode();
      side.forEach(
          (price, v) -> a.addObject().put("price", price).put("size", v[0]).put("orders", v[1]));
      return a;
    }
  }

  private static WebSocket connect(GatewayHarness h, BookClient c) throws Exception {
    return h.http
        .newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + h.gateway.port() + "/ws"), c)
        .get(10, TimeUnit.SECONDS);
  }

  private static long subscribe(WebSocket ws, BookClient c) throws Exception {
    ws.sendText(
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"perp_subscribe\","
                + "\"params\":{\"channel\":\"book\",\"market\":1}}",
            true)
        .get();
    JsonNode result = c.next();
    assertThat(result.path("id").asInt()).as(result.toString()).isEqualTo(7);
    return result.path("result").asLong();
  }

  private static JsonNode book(GatewayHarness h) throws Exception {
    ObjectNode p = h.mapperObject("market", 1);
    p.put("depth", 1000);
    return h.call("perp_getOrderBook", p).path("result");
  }

  private static void assertRebuilt(GatewayHarness h, BookClient c) throws Exception {
    JsonNode expected = book(h);
    c.applyUntil(expected.path("sequence").asLong());
    assertThat(c.sequence).isEqualTo(expected.path("sequence").asLong());
    assertThat(c.levels(c.bids).toString()).isEqualTo(expected.path("bids").toString());
    assertThat(c.levels(c.asks).toString()).isEqualTo(expected.path("asks").toString());
  }

  /** Random signed orders and cancels over HTTP (crossing, partial fills, cancels). */
  private static void trade(GatewayHarness h, Random r, int from, int count) throws Exception {
    for (int i = from; i < from + count; i++) {
      int account = r.nextInt(6);
      Side side = r.nextBoolean() ? Side.BUY : Side.SELL;
      long price = 950 + 10 * r.nextInt(10);
      ObjectNode o = h.order(account, 1, side, 10 + 5 * r.nextInt(6), price, 1 + i);
      h.resign(o.put("clientOrderId", i));
      JsonNode res = h.call("perp_placeOrder", o);
      assertThat(res.has("result")).as(res.toString()).isTrue();
      if (r.nextInt(4) == 0 && res.path("result").path("status").asText().equals("OPEN")) {
        long id = res.path("result").path("orderId").asLong();
        ObjectNode cancel = GatewayHarness.MAPPER.createObjectNode();
        cancel.put("account", account);
        cancel.put("orderId", id);
        cancel.put("validUntil", GatewayHarness.CLOCK + 10);
        cancel.put("signature", h.signCancelOrder(account, false, id, GatewayHarness.CLOCK + 10));
        assertThat(h.call("perp_cancelOrder", cancel).has("result")).isTrue();
      }
    }
  }

  @Test
  void subscribeTradeDisconnectResubscribeRebuildsAnIdenticalBook() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir)) {
      Random r = new Random(7);
      trade(h, r, 0, 20); // a book exists before the first subscription
      BookClient first = new BookClient();
      WebSocket ws = connect(h, first);
      subscribe(ws, first);
      trade(h, r, 100, 60);
      assertRebuilt(h, first);
      assertThat(first.asks.size() + first.bids.size()).isGreaterThan(0);

      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get();
      trade(h, r, 200, 40); // missed while disconnected

      BookClient second = new BookClient();
      WebSocket ws2 = connect(h, second);
      long sub = subscribe(ws2, second);
      trade(h, r, 300, 40);
      assertRebuilt(h, second);

      // unsubscribe: no more stream messages; a second unsubscribe is an error
      ws2.sendText(
              "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"perp_unsubscribe\",\"params\":{\"subscription\":"
                  + sub
                  + "}}",
              true)
          .get();
      assertThat(second.next().path("result").asBoolean()).isTrue();
      trade(h, r, 400, 5);
      ws2.sendText(
              "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"perp_unsubscribe\",\"params\":{\"subscription\":"
                  + sub
                  + "}}",
              true)
          .get();
      JsonNode again = second.next();
      assertThat(again.path("id").asInt()).as("no stream message after unsubscribe").isEqualTo(9);
      assertThat(again.path("error").path("code").asInt()).isEqualTo(-32008);
    }
  }

  @Test
  void tradeStreamCarriesEveryFillInJournalOrder() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir)) {
      BookClient c = new BookClient();
      WebSocket ws = connect(h, c);
      ws.sendText(
              "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"perp_subscribe\","
                  + "\"params\":{\"channel\":\"trades\",\"market\":1}}",
              true)
          .get();
      long sub = c.next().path("result").asLong();
      assertThat(sub).isPositive();
      Random r = new Random(11);
      java.util.List<String> expected = new java.util.ArrayList<>();
      for (int i = 0; i < 60; i++) {
        ObjectNode o =
            h.order(
                r.nextInt(6),
                1,
                r.nextBoolean() ? Side.BUY : Side.SELL,
                10 + 5 * r.nextInt(4),
                960 + 10 * r.nextInt(5),
                1 + i);
        h.resign(o.put("clientOrderId", i));
        JsonNode res = h.call("perp_placeOrder", o).path("result");
        for (JsonNode f : res.path("fills")) {
          expected.add(
              res.path("journalSeq").asLong()
                  + " "
                  + f.path("makerOrderId").asLong()
                  + ">"
                  + res.path("orderId").asLong()
                  + " "
                  + f.path("size").asLong()
                  + "@"
                  + f.path("price").asLong()
                  + " "
                  + o.path("side").asText());
        }
      }
      assertThat(expected).hasSizeGreaterThan(10);
      java.util.List<String> streamed = new java.util.ArrayList<>();
      while (streamed.size() < expected.size()) {
        JsonNode p = c.next().path("params");
        assertThat(p.path("channel").asText()).isEqualTo("trades");
        assertThat(p.path("subscription").asLong()).isEqualTo(sub);
        streamed.add(
            p.path("sequence").asLong()
                + " "
                + p.path("makerOrderId").asLong()
                + ">"
                + p.path("takerOrderId").asLong()
                + " "
                + p.path("size").asLong()
                + "@"
                + p.path("price").asLong()
                + " "
                + p.path("takerSide").asText());
      }
      assertThat(streamed).containsExactlyElementsOf(expected);
      assertThat(c.messages.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void subscribingOverHttpIsAnError() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir)) {
      ObjectNode p = h.mapperObject("market", 1);
      p.put("channel", "book");
      assertThat(h.call("perp_subscribe", p).path("error").path("code").asInt()).isEqualTo(-32007);
    }
  }
}
