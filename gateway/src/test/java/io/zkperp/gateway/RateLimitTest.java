package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.RateLimiter;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.Recovery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits per client IP and per account, over real sockets. */
class RateLimitTest {
  @TempDir Path dir;

  private static int code(JsonNode response) {
    return response.path("error").path("code").asInt();
  }

  @Test
  void perIpLimitCountsCallsAndBatchElements() throws Exception {
    GatewayConfig config = GatewayConfig.defaults(0).withRateLimits(0.2, 5, 200, 400);
    try (GatewayHarness h = new GatewayHarness(dir, config)) {
      for (int i = 0; i < 3; i++) {
        assertThat(h.call("perp_getMarkets", null).has("result")).isTrue();
      }
      // a batch of 3 needs 3 tokens; 2 are left
      String batch =
          "["
              + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getMarkets\"},".repeat(2)
              + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getMarkets\"}]";
      JsonNode limited = GatewayHarness.MAPPER.readTree(h.post(batch).body());
      assertThat(code(limited)).isEqualTo(-32006);
      assertThat(limited.path("error").path("message").asText())
          .isEqualTo(
              "client 127.0.0.1 is over its limit of 0.2 per second, burst 5 calls; retry later");
      assertThat(h.call("perp_getMarkets", null).has("result")).isTrue();
      assertThat(code(h.call("perp_getMarkets", null))).isEqualTo(-32006);
    }
  }

  @Test
  void perAccountLimitIsChargedForOrdersAndForAuthenticCancelsOnly() throws Exception {
    GatewayConfig config = GatewayConfig.defaults(0).withRateLimits(2000, 4000, 0.2, 2);
    GatewayHarness h = new GatewayHarness(dir, config);
    try {
      assertThat(h.call("perp_placeOrder", h.order(0, 2, Side.BUY, 1, 10, 1)).has("result"))
          .isTrue();
      // cancels with a wrong signature for account 0 do not spend its budget
      for (int i = 0; i < 5; i++) {
        ObjectNode cancel = GatewayHarness.MAPPER.createObjectNode();
        cancel.put("account", 0);
        cancel.put("orderId", 1);
        cancel.put("validUntil", GatewayHarness.CLOCK + 10);
        cancel.put("signature", h.signCancelOrder(1, false, 1, GatewayHarness.CLOCK + 10));
        assertThat(code(h.call("perp_cancelOrder", cancel))).isEqualTo(1001);
      }
      ObjectNode second = h.order(0, 2, Side.BUY, 1, 11, 2);
      h.resign(second.put("clientOrderId", 2));
      assertThat(h.call("perp_placeOrder", second).has("result")).isTrue();
      ObjectNode third = h.order(0, 2, Side.BUY, 1, 12, 3);
      h.resign(third.put("clientOrderId", 3));
      JsonNode limited = h.call("perp_placeOrder", third);
      assertThat(code(limited)).isEqualTo(-32006);
      assertThat(limited.path("error").path("message").asText())
          .isEqualTo(
              "account 0 is over its limit of 0.2 per second, burst 2 commands; retry later");
      // another account is not affected
      assertThat(h.call("perp_placeOrder", h.order(1, 2, Side.BUY, 1, 10, 1)).has("result"))
          .isTrue();
    } finally {
      h.close();
    }
    List<Command> journaled = new ArrayList<>();
    JournalReader.read(dir.resolve(Recovery.JOURNAL_FILE), (seq, c) -> journaled.add(c));
    assertThat(journaled).hasSize(2 + 3); // markets + the three orders that were not limited
  }

  @Test
  void bucketsRefillAtTheConfiguredRate() {
    AtomicLong now = new AtomicLong();
    RateLimiter<String> limiter = new RateLimiter<>(2, 3, 10, now::get);
    assertThat(limiter.tryAcquire("a", 3)).isTrue();
    assertThat(limiter.tryAcquire("a", 1)).isFalse();
    assertThat(limiter.tryAcquire("b", 1)).isTrue();
    now.addAndGet(499_000_000L); // 0.998 tokens
    assertThat(limiter.tryAcquire("a", 1)).isFalse();
    now.addAndGet(1_000_000L); // 1 token
    assertThat(limiter.tryAcquire("a", 1)).isTrue();
    now.addAndGet(10_000_000_000L); // capped at the burst
    assertThat(limiter.tryAcquire("a", 4)).isFalse();
    assertThat(limiter.tryAcquire("a", 3)).isTrue();
  }
}
