package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.CancelOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Order history, trades and candles of a demo node over real HTTP: trades made across many minutes
 * of the node's clock (each step of the price feed moves the core's time), then {@code
 * perp_getTrades} pages every trade newest first, {@code perp_getCandles} pages the 1m, 5m and 1h
 * candles that the test builds itself from those trades (time, price, size), {@code
 * perp_getOrderHistory} pages the maker's orders with their final status and filled size (private:
 * refused without the read grant); all of it the same after a restart, and a trade after the
 * restart goes on with the open candle read back from RocksDB.
 */
class OrderTradeCandleHistoryTest {
  private static final int MARKET = 2; // tick 1, step 1, minimum 1, around 1,000
  private static final long START = 1_700_000_000L;

  @TempDir Path dir;

  private final AtomicLong clock = new AtomicLong(START);
  private long nonce;

  @Test
  void ordersTradesAndCandlesPageNewestFirstAgreeWithTheTradesAndSurviveARestart()
      throws Exception {
    NodeOptions options = HistoryNodeOptions.of(dir, clock::get, null);
    int trades = 0;
    List<Long> makerOrders = new ArrayList<>(); // account 0's order ids, oldest first
    long cancelled;
    try (GatewayNode node = GatewayNode.open(options)) {
      for (int step = 0; step < 24; step++) {
        clock.addAndGet(23 + (step % 5) * 31); // 23 to 147 s: several per minute, gaps of minutes
        assertThat(node.priceFeed().step()).isTrue();
        int n = 1 + step % 3;
        for (int k = 0; k < n; k++) {
          long price = 996 + (step * 7 + k * 3) % 9;
          long size = 1 + (step + k) % 4;
          makerOrders.add(place(node, 0, Side.SELL, size, price).path("orderId").asLong());
          place(node, 1, Side.BUY, size, price); // takes it whole
          trades++;
        }
      }
      // one order cancelled after a partial fill, one still open
      long partial = place(node, 0, Side.SELL, 5, 1004).path("orderId").asLong();
      makerOrders.add(partial);
      place(node, 1, Side.BUY, 2, 1004);
      trades++;
      CommandOutcome c =
          node.gateway()
              .bridge()
              .submit(new CancelOrder(0, false, partial, START + 1_000_000, new byte[64]))
              .get(10, TimeUnit.SECONDS);
      assertThat(c).isInstanceOf(CommandOutcome.Accepted.class);
      cancelled = partial;
      makerOrders.add(place(node, 0, Side.SELL, 3, 1008).path("orderId").asLong());

      List<JsonNode> allTrades = allTrades(node);
      assertThat(allTrades).hasSize(trades);
      checkCandles(node, allTrades);
      checkOrders(node, makerOrders, cancelled);
      JsonNode refused =
          DemoNodeRpc.call(node, "perp_getOrderHistory", "{\"account\":0}").path("error");
      assertThat(refused.path("code").asInt()).isEqualTo(RpcError.READ_AUTH_REQUIRED.code());
      JsonNode doc = DemoNodeRpc.call(node, "rpc.discover", "{}").path("result");
      JsonNode candleItems =
          schemaOf(doc, "perp_getCandles").path("properties").path("candles").path("items");
      assertThat(candleItems.path("required").toString())
          .contains("open", "high", "low", "close", "volume", "start");
      assertThat(schemaOf(doc, "perp_getOrderHistory").path("properties").has("orders")).isTrue();
      assertThat(schemaOf(doc, "perp_getTrades").path("properties").has("trades")).isTrue();
    }

    String before;
    try (GatewayNode node = GatewayNode.open(options)) {
      List<JsonNode> allTrades = allTrades(node);
      assertThat(allTrades).hasSize(trades);
      checkCandles(node, allTrades);
      checkOrders(node, makerOrders, cancelled);
      before = allTrades.toString();
      // a trade in the same minute as the last one: its candles go on from what RocksDB held
      place(node, 0, Side.SELL, 4, 999);
      place(node, 1, Side.BUY, 4, 999);
      trades++;
      List<JsonNode> after = allTrades(node);
      assertThat(after).hasSize(trades);
      assertThat(after.get(0).path("time").asLong())
          .isEqualTo(allTrades.get(0).path("time").asLong());
      checkCandles(node, after);
    }
    assertThat(before).isNotEmpty();
  }

  private JsonNode place(GatewayNode node, int account, Side side, long size, long price)
      throws Exception {
    JsonNode r = DemoNodeRpc.placeLimit(node, account, MARKET, side, size, price, ++nonce);
    assertThat(r.has("result")).as(r.toString()).isTrue();
    return r.path("result");
  }

  /** Every trade of the market, page by page (7 per page), checked newest first. */
  private static List<JsonNode> allTrades(GatewayNode node) throws Exception {
    List<JsonNode> out =
        DemoNodeRpc.allPages(
            node,
            "perp_getTrades",
            DemoNodeRpc.MAPPER.createObjectNode().put("market", MARKET).put("limit", 7),
            "trades");
    for (int i = 1; i < out.size(); i++) {
      JsonNode newer = out.get(i - 1);
      JsonNode older = out.get(i);
      assertThat(
              newer.path("journalSeq").asLong() > older.path("journalSeq").asLong()
                  || (newer.path("journalSeq").asLong() == older.path("journalSeq").asLong()
                      && newer.path("index").asInt() > older.path("index").asInt()))
          .as("newest first")
          .isTrue();
      assertThat(newer.path("time").asLong()).isGreaterThanOrEqualTo(older.path("time").asLong());
    }
    return out;
  }

  /** A served candle's values after its start, in the order {@link #candle} writes them. */
  private static final List<String> CANDLE_VALUES =
      List.of("open", "high", "low", "close", "volume", "trades");

  /** A candle as {@code start:open/high/low/close/volume/trades}, for comparing lists of them. */
  private static String candle(long start, long[] values) {
    StringJoiner out = new StringJoiner("/", start + ":", "");
    for (long v : values) {
      out.add(Long.toString(v));
    }
    return out.toString();
  }

  /** The candles the node serves equal those built here from the trades, for every interval. */
  private static void checkCandles(GatewayNode node, List<JsonNode> newestFirst) throws Exception {
    Map<String, Long> seconds = Map.of("1m", 60L, "5m", 300L, "1h", 3_600L);
    for (Map.Entry<String, Long> interval : seconds.entrySet()) {
      long len = interval.getValue();
      TreeMap<Long, long[]> expected = new TreeMap<>(); // start → open, high, low, close, vol, n
      for (JsonNode t : newestFirst.reversed()) {
        long start = Math.floorDiv(t.path("time").asLong(), len) * len;
        long price = t.path("price").asLong();
        long size = t.path("size").asLong();
        long[] c = expected.get(start);
        if (c == null) {
          expected.put(start, new long[] {price, price, price, price, size, 1});
        } else {
          c[1] = Math.max(c[1], price);
          c[2] = Math.min(c[2], price);
          c[3] = price;
          c[4] += size;
          c[5]++;
        }
      }
      if (interval.getKey().equals("1m")) {
        assertThat(expected).as("the trades span many minutes").hasSizeGreaterThan(10);
      }
      List<JsonNode> served = allCandles(node, interval.getKey(), 0, Long.MAX_VALUE, 3);
      List<String> want = new ArrayList<>();
      for (Map.Entry<Long, long[]> e : expected.descendingMap().entrySet()) {
        want.add(candle(e.getKey(), e.getValue()));
      }
      List<String> got = new ArrayList<>();
      for (JsonNode c : served) {
        assertThat(c.path("interval").asText()).isEqualTo(interval.getKey());
        got.add(
            candle(
                c.path("start").asLong(),
                CANDLE_VALUES.stream().mapToLong(v -> c.path(v).asLong()).toArray()));
      }
      assertThat(got).as("%s candles", interval.getKey()).isEqualTo(want);
      // a window [from, to]: only the candles starting inside it
      if (expected.size() >= 3) {
        List<Long> starts = new ArrayList<>(expected.keySet());
        long from = starts.get(1);
        long to = starts.get(starts.size() - 2);
        List<JsonNode> window = allCandles(node, interval.getKey(), from, to, 2);
        assertThat(window)
            .extracting(c -> c.path("start").asLong())
            .containsExactlyElementsOf(
                expected.subMap(from, true, to, true).descendingKeySet().stream().toList());
      }
    }
  }

  private static List<JsonNode> allCandles(
      GatewayNode node, String interval, long from, long to, int limit) throws Exception {
    ObjectNode p =
        DemoNodeRpc.MAPPER
            .createObjectNode()
            .put("market", MARKET)
            .put("interval", interval)
            .put("from", from)
            .put("limit", limit);
    if (to != Long.MAX_VALUE) {
      p.put("to", to);
    }
    return DemoNodeRpc.allPages(node, "perp_getCandles", p, "candles");
  }

  /** Account 0's orders: newest placed first, each once, with status and filled size. */
  private void checkOrders(GatewayNode node, List<Long> makerOrders, long cancelled)
      throws Exception {
    ObjectNode p = DemoNodeRpc.MAPPER.createObjectNode().put("account", 0).put("limit", 10);
    p.set(
        "auth",
        TestGrants.auth(
            GatewayNode.demoKey(0), 0, START + TestGrants.VALIDITY, MessageDomain.DEMO));
    List<JsonNode> out = DemoNodeRpc.allPages(node, "perp_getOrderHistory", p, "orders");
    assertThat(out)
        .extracting(o -> o.path("orderId").asLong())
        .containsExactlyElementsOf(makerOrders.reversed());
    JsonNode open = out.get(0);
    assertThat(open.path("status").asText()).isEqualTo("OPEN");
    assertThat(open.path("filled").asLong()).isZero();
    assertThat(open.path("remaining").asLong()).isEqualTo(3);
    JsonNode partial = out.get(1);
    assertThat(partial.path("orderId").asLong()).isEqualTo(cancelled);
    assertThat(partial.path("status").asText()).isEqualTo("CANCELLED");
    assertThat(partial.path("filled").asLong()).isEqualTo(2);
    assertThat(partial.path("remaining").asLong()).isZero();
    for (JsonNode o : out.subList(2, out.size())) {
      assertThat(o.path("status").asText()).isEqualTo("FILLED");
      assertThat(o.path("filled").asLong()).isEqualTo(o.path("size").asLong());
      assertThat(o.path("lastJournalSeq").asLong()).isPositive();
    }
  }

  private static JsonNode schemaOf(JsonNode doc, String method) {
    for (JsonNode m : doc.path("methods")) {
      if (m.path("name").asText().equals(method)) {
        return m.path("result").path("schema");
      }
    }
    throw new AssertionError(method + " is not in the OpenRPC document");
  }
}
