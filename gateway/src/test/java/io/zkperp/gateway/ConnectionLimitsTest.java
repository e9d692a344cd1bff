package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection limits against the cheap attacks of issue 19, each bounded in count and time on
 * loopback, each showing that another client is still served: silent and idle connections, slow
 * request senders, too many connections in all and from one address, a client that pipelines
 * requests and never reads the replies, and too many subscriptions on one WebSocket.
 */
class ConnectionLimitsTest {
  @TempDir Path dir;

  private static final String DISCOVER =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rpc.discover\"}";

  private static Socket connect(int port, String from) throws IOException {
    Socket s = new Socket();
    s.setSoTimeout(10_000);
    if (from != null) {
      s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return s;
  }

  private static byte[] post(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + b.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(b);
    return out.toByteArray();
  }

  /** One HTTP response: status and body. */
  private record Response(int status, String body) {}

  private static Response read(InputStream in) throws IOException {
    String status = line(in);
    int length = 0;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(h.substring(15).trim());
      }
    }
    return new Response(
        Integer.parseInt(status.split(" ")[1]),
        new String(in.readNBytes(length), StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the connection ended");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  private static JsonNode error(Response r) throws IOException {
    return GatewayHarness.MAPPER.readTree(r.body()).path("error");
  }

  /** Whether the server closed the socket within the time (reads until the end). */
  private static boolean closedWithin(Socket s, long millis) throws IOException {
    s.setSoTimeout((int) millis);
    try {
      while (s.getInputStream().read() >= 0) {
        // whatever the server sent before closing
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /**
   * Another client, on a new connection of its own (not a pooled one the node may just have closed
   * as idle), is answered within 2 s.
   */
  private static void assertServed(GatewayHarness h) throws Exception {
    long start = System.nanoTime();
    try (Socket s = connect(h.gateway.port(), null)) {
      s.getOutputStream()
          .write(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getMarkets\"}"));
      Response r = read(s.getInputStream());
      assertThat(r.status()).isEqualTo(200);
      assertThat(GatewayHarness.MAPPER.readTree(r.body()).path("result")).hasSize(2);
    }
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));
  }

  private static double openConnections(GatewayHarness h) {
    return h.gateway.metrics().get("gateway.connections.open").gauge().value();
  }

  /** Waits up to 5 s for the node's open connections to satisfy {@code done}. */
  private static void awaitOpenConnections(GatewayHarness h, DoublePredicate done)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!done.test(openConnections(h)) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  /** Connections a test holds open; closed together when it ends. */
  private static final class HeldSockets implements AutoCloseable {
    final List<Socket> sockets = new ArrayList<>();

    void add(Socket s) {
      sockets.add(s);
    }

    int size() {
      return sockets.size();
    }

    @Override
    public void close() throws IOException {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void theTotalCapIsAnsweredWithATypedErrorAndFreedSlotsServeAgain() throws Exception {
    GatewayConfig config =
        GatewayConfig.builder().maxConnections(30).maxConnectionsPerIp(30).build();
    try (GatewayHarness h = new GatewayHarness(dir, config)) {
      try (HeldSockets idle = new HeldSockets()) {
        // silent connections until the node holds 30 (the harness's client may hold one)
        for (int i = 0; i < 30 && openConnections(h) < 30; i++) {
          idle.add(connect(h.gateway.port(), null));
          int held = idle.size();
          awaitOpenConnections(h, open -> open >= held);
        }
        assertThat(openConnections(h)).isEqualTo(30);
        // a bounded flood of 20 more: each answered 503 with a JSON-RPC error, none left hanging
        for (int i = 0; i < 20; i++) {
          try (Socket extra = connect(h.gateway.port(), null)) {
            extra.getOutputStream().write(post(DISCOVER)); // what it sends is discarded
            Response r = read(extra.getInputStream());
            assertThat(r.status()).isEqualTo(503);
            assertThat(error(r).path("code").asInt()).isEqualTo(-32010);
            assertThat(error(r).path("data").path("error").asText())
                .isEqualTo("TOO_MANY_CONNECTIONS");
            assertThat(error(r).path("message").asText())
                .isEqualTo("the node has 30 open connections, its limit; retry later");
            assertThat(closedWithin(extra, 3_000)).isTrue();
          }
        }
        assertThat(openConnections(h)).isEqualTo(30);
      }
      // the closed connections free their slots
      awaitOpenConnections(h, open -> open <= 1);
      assertServed(h);
    }
  }

  @Test
  void silentSlowAndIdleConnectionsAreClosedAndTheNodeStaysReachable() throws Exception {
    GatewayConfig config =
        GatewayConfig.builder().requestTimeoutMillis(1_500).idleTimeoutMillis(3_000).build();
    try (GatewayHarness h = new GatewayHarness(dir, config)) {
      try (HeldSockets silent = new HeldSockets();
          HeldSockets slow = new HeldSockets()) {
        // 20 connections that send nothing, 10 that send half a request head (slowloris)
        for (int i = 0; i < 20; i++) {
          silent.add(connect(h.gateway.port(), null));
        }
        for (int i = 0; i < 10; i++) {
          Socket s = connect(h.gateway.port(), null);
          s.getOutputStream()
              .write("POST / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
          slow.add(s);
        }
        assertServed(h);
        // the slow senders get 408 REQUEST_TIMEOUT, the silent ones are closed
        for (Socket s : slow.sockets) {
          Response r = read(s.getInputStream());
          assertThat(r.status()).isEqualTo(408);
          assertThat(error(r).path("code").asInt()).isEqualTo(-32009);
          assertThat(error(r).path("data").path("error").asText()).isEqualTo("REQUEST_TIMEOUT");
          assertThat(closedWithin(s, 3_000)).isTrue();
        }
        for (Socket s : silent.sockets) {
          assertThat(closedWithin(s, 5_000)).isTrue();
        }
      }
      assertServed(h);

      // a kept-alive connection that goes quiet after its answer is closed after the idle time
      try (Socket s = connect(h.gateway.port(), null)) {
        s.getOutputStream()
            .write(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getMarkets\"}"));
        assertThat(read(s.getInputStream()).status()).isEqualTo(200);
        long quiet = System.nanoTime();
        assertThat(closedWithin(s, 10_000)).isTrue();
        assertThat(System.nanoTime() - quiet).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(2_000));
      }
      assertServed(h);
    }
  }

  @Test
  void quietWebSocketsArePingedAndOnlyDeadOnesAreClosed() throws Exception {
    GatewayConfig config = GatewayConfig.builder().idleTimeoutMillis(1_000).build();
    try (GatewayHarness h = new GatewayHarness(dir, config);
        Socket dead = connect(h.gateway.port(), null)) {
      // a live client (the JDK's answers pings) on a quiet connection stays open
      StreamClient live = StreamClient.connect(h);
      // a client that completed the handshake and then answers nothing
      dead.getOutputStream()
          .write(
              ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection:"
                      + " Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = dead.getInputStream();
      assertThat(line(in)).startsWith("HTTP/1.1 101");
      while (!line(in).isEmpty()) {
        // the handshake's headers
      }
      long start = System.nanoTime();
      assertThat(in.read()).as("a ping after the idle time").isEqualTo(0x89);
      assertThat(in.read()).isZero(); // no payload
      assertThat(in.read()).as("then a close frame").isEqualTo(0x88);
      byte[] close = in.readNBytes(in.read());
      assertThat(((close[0] & 0xFF) << 8) | (close[1] & 0xFF)).isEqualTo(1001);
      assertThat(new String(close, 2, close.length - 2, StandardCharsets.UTF_8))
          .isEqualTo("idle timeout");
      assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1_500));
      assertThat(closedWithin(dead, 3_000)).isTrue();
      // three idle periods on, the live client is still connected and answered
      Thread.sleep(1_500);
      assertThat(live.closeCode).isEqualTo(-1);
      live.ws
          .sendText("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"perp_getMarkets\"}", true)
          .get(5, TimeUnit.SECONDS);
      assertThat(live.next().path("result")).hasSize(2);
      live.ws.abort();
      assertServed(h);
    }
  }

  @Test
  void theCapPerAddressLeavesOtherAddressesServed() throws Exception {
    GatewayConfig config =
        GatewayConfig.builder().maxConnections(100).maxConnectionsPerIp(5).build();
    try (GatewayHarness h = new GatewayHarness(dir, config)) {
      try (HeldSockets held = new HeldSockets()) {
        for (int i = 0; i < 5; i++) {
          held.add(connect(h.gateway.port(), "127.0.0.2"));
        }
        awaitOpenConnections(h, open -> open >= 5);
        for (int i = 0; i < 20; i++) { // a bounded flood from the same address: each refused
          try (Socket extra = connect(h.gateway.port(), "127.0.0.2")) {
            Response r = read(extra.getInputStream());
            assertThat(r.status()).isEqualTo(503);
            assertThat(error(r).path("message").asText())
                .isEqualTo(
                    "your address has 5 open connections, the limit per address; close idle ones"
                        + " or reuse them");
          }
        }
        assertServed(h); // from 127.0.0.1
        // the held connections still work
        Socket first = held.sockets.get(0);
        first.getOutputStream().write(post(DISCOVER));
        assertThat(read(first.getInputStream()).status()).isEqualTo(200);
      }
      assertThat(h.gateway.metrics().get("gateway.connections.refused").functionCounter().count())
          .isEqualTo(20);
    }
  }

  @Test
  void aClientThatPipelinesAndNeverReadsIsNotReadAndHoldsBoundedMemory() throws Exception {
    int requests = 2_000;
    GatewayConfig config =
        GatewayConfig.builder()
            .ipRatePerSecond(1e9)
            .ipBurst(1_000_000_000)
            .maxPipelinedRequests(16)
            .writeBufferLowBytes(64 * 1024)
            .writeBufferHighBytes(256 * 1024)
            .build();
    try (GatewayHarness h = new GatewayHarness(dir, config)) {
      int answerBytes = h.post(DISCOVER).body().length();
      assertThat(answerBytes).isGreaterThan(10_000); // ~ 60 MB of replies for the whole pipeline
      try (Socket greedy = new Socket()) {
        greedy.setReceiveBufferSize(16 * 1024);
        greedy.setSoTimeout(20_000);
        greedy.connect(new InetSocketAddress("127.0.0.1", h.gateway.port()), 5_000);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < requests; i++) {
          all.writeBytes(post(DISCOVER));
        }
        OutputStream out = greedy.getOutputStream();
        Thread writer =
            new Thread(
                () -> {
                  try {
                    out.write(all.toByteArray());
                    out.flush();
                  } catch (IOException e) {
                    // the test fails on the answers below
                  }
                },
                "greedy-writer");
        writer.start();
        // for 3 s it reads nothing: the node's unsent replies stay bounded, others are served
        double peak = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int served = 0;
        while (System.nanoTime() < end) {
          peak =
              Math.max(
                  peak,
                  h.gateway.metrics().get("gateway.connections.unsent.bytes").gauge().value());
          if (served < 10) {
            assertServed(h);
            served++;
          }
          Thread.sleep(5);
        }
        long bound = 256 * 1024 + 16L * answerBytes + 64 * 1024;
        assertThat(peak).isPositive().isLessThan(bound);
        assertThat(h.gateway.metrics().get("gateway.connections.read.paused").counter().count())
            .isPositive();
        assertThat(h.get("/metrics").body())
            .contains(
                "gateway_connections_unsent_bytes ",
                "gateway_connections_read_paused_total ",
                "gateway_connections_open ",
                "gateway_connections_refused_total ");
        // nothing was dropped: once it reads, every request is answered, in order
        InputStream in = new BufferedInputStream(greedy.getInputStream(), 1 << 16);
        for (int i = 0; i < requests; i++) {
          Response r = read(in);
          assertThat(r.status()).as("answer %d", i).isEqualTo(200);
          assertThat(r.body().length()).isEqualTo(answerBytes);
        }
        writer.join(10_000);
      }
      assertServed(h);
    }
  }

  @Test
  void subscriptionsPerConnectionAreCapped() throws Exception {
    GatewayConfig config = GatewayConfig.builder().maxSubscriptionsPerConnection(5).build();
    try (GatewayHarness h = new GatewayHarness(dir, config)) {
      StreamClient c = StreamClient.connect(h);
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(c.subscribe("{\"channel\":\"markets\"}"));
      }
      // a bounded flood of 200 more on the same connection: every one refused, typed
      for (int i = 0; i < 200; i++) {
        c.ws
            .sendText(
                "{\"jsonrpc\":\"2.0\",\"id\":"
                    + (5000 + i)
                    + ",\"method\":\"perp_subscribe\",\"params\":{\"channel\":\"markets\"}}",
                true)
            .get(5, TimeUnit.SECONDS);
      }
      int refused = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (refused < 200 && System.nanoTime() < deadline) {
        JsonNode m = c.next();
        if (m.has("id") && m.path("id").asInt() >= 5000) {
          assertThat(m.path("error").path("code").asInt()).as(m.toString()).isEqualTo(-32011);
          assertThat(m.path("error").path("data").path("error").asText())
              .isEqualTo("TOO_MANY_SUBSCRIPTIONS");
          refused++;
        }
      }
      assertThat(refused).isEqualTo(200);
      // unsubscribing frees a slot
      c.ws
          .sendText(
              "{\"jsonrpc\":\"2.0\",\"id\":9999,\"method\":\"perp_unsubscribe\",\"params\":"
                  + "{\"subscription\":"
                  + ids.get(0)
                  + "}}",
              true)
          .get(5, TimeUnit.SECONDS);
      JsonNode m = c.next();
      while (!m.has("id")) {
        m = c.next();
      }
      assertThat(m.path("result").asBoolean()).as(m.toString()).isTrue();
      c.subscribe("{\"channel\":\"markets\"}");
      // another connection has its own allowance
      StreamClient other = StreamClient.connect(h);
      other.subscribe("{\"channel\":\"markets\"}");
      c.ws.abort();
      other.ws.abort();
      assertServed(h);
      // the OpenRPC document names the new errors
      JsonNode subscribe = h.discoveredMethod("perp_subscribe");
      assertThat(subscribe).isNotNull();
      assertThat(subscribe.path("errors").findValuesAsText("code")).contains("-32011");
      JsonNode doc = h.call("rpc.discover", null).path("result");
      assertThat(doc.path("info").path("description").asText())
          .contains("408 REQUEST_TIMEOUT (-32009", "503 TOO_MANY_CONNECTIONS (-32010");
    }
  }
}
