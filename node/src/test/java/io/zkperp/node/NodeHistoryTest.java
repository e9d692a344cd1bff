package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.ReadGrantMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.journal.JournalSegments;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History on the settling node (real RocksDB, real HTTP, no L1): market 2 listed and two accounts
 * credited through the gateway's sequencer bridge, as {@code ./zk devnet} does ({@code
 * Devnet.listMarkets}; the credits are the commands its {@code DepositFeeder} submits for L1
 * deposits), then signed orders over {@code perp_placeOrder} that fill; {@code perp_getTrades},
 * {@code perp_getFills} (with a read grant signed by the account's L1-bound key) and {@code
 * perp_getOrderHistory} list them from {@code <data-dir>/history}, newest first, the same after a
 * restart on the same data directory (nothing replayed into the history twice), and a trade after
 * the restart is added on top.
 */
class NodeHistoryTest {
  private static final int MARKET = 2; // tick 1, step 1, minimum 1
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private long nonce;

  @Test
  void fillsAndTradesAreKeptInRocksDbAcrossARestart() throws Exception {
    int trades = 0;
    List<JsonNode> tradesBefore;
    List<JsonNode> fillsBefore;
    try (RollupNode node = RollupNode.open(config())) {
      submit(
          node,
          DemoMarkets.MARKETS.stream().filter(m -> m.market() == MARKET).findFirst().orElseThrow());
      oraclePrice(node, 1_000);
      submit(node, credit(0, 1));
      submit(node, credit(1, 2));
      for (int i = 0; i < 5; i++) {
        long price = 998 + i;
        place(node, 1, Side.SELL, 2 + i, price);
        place(node, 2, Side.BUY, 2 + i, price); // takes it whole
        trades++;
      }
      tradesBefore = trades(node);
      assertThat(tradesBefore).hasSize(trades);
      fillsBefore = fills(node, 1);
      assertThat(fillsBefore).hasSize(trades);
      assertThat(fills(node, 2)).hasSize(trades);
      assertThat(orders(node, 1)).hasSize(trades);
    }
    assertThat(Files.isDirectory(dir.resolve("node").resolve(HistoryStore.DIR))).isTrue();
    int segments;
    try (var files = Files.list(dir.resolve("node").resolve(JournalSegments.DIR))) {
      segments = (int) files.count();
    }
    assertThat(segments).as("journal segments").isGreaterThanOrEqualTo(2);
    try (RollupNode node = RollupNode.open(config())) {
      assertThat(trades(node)).isEqualTo(tradesBefore);
      assertThat(fills(node, 1)).isEqualTo(fillsBefore);
      for (int i = 0; i < 8; i++) {
        place(node, 1, Side.SELL, 3, 1005 + i);
        place(node, 2, Side.BUY, 3, 1005 + i);
        trades++;
      }
      List<JsonNode> after = trades(node);
      assertThat(after).hasSize(trades);
      assertThat(after.get(0).path("price").asLong()).isEqualTo(1012);
      assertThat(after.subList(8, after.size())).isEqualTo(tradesBefore);
    }
    try (var files = Files.list(dir.resolve("node").resolve(JournalSegments.DIR))) {
      assertThat(files.count()).as("the journal went on in segments").isGreaterThan(segments);
    }
    try (RollupNode node = RollupNode.open(config())) {
      assertThat(trades(node)).hasSize(trades);
      assertThat(fills(node, 2)).hasSize(trades);
    }
  }

  private NodeConfig config() {
    return new NodeConfig(
            dir.resolve("node"),
            GatewayConfig.defaults(0),
            BatchProver.batchSize(NodeItSupport.SHAPE),
            Duration.ofMillis(200),
            // no proof is needed here: a worker that cannot start
            NodeItSupport.worker(dir).withMainClass("io.zkperp.node.NoSuchProverWorker", List.of()),
            null)
        .withJournalSegmentBytes(1_024); // a few records per segment: the journal rotates
  }

  private static EdDsaPrivateKey key(int account) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (0x60 + account));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  /**
   * The clock and one oracle price of the market, signed by the engine's oracle signers, as the
   * devnet's oracle feeder submits them.
   */
  private static void oraclePrice(RollupNode node, long price) throws Exception {
    long now = System.currentTimeMillis() / 1_000;
    submit(node, new Tick(now));
    List<PriceReport> reports = new ArrayList<>();
    for (int s = 0; s < DemoMarkets.ORACLE_SIGNERS; s++) {
      reports.add(
          PriceReportSigning.sign(
              MessageDomain.DEMO, DemoMarkets.oracleKey(s), s, MARKET, price << 32, now));
    }
    submit(node, new SignedOraclePrices(MARKET, reports));
  }

  private static CreditL1Deposit credit(long index, int account) {
    EdDsaPrivateKey k = key(account);
    byte[] owner = new byte[20];
    owner[19] = (byte) account;
    return new CreditL1Deposit(
        index,
        account,
        L1Address.of(owner),
        k.publicKey().point().x(),
        k.publicKey().point().y(),
        1_000_000_000L);
  }

  private static void submit(RollupNode node, Command c) throws Exception {
    CommandOutcome o = node.gateway().bridge().submit(c).get(10, TimeUnit.SECONDS);
    assertThat(o).as(c.toString()).isInstanceOf(CommandOutcome.Accepted.class);
  }

  private void place(RollupNode node, int account, Side side, long size, long price)
      throws Exception {
    long n = ++nonce;
    PlaceOrder o =
        OrderSigning.sign(
            key(account),
            MessageDomain.DEMO,
            new PlaceOrder(
                account,
                MARKET,
                side,
                (int) n,
                OrderType.LIMIT,
                TimeInForce.GTC,
                false,
                size,
                price,
                1000,
                4_000_000_000L,
                n,
                TriggerType.NONE,
                0,
                new byte[64]));
    ObjectNode p = JSON.createObjectNode();
    p.put("account", o.account());
    p.put("market", o.market());
    p.put("side", o.side().name());
    p.put("clientOrderId", Integer.toUnsignedLong(o.clientOrderId()));
    p.put("size", o.size());
    p.put("price", o.price());
    p.put("feeCap", o.feeCap());
    p.put("expiry", o.expiry());
    p.put("nonce", o.nonce());
    p.put("signature", "0x" + HexFormat.of().formatHex(o.signature()));
    JsonNode r = call(node, "perp_placeOrder", p);
    assertThat(r.has("result")).as(r.toString()).isTrue();
  }

  private static List<JsonNode> trades(RollupNode node) throws Exception {
    return page(node, "perp_getTrades", JSON.createObjectNode().put("market", MARKET), "trades");
  }

  private static List<JsonNode> fills(RollupNode node, int account) throws Exception {
    return page(node, "perp_getFills", auth(account), "fills");
  }

  private static List<JsonNode> orders(RollupNode node, int account) throws Exception {
    return page(node, "perp_getOrderHistory", auth(account), "orders");
  }

  /** {@code {"account": a, "auth": …}} with a read grant signed by the account's key. */
  private static ObjectNode auth(int account) {
    long validUntil = System.currentTimeMillis() / 1_000 + 3_600;
    byte[] sig = new ReadGrantMessage(account, validUntil).sign(key(account), MessageDomain.DEMO);
    ObjectNode p = JSON.createObjectNode().put("account", account);
    p.set(
        "auth",
        JSON.createObjectNode()
            .put("account", account)
            .put("validUntil", validUntil)
            .put("signature", "0x" + HexFormat.of().formatHex(sig)));
    return p;
  }

  /** Every entry, 2 per page, checked newest first by journal sequence. */
  private static List<JsonNode> page(RollupNode node, String method, ObjectNode params, String key)
      throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String cursor = null;
    do {
      ObjectNode p = params.deepCopy().put("limit", 2);
      if (cursor != null) {
        p.put("cursor", cursor);
      }
      JsonNode r = call(node, method, p);
      assertThat(r.has("result")).as(method + ": " + r).isTrue();
      r.path("result").path(key).forEach(out::add);
      JsonNode next = r.path("result").path("nextCursor");
      cursor = next.isNull() || next.isMissingNode() ? null : next.asText();
    } while (cursor != null);
    for (int i = 1; i < out.size(); i++) {
      assertThat(out.get(i - 1).path("journalSeq").asLong())
          .as(method + " newest first")
          .isGreaterThanOrEqualTo(out.get(i).path("journalSeq").asLong());
    }
    return out;
  }

  private static JsonNode call(RollupNode node, String method, JsonNode params) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1);
    body.put("method", method);
    body.set("params", params);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.gateway().port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }
}
