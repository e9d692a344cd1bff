package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.methods.DiscoverMethod;
import io.zkperp.gateway.stream.SettlementFeed;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channel {@code batches} of {@code perp_subscribe} over a real WebSocket: a snapshot of the
 * batches published before, then every published change in order with sequence + 1; a market is
 * refused; unsubscribing ends the stream; the OpenRPC document carries its notification schema.
 */
class SettlementStreamTest {
  @TempDir Path dir;

  static ObjectNode batch(long n, String status) {
    ObjectNode o =
        JsonNodeFactory.instance
            .objectNode()
            .put("batch", n)
            .put("status", status)
            .put("firstJournalSeq", n)
            .put("lastJournalSeq", n)
            .put("transactions", 1)
            .put("priorityOps", 0);
    if (status.equals("COMMITTED")) {
      o.put("l1TxHash", "0x" + "ab".repeat(32)).put("l1Block", 40 + n);
    }
    return o;
  }

  @Test
  void snapshotThenEveryStatusChangeInOrder() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir)) {
      SettlementFeed feed = h.gateway.settlementFeed();
      feed.publish(1, batch(1, "SEALED"));
      feed.publish(1, batch(1, "PROVING"));
      StreamClient c = StreamClient.connect(h);
      long sub = c.subscribe("{\"channel\":\"batches\"}");
      JsonNode snap = c.next().path("params");
      assertThat(snap.path("subscription").asLong()).isEqualTo(sub);
      assertThat(snap.path("channel").asText()).isEqualTo("batches");
      assertThat(snap.path("type").asText()).isEqualTo("snapshot");
      assertThat(snap.path("sequence").asLong()).isEqualTo(2);
      assertThat(snap.path("batches")).hasSize(1);
      assertThat(snap.path("batches").get(0).toString()).isEqualTo(batch(1, "PROVING").toString());

      String[] states = {"PROVEN", "COMMITTED", "FINAL"};
      for (String s : states) {
        feed.publish(1, batch(1, s));
        feed.publish(2, batch(2, s.equals("PROVEN") ? "SEALED" : "PROVING"));
      }
      long seq = 2;
      for (String s : states) {
        JsonNode p = c.next().path("params");
        assertThat(p.path("type").asText()).isEqualTo("update");
        assertThat(p.path("sequence").asLong()).isEqualTo(++seq);
        assertThat(p.path("batch").asLong()).isEqualTo(1);
        assertThat(p.path("status").asText()).isEqualTo(s);
        if (s.equals("COMMITTED")) {
          assertThat(p.path("l1Block").asLong()).isEqualTo(41);
        }
        JsonNode q = c.next().path("params");
        assertThat(q.path("sequence").asLong()).isEqualTo(++seq);
        assertThat(q.path("batch").asLong()).isEqualTo(2);
      }

      // a market is not a parameter of this channel
      c.ws
          .sendText(
              "{\"jsonrpc\":\"2.0\",\"id\":70,\"method\":\"perp_subscribe\","
                  + "\"params\":{\"channel\":\"batches\",\"market\":1}}",
              true)
          .get();
      assertThat(c.next().path("error").path("code").asInt()).isEqualTo(-32602);
      // unsubscribed: nothing more arrives
      c.ws
          .sendText(
              "{\"jsonrpc\":\"2.0\",\"id\":71,\"method\":\"perp_unsubscribe\","
                  + "\"params\":{\"subscription\":"
                  + sub
                  + "}}",
              true)
          .get();
      assertThat(c.next().path("result").asBoolean()).isTrue();
      feed.publish(3, batch(3, "SEALED"));
      assertThat(c.messages.poll(300, TimeUnit.MILLISECONDS)).as("nothing after").isNull();
    }
  }

  @Test
  void theOpenRpcDocumentDescribesTheNotification() {
    JsonNode subscribe = null;
    for (JsonNode m : DiscoverMethod.document().path("methods")) {
      if (m.path("name").asText().equals("perp_subscribe")) {
        subscribe = m;
      }
    }
    assertThat(subscribe).isNotNull();
    assertThat(subscribe.path("result").path("schema").path("type").asText()).isEqualTo("integer");
    assertThat(subscribe.path("params").get(0).path("schema").path("enum").toString())
        .contains("\"batches\"");
    JsonNode n = subscribe.path("x-notifications").get(0);
    assertThat(n.path("channel").asText()).isEqualTo("batches");
    JsonNode props = n.path("params").path("properties");
    assertThat(props.path("status").path("enum").toString())
        .isEqualTo("[\"SEALED\",\"PROVING\",\"PROVEN\",\"COMMITTED\",\"FINAL\",\"FAILED\"]");
    assertThat(props.path("batches").path("items").path("required").toString())
        .contains("\"batch\"", "\"status\"");
    assertThat(props.path("l1Block").path("type").asText()).isEqualTo("integer");
  }
}
