package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.sequencer.Side;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON-RPC over a real WebSocket on the gateway's port. */
class WebSocketRpcTest {
  @TempDir Path dir;

  /** Collects text messages and close events. */
  private static final class Client implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final StringBuilder partial = new StringBuilder();
    volatile int closeCode = -1;
    volatile String closeReason;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closeCode = statusCode;
      closeReason = reason;
      messages.add("closed");
      return null;
    }

    JsonNode next() throws Exception {
      String m = messages.poll(20, TimeUnit.SECONDS);
      assertThat(m).as("a message within 20 s").isNotNull();
      return GatewayHarness.MAPPER.readTree(m);
    }
  }

  @Test
  void requestsBatchesErrorsAndSignedOrdersOverWebSocket() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir)) {
      Client c = new Client();
      WebSocket ws =
          h.http
              .newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + h.gateway.port() + "/ws"), c)
              .get(10, TimeUnit.SECONDS);
      ws.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getMarkets\"}", true).get();
      JsonNode markets = c.next();
      assertThat(markets.path("id").asInt()).isEqualTo(1);
      assertThat(markets.path("result")).hasSize(2);

      ws.sendText("{\"jsonrpc\":\"2.0\",\"id\":2,", true).get();
      assertThat(c.next().path("error").path("code").asInt()).isEqualTo(-32700);

      String order = h.order(0, 1, Side.SELL, 20, 1000, 1).toString();
      ws.sendText(
              "[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"perp_placeOrder\",\"params\":"
                  + order
                  + "},{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"perp_nope\"}]",
              true)
          .get();
      JsonNode batch = c.next();
      assertThat(batch).hasSize(2);
      assertThat(batch.get(0).path("result").path("status").asText()).isEqualTo("OPEN");
      assertThat(batch.get(1).path("error").path("code").asInt()).isEqualTo(-32601);

      // the order placed over WebSocket is visible over HTTP
      JsonNode book = h.call("perp_getOrderBook", h.mapperObject("market", 1));
      assertThat(book.path("result").path("asks").get(0).path("size").asLong()).isEqualTo(20);

      // a binary frame closes the connection with 1003
      ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get();
      assertThat(c.messages.poll(20, TimeUnit.SECONDS)).isEqualTo("closed");
      assertThat(c.closeCode).isEqualTo(1003);
    }
  }

  @Test
  void oversizedFrameClosesWith1009() throws Exception {
    GatewayConfig small = GatewayConfig.defaults(0).withLimits(1024, 100, 64);
    try (GatewayHarness h = new GatewayHarness(dir, small)) {
      Client c = new Client();
      WebSocket ws =
          h.http
              .newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + h.gateway.port() + "/ws"), c)
              .get(10, TimeUnit.SECONDS);
      ws.sendText("{\"pad\":\"" + "z".repeat(5000) + "\"}", true);
      assertThat(c.messages.poll(20, TimeUnit.SECONDS)).isEqualTo("closed");
      assertThat(c.closeCode).isEqualTo(1009);
    }
  }

  @Test
  void aClientThatDoesNotReadIsDisconnectedAndOthersAreServed() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir);
        java.net.Socket socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", h.gateway.port()));
      java.io.OutputStream out = socket.getOutputStream();
      java.io.InputStream in = socket.getInputStream();
      out.write(
          ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        assertThat(b).isNotNegative();
        head.append((char) b);
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101");
      byte[] request =
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rpc.discover\"}"
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      int requests = 4000;
      java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < requests; i++) {
        frames.write(0x81); // FIN, text
        frames.write(0x80 | request.length); // masked, length < 126
        frames.write(new byte[4]); // mask key 0: payload as is
        frames.write(request);
      }
      out.write(frames.toByteArray()); // and never read while the answers pile up
      out.flush();
      long responseBytes = DiscoverDocumentSize.bytes();
      Thread.sleep(3000);
      // meanwhile, another client is served
      assertThat(h.call("perp_getMarkets", null).path("result")).hasSize(2);
      // the slow client was disconnected long before it got its answers
      socket.setSoTimeout(20_000);
      long read = 0;
      byte[] buf = new byte[65536];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          read += n;
        }
      } catch (java.net.SocketException reset) {
        // connection reset: disconnected too
      }
      assertThat(read).isLessThan(requests * responseBytes / 2);
    }
  }

  /** The size of one rpc.discover answer. */
  private static final class DiscoverDocumentSize {
    static long bytes() {
      return io.zkperp.gateway.methods.DiscoverMethod.document().toString().length();
    }
  }
}
