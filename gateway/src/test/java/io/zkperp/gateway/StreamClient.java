package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/** A WebSocket client (java.net.http) that queues every text message it receives. */
final class StreamClient implements WebSocket.Listener {
  final BlockingDeque<JsonNode> messages = new LinkedBlockingDeque<>();
  private final StringBuilder partial = new StringBuilder();
  volatile int closeCode = -1;
  WebSocket ws;
  private int nextId = 1000;

  static StreamClient connect(GatewayHarness h) throws Exception {
    StreamClient c = new StreamClient();
    c.ws =
        h.http
            .newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + h.gateway.port() + "/ws"), c)
            .get(10, TimeUnit.SECONDS);
    return c;
  }

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

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeCode = statusCode;
    return null;
  }

  JsonNode next() throws InterruptedException {
    JsonNode m = messages.poll(20, TimeUnit.SECONDS);
    assertThat(m).as("a message within 20 s").isNotNull();
    return m;
  }

  /**
   * Sends perp_subscribe with these params (JSON object text), expects the next message to be its
   * error answer, and returns the error code.
   */
  int subscribeError(String params) throws Exception {
    ws.sendText(
            "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"perp_subscribe\",\"params\":"
                + params
                + "}",
            true)
        .get();
    JsonNode r = next();
    assertThat(r.path("id").asInt()).as(r.toString()).isEqualTo(99);
    assertThat(r.has("result")).as(r.toString()).isFalse();
    return r.path("error").path("code").asInt();
  }

  /** Sends perp_subscribe with these params (JSON object text) and returns the subscription id. */
  long subscribe(String params) throws Exception {
    int id = nextId++;
    ws.sendText(
            "{\"jsonrpc\":\"2.0\",\"id\":"
                + id
                + ",\"method\":\"perp_subscribe\",\"params\":"
                + params
                + "}",
            true)
        .get();
    java.util.ArrayDeque<JsonNode> other = new java.util.ArrayDeque<>();
    JsonNode result = next();
    while (!result.has("id")) {
      other.addFirst(result); // a stream message of an earlier subscription: keep its place
      result = next();
    }
    for (JsonNode m : other) {
      messages.addFirst(m);
    }
    assertThat(result.path("id").asInt()).as(result.toString()).isEqualTo(id);
    assertThat(result.has("result")).as(result.toString()).isTrue();
    return result.path("result").asLong();
  }
}
