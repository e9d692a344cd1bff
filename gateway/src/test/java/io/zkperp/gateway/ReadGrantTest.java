package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.methods.DiscoverMethod;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.ReadGrantMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.Side;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private account reads over real sockets: {@code perp_getAccount}, {@code perp_getFills}, {@code
 * perp_getOpenOrders}, {@code perp_getNonces} and the account stream answer only with the account's
 * read grant; every bad grant is a typed error that reveals none of the account's data; market data
 * stays public; the OpenRPC document says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadGrantTest {
  private static final List<String> PRIVATE =
      List.of(
          "perp_getAccount",
          "perp_getFills",
          "perp_getOrderHistory",
          "perp_getFundingPayments",
          "perp_getCollateralHistory",
          "perp_getOpenOrders",
          "perp_getNonces");
  private static final long NOW = GatewayHarness.CLOCK;

  private GatewayHarness h;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    h = new GatewayHarness(dir);
    // account 0 rests a sell of 20 at 1000; account 1 buys 10 of it: both have a fill, 0 an order
    assertThat(h.call("perp_placeOrder", h.order(0, 1, Side.SELL, 20, 1000, 1)).has("result"))
        .isTrue();
    assertThat(h.call("perp_placeOrder", h.order(1, 1, Side.BUY, 10, 1000, 1)).has("result"))
        .isTrue();
  }

  @AfterAll
  void stop() throws Exception {
    h.close();
  }

  private ObjectNode params(int account, ObjectNode auth) {
    ObjectNode p = GatewayHarness.MAPPER.createObjectNode().put("account", account);
    if (auth != null) {
      p.set("auth", auth);
    }
    return p;
  }

  /** The error of a call, asserting it has no result (nothing of the account leaks). */
  private JsonNode error(String method, ObjectNode params) throws Exception {
    JsonNode r = h.call(method, params);
    assertThat(r.has("result")).as("%s answered %s", method, r).isFalse();
    return r.path("error");
  }

  private void assertRefused(ObjectNode auth, int account, int code, String name) throws Exception {
    for (String m : PRIVATE) {
      JsonNode e = error(m, params(account, auth));
      assertThat(e.path("code").asInt()).as("%s: %s", m, e).isEqualTo(code);
      assertThat(e.path("data").path("error").asText()).isEqualTo(name);
    }
  }

  @Test
  void withoutAGrantEveryPrivateReadIsRefused() throws Exception {
    assertRefused(null, 0, 5101, "READ_AUTH_REQUIRED");
  }

  @Test
  void aGrantOfAnotherAccountIsRefused() throws Exception {
    // account 1's own valid grant, used to read account 0
    assertRefused(h.grant(1), 0, 5103, "READ_GRANT_WRONG_ACCOUNT");
  }

  @Test
  void anExpiredOrTooLongGrantIsRefused() throws Exception {
    assertRefused(
        TestGrants.auth(h.keys[0], 0, NOW, MessageDomain.DEMO), 0, 5102, "READ_GRANT_EXPIRED");
    assertRefused(
        TestGrants.auth(
            h.keys[0], 0, NOW + ReadGrantMessage.MAX_VALIDITY_SECONDS + 1, MessageDomain.DEMO),
        0,
        5102,
        "READ_GRANT_EXPIRED");
    // exactly 24 h ahead is accepted
    ObjectNode longest =
        TestGrants.auth(
            h.keys[0], 0, NOW + ReadGrantMessage.MAX_VALIDITY_SECONDS, MessageDomain.DEMO);
    assertThat(h.call("perp_getAccount", params(0, longest)).has("result")).isTrue();
  }

  @Test
  void aGrantSignedForAnotherDomainIsRefused() throws Exception {
    MessageDomain other =
        MessageDomain.of(1, L1Address.fromHex("0x00000000000000000000000000000000000000aa"));
    assertRefused(TestGrants.auth(h.keys[0], 0, NOW + 600, other), 0, 5104, "READ_GRANT_INVALID");
  }

  @Test
  void aTamperedGrantOrAnotherKeysSignatureIsRefused() throws Exception {
    ObjectNode tampered = h.grant(0);
    String sig = tampered.get("signature").asText();
    char last = sig.charAt(sig.length() - 1);
    tampered.put("signature", sig.substring(0, sig.length() - 1) + (last == '0' ? '1' : '0'));
    assertRefused(tampered, 0, 5104, "READ_GRANT_INVALID");
    // validUntil moved by one second: the signature no longer covers it
    ObjectNode moved = h.grant(0);
    moved.put("validUntil", moved.get("validUntil").asLong() + 1);
    assertRefused(moved, 0, 5104, "READ_GRANT_INVALID");
    // signed by account 1's key, claimed for account 0
    assertRefused(
        TestGrants.auth(h.keys[1], 0, NOW + 600, MessageDomain.DEMO),
        0,
        5104,
        "READ_GRANT_INVALID");
    // an account without a key gets the same error as a wrong signature
    assertRefused(
        TestGrants.auth(h.keys[1], 42, NOW + 600, MessageDomain.DEMO),
        42,
        5104,
        "READ_GRANT_INVALID");
  }

  @Test
  void aMalformedGrantIsInvalidParams() throws Exception {
    ObjectNode noSignature = h.grant(0);
    noSignature.remove("signature");
    ObjectNode extra = h.grant(0).put("session", 7);
    ObjectNode shortSignature = h.grant(0).put("signature", "0x1234");
    ObjectNode p = params(0, null);
    p.put("auth", "0xdeadbeef");
    for (ObjectNode bad :
        List.of(params(0, noSignature), params(0, extra), params(0, shortSignature), p)) {
      JsonNode e = error("perp_getOpenOrders", bad);
      assertThat(e.path("code").asInt()).as(e.toString()).isEqualTo(-32602);
    }
  }

  @Test
  void withTheAccountsGrantEachPrivateReadAnswers() throws Exception {
    JsonNode orders = h.call("perp_getOpenOrders", h.account(0)).path("result");
    assertThat(orders).hasSize(1);
    assertThat(orders.get(0).path("remaining").asLong()).isEqualTo(10);
    JsonNode fills = h.call("perp_getFills", h.account(1)).path("result").path("fills");
    assertThat(fills).hasSize(1);
    assertThat(fills.get(0).path("size").asLong()).isEqualTo(10);
    assertThat(h.call("perp_getNonces", h.account(1)).path("result").path("nextNonce").asLong())
        .isEqualTo(2);
    assertThat(h.call("perp_getAccount", h.account(1)).path("result").path("account").asInt())
        .isEqualTo(1);
    // the same grant again (answered from the cache of verified grants): the same data
    ObjectNode again = params(0, h.grant(0));
    for (int i = 0; i < 3; i++) {
      assertThat(h.call("perp_getOpenOrders", again).path("result")).isEqualTo(orders);
    }
  }

  @Test
  void marketDataStaysPublic() throws Exception {
    assertThat(h.call("perp_getMarkets", null).has("result")).isTrue();
    assertThat(h.call("perp_getOrderBook", h.mapperObject("market", 1)).has("result")).isTrue();
    assertThat(h.call("perp_getFundingHistory", h.mapperObject("market", 1)).has("result"))
        .isTrue();
    assertThat(h.call("perp_getDomain", null).has("result")).isTrue();
  }

  @Test
  void theAccountStreamNeedsTheGrantAndEndsWhenItExpires() throws Exception {
    StreamClient c = StreamClient.connect(h);
    assertThat(c.subscribeError("{\"channel\":\"account\",\"account\":0}")).isEqualTo(5101);
    assertThat(c.subscribeError(params(0, h.grant(1)).put("channel", "account").toString()))
        .isEqualTo(5103);
    ObjectNode tampered = h.grant(0);
    tampered.put("validUntil", tampered.get("validUntil").asLong() + 1);
    assertThat(c.subscribeError(params(0, tampered).put("channel", "account").toString()))
        .isEqualTo(5104);
    assertThat(
            c.subscribeError(
                params(0, TestGrants.auth(h.keys[0], 0, NOW, MessageDomain.DEMO))
                    .put("channel", "account")
                    .toString()))
        .isEqualTo(5102);
    // a grant on a public channel is refused, not ignored
    assertThat(
            c.subscribeError(
                GatewayHarness.MAPPER
                    .createObjectNode()
                    .put("channel", "book")
                    .put("market", 1)
                    .set("auth", h.grant(0))
                    .toString()))
        .isEqualTo(-32602);
    // the book stream is public
    long book = c.subscribe("{\"channel\":\"book\",\"market\":1}");
    assertThat(c.next().path("params").path("subscription").asLong()).isEqualTo(book);

    // a grant valid for 2 more seconds: the snapshot, then the end notification at expiry
    ObjectNode shortGrant = TestGrants.auth(h.keys[0], 0, NOW + 2, MessageDomain.DEMO);
    long sub = c.subscribe(params(0, shortGrant).put("channel", "account").toString());
    JsonNode snapshot = c.next();
    assertThat(snapshot.path("params").path("type").asText()).isEqualTo("snapshot");
    assertThat(snapshot.path("params").path("openOrders")).hasSize(1);
    long started = System.nanoTime();
    JsonNode end = c.next();
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(end.path("method").asText()).isEqualTo("perp_subscription");
    assertThat(end.path("params").path("subscription").asLong()).isEqualTo(sub);
    assertThat(end.path("params").path("type").asText()).isEqualTo("end");
    assertThat(end.path("params").path("code").asInt()).isEqualTo(5102);
    assertThat(end.path("params").path("reason").asText()).isEqualTo("READ_GRANT_EXPIRED");
    assertThat(end.path("params").path("validUntil").asLong()).isEqualTo(NOW + 2);
    assertThat(waitedMillis).isBetween(500L, 5_000L);
    // it is gone: unsubscribing it is an unknown subscription, and no update follows
    c.ws
        .sendText(
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"perp_unsubscribe\",\"params\":"
                + "{\"subscription\":"
                + sub
                + "}}",
            true)
        .get();
    JsonNode r = c.next();
    assertThat(r.path("error").path("code").asInt()).as(r.toString()).isEqualTo(-32008);
    assertThat(c.messages.poll(300, TimeUnit.MILLISECONDS)).as("nothing else").isNull();
    c.ws.abort();
  }

  @Test
  void anEndedStreamFreesItsPlaceUnderTheSubscriptionCap(@TempDir Path dir) throws Exception {
    GatewayConfig one = GatewayConfig.builder().maxSubscriptionsPerConnection(1).build();
    try (GatewayHarness small = new GatewayHarness(dir, one)) {
      StreamClient c = StreamClient.connect(small);
      long sub =
          c.subscribe(
              params(0, TestGrants.auth(small.keys[0], 0, NOW + 1, MessageDomain.DEMO))
                  .put("channel", "account")
                  .toString());
      assertThat(c.next().path("params").path("type").asText()).isEqualTo("snapshot");
      JsonNode end = c.next();
      assertThat(end.path("params").path("type").asText()).isEqualTo("end");
      assertThat(end.path("params").path("subscription").asLong()).isEqualTo(sub);
      // the cap is 1: a new subscription is accepted only because the ended one was released
      long again = c.subscribe(small.account(0).put("channel", "account").toString());
      assertThat(again).isNotEqualTo(sub);
      c.ws.abort();
    }
  }

  @Test
  void theOpenRpcDocumentDescribesTheGrantAndItsErrors() {
    JsonNode doc = DiscoverMethod.document();
    for (JsonNode m : doc.path("methods")) {
      String name = m.path("name").asText();
      boolean isPrivate = PRIVATE.contains(name) || name.equals("perp_subscribe");
      JsonNode auth = null;
      for (JsonNode p : m.path("params")) {
        if (p.path("name").asText().equals("auth")) {
          auth = p;
        }
      }
      assertThat(auth != null).as(name).isEqualTo(isPrivate);
      List<Integer> codes =
          m.path("errors").findValuesAsText("code").stream().map(Integer::valueOf).toList();
      if (!isPrivate) {
        assertThat(codes).as(name).doesNotContain(5101);
        continue;
      }
      assertThat(codes).as(name).contains(5101, 5102, 5103, 5104);
      assertThat(auth.path("required").asBoolean()).isEqualTo(!name.equals("perp_subscribe"));
      JsonNode schema = auth.path("schema");
      assertThat(schema.path("type").asText()).isEqualTo("object");
      assertThat(schema.path("properties").has("account")).isTrue();
      assertThat(schema.path("properties").has("validUntil")).isTrue();
      assertThat(schema.path("properties").path("signature").path("type").asText())
          .isEqualTo("string");
      assertThat(schema.path("required"))
          .extracting(JsonNode::asText)
          .containsExactly("account", "validUntil", "signature");
    }
  }
}
