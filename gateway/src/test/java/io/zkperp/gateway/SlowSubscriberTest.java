package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.zkperp.sequencer.Side;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber that never reads is disconnected with 1008 "slow consumer" while the core keeps
 * going: a raw-socket WebSocket client subscribes 100 times to the book of market 1 and 100 times
 * to its trades, so that every order sends it about 100 messages, and never reads. Orders go in
 * over HTTP in bursts of 20 until the gateway's slow-consumer counter says it closed the client;
 * then the test reads what the socket holds: stream messages, then the close frame 1008 "slow
 * consumer", then the end of the connection. Meanwhile a normal client subscribed to the same book
 * and to account 0 receives every message in sequence and rebuilds the book and the account as
 * perp_getOrderBook and perp_getAccount give them; every order is answered, with a median latency
 * under 100 ms and none over 2 s.
 */
class SlowSubscriberTest {
  @TempDir Path dir;

  private static void frame(ByteArrayOutputStream out, byte[] payload) {
    out.write(0x81); // FIN, text
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xFF);
    }
    out.write(0); // mask key 0: payload as is
    out.write(0);
    out.write(0);
    out.write(0);
    out.write(payload, 0, payload.length);
  }

  private static byte[] subscribeBatch(String channel, int first) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"jsonrpc\":\"2.0\",\"id\":")
          .append(first + i)
          .append(",\"method\":\"perp_subscribe\",\"params\":{\"channel\":\"")
          .append(channel)
          .append("\",\"market\":1}}");
    }
    return b.append(']').toString().getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aSubscriberThatNeverReadsIsClosedWith1008AndNothingElseSlowsDown() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir);
        Socket slow = new Socket()) {
      StreamClient good = StreamClient.connect(h);
      long bookSub = good.subscribe("{\"channel\":\"book\",\"market\":1}");
      long accountSub = good.subscribe(h.account(0).put("channel", "account").toString());

      slow.connect(new InetSocketAddress("127.0.0.1", h.gateway.port()));
      OutputStream out = slow.getOutputStream();
      DataInputStream in = new DataInputStream(slow.getInputStream());
      out.write(
          ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        assertThat(b).isNotNegative();
        head.append((char) b);
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101");
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      frame(frames, subscribeBatch("book", 1));
      frame(frames, subscribeBatch("trades", 101));
      out.write(frames.toByteArray());
      out.flush(); // and never read until the gateway says it closed the connection

      FunctionCounter slowCount =
          h.gateway.metrics().find("gateway.stream.slow.consumers").functionCounter();
      assertThat(slowCount).isNotNull();
      Random r = new Random(5);
      List<Long> latencies = new ArrayList<>();
      int orders = 0;
      while (slowCount.count() < 1) {
        assertThat(orders).as("the slow subscriber is closed within 3,000 orders").isLessThan(3000);
        for (int i = 0; i < 20; i++, orders++) {
          int account = r.nextInt(6);
          ObjectNode o =
              h.order(
                  account,
                  1,
                  r.nextBoolean() ? Side.BUY : Side.SELL,
                  10 + 5 * r.nextInt(6),
                  950 + 10 * r.nextInt(10),
                  1 + orders);
          h.resign(o.put("clientOrderId", orders));
          long t0 = System.nanoTime();
          JsonNode res = h.call("perp_placeOrder", o);
          latencies.add((System.nanoTime() - t0) / 1_000_000);
          assertThat(res.has("result")).as(res.toString()).isTrue();
        }
      }

      // the socket holds stream messages, then the close frame, then the end
      slow.setSoTimeout(20_000);
      int messages = 0;
      int closeCode = -1;
      String closeReason = null;
      while (true) {
        int b0 = in.read();
        assertThat(b0).as("a close frame before the end of the connection").isNotNegative();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7F;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        if ((b0 & 0x0F) == 0x8) {
          closeCode = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
          closeReason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
          break;
        }
        messages++;
      }
      assertThat(closeCode).isEqualTo(1008);
      assertThat(closeReason).isEqualTo("slow consumer");
      assertThat(in.read()).as("connection closed after the close frame").isEqualTo(-1);
      assertThat(messages).isGreaterThan(100);
      System.out.printf(
          "slow subscriber closed after %d orders; %d stream messages reached it%n",
          orders, messages);

      // the core was never slowed: every order answered, fast
      Collections.sort(latencies);
      assertThat(latencies.get(latencies.size() / 2)).as("median ms").isLessThan(100);
      assertThat(latencies.get(latencies.size() - 1)).as("max ms").isLessThan(2000);

      // the normal subscriber got every message in sequence
      JsonNode book = h.call("perp_getOrderBook", bookParams(h)).path("result");
      JsonNode account = h.call("perp_getAccount", h.account(0)).path("result");
      java.util.TreeMap<Long, long[]> bids = new java.util.TreeMap<>(Collections.reverseOrder());
      java.util.TreeMap<Long, long[]> asks = new java.util.TreeMap<>();
      long bookSeq = -1;
      long accountSeq = -1;
      while (bookSeq < book.path("sequence").asLong()
          || accountSeq < account.path("sequence").asLong()) {
        JsonNode p = good.next().path("params");
        long seq = p.path("sequence").asLong();
        if (p.path("subscription").asLong() == bookSub) {
          if (p.path("type").asText().equals("snapshot")) {
            load(bids, p.path("bids"));
            load(asks, p.path("asks"));
          } else {
            assertThat(seq).as("book: no gap").isEqualTo(bookSeq + 1);
            for (JsonNode c : p.path("changes")) {
              java.util.TreeMap<Long, long[]> side =
                  c.path("side").asText().equals("BUY") ? bids : asks;
              if (c.path("size").asLong() == 0) {
                side.remove(c.path("price").asLong());
              } else {
                side.put(
                    c.path("price").asLong(),
                    new long[] {c.path("size").asLong(), c.path("orders").asLong()});
              }
            }
          }
          bookSeq = seq;
        } else {
          assertThat(p.path("subscription").asLong()).isEqualTo(accountSub);
          if (!p.path("type").asText().equals("snapshot")) {
            assertThat(seq).as("account: no gap").isEqualTo(accountSeq + 1);
          }
          accountSeq = seq;
        }
      }
      assertThat(bookSeq).isEqualTo(book.path("sequence").asLong());
      assertThat(levels(bids)).isEqualTo(book.path("bids").toString());
      assertThat(levels(asks)).isEqualTo(book.path("asks").toString());
      assertThat(accountSeq).isEqualTo(account.path("sequence").asLong()).isPositive();
      assertThat(good.closeCode).as("the normal subscriber is still connected").isEqualTo(-1);
    }
  }

  private static ObjectNode bookParams(GatewayHarness h) {
    ObjectNode p = h.mapperObject("market", 1);
    p.put("depth", 1000);
    return p;
  }

  private static void load(java.util.TreeMap<Long, long[]> side, JsonNode levels) {
    for (JsonNode l : levels) {
      side.put(
          l.path("price").asLong(),
          new long[] {l.path("size").asLong(), l.path("orders").asLong()});
    }
  }

  private static String levels(java.util.TreeMap<Long, long[]> side) {
    com.fasterxml.jackson.databind.node.ArrayNode a = GatewayHarness.MAPPER.createArrayNode();
    side.forEach(
        (price, v) -> a.addObject().put("price", price).put("size", v[0]).put("orders", v[1]));
    return a.toString();
  }
}
