package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
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
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * Piece 8 of the v3 wiring (node/README.md): a {@link RollupNode} opened with {@link
 * NodeConfig#withV3} on a fresh anvil (chain 31337). The node's own {@link V3Stores} write the
 * genesis the fixture rollup is deployed with ({@link FixtureRollup}: the fixture address, so the
 * cached v3-tiny keys serve); two traders deposit on L1; the node's watcher credits them; the
 * operator lists market 2 and submits a tick and a 3-of-3 signed oracle price through the engine
 * path (no RPC method takes prices); a maker's sell and a taker's crossing buy, signed for the
 * deployment's domain, go over {@code perp_placeOrder}. The node's {@link SettlementV3} seals
 * v3-tiny batches, a real prover worker process proves them for the deployment's domain and the
 * node's submitter commits them to {@code ZkPerpRollupV3}. Asserted: the settlement never pauses,
 * {@code perp_getSettlement} of the fill shows it COMMITTED with an L1 transaction, L1's root is
 * the node's v3 tree root, both priority operations consumed, four steps in the batches, then
 * {@code perp_getBatch} / {@code perp_getSettlement} FINAL after the finality blocks; a restart
 * (full journal replay) seals nothing new. No withdrawal: the node's intake verifies format 1
 * withdrawal signatures, the step format 2 (piece 6). The test's thread.
 */
class RollupNodeV3IT {
  static final long CONFIRMATIONS = 1;
  static final long FINALITY = 2;
  static final int MARKET = 2; // the demo market with centre price 1,000 (tick 1, step 1)
  static final long PRICE = 1_000;
  static final long SIZE = 10;

  @Test
  void depositsAndATradeAreSettledProvenAndCommittedAsFormatV3ThroughTheNode(@TempDir Path dir)
      throws Exception {
    try (AnvilProcess anvil =
            AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_337, 60);
        L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      NodeConfig cfg = config(dir, anvil.rpcUrl());
      // the genesis the node writes on its first open, from its own configuration
      V3Genesis genesis;
      try (V3Stores stores =
          V3Stores.open(cfg, cfg.riskEngine(), FixtureChain.DOMAIN, RollupNode.KEPT_VERSIONS)) {
        genesis = stores.tree().genesis();
      }
      assertThat(genesis.firstAccountId()).isEqualTo(1);
      FixtureRollup fixture = FixtureRollup.deploy(l1, genesis.stateRoot());
      fixture.deposit(DevAccounts.account(1), OrderScenario.MAKER);
      fixture.deposit(DevAccounts.account(2), OrderScenario.TAKER);

      long batches;
      try (RollupNode node = RollupNode.open(cfg)) {
        assertThat(node.settlement()).as("no format v2 settlement").isNull();
        assertThat(node.tree()).as("no layout v1 tree").isNull();
        assertThat(node.v3Tree().genesis()).isEqualTo(genesis);
        mine(anvil, CONFIRMATIONS);
        await("both deposits credited", () -> node.accounts().nextPriorityIndex() == 2, 30);
        // an oracle tick (the node's demo signers, 3 of 3) and a trade over perp_placeOrder, both
        // orders signed for the deployment's domain
        Rpc rpc = new Rpc(node.gateway().port());
        long now = System.currentTimeMillis() / 1000;
        // the market is listed by the operator (the node lists none; the genesis has its leaf)
        submit(
            node,
            DemoMarkets.MARKETS.stream()
                .filter(m -> m.market() == MARKET)
                .findFirst()
                .orElseThrow());
        submit(node, new Tick(now));
        List<PriceReport> reports = new ArrayList<>();
        for (int s = 0; s < DemoMarkets.ORACLE_SIGNERS; s++) {
          reports.add(
              PriceReportSigning.sign(
                  FixtureChain.DOMAIN, DemoMarkets.oracleKey(s), s, MARKET, PRICE << 32, now));
        }
        submit(node, new SignedOraclePrices(MARKET, reports));
        JsonNode ask = place(rpc, OrderScenario.MAKER, Side.SELL);
        assertThat(ask.path("result").path("status").asText()).as(ask.toString()).isEqualTo("OPEN");
        JsonNode bid = place(rpc, OrderScenario.TAKER, Side.BUY);
        assertThat(bid.path("result").path("status").asText())
            .as(bid.toString())
            .isEqualTo("FILLED");
        long fillSeq = bid.path("result").path("journalSeq").asLong();

        // v3-tiny batches (one deposit slot: the second deposit seals the first batch; the rest
        // is sealed by the time limit), proven by the worker, committed by the submitter; up to
        // three v3-tiny proofs on two workers, slow on a loaded 2-core machine (docs/benchmarks.md,
        // "Batch v3 proving")
        JsonNode settled = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
          settled = rpc.call("perp_getSettlement", Map.of("journalSeq", fillSeq)).path("result");
          if (settled.path("status").asText().equals("COMMITTED")) {
            break;
          }
          assertThat(node.settlementStage().pausedAt())
              .as("paused: %s", node.settlementStage().pauseReason())
              .isZero();
          Thread.sleep(100);
        }
        assertThat(settled.path("status").asText()).as(settled.toString()).isEqualTo("COMMITTED");
        assertThat(settled.path("l1TxHash").asText()).startsWith("0x");
        long fillBatch = settled.path("batch").asLong();
        await(
            "the settlement idle",
            () -> node.settlementStage().recordsWaiting() == 0 && lastSealed(node) == fillBatch,
            30);
        assertThat(node.settlementStage().pausedAt()).as("not paused").isZero();
        assertThat(fixture.rollup().lastBatchNumber().send())
            .isEqualTo(BigInteger.valueOf(fillBatch));
        assertThat(fixture.rollup().stateRoot().send())
            .as("L1's root is the node's v3 tree root")
            .isEqualTo(node.v3Tree().store().roots().stateRoot().toBigInteger());
        assertThat(fixture.rollup().consumedPriorityOps().send()).isEqualTo(BigInteger.TWO);
        List<BatchRecord> all = node.batches().range(1, 10);
        assertThat(all).hasSize((int) fillBatch);
        assertThat(all.stream().mapToInt(BatchRecord::priorityCount).sum()).isEqualTo(2);
        // the steps: two deposits, the oracle tick, the trade (AddMarket and Tick have none)
        assertThat(all.stream().mapToInt(BatchRecord::txCount).sum()).isEqualTo(4);

        mine(anvil, FINALITY);
        await("the fill's batch final", () -> status(node, fillBatch) == BatchStatus.FINAL, 30);
        JsonNode batch = rpc.call("perp_getBatch", Map.of("batch", fillBatch)).path("result");
        assertThat(batch.path("status").asText()).isEqualTo("FINAL");
        assertThat(batch.path("firstJournalSeq").asLong()).isLessThanOrEqualTo(fillSeq);
        assertThat(batch.path("lastJournalSeq").asLong())
            .as("the fill is its last step")
            .isEqualTo(fillSeq);
        assertThat(
                rpc.call("perp_getSettlement", Map.of("journalSeq", fillSeq))
                    .path("result")
                    .path("status")
                    .asText())
            .isEqualTo("FINAL");
        batches = fillBatch;
      }
      // a restart replays the journal and settles nothing twice
      try (RollupNode node = RollupNode.open(cfg)) {
        Thread.sleep(3_000);
        assertThat(node.batches().get(batches + 1)).isEmpty();
        assertThat(node.settlementStage().pausedAt()).isZero();
        assertThat(node.v3Tree().store().roots().stateRoot().toBigInteger())
            .isEqualTo(fixture.rollup().stateRoot().send());
      }
      // another oracle quorum is another genesis: refused, the stored one kept
      NodeConfig.OracleSigners quorum3 =
          new NodeConfig.OracleSigners(NodeConfig.OracleSigners.DEMO.signers(), 3);
      assertThatThrownBy(() -> RollupNode.open(cfg.withOracleSigners(quorum3)))
          .isInstanceOf(IOException.class)
          .hasCauseInstanceOf(GenesisMismatchException.class);
      try (V3Stores stores =
          V3Stores.open(cfg, cfg.riskEngine(), FixtureChain.DOMAIN, RollupNode.KEPT_VERSIONS)) {
        assertThat(stores.tree().genesis()).isEqualTo(genesis);
      }
    }
  }

  @Test
  void v3IsRefusedWithSnapshotsOrWithoutL1OrWithAnotherProverShape(@TempDir Path dir) {
    NodeConfig cfg = config(dir, "http://127.0.0.1:1");
    assertThatThrownBy(() -> RollupNode.open(cfg.withSnapshots(NodeConfig.Snapshots.DEFAULT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snapshots");
    assertThatThrownBy(() -> RollupNode.open(cfg.withL1(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs the L1 side");
    assertThatThrownBy(() -> RollupNode.open(cfg.withV3(new NodeConfig.V3("v3-devnet", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prover's shape is v3-tiny");
    assertThatThrownBy(() -> new NodeConfig.V3("tiny", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a format v3 shape");
    assertThat(dir.resolve("node")).as("nothing opened").doesNotExist();
  }

  static NodeConfig config(Path dir, String rpcUrl) {
    String keys = System.getProperty("zkperp.test.keys");
    WorkerOptions worker =
        WorkerOptions.defaults(dir.resolve("prover-jobs"), FixtureChain.SHAPE_NAME)
            .withKeyDir(keys == null ? BatchProver.defaultKeyDir() : Path.of(keys));
    return new NodeConfig(
            dir.resolve("node"),
            GatewayConfig.defaults(0),
            1,
            Duration.ofSeconds(2),
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

  static long lastSealed(RollupNode node) {
    return node.settlementStage().lastSealed();
  }

  static void submit(RollupNode node, Command c) throws Exception {
    CommandOutcome o = node.gateway().bridge().submit(c).get(10, TimeUnit.SECONDS);
    assertThat(o).as("%s", c).isInstanceOf(CommandOutcome.Accepted.class);
  }

  /** A GTC limit order of {@link #SIZE} at {@link #PRICE} signed with the account's fixture key. */
  static JsonNode place(Rpc rpc, int account, Side side) throws Exception {
    PlaceOrder o =
        OrderSigning.sign(
            FixtureChain.key(account),
            FixtureChain.DOMAIN,
            new PlaceOrder(
                account,
                MARKET,
                side,
                1,
                OrderType.LIMIT,
                TimeInForce.GTC,
                false,
                SIZE,
                PRICE,
                1000,
                4_000_000_000L,
                1,
                TriggerType.NONE,
                0,
                new byte[64]));
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    p.put("account", account);
    p.put("market", MARKET);
    p.put("side", side.name());
    p.put("clientOrderId", 1);
    p.put("size", SIZE);
    p.put("price", PRICE);
    p.put("feeCap", 1000);
    p.put("expiry", 4_000_000_000L);
    p.put("nonce", 1);
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

  static void await(String what, BooleanSupplier done, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }

  static void mine(AnvilProcess anvil, long blocks) throws IOException {
    HttpService http = new HttpService(anvil.rpcUrl());
    for (long i = 0; i < blocks; i++) {
      new Request<>("evm_mine", List.of(), http, VoidResponse.class).send();
    }
  }

  /** A JSON-RPC client of the node's gateway. */
  static final class Rpc {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;
    private final ObjectMapper json = new ObjectMapper();
    private int id;

    Rpc(int port) {
      this.uri = URI.create("http://127.0.0.1:" + port + "/");
    }

    JsonNode call(String method, Map<String, Object> params)
        throws IOException, InterruptedException {
      String body =
          json.writeValueAsString(
              Map.of("jsonrpc", "2.0", "id", ++id, "method", method, "params", params));
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return json.readTree(r.body());
    }
  }
}
