package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.methods.GetDomainMethod;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.Side;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real sockets: the gateway serves its signed-message domain, and refuses with {@code
 * BAD_SIGNATURE} (1001) an order signed for another chain or rollup, or changed after signing.
 */
class SignedMessageDomainTest {
  private static final MessageDomain NODE =
      MessageDomain.of(7, L1Address.fromHex("0x00000000000000000000000000000000000000aa"));

  @TempDir Path dir;

  private static int code(JsonNode response) {
    return response.path("error").path("code").asInt();
  }

  private static GatewayHarness harness(Path dir) throws Exception {
    return new GatewayHarness(
        dir, GatewayConfig.defaults(0), null, List.of(), () -> GatewayHarness.CLOCK, NODE);
  }

  @Test
  void getDomainAnswersTheNodesDomain() throws Exception {
    try (GatewayHarness h = harness(dir)) {
      JsonNode r = h.call("perp_getDomain", null).path("result");
      assertThat(r.path("formatVersion").asInt()).isEqualTo(MessageDomain.FORMAT_VERSION);
      assertThat(r.path("chainId").asText()).isEqualTo("7");
      assertThat(r.path("rollupAddress").asText())
          .isEqualTo("0x00000000000000000000000000000000000000aa");
      assertThat(r.has("transactionFormatVersion"))
          .as("a gateway without settlement takes no withdrawals: no format named")
          .isFalse();
      // the OpenRPC document describes the result, the settling node's field included
      JsonNode method = h.discoveredMethod("perp_getDomain");
      assertThat(method).isNotNull();
      JsonNode schema = method.path("result").path("schema");
      assertThat(schema.path("required").toString())
          .isEqualTo("[\"formatVersion\",\"chainId\",\"rollupAddress\"]");
      assertThat(schema.path("properties").path("transactionFormatVersion").path("enum").toString())
          .isEqualTo("[1,2]");
    }
  }

  @Test
  void aSettlingNodesDomainNamesItsTransactionFormat() {
    assertThat(
            new GetDomainMethod(NODE, 2)
                .handle(null)
                .join()
                .path("transactionFormatVersion")
                .asInt())
        .isEqualTo(2);
    assertThat(new GetDomainMethod(NODE, 1).handle(null).join().path("chainId").asText())
        .isEqualTo("7");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GetDomainMethod(NODE, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOrderSignedForAnotherDomainIsABadSignature() throws Exception {
    try (GatewayHarness h = harness(dir)) {
      ObjectNode order = h.order(0, 2, Side.BUY, 1, 10, 1);
      MessageDomain otherChain = MessageDomain.of(8, NODE.rollupAddress());
      MessageDomain otherRollup =
          MessageDomain.of(7, L1Address.fromHex("0x00000000000000000000000000000000000000ab"));
      for (MessageDomain wrong : List.of(otherChain, otherRollup, MessageDomain.DEMO)) {
        order.put("signature", h.signOrder(order, wrong));
        JsonNode refused = h.call("perp_placeOrder", order);
        assertThat(code(refused)).as(wrong.toString()).isEqualTo(1001);
        assertThat(refused.path("error").path("data").path("error").asText())
            .isEqualTo("BAD_SIGNATURE");
      }
      assertThat(h.call("perp_getOpenOrders", h.account(0)).path("result")).isEmpty();
      order.put("signature", h.signOrder(order, NODE));
      assertThat(h.call("perp_placeOrder", order).path("result").has("orderId")).isTrue();
    }
  }

  @Test
  void changingAnySignedFieldAfterSigningIsABadSignature() throws Exception {
    try (GatewayHarness h = harness(dir)) {
      ObjectNode order = h.order(0, 2, Side.BUY, 1, 10, 1);
      order.put("timeInForce", "IOC");
      order.put("reduceOnly", false);
      order.put("clientOrderId", 5);
      String signature = h.signOrder(order, NODE);
      List<ObjectNode> tampered =
          List.of(
              order.deepCopy().put("timeInForce", "GTC"), // an IOC resubmitted as GTC
              order.deepCopy().put("reduceOnly", true),
              order.deepCopy().put("type", "MARKET"),
              order.deepCopy().put("clientOrderId", 6),
              order.deepCopy().put("trigger", "STOP_LOSS").put("triggerPrice", 9),
              order.deepCopy().put("price", 11),
              order.deepCopy().put("size", 2),
              order.deepCopy().put("feeCap", 999),
              order.deepCopy().put("nonce", 2),
              order.deepCopy().put("expiry", 4_000_000_001L),
              order.deepCopy().put("market", 1));
      for (ObjectNode t : tampered) {
        t.put("signature", signature);
        assertThat(code(h.call("perp_placeOrder", t))).as(t.toString()).isEqualTo(1001);
      }
      order.put("signature", signature);
      assertThat(h.call("perp_placeOrder", order).has("result")).isTrue();
    }
  }

  @Test
  void aFeeCapThatCannotBeSignedIsFieldOutOfRange() throws Exception {
    try (GatewayHarness h = harness(dir)) {
      ObjectNode order = h.order(0, 2, Side.BUY, 1, 10, 1);
      order.put("feeCap", 1L << 32); // the message packs the fee cap into 32 bits
      JsonNode refused = h.call("perp_placeOrder", order);
      assertThat(code(refused)).isEqualTo(1200);
      assertThat(refused.path("error").path("data").path("error").asText())
          .isEqualTo("FIELD_OUT_OF_RANGE");
      assertThat(refused.path("error").path("message").asText()).contains("feeCap");
    }
  }

  @Test
  void aCancelSignedForAnotherDomainIsABadSignature() throws Exception {
    try (GatewayHarness h = harness(dir)) {
      long until = GatewayHarness.CLOCK + 100;
      ObjectNode cancel = GatewayHarness.MAPPER.createObjectNode();
      cancel.put("account", 0);
      cancel.put("clientOrderId", 5);
      cancel.put("validUntil", until);
      cancel.put("signature", h.signCancelOrder(0, true, 5, until)); // the demo domain
      assertThat(code(h.call("perp_cancelOrder", cancel))).isEqualTo(1001);
      ObjectNode all = GatewayHarness.MAPPER.createObjectNode();
      all.put("account", 0);
      all.put("validUntil", until);
      all.put("signature", h.signCancelAll(0, -1, until)); // the demo domain
      assertThat(code(h.call("perp_cancelAll", all))).isEqualTo(1001);
    }
  }
}
