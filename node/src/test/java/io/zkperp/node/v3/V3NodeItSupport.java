package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.node.Await;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.GatewayRpc;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.RollupNode;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.WorkerOptions;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * What the tests of a format v3 {@link RollupNode} on anvil share ({@link RollupNodeV3IT}, {@link
 * EscapeV3IT}, {@link DashboardV3IT}): the node's configuration for the fixture deployment ({@link
 * FixtureRollup}, whose domain the cached v3-tiny keys serve), the genesis the node writes and the
 * fixture rollup deployed with it and both traders' deposits, the operator's market listing and
 * signed oracle prices through the engine path, orders signed with the fixture traders' keys over
 * {@code perp_placeOrder}, anvil calls, waits and a JSON-RPC client; waiting for a record's batch
 * on L1 is {@link V3SettlementWaits}. The test's thread.
 */
final class V3NodeItSupport {
  static final long CONFIRMATIONS = 1;
  static final long FINALITY = 2;
  static final int MARKET = 2; // the demo market with centre price 1,000 (tick 1, step 1)
  static final long PRICE = 1_000;
  static final long SIZE = 10;

  private V3NodeItSupport() {}

  /** Anvil on the fixture deployment's chain (31337), given 60 s to start. */
  static AnvilProcess startAnvil() throws IOException {
    return AnvilProcess.start(
        AnvilProcess.launcherFromSystemProperty(), FixtureChain.DOMAIN.chainId(), 60);
  }

  /** A v3-tiny node on the fixture deployment that seals a batch 2 s after its first record. */
  static NodeConfig config(Path dir, String rpcUrl) {
    return config(dir, rpcUrl, Duration.ofSeconds(2));
  }

  /**
   * A v3-tiny node on the fixture deployment: the prover worker with the cached keys, {@link
   * #CONFIRMATIONS} for deposits, {@link #FINALITY} blocks to FINAL, 200 ms polling, no snapshots.
   *
   * @param dir the test's directory (node data and proof jobs under it)
   * @param rpcUrl anvil's endpoint
   * @param batchTime how long an open batch waits for more records before it is sealed
   * @return the configuration
   */
  static NodeConfig config(Path dir, String rpcUrl, Duration batchTime) {
    String keys = System.getProperty("zkperp.test.keys");
    WorkerOptions worker =
        WorkerOptions.defaults(dir.resolve("prover-jobs"), FixtureChain.SHAPE_NAME)
            .withKeyDir(keys == null ? BatchProver.defaultKeyDir() : Path.of(keys));
    return new NodeConfig(
            dir.resolve("node"),
            GatewayConfig.defaults(0),
            1,
            batchTime,
            worker,
            new NodeConfig.L1(
                rpcUrl,
                FixtureRollup.ADDRESS,
                DevAccounts.account(0),
                CONFIRMATIONS,
                FINALITY,
                100,
                0,
                Duration.ofMillis(200)))
        .withSnapshots(NodeConfig.Snapshots.NONE)
        .withV3(new NodeConfig.V3(FixtureChain.SHAPE_NAME, 1));
  }

  /** The genesis the node writes on its first open, from its own configuration. */
  static V3Genesis genesis(NodeConfig cfg) throws Exception {
    V3Genesis genesis;
    try (V3Stores stores =
        V3Stores.open(cfg, cfg.riskEngine(), FixtureChain.DOMAIN, RollupNode.KEPT_VERSIONS)) {
      genesis = stores.tree().genesis();
    }
    assertThat(genesis.firstAccountId()).isEqualTo(1);
    return genesis;
  }

  /**
   * The fixture rollup deployed with a node's genesis; the maker (account 1, wallet 1) and the
   * taker (account 2, wallet 2) deposit {@link OrderScenario#DEPOSIT} each on L1.
   */
  static FixtureRollup deployWithDeposits(L1Session l1, V3Genesis genesis) throws Exception {
    FixtureRollup fixture = FixtureRollup.deploy(l1, genesis.stateRoot());
    fixture.deposit(DevAccounts.account(1), OrderScenario.MAKER);
    fixture.deposit(DevAccounts.account(2), OrderScenario.TAKER);
    return fixture;
  }

  /**
   * Both deposits credited by the node's watcher ({@link #CONFIRMATIONS} blocks mined), then {@link
   * #MARKET} listed by the operator, a tick to {@code now} and a 3-of-3 signed oracle price of
   * {@link #PRICE} through the engine path.
   */
  static void creditAndPrice(AnvilProcess anvil, RollupNode node, long now) throws Exception {
    mine(anvil, CONFIRMATIONS);
    await("both deposits credited", () -> node.accounts().nextPriorityIndex() == 2, 30);
    listAndPrice(node, now);
  }

  /**
   * {@link #creditAndPrice}, then the maker's sell of {@link #SIZE} at {@link #PRICE} crossed by
   * the taker's buy over {@code perp_placeOrder}, both signed for the deployment's domain.
   *
   * @param now the tick's time and the price's (the engine's time after it), unix seconds
   * @return the fill's journal sequence
   */
  static long creditAndTrade(AnvilProcess anvil, RollupNode node, Rpc rpc, long now)
      throws Exception {
    creditAndPrice(anvil, node, now);
    JsonNode ask = place(rpc, OrderScenario.MAKER, Side.SELL);
    assertThat(ask.path("result").path("status").asText()).as(ask.toString()).isEqualTo("OPEN");
    JsonNode bid = place(rpc, OrderScenario.TAKER, Side.BUY);
    assertThat(bid.path("result").path("status").asText()).as(bid.toString()).isEqualTo("FILLED");
    return bid.path("result").path("journalSeq").asLong();
  }

  static long lastSealed(RollupNode node) {
    return node.settlementStage().lastSealed();
  }

  /** Submits a command through the engine path; it must be accepted. */
  static void submit(RollupNode node, Command c) throws Exception {
    CommandOutcome o = node.gateway().bridge().submit(c).get(10, TimeUnit.SECONDS);
    assertThat(o).as("%s", c).isInstanceOf(CommandOutcome.Accepted.class);
  }

  /**
   * The operator lists {@link #MARKET} (the node lists none; the genesis has its leaf), ticks the
   * clock to {@code now} and submits a 3-of-3 signed oracle price of {@link #PRICE} from the demo
   * signers (no RPC method takes prices).
   */
  static void listAndPrice(RollupNode node, long now) throws Exception {
    listMarket(node);
    price(node, now);
  }

  /** The operator lists {@link #MARKET} (the demo market's configuration). */
  static void listMarket(RollupNode node) throws Exception {
    submit(
        node,
        DemoMarkets.MARKETS.stream().filter(m -> m.market() == MARKET).findFirst().orElseThrow());
  }

  /**
   * A tick to {@code now} and a 3-of-3 signed oracle price of {@link #PRICE} for {@link #MARKET}.
   */
  static void price(RollupNode node, long now) throws Exception {
    submit(node, new Tick(now));
    signedPrice(node, PRICE, now);
  }

  /** A 3-of-3 signed oracle price of {@link #MARKET} at {@code time} through the engine path. */
  static void signedPrice(RollupNode node, long price, long time) throws Exception {
    List<PriceReport> reports = new ArrayList<>();
    for (int s = 0; s < DemoMarkets.ORACLE_SIGNERS; s++) {
      reports.add(
          PriceReportSigning.sign(
              FixtureChain.DOMAIN, DemoMarkets.oracleKey(s), s, MARKET, price << 32, time));
    }
    submit(node, new SignedOraclePrices(MARKET, reports));
  }

  /** A GTC limit order of {@link #SIZE} at {@link #PRICE} signed with the account's fixture key. */
  static JsonNode place(Rpc rpc, int account, Side side) throws Exception {
    return place(rpc, account, side, PRICE, 1);
  }

  /**
   * A GTC limit order of {@link #SIZE} signed with the account's fixture key; the client order id
   * is the nonce.
   */
  static JsonNode place(Rpc rpc, int account, Side side, long price, long nonce) throws Exception {
    return place(rpc, account, side, price, nonce, SIZE);
  }

  /**
   * A GTC limit order of {@code size} signed with the account's fixture key; the client order id is
   * the nonce.
   */
  static JsonNode place(Rpc rpc, int account, Side side, long price, long nonce, long size)
      throws Exception {
    PlaceOrder o =
        OrderSigning.sign(
            FixtureChain.key(account),
            FixtureChain.DOMAIN,
            new PlaceOrder(
                account,
                MARKET,
                side,
                (int) nonce,
                OrderType.LIMIT,
                TimeInForce.GTC,
                false,
                size,
                price,
                1000,
                4_000_000_000L,
                nonce,
                TriggerType.NONE,
                0,
                new byte[64]));
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("account", account);
    p.put("market", MARKET);
    p.put("side", side.name());
    p.put("clientOrderId", nonce);
    p.put("size", size);
    p.put("price", price);
    p.put("feeCap", 1000);
    p.put("expiry", 4_000_000_000L);
    p.put("nonce", nonce);
    p.put("signature", "0x" + HexFormat.of().formatHex(o.signature()));
    return rpc.call("perp_placeOrder", p);
  }

  static BatchStatus status(RollupNode node, long batch) {
    try {
      return node.batches().get(batch).map(BatchRecord::status).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link Await#until}. */
  static void await(String what, BooleanSupplier done, int seconds) throws InterruptedException {
    Await.until(what, done, seconds);
  }

  static void mine(AnvilProcess anvil, long blocks) throws IOException {
    for (long i = 0; i < blocks; i++) {
      anvil(anvil, "evm_mine", List.of());
    }
  }

  /** Calls an anvil method without a result ({@code evm_mine}, {@code evm_setAutomine} …). */
  static void anvil(AnvilProcess anvil, String method, List<?> params) throws IOException {
    VoidResponse r =
        new Request<>(method, params, new HttpService(anvil.rpcUrl()), VoidResponse.class).send();
    if (r.hasError()) {
      throw new IOException(method + ": " + r.getError().getMessage());
    }
  }

  /**
   * A JSON-RPC client of the node's gateway ({@link GatewayRpc}, under the name the v3 tests use).
   */
  static final class Rpc extends GatewayRpc {
    Rpc(int port) {
      super(port);
    }
  }
}
