package io.zkperp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.client.cli.ZkPerpCli;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.protocol.message.MessageDomain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line client against a real demo node (in-process, free port, temporary data
 * directory, real clock and price feed): what a new user does after {@code ./zk node}.
 */
class ClientCliTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;
  private GatewayNode node;
  private String url;

  /** One run of the CLI: exit code, stdout, stderr. */
  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return MAPPER.readTree(out);
    }
  }

  @BeforeEach
  void start() throws Exception {
    node = open();
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private GatewayNode open() throws Exception {
    GatewayNode n =
        GatewayNode.open(dir, GatewayConfig.defaults(0), () -> System.currentTimeMillis() / 1000);
    url = "http://127.0.0.1:" + n.gateway().port() + "/";
    return n;
  }

  private Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (all.size() > 0) {
      all.add(1, "--url");
      all.add(2, url);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        ZkPerpCli.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  private Run ok(String... args) {
    Run r = cli(args);
    assertThat(r.code()).as("%s: %s", String.join(" ", args), r.err()).isZero();
    return r;
  }

  @Test
  void marketsListsTheDemoMarkets() throws Exception {
    JsonNode m = ok("markets").json();
    assertThat(m).hasSize(2);
    assertThat(m.get(0).path("market").asInt()).isEqualTo(1);
    assertThat(m.get(0).path("tickSize").asLong()).isEqualTo(10);
    assertThat(m.get(1).path("market").asInt()).isEqualTo(2);
    assertThat(m.get(1).path("tickSize").asLong()).isEqualTo(1);
  }

  @Test
  void theClientSignsInTheNodesDomainUnlessGivenAnother() throws Exception {
    ZkPerpClient sdk = new ZkPerpClient(java.net.URI.create(url));
    assertThat(sdk.domain()).isEqualTo(MessageDomain.DEMO); // fetched with perp_getDomain
    // the demo node takes no withdrawals and names no format: format 1, as before the field
    assertThat(sdk.transactionFormat()).isEqualTo(io.zkperp.client.TransactionFormat.FORMAT_1);
    String[] order = {
      "place-order",
      "--demo-account",
      "1",
      "--market",
      "2",
      "--side",
      "SELL",
      "--size",
      "1",
      "--price",
      "1010"
    };
    // an explicit domain of another chain: the node refuses the signature
    List<String> otherChain = new ArrayList<>(List.of(order));
    otherChain.addAll(
        List.of("--chain-id", "1", "--rollup-address", MessageDomain.DEMO_ROLLUP_ADDRESS.toHex()));
    Run noNonce = cli(otherChain.toArray(String[]::new));
    assertThat(noNonce.code()).isEqualTo(ZkPerpCli.EXIT_RPC_ERROR);
    // the nonce lookup's read grant is signed for the other chain too
    assertThat(noNonce.err()).startsWith("error 5104 READ_GRANT_INVALID: ");
    otherChain.addAll(List.of("--nonce", "1"));
    Run refused = cli(otherChain.toArray(String[]::new));
    assertThat(refused.code()).isEqualTo(ZkPerpCli.EXIT_RPC_ERROR);
    assertThat(refused.err()).contains("1001").contains("BAD_SIGNATURE");
    // the node's own domain given explicitly works as the fetched one does
    List<String> same = new ArrayList<>(List.of(order));
    same.addAll(
        List.of(
            "--chain-id",
            Long.toString(MessageDomain.DEMO_CHAIN_ID),
            "--rollup-address",
            MessageDomain.DEMO_ROLLUP_ADDRESS.toHex()));
    assertThat(ok(same.toArray(String[]::new)).json().path("status").asText()).isEqualTo("OPEN");
    // half a domain is a usage error
    List<String> half = new ArrayList<>(List.of(order));
    half.addAll(List.of("--chain-id", "1"));
    Run usage = cli(half.toArray(String[]::new));
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("--rollup-address");
  }

  @Test
  void placeOrderRestsAndIsInTheBookAndTheNonceAdvances() throws Exception {
    JsonNode placed =
        ok(
                "place-order",
                "--demo-account",
                "1",
                "--market",
                "2",
                "--side",
                "SELL",
                "--size",
                "3",
                "--price",
                "1010")
            .json();
    assertThat(placed.path("status").asText()).isEqualTo("OPEN");
    assertThat(placed.path("remaining").asLong()).isEqualTo(3);
    JsonNode book = ok("book", "--market", "2").json();
    assertThat(book.path("asks")).hasSize(1);
    assertThat(book.path("asks").get(0).path("price").asLong()).isEqualTo(1010);
    assertThat(book.path("asks").get(0).path("size").asLong()).isEqualTo(3);
    assertThat(book.path("bids")).isEmpty();
    JsonNode nonces = ok("nonces", "--demo-account", "1").json();
    assertThat(nonces.path("highestNonce").asLong()).isEqualTo(1);
    assertThat(nonces.path("nextNonce").asLong()).isEqualTo(2);
    // the next order picks nonce 2 by itself and rests beside the first
    ok(
        "place-order",
        "--demo-account",
        "1",
        "--market",
        "2",
        "--side",
        "SELL",
        "--size",
        "2",
        "--price",
        "1010");
    assertThat(ok("nonces", "--demo-account", "1").json().path("highestNonce").asLong())
        .isEqualTo(2);
    JsonNode level = ok("book", "--market", "2").json().path("asks").get(0);
    assertThat(level.path("size").asLong()).isEqualTo(5);
    assertThat(level.path("orders").asInt()).isEqualTo(2);
  }

  @Test
  void crossingOrderFromAnotherDemoAccountFills() throws Exception {
    JsonNode maker =
        ok(
                "place-order",
                "--demo-account",
                "1",
                "--market",
                "2",
                "--side",
                "SELL",
                "--size",
                "4",
                "--price",
                "1000")
            .json();
    JsonNode taker =
        ok(
                "place-order",
                "--demo-account",
                "2",
                "--market",
                "2",
                "--side",
                "BUY",
                "--size",
                "4",
                "--price",
                "1002")
            .json();
    assertThat(taker.path("status").asText()).isEqualTo("FILLED");
    assertThat(taker.path("filled").asLong()).isEqualTo(4);
    assertThat(taker.path("fills")).hasSize(1);
    JsonNode fill = taker.path("fills").get(0);
    assertThat(fill.path("makerOrderId").asLong()).isEqualTo(maker.path("orderId").asLong());
    assertThat(fill.path("price").asLong()).isEqualTo(1000); // the maker's price
    assertThat(fill.path("size").asLong()).isEqualTo(4);
    JsonNode book = ok("book", "--market", "2").json();
    assertThat(book.path("asks")).isEmpty();
    assertThat(book.path("bids")).isEmpty();
    // the new positions and the fill, as a trader checks them
    JsonNode buyer = ok("account", "--demo-account", "2").json();
    assertThat(buyer.path("positions")).hasSize(1);
    assertThat(buyer.path("positions").get(0).path("market").asInt()).isEqualTo(2);
    assertThat(buyer.path("positions").get(0).path("size").asLong()).isEqualTo(4);
    assertThat(buyer.path("equity").isIntegralNumber()).isTrue();
    assertThat(buyer.path("initialMargin").asLong()).isPositive();
    JsonNode seller = ok("account", "--demo-account", "1").json();
    assertThat(seller.path("positions").get(0).path("size").asLong()).isEqualTo(-4);
    JsonNode fills = ok("fills", "--demo-account", "2").json().path("fills");
    assertThat(fills).hasSize(1);
    assertThat(fills.get(0).path("liquidity").asText()).isEqualTo("TAKER");
    assertThat(fills.get(0).path("side").asText()).isEqualTo("BUY");
    assertThat(fills.get(0).path("price").asLong()).isEqualTo(1000);
    assertThat(fills.get(0).path("size").asLong()).isEqualTo(4);
    // the buyer's collateral history: the fee and the fill's cash flow newest first, two per page
    JsonNode first = ok("collateral-history", "--demo-account", "2", "--limit", "2").json();
    JsonNode changes = first.path("changes");
    assertThat(changes).hasSize(2);
    assertThat(changes.get(0).path("kind").asText()).isEqualTo("FEE");
    assertThat(changes.get(0).path("amount").asLong())
        .isEqualTo(-fills.get(0).path("fee").asLong());
    assertThat(changes.get(1).path("kind").asText()).isEqualTo("TRADE");
    assertThat(changes.get(1).path("amount").asLong()).isEqualTo(-4 * 1000);
    assertThat(changes.get(0).path("balanceAfter").asLong())
        .isEqualTo(buyer.path("collateral").asLong());
    JsonNode older =
        ok(
                "collateral-history",
                "--demo-account",
                "2",
                "--cursor",
                first.path("nextCursor").asText())
            .json();
    assertThat(older.path("changes").get(0).path("balanceAfter").asLong())
        .isEqualTo(
            changes.get(1).path("balanceAfter").asLong() - changes.get(1).path("amount").asLong());
    assertThat(older.path("nextCursor").isNull()).isTrue();
    JsonNode payments = ok("funding-payments", "--demo-account", "2", "--market", "2").json();
    assertThat(payments.path("payments").isArray()).isTrue();
    assertThat(payments.path("nextCursor").isNull()).isTrue();
  }

  @Test
  void priceOffTheTickGridIsTheTypedErrorWithNonZeroExitAndNoStateChange() throws Exception {
    JsonNode before = ok("book", "--market", "1").json();
    Run r =
        cli(
            "place-order",
            "--demo-account",
            "1",
            "--market",
            "1",
            "--side",
            "BUY",
            "--size",
            "10",
            "--price",
            "10005");
    assertThat(r.code()).isEqualTo(ZkPerpCli.EXIT_RPC_ERROR);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip())
        .isEqualTo(
            "error 1201 PRICE_NOT_TICK_MULTIPLE: price 10005 is not a multiple of tick size 10;"
                + " nearest valid prices 10000 or 10010");
    assertThat(ok("book", "--market", "1").json()).isEqualTo(before);
    assertThat(ok("nonces", "--demo-account", "1").json().path("highestNonce").asLong()).isZero();
  }

  @Test
  void cancelAndCancelAllRemoveTheOrders() throws Exception {
    long id =
        ok(
                "place-order",
                "--demo-account",
                "3",
                "--market",
                "2",
                "--side",
                "BUY",
                "--size",
                "1",
                "--price",
                "990")
            .json()
            .path("orderId")
            .asLong();
    JsonNode cancelled = ok("cancel", "--demo-account", "3", "--order-id", "" + id).json();
    assertThat(cancelled.path("cancelled")).hasSize(1);
    assertThat(cancelled.path("cancelled").get(0).asLong()).isEqualTo(id);
    assertThat(ok("book", "--market", "2").json().path("bids")).isEmpty();
    // the same order again: a typed error — CANCEL_REPLAYED when the CLI signs the identical
    // message (same second, same validUntil), UNKNOWN_ORDER when the clock has moved on
    Run again = cli("cancel", "--demo-account", "3", "--order-id", "" + id);
    assertThat(again.code()).isEqualTo(ZkPerpCli.EXIT_RPC_ERROR);
    assertThat(again.err()).startsWith("error ").containsAnyOf("UNKNOWN_ORDER", "CANCEL_REPLAYED");

    ok(
        "place-order",
        "--demo-account",
        "3",
        "--market",
        "2",
        "--side",
        "BUY",
        "--size",
        "1",
        "--price",
        "990");
    ok(
        "place-order",
        "--demo-account",
        "3",
        "--market",
        "1",
        "--side",
        "BUY",
        "--size",
        "10",
        "--price",
        "9900");
    JsonNode all = ok("cancel-all", "--demo-account", "3", "--market", "2").json();
    assertThat(all.path("cancelled")).hasSize(1);
    assertThat(ok("book", "--market", "1").json().path("bids")).hasSize(1);
    assertThat(ok("cancel-all", "--demo-account", "3").json().path("cancelled")).hasSize(1);
    assertThat(ok("open-orders", "--demo-account", "3").json()).isEmpty();
  }

  @Test
  void accountReadsSignAReadGrantWithTheAccountsKey() throws Exception {
    String seed = HexFormat.of().formatHex(new byte[32]).replace("00", "05"); // demo account 4
    assertThat(ok("account", "--demo-account", "4").json().path("account").asInt()).isEqualTo(4);
    assertThat(ok("open-orders", "--key-seed-hex", seed, "--account", "4").json()).isEmpty();
    // account 4's key cannot read account 5
    for (String cmd :
        List.of(
            "account",
            "open-orders",
            "fills",
            "nonces",
            "funding-payments",
            "collateral-history")) {
      Run other = cli(cmd, "--key-seed-hex", seed, "--account", "5");
      assertThat(other.code()).as(cmd).isEqualTo(ZkPerpCli.EXIT_RPC_ERROR);
      assertThat(other.err()).as(cmd).startsWith("error 5104 READ_GRANT_INVALID: ");
      assertThat(other.out()).as(cmd).isEmpty();
    }
    // an account id alone is no longer enough: a usage error naming the key options
    Run noKey = cli("account", "--account", "4");
    assertThat(noKey.code()).isEqualTo(2);
    assertThat(noKey.err()).contains("--key-seed-hex");
    // and the raw method without a grant is refused
    try {
      new ZkPerpClient(java.net.URI.create(url))
          .call("perp_getAccount", MAPPER.createObjectNode().put("account", 4));
      org.junit.jupiter.api.Assertions.fail("perp_getAccount answered without a grant");
    } catch (ZkPerpRpcException e) {
      assertThat(e.code()).isEqualTo(5101);
      assertThat(e.name()).isEqualTo("READ_AUTH_REQUIRED");
    }
  }

  @Test
  void grantPrintsOneLineThatTheNodeAcceptsAsAuth() throws Exception {
    Run g = ok("grant", "--demo-account", "3");
    assertThat(g.out().strip()).doesNotContain("\n"); // one line, to paste
    JsonNode auth = g.json();
    long now = System.currentTimeMillis() / 1000;
    assertThat(auth.path("account").asInt()).isEqualTo(3);
    assertThat(auth.path("validUntil").asLong()).isBetween(now + 3000, now + 3700);
    assertThat(auth.path("signature").asText()).matches("0x[0-9a-f]{128}");
    com.fasterxml.jackson.databind.node.ObjectNode params =
        MAPPER.createObjectNode().put("account", 3);
    params.set("auth", auth);
    JsonNode account = new ZkPerpClient(java.net.URI.create(url)).call("perp_getAccount", params);
    assertThat(account.path("account").asInt()).isEqualTo(3);
    // the grant is account 3's: it reads nothing of account 4
    params.put("account", 4);
    try {
      new ZkPerpClient(java.net.URI.create(url)).call("perp_getAccount", params);
      org.junit.jupiter.api.Assertions.fail("account 3's grant read account 4");
    } catch (ZkPerpRpcException e) {
      assertThat(e.name()).isEqualTo("READ_GRANT_WRONG_ACCOUNT");
    }
  }

  @Test
  void anExplicitSeedSignsAndAWrongAccountIsRefused() throws Exception {
    String seed = HexFormat.of().formatHex(new byte[32]).replace("00", "05"); // demo account 4
    Run right =
        cli(
            "place-order",
            "--key-seed-hex",
            seed,
            "--account",
            "4",
            "--market",
            "2",
            "--side",
            "BUY",
            "--size",
            "1",
            "--price",
            "980");
    assertThat(right.code()).as(right.err()).isZero();
    Run wrong =
        cli(
            "place-order",
            "--key-seed-hex",
            seed,
            "--account",
            "5",
            "--nonce", // without it, the nonce lookup already fails: READ_GRANT_INVALID
            "1",
            "--market",
            "2",
            "--side",
            "BUY",
            "--size",
            "1",
            "--price",
            "980");
    assertThat(wrong.code()).isEqualTo(ZkPerpCli.EXIT_RPC_ERROR);
    assertThat(wrong.err()).startsWith("error 1001 BAD_SIGNATURE: ");
    Run badId =
        cli(
            "place-order",
            "--demo-account",
            "4",
            "--market",
            "2",
            "--side",
            "BUY",
            "--size",
            "1",
            "--price",
            "980",
            "--client-order-id",
            "4294967296");
    assertThat(badId.code()).isEqualTo(2);
    assertThat(badId.err()).contains("u32");
    Run usage = cli("place-order", "--market", "2", "--side", "BUY", "--size", "1", "--price", "1");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("--demo-account");
  }

  @Test
  void theBuiltInFeedKeepsSigningPricesThatTheRiskEngineUses() throws Exception {
    long batches = node.priceFeed().acceptedBatches();
    assertThat(batches).isGreaterThanOrEqualTo(2); // the step at start: one per market
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (node.priceFeed().acceptedBatches() < batches + 4 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(node.priceFeed().acceptedBatches()).isGreaterThanOrEqualTo(batches + 4);
    assertThat(node.priceFeed().rejectedCommands()).isZero();
    long p = node.priceFeed().lastAcceptedPrice(2);
    long centre = DemoMarkets.centrePrice(2) << 32;
    assertThat(Math.abs(p - centre)).isLessThanOrEqualTo(centre / 1_000_000 * 20_050);
    // the risk engine refuses any order on a market without a price (NO_ORACLE_PRICE); with the
    // feed's price an order that opens a position is accepted
    assertThat(
            ok(
                    "place-order",
                    "--demo-account",
                    "5",
                    "--market",
                    "2",
                    "--side",
                    "BUY",
                    "--size",
                    "7",
                    "--price",
                    "999")
                .json()
                .path("status")
                .asText())
        .isEqualTo("OPEN");
  }

  @Test
  void theNodeRestartsOnItsDataDirectoryWithTheSameBook() throws Exception {
    ok(
        "place-order",
        "--demo-account",
        "1",
        "--market",
        "2",
        "--side",
        "SELL",
        "--size",
        "5",
        "--price",
        "1004");
    ok(
        "place-order",
        "--demo-account",
        "2",
        "--market",
        "2",
        "--side",
        "BUY",
        "--size",
        "2",
        "--price",
        "1004");
    ok(
        "place-order",
        "--demo-account",
        "6",
        "--market",
        "1",
        "--side",
        "BUY",
        "--size",
        "15",
        "--price",
        "9950");
    JsonNode book2 = ok("book", "--market", "2").json();
    JsonNode book1 = ok("book", "--market", "1").json();
    node.close();
    node = null;
    node = open();
    JsonNode after2 = ok("book", "--market", "2").json();
    JsonNode after1 = ok("book", "--market", "1").json();
    for (String f : List.of("bids", "asks", "sequence")) {
      assertThat(after2.path(f)).as(f).isEqualTo(book2.path(f));
      assertThat(after1.path(f)).as(f).isEqualTo(book1.path(f));
    }
    assertThat(after2.path("asks").get(0).path("size").asLong()).isEqualTo(3);
    assertThat(ok("nonces", "--demo-account", "6").json().path("highestNonce").asLong())
        .isEqualTo(1);
  }

  @Test
  void noNodeIsATransportErrorWithItsOwnExitCode() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    url = "http://127.0.0.1:" + port + "/";
    Run r = cli("markets");
    assertThat(r.code()).isEqualTo(ZkPerpCli.EXIT_TRANSPORT);
    assertThat(r.err()).startsWith("error: ").contains("./zk node");
  }
}
