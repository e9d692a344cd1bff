package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Body and message limits over real sockets: an oversized body is answered 413 with a JSON-RPC
 * error whatever its {@code Connection} header; a legal fragmented WebSocket text message is
 * reassembled and answered, and one whose fragments together pass the limit is closed 1009.
 */
class MessageLimitsTest {
  @TempDir Path dir;

  private static final GatewayConfig SMALL = GatewayConfig.defaults(0).withLimits(1024, 100, 64);

  /** Sends one request with {@code Connection: close} and reads everything until the end. */
  private static String postAndReadToEnd(int port, String connection, int bodyBytes)
      throws Exception {
    try (Socket s = new Socket()) {
      s.setSoTimeout(10_000);
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      byte[] body =
          ("{\"pad\":\"" + "y".repeat(bodyBytes) + "\"}").getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.write(
          ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: "
                  + connection
                  + "\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      req.write(body);
      out.write(req.toByteArray()); // headers and the whole body at once
      out.flush();
      // a reset here (instead of the answer, then the end) fails the test
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void oversizedBodyIs413WithAJsonRpcErrorWhateverTheConnectionHeader() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir, SMALL)) {
      for (String connection : new String[] {"close", "keep-alive"}) {
        for (int bytes : new int[] {2_000, 200_000}) {
          String response = postAndReadToEnd(h.gateway.port(), connection, bytes);
          assertThat(response).as(connection + " " + bytes).startsWith("HTTP/1.1 413 ");
          assertThat(response).containsIgnoringCase("connection: close");
          JsonNode e =
              GatewayHarness.MAPPER
                  .readTree(response.substring(response.indexOf("\r\n\r\n") + 4))
                  .path("error");
          assertThat(e.path("code").asInt()).isEqualTo(-32001);
          assertThat(e.path("data").path("error").asText()).isEqualTo("REQUEST_TOO_LARGE");
          assertThat(e.path("message").asText())
              .isEqualTo("the request body is larger than the limit of 1024 bytes");
        }
      }
      assertThat(h.call("perp_getMarkets", null).path("result")).hasSize(2);
    }
  }

  @Test
  void fragmentedWebSocketTextMessageIsReassembled() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir, SMALL)) {
      StreamClient c = StreamClient.connect(h);
      // one legal message in three frames: text (no FIN), continuation, continuation (FIN)
      c.ws.sendText("{\"jsonrpc\":\"2.0\",", false).get(5, TimeUnit.SECONDS);
      c.ws.sendText("\"id\":7,\"method\":", false).get(5, TimeUnit.SECONDS);
      c.ws.sendText("\"perp_getMarkets\"}", true).get(5, TimeUnit.SECONDS);
      JsonNode r = c.next();
      assertThat(r.path("id").asInt()).as(r.toString()).isEqualTo(7);
      assertThat(r.path("result")).hasSize(2);

      // fragments each under the limit, together above it: closed 1009
      c.ws
          .sendText("{\"jsonrpc\":\"2.0\",\"pad\":\"" + "x".repeat(600), false)
          .get(5, TimeUnit.SECONDS);
      c.ws.sendText("x".repeat(600) + "\"}", true).get(5, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (c.closeCode < 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(c.closeCode).isEqualTo(1009);
      // the node still answers others
      assertThat(h.call("perp_getMarkets", null).path("result")).hasSize(2);
    }
  }
}
