package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.methods.DiscoverMethod;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.Recovery;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real EdDSA-signed orders over HTTP through the real pipeline and journal. */
class EndToEndTest {
  @TempDir Path dir;

  @Test
  void signedOrdersAreJournaledMatchedAndVisibleInTheReadModel() throws Exception {
    GatewayHarness h = new GatewayHarness(dir);
    JsonNode maker = h.call("perp_placeOrder", h.order(0, 1, Side.SELL, 30, 1000, 1));
    JsonNode taker = h.call("perp_placeOrder", h.order(1, 1, Side.BUY, 10, 1000, 1));
    assertThat(maker.path("result").path("status").asText()).isEqualTo("OPEN");
    long makerId = maker.path("result").path("orderId").asLong();
    assertThat(taker.path("result").path("status").asText()).isEqualTo("FILLED");
    assertThat(taker.path("result").path("fills").get(0).path("makerOrderId").asLong())
        .isEqualTo(makerId);
    long takerSeq = taker.path("result").path("journalSeq").asLong();

    // concurrent clients: 40 signed orders from 4 accounts, all answered, all in the read model
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int account = 2 + i % 4;
      long nonce = 1 + i / 4;
      long price = 900 - 10 * (i % 5);
      ObjectNode o = h.order(account, 1, Side.BUY, 10, price, nonce);
      h.resign(o.put("clientOrderId", nonce)); // signed; unique per live order of the account
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return h.call("perp_placeOrder", o);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              pool));
    }
    for (CompletableFuture<JsonNode> c : calls) {
      JsonNode r = c.get();
      assertThat(r.path("result").path("status").asText()).as(r.toString()).isEqualTo("OPEN");
    }
    pool.shutdown();

    JsonNode book = h.call("perp_getOrderBook", h.mapperObject("market", 1)).path("result");
    assertThat(book.path("asks").get(0).path("size").asLong()).isEqualTo(20);
    assertThat(book.path("bids")).hasSize(5);
    long bidTotal = 0;
    for (JsonNode level : book.path("bids")) {
      bidTotal += level.path("size").asLong();
    }
    assertThat(bidTotal).isEqualTo(400);
    assertThat(book.path("bids").get(0).path("price").asLong()).isEqualTo(900);

    // a signed cancel removes the maker's rest from the book
    ObjectNode cancel = GatewayHarness.MAPPER.createObjectNode();
    cancel.put("account", 0);
    cancel.put("orderId", makerId);
    cancel.put("validUntil", GatewayHarness.CLOCK + 10);
    cancel.put("signature", h.signCancelOrder(0, false, makerId, GatewayHarness.CLOCK + 10));
    JsonNode cancelled = h.call("perp_cancelOrder", cancel);
    assertThat(cancelled.path("result").path("cancelled").get(0).asLong()).isEqualTo(makerId);
    // the same signature for account 1 is refused by the gateway
    cancel.put("account", 1);
    assertThat(h.call("perp_cancelOrder", cancel).path("error").path("code").asInt())
        .isEqualTo(1001);
    assertThat(h.call("perp_getOrderBook", h.mapperObject("market", 1)).path("result").path("asks"))
        .isEmpty();
    assertThat(h.call("perp_getOpenOrders", h.account(0)).path("result")).isEmpty();
    assertThat(h.call("perp_getOpenOrders", h.account(3)).path("result")).hasSize(10);

    // health and metrics
    HttpResponse<String> health = h.get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
    HttpResponse<String> metrics = h.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains(
            "gateway_rpc_requests_seconds_count{method=\"perp_placeOrder\",outcome=\"ok\"} 42")
        // every answer was awaited: nothing in flight, nothing appended but not durable
        .contains("gateway_commands_in_flight 0.0")
        .contains("journal_lag_records 0.0");
    java.util.regex.Matcher commits =
        java.util.regex.Pattern.compile("journal_group_commits_total (\\d+)\\.0")
            .matcher(metrics.body());
    assertThat(commits.find()).isTrue();
    assertThat(Long.parseLong(commits.group(1))).isBetween(1L, 45L);
    assertThat(metrics.body()).containsPattern("journal_commit_seconds_total [0-9.E-]+");
    assertThat(metrics.body()).containsPattern("journal_slow_commits_total \\d+\\.0");
    java.util.regex.Matcher longest =
        java.util.regex.Pattern.compile("journal_commit_longest_seconds ([0-9.E-]+)")
            .matcher(metrics.body());
    assertThat(longest.find()).isTrue();
    assertThat(Double.parseDouble(longest.group(1))).isPositive();
    assertThat(h.get("/nope").statusCode()).isEqualTo(404);
    assertThat(h.get("/").statusCode()).isEqualTo(405);

    h.close();

    // everything acknowledged is in the journal, and recovery gives the same state
    List<Command> journaled = new ArrayList<>();
    JournalReader.read(dir.resolve(Recovery.JOURNAL_FILE), (seq, c) -> journaled.add(c));
    assertThat(journaled).hasSize(2 + 2 + 40 + 1);
    assertThat(metrics.body()).contains("journal_committed_seq " + journaled.size() + ".0");
    assertThat(journaled.get((int) takerSeq - 1)).isInstanceOf(PlaceOrder.class);
    assertThat(((PlaceOrder) journaled.get((int) takerSeq - 1)).account()).isEqualTo(1);
    var recovered =
        Recovery.recover(
            dir,
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            RiskHook.PERMISSIVE,
            CoreListener.NONE);
    assertThat(CoreState.hashHex(recovered.core())).isEqualTo(CoreState.hashHex(h.core));
  }

  @Test
  void openRpcDocumentIsGeneratedFromTheMethodTable() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir)) {
      JsonNode doc = h.call("rpc.discover", null).path("result");
      assertThat(doc.path("openrpc").asText()).isEqualTo("1.2.6");
      assertThat(doc).isEqualTo(DiscoverMethod.document());
      List<String> names = new ArrayList<>();
      doc.path("methods").forEach(m -> names.add(m.path("name").asText()));
      List<String> expected = new ArrayList<>();
      for (RpcMethod m : RpcMethod.values()) {
        if (m != RpcMethod.DISCOVER) {
          expected.add(m.wireName());
        }
      }
      assertThat(names).containsExactlyElementsOf(expected);
      JsonNode place = doc.path("methods").get(0);
      assertThat(place.path("params")).hasSize(RpcMethod.PLACE_ORDER.params().size());
      List<Integer> codes = new ArrayList<>();
      place.path("errors").forEach(e -> codes.add(e.path("code").asInt()));
      assertThat(codes).contains(1201, 3000, 4001, -32602, -32005);
    }
  }

  @Test
  void escapeProofHasAResultSchemaAndTheDemoNodeDoesNotServeIt() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir)) {
      JsonNode method = h.discoveredMethod("perp_getEscapeProof");
      assertThat(method).isNotNull();
      // one of: the format v2 node's ZkPerpRollup.EscapeProof, the format v3 node's EscapeV2.Proof
      JsonNode oneOf = method.path("result").path("schema").path("oneOf");
      assertThat(oneOf).hasSize(2);
      JsonNode schema = oneOf.get(0);
      assertThat(schema.path("required"))
          .extracting(JsonNode::asText)
          .containsExactly("account", "batch", "stateRoot", "proof");
      JsonNode proof = schema.path("properties").path("proof");
      assertThat(proof.path("required")).hasSize(10);
      assertThat(proof.path("properties").path("accountSiblings").path("minItems").asInt())
          .isEqualTo(24);
      assertThat(proof.path("properties").path("accountSiblings").path("maxItems").asInt())
          .isEqualTo(24);
      JsonNode v3 = oneOf.get(1);
      assertThat(v3.path("required"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder(
              "format", "account", "batch", "stateRoot", "owed", "positions", "proof");
      assertThat(v3.path("properties").path("format").path("enum").get(0).asText()).isEqualTo("v3");
      JsonNode v3Account = v3.path("properties").path("proof").path("properties").path("account");
      assertThat(v3Account.path("properties").path("positions").path("maxItems").asInt())
          .isEqualTo(4);
      assertThat(v3Account.path("properties").path("accountSiblings").path("minItems").asInt())
          .isEqualTo(24);
      List<Integer> codes = new ArrayList<>();
      method.path("errors").forEach(e -> codes.add(e.path("code").asInt()));
      assertThat(codes).contains(5201, 5202, 5003, -32602);
      // another method without a schema yet keeps the empty one
      assertThat(DiscoverMethod.document().path("methods").get(0).path("result").path("schema"))
          .isEmpty();

      JsonNode params = GatewayHarness.MAPPER.createObjectNode().put("account", 1);
      JsonNode demo = h.call("perp_getEscapeProof", params);
      assertThat(demo.path("error").path("code").asInt()).isEqualTo(5003);
      assertThat(demo.path("error").path("data").path("error").asText())
          .isEqualTo("SETTLEMENT_NOT_AVAILABLE");
    }
  }

  @Test
  void requestBodyLimitIsAJsonRpcError() throws Exception {
    GatewayConfig small = GatewayConfig.defaults(0).withLimits(1024, 100, 64);
    try (GatewayHarness h = new GatewayHarness(dir, small)) {
      HttpResponse<String> r = h.post("{\"pad\":\"" + "y".repeat(2000) + "\"}");
      assertThat(r.statusCode()).isEqualTo(413);
      JsonNode e = GatewayHarness.MAPPER.readTree(r.body()).path("error");
      assertThat(e.path("code").asInt()).isEqualTo(-32001);
      assertThat(e.path("message").asText())
          .isEqualTo("the request body is larger than the limit of 1024 bytes");
      // the server still answers on a new request
      assertThat(h.call("perp_getMarkets", null).path("result")).hasSize(2);
    }
  }
}
