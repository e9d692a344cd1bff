package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.message.CancelAllMessage;
import io.zkperp.protocol.message.CancelOrderMessage;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.CancelAll;
import io.zkperp.sequencer.command.CancelOrder;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.Recovery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A signed cancel works once: replays inside its window and across a restart are refused. */
class CancelReplayTest {
  @TempDir Path dir;

  private static int code(JsonNode response) {
    return response.path("error").path("code").asInt();
  }

  private static ObjectNode cancelByClientId(GatewayHarness h, int clientOrderId, long until) {
    ObjectNode c = GatewayHarness.MAPPER.createObjectNode();
    c.put("account", 0);
    c.put("clientOrderId", clientOrderId);
    c.put("validUntil", until);
    c.put("signature", h.signCancelOrder(0, true, clientOrderId, until));
    return c;
  }

  private static ObjectNode order(GatewayHarness h, long price, long nonce, int clientOrderId) {
    ObjectNode o = h.order(0, 2, Side.BUY, 1, price, nonce);
    o.put("clientOrderId", clientOrderId);
    o.put("signature", h.signOrder(o)); // the client order id is signed too
    return o;
  }

  @Test
  void aReplayedCancelCannotHitANewerOrderWithTheSameClientOrderId() throws Exception {
    long until = GatewayHarness.CLOCK + 200;
    List<Long> openAfter = new ArrayList<>();
    try (GatewayHarness h = new GatewayHarness(dir)) {
      long first =
          h.call("perp_placeOrder", order(h, 10, 1, 7)).path("result").path("orderId").asLong();
      JsonNode cancelled = h.call("perp_cancelOrder", cancelByClientId(h, 7, until));
      assertThat(cancelled.path("result").path("cancelled").get(0).asLong()).isEqualTo(first);
      // the trader reuses client order id 7 for a new order inside the cancel's window
      long second =
          h.call("perp_placeOrder", order(h, 11, 2, 7)).path("result").path("orderId").asLong();
      JsonNode replay = h.call("perp_cancelOrder", cancelByClientId(h, 7, until));
      assertThat(code(replay)).isEqualTo(5002);
      assertThat(replay.path("error").path("data").path("error").asText())
          .isEqualTo("CANCEL_REPLAYED");
      // a replayed cancel-all is refused too
      ObjectNode all = GatewayHarness.MAPPER.createObjectNode();
      all.put("account", 0);
      all.put("validUntil", until);
      all.put("signature", h.signCancelAll(0, -1, until));
      assertThat(h.call("perp_cancelAll", all).has("result")).isTrue();
      long third =
          h.call("perp_placeOrder", order(h, 12, 3, 8)).path("result").path("orderId").asLong();
      assertThat(code(h.call("perp_cancelAll", all))).isEqualTo(5002);
      for (JsonNode o : h.call("perp_getOpenOrders", h.account(0)).path("result")) {
        openAfter.add(o.path("orderId").asLong());
      }
      assertThat(second).isNotEqualTo(first);
      assertThat(openAfter).containsExactly(third);
    }
    // the journal holds the markets, 3 orders, 1 cancel and 1 cancel-all: no replay reached it
    List<Command> journaled = new ArrayList<>();
    JournalReader.read(dir.resolve(Recovery.JOURNAL_FILE), (seq, c) -> journaled.add(c));
    assertThat(journaled).hasSize(2 + 3 + 2);
    assertThat(journaled.stream().filter(c -> c instanceof PlaceOrder).count()).isEqualTo(3);
    // the journal records each cancel's authorisation: its signature verifies over its fields
    EdDsaPublicKey key = keyOfAccount0();
    JavaSignatureVerifier verifier = new JavaSignatureVerifier(1);
    CancelOrder cancel = first(journaled, CancelOrder.class);
    assertThat(cancel.signed()).isTrue();
    assertThat(cancel.validUntil()).isEqualTo(until);
    assertThat(
            new CancelOrderMessage(
                    cancel.account(), cancel.byClientOrderId(), cancel.id(), cancel.validUntil())
                .verify(verifier, key, cancel.signature(), MessageDomain.DEMO))
        .isTrue();
    CancelAll cancelAll = first(journaled, CancelAll.class);
    assertThat(cancelAll.signed()).isTrue();
    assertThat(
            new CancelAllMessage(cancelAll.account(), cancelAll.market(), cancelAll.validUntil())
                .verify(verifier, key, cancelAll.signature(), MessageDomain.DEMO))
        .isTrue();
  }

  /** The first command of a type among the journaled ones. */
  private static <T extends Command> T first(List<Command> journaled, Class<T> type) {
    return journaled.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }

  /** The harness's key of account 0 (seed: 32 bytes of 1). */
  private static EdDsaPublicKey keyOfAccount0() {
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) 1);
    return EdDsaPrivateKey.fromSeed(seed).publicKey();
  }

  @Test
  void afterARestartOnlyCancelsSignedAfterItAreAccepted() throws Exception {
    AtomicLong clock = new AtomicLong(GatewayHarness.CLOCK);
    long signedBefore = GatewayHarness.CLOCK + 250;
    String beforeSignature;
    try (GatewayHarness h = new GatewayHarness(dir, GatewayConfig.defaults(0), clock::get)) {
      h.call("perp_placeOrder", order(h, 10, 1, 7));
      beforeSignature = h.signCancelOrder(0, true, 7, signedBefore);
    }
    clock.addAndGet(5);
    // restarted on the same (non-empty) journal; its core is fresh, the order is placed again
    try (GatewayHarness h = new GatewayHarness(dir, GatewayConfig.defaults(0), clock::get)) {
      h.call("perp_placeOrder", order(h, 10, 2, 7));
      ObjectNode old = cancelByClientId(h, 7, signedBefore);
      old.put("signature", beforeSignature);
      JsonNode refused = h.call("perp_cancelOrder", old);
      assertThat(code(refused)).isEqualTo(5001);
      assertThat(refused.path("error").path("message").asText())
          .contains("the gateway restarted")
          .contains("validUntil = now + 300");
      clock.addAndGet(1);
      long fresh = clock.get() + 300;
      assertThat(h.call("perp_cancelOrder", cancelByClientId(h, 7, fresh)).has("result")).isTrue();
    }
  }

  @Test
  void forgedOrdersDoNotSpendTheAccountsBudget() throws Exception {
    GatewayConfig config = GatewayConfig.defaults(0).withRateLimits(2000, 4000, 0.2, 2);
    try (GatewayHarness h = new GatewayHarness(dir, config)) {
      for (int i = 0; i < 5; i++) {
        ObjectNode forged = h.order(1, 2, Side.BUY, 1, 10, 100 + i);
        forged.put("account", 0); // signed by account 1's key, claimed for account 0
        assertThat(code(h.call("perp_placeOrder", forged))).isEqualTo(1001);
      }
      assertThat(h.call("perp_placeOrder", order(h, 10, 1, 1)).has("result")).isTrue();
      assertThat(h.call("perp_placeOrder", order(h, 11, 2, 2)).has("result")).isTrue();
      assertThat(code(h.call("perp_placeOrder", order(h, 12, 3, 3)))).isEqualTo(-32006);
    }
  }
}
