package io.zkperp.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client subscribed to a node's channel {@code batches}, keeping every message. */
final class BatchStream implements AutoCloseable {
  private final WebSocket ws;
  private final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final List<JsonNode> seen = new ArrayList<>();

  private BatchStream(int port) throws Exception {
    this.ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/ws"),
                new WebSocket.Listener() {
                  private final StringBuilder text = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      messages.add(NodeItSupport.json(text.toString()));
                      text.setLength(0);
                    }
                    w.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
  }

  /** Connects and subscribes; returns once the subscription id came back. */
  static BatchStream subscribe(int port) throws Exception {
    BatchStream s = new BatchStream(port);
    s.ws
        .sendText(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_subscribe\","
                + "\"params\":{\"channel\":\"batches\"}}",
            true)
        .get(10, TimeUnit.SECONDS);
    JsonNode reply = s.next();
    if (!reply.path("result").isIntegralNumber()) {
      throw new AssertionError("subscribe refused: " + reply);
    }
    return s;
  }

  /** The next message (10 s at most). */
  JsonNode next() throws InterruptedException {
    JsonNode m = messages.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message within 10 s");
    }
    return m;
  }

  /**
   * Every notification up to and including the update that moves {@code batch} to {@code status}
   * (snapshot first), waiting for it (10 s at most per message).
   */
  List<JsonNode> until(long batch, String status) throws InterruptedException {
    for (JsonNode p : seen) {
      if (isUpdate(p, batch, status)) {
        return List.copyOf(seen);
      }
    }
    while (true) {
      JsonNode m = next();
      seen.add(m);
      if (isUpdate(m, batch, status)) {
        return List.copyOf(seen);
      }
    }
  }

  private static boolean isUpdate(JsonNode m, long batch, String status) {
    JsonNode p = m.path("params");
    return p.path("type").asText().equals("update")
        && p.path("batch").asLong() == batch
        && p.path("status").asText().equals(status);
  }

  @Override
  public void close() {
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }
}
