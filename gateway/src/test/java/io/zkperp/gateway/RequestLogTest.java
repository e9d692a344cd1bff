package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.JsonRpcProcessor;
import io.zkperp.sequencer.Side;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The request log: one structured event per call, with its request-scoped fields. */
class RequestLogTest {
  @TempDir Path dir;

  @Test
  void everyCallIsLoggedWithItsMethodIdClientAccountAndOutcome() throws Exception {
    Logger requests = (Logger) LoggerFactory.getLogger(JsonRpcProcessor.REQUEST_LOG);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    requests.addAppender(captured);
    Level before = requests.getLevel();
    requests.setLevel(Level.DEBUG);
    try (GatewayHarness h = new GatewayHarness(dir)) {
      ObjectNode offTick = h.order(3, 1, Side.BUY, 10, 1005, 1); // tick size 10: rejected
      assertThat(h.call("perp_placeOrder", offTick).path("error").path("code").asInt())
          .isEqualTo(1201);
      assertThat(h.call("perp_getMarkets", null).has("result")).isTrue();
    } finally {
      requests.setLevel(before);
      requests.detachAppender(captured);
    }
    List<Map<String, Object>> events =
        captured.list.stream().map(RequestLogTest::pairs).collect(Collectors.toList());
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e)
                    .containsEntry("method", "perp_placeOrder")
                    .containsEntry("id", "1")
                    .containsEntry("client", "127.0.0.1")
                    .containsEntry("account", 3)
                    .containsEntry("outcome", "PRICE_NOT_TICK_MULTIPLE")
                    .containsKey("micros"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .containsEntry("method", "perp_getMarkets")
                    .containsEntry("outcome", "ok")
                    .doesNotContainKey("account"));

    // the node's encoder writes the pairs as JSON fields
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    encoder.start();
    ILoggingEvent rejected =
        captured.list.stream()
            .filter(e -> pairs(e).get("method").equals("perp_placeOrder"))
            .findFirst()
            .orElseThrow();
    JsonNode line =
        GatewayHarness.MAPPER.readTree(
            new String(encoder.encode(rejected), StandardCharsets.UTF_8));
    assertThat(line.path("loggerName").asText()).isEqualTo(JsonRpcProcessor.REQUEST_LOG);
    assertThat(line.path("kvpList").toString())
        .contains("\"outcome\":\"PRICE_NOT_TICK_MULTIPLE\"")
        .contains("\"account\":\"3\"");
  }

  private static Map<String, Object> pairs(ILoggingEvent e) {
    return e.getKeyValuePairs() == null
        ? Map.of()
        : e.getKeyValuePairs().stream().collect(Collectors.toMap(k -> k.key, k -> k.value));
  }
}
