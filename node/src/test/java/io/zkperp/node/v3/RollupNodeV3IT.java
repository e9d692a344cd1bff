package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.client.TransactionFormat;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.ZkPerpRpcException;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.RollupNode;
import io.zkperp.protocol.state.L1Address;
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
import org.web3j.crypto.Credentials;
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
 * node's submitter commits them to {@code ZkPerpRollupV3}. Pieces 6 and 7: the node's {@code
 * perp_getDomain} names format 2; a format 1 withdrawal signature over {@code perp_withdraw} is
 * {@code BAD_SIGNATURE} and, while v3-tiny has no transfer slot (read from {@link V3Shapes}), a
 * transfer {@code NOT_IN_BATCH_SHAPE}, neither journaled (the maker's nonce stays 0 and the next
 * record is the fill's successor); the maker's format 2 withdrawal through {@link ZkPerpClient} is
 * settled with the trade. Asserted: the settlement never pauses, {@code perp_getSettlement} of the
 * withdrawal passes accepted → … → COMMITTED → FINAL in order (the states a 100 ms poll sees), L1's
 * root is the node's v3 tree root, both priority operations consumed, five steps in the batches,
 * {@code perp_getBatch} FINAL with the withdrawal its last record, the withdrawal claimed from
 * {@code ZkPerpRollupV3} with exact TestUSD balances (maker 250,000, taker 0, vault 1,750,000). The
 * node snapshots every 2 records: a restart starts from a snapshot at or before the last batch's
 * last record, replays only the records after it and seals nothing new; then a buy fills the
 * maker's second sell, resting since before the snapshot (its signed order restored from the
 * snapshot), and that trade is sealed, proven and committed with L1's root = the tree's. The test's
 * thread.
 */
class RollupNodeV3IT {
  static final long CONFIRMATIONS = 1;
  static final long FINALITY = 2;
  static final int MARKET = 2; // the demo market with centre price 1,000 (tick 1, step 1)
  static final long PRICE = 1_000;
  static final long SIZE = 10;
  static final long WITHDRAWN = 250_000; // of the maker's deposit, after the trade

  @Test
  void depositsAndATradeAreSettledProvenAndCommittedAsFormatV3ThroughTheNode(@TempDir Path dir)
      throws Exception {
    try (AnvilProcess anvil =
            AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_337, 60);
        L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      // a snapshot every 2 journal records: the restart below starts from one
      NodeConfig cfg =
          config(dir, anvil.rpcUrl()).withSnapshots(new NodeConfig.Snapshots(2, 0, 2, null));
      // the genesis the node writes on its first open, from its own configuration
      V3Genesis genesis;
      try (V3Stores stores =
          V3Stores.open(cfg, cfg.riskEngine(), FixtureChain.DOMAIN, RollupNode.KEPT_VERSIONS)) {
        genesis = stores.tree().genesis();
      }
      assertThat(genesis.firstAccountId()).isEqualTo(1);
      FixtureRollup fixture = FixtureRollup.deploy(l1, genesis.stateRoot());
      Credentials maker = DevAccounts.account(1);
      Credentials taker = DevAccounts.account(2);
      fixture.deposit(maker, OrderScenario.MAKER);
      fixture.deposit(taker, OrderScenario.TAKER);

      long batches;
      long restingSeq;
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
        // a second sell one tick higher rests across the restart below (the translator keeps its
        // signed order; after the restart it comes from the snapshot)
        JsonNode resting = place(rpc, OrderScenario.MAKER, Side.SELL, PRICE + 1, 2);
        assertThat(resting.path("result").path("status").asText())
            .as(resting.toString())
            .isEqualTo("OPEN");
        restingSeq = resting.path("result").path("journalSeq").asLong();
        JsonNode bid = place(rpc, OrderScenario.TAKER, Side.BUY);
        assertThat(bid.path("result").path("status").asText())
            .as(bid.toString())
            .isEqualTo("FILLED");
        long fillSeq = bid.path("result").path("journalSeq").asLong();

        // piece 6: withdrawals over RPC in format 2, in the deployment's domain
        ZkPerpClient client =
            new ZkPerpClient(URI.create("http://127.0.0.1:" + node.gateway().port() + "/"));
        assertThat(client.transactionFormat()).isEqualTo(TransactionFormat.FORMAT_2);
        assertThat(client.domain()).isEqualTo(FixtureChain.DOMAIN);
        L1Address makerOwner = L1Address.fromHex(maker.getAddress());
        // a format 1 signature is refused, nothing journaled
        byte[] format1 =
            TransactionFormat.FORMAT_1.signWithdrawal(
                FixtureChain.key(OrderScenario.MAKER),
                FixtureChain.DOMAIN,
                OrderScenario.MAKER,
                makerOwner,
                WITHDRAWN,
                0);
        JsonNode refused =
            rpc.call(
                "perp_withdraw",
                Map.of(
                    "account",
                    OrderScenario.MAKER,
                    "amount",
                    WITHDRAWN,
                    "nonce",
                    0,
                    "signature",
                    "0x" + HexFormat.of().formatHex(format1)));
        assertThat(refused.path("error").path("data").path("error").asText())
            .as(refused.toString())
            .isEqualTo("BAD_SIGNATURE");
        if (V3Shapes.shape(FixtureChain.SHAPE_NAME).transfers() == 0) {
          // the shape has no transfer slot: a transfer is refused before anything is journaled
          assertThatThrownBy(
                  () ->
                      client.transfer(
                          FixtureChain.key(OrderScenario.MAKER),
                          OrderScenario.MAKER,
                          OrderScenario.TAKER,
                          1,
                          0))
              .isInstanceOf(ZkPerpRpcException.class)
              .hasMessageContaining("has no transfer slot")
              .extracting(e -> ((ZkPerpRpcException) e).name())
              .isEqualTo("NOT_IN_BATCH_SHAPE");
        }
        assertThat(node.accounts().account(OrderScenario.MAKER).nextNonce()).isZero();
        long withdrawalSeq =
            client
                .withdraw(
                    FixtureChain.key(OrderScenario.MAKER),
                    OrderScenario.MAKER,
                    makerOwner,
                    WITHDRAWN,
                    0)
                .path("journalSeq")
                .asLong();
        assertThat(withdrawalSeq).as("the refusals journaled nothing").isEqualTo(fillSeq + 1);

        // v3-tiny batches (one deposit slot: the second deposit seals the first batch; the rest
        // is sealed by the time limit), proven by the worker, committed by the submitter (up to
        // three v3-tiny proofs on two workers, slow on a loaded 2-core machine: docs/benchmarks.md,
        // "Batch v3 proving"); the withdrawal's finality states as perp_getSettlement shows them,
        // in order
        List<String> seen = new ArrayList<>();
        JsonNode settled = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
          settled =
              rpc.call("perp_getSettlement", Map.of("journalSeq", withdrawalSeq)).path("result");
          String status = settled.path("status").asText();
          if (seen.isEmpty() || !seen.getLast().equals(status)) {
            seen.add(status);
          }
          if (status.equals("COMMITTED")) {
            break;
          }
          assertThat(node.settlementStage().pausedAt())
              .as("paused: %s", node.settlementStage().pauseReason())
              .isZero();
          Thread.sleep(100);
        }
        assertThat(settled.path("status").asText()).as(settled.toString()).isEqualTo("COMMITTED");
        assertThat(settled.path("l1TxHash").asText()).startsWith("0x");
        long withdrawalBatch = settled.path("batch").asLong();
        JsonNode fillSettled =
            rpc.call("perp_getSettlement", Map.of("journalSeq", fillSeq)).path("result");
        assertThat(fillSettled.path("status").asText()).isEqualTo("COMMITTED");
        long fillBatch = fillSettled.path("batch").asLong();
        assertThat(fillBatch).isLessThanOrEqualTo(withdrawalBatch);
        await(
            "the settlement idle",
            () ->
                node.settlementStage().recordsWaiting() == 0 && lastSealed(node) == withdrawalBatch,
            30);
        assertThat(node.settlementStage().pausedAt()).as("not paused").isZero();
        assertThat(fixture.rollup().lastBatchNumber().send())
            .isEqualTo(BigInteger.valueOf(withdrawalBatch));
        assertThat(fixture.rollup().stateRoot().send())
            .as("L1's root is the node's v3 tree root")
            .isEqualTo(node.v3Tree().store().roots().stateRoot().toBigInteger());
        assertThat(fixture.rollup().consumedPriorityOps().send()).isEqualTo(BigInteger.TWO);
        List<BatchRecord> all = node.batches().range(1, 10);
        assertThat(all).hasSize((int) withdrawalBatch);
        assertThat(all.stream().mapToInt(BatchRecord::priorityCount).sum()).isEqualTo(2);
        // the steps: two deposits, the oracle tick, the trade, the withdrawal (AddMarket and Tick
        // have none)
        assertThat(all.stream().mapToInt(BatchRecord::txCount).sum()).isEqualTo(5);

        mine(anvil, FINALITY);
        await(
            "the withdrawal's batch final",
            () -> status(node, withdrawalBatch) == BatchStatus.FINAL,
            30);
        JsonNode batch = rpc.call("perp_getBatch", Map.of("batch", withdrawalBatch)).path("result");
        assertThat(batch.path("status").asText()).isEqualTo("FINAL");
        assertThat(batch.path("firstJournalSeq").asLong()).isLessThanOrEqualTo(withdrawalSeq);
        assertThat(batch.path("lastJournalSeq").asLong())
            .as("the withdrawal is the last step")
            .isEqualTo(withdrawalSeq);
        assertThat(batch.path("l1TxHash").asText()).isEqualTo(settled.path("l1TxHash").asText());
        JsonNode fillBatchJson =
            rpc.call("perp_getBatch", Map.of("batch", fillBatch)).path("result");
        assertThat(fillBatchJson.path("firstJournalSeq").asLong()).isLessThanOrEqualTo(fillSeq);
        assertThat(fillBatchJson.path("lastJournalSeq").asLong()).isGreaterThanOrEqualTo(fillSeq);
        for (long seq : List.of(fillSeq, withdrawalSeq)) {
          assertThat(
                  rpc.call("perp_getSettlement", Map.of("journalSeq", seq))
                      .path("result")
                      .path("status")
                      .asText())
              .isEqualTo("FINAL");
        }
        seen.add("FINAL");
        List<String> order =
            List.of("accepted", "SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL");
        assertThat(seen).as("the withdrawal's states, in order").first().isEqualTo("accepted");
        assertThat(seen).containsSubsequence("accepted", "COMMITTED", "FINAL");
        for (int i = 1; i < seen.size(); i++) {
          assertThat(order.indexOf(seen.get(i)))
              .as("%s in order", seen)
              .isGreaterThan(order.indexOf(seen.get(i - 1)));
        }

        // piece 7: the withdrawal claimed on L1 from ZkPerpRollupV3, exact ERC-20 balances
        BigInteger withdrawn = BigInteger.valueOf(WITHDRAWN);
        assertThat(fixture.rollup().withdrawable(maker.getAddress()).send()).isEqualTo(withdrawn);
        ZkPerpRollupV3 asMaker =
            ZkPerpRollupV3.load(
                FixtureRollup.ADDRESS, l1.web3j(), l1.transactionManager(maker), l1.gas());
        l1.send(maker.getAddress(), FixtureRollup.ADDRESS, asMaker.withdraw(), "withdraw");
        TestUSD usd =
            TestUSD.load(
                fixture.token(), l1.web3j(), l1.transactionManager(fixture.deployer()), l1.gas());
        assertThat(usd.balanceOf(maker.getAddress()).send()).isEqualTo(withdrawn);
        assertThat(usd.balanceOf(taker.getAddress()).send()).isZero();
        assertThat(usd.balanceOf(FixtureRollup.ADDRESS).send())
            .isEqualTo(BigInteger.valueOf(2 * OrderScenario.DEPOSIT).subtract(withdrawn));
        assertThat(fixture.rollup().withdrawable(maker.getAddress()).send()).isZero();
        // one record after the fill that adds no step (a buy that rests), and a snapshot at or
        // after the fill written
        JsonNode low = place(rpc, OrderScenario.TAKER, Side.BUY, PRICE - 1, 3);
        assertThat(low.path("result").path("status").asText()).as(low.toString()).isEqualTo("OPEN");
        await(
            "a snapshot at or after the fill's record",
            () -> node.snapshotter().writtenSeq() >= fillSeq,
            30);
        batches = withdrawalBatch;
      }
      // a restart starts from the newest snapshot at or before the fill (the record before the
      // settlement's resume point), after the resting sell, replays only the journal after it and
      // settles nothing twice
      try (RollupNode node = RollupNode.open(cfg)) {
        RollupNode.Recovery rec = node.recovery();
        assertThat(rec.snapshotSeq())
            .as("%s", rec)
            .isLessThanOrEqualTo(batchLastSeq(node, batches))
            .isGreaterThanOrEqualTo(restingSeq);
        assertThat(rec.replayed()).as("%s", rec).isEqualTo(rec.lastSeq() - rec.snapshotSeq());
        assertThat(rec.replayed()).as("%s: not the whole journal", rec).isLessThan(rec.lastSeq());
        Thread.sleep(3_000);
        assertThat(node.batches().get(batches + 1)).isEmpty();
        assertThat(node.settlementStage().pausedAt()).isZero();
        assertThat(node.v3Tree().store().roots().stateRoot().toBigInteger())
            .isEqualTo(fixture.rollup().stateRoot().send());
        // the taker buys the sell resting since before the snapshot: its signed order is the
        // snapshot's; the trade is sealed, proven and committed on L1
        Rpc rpc = new Rpc(node.gateway().port());
        JsonNode bid = place(rpc, OrderScenario.TAKER, Side.BUY, PRICE + 1, 2);
        assertThat(bid.path("result").path("status").asText())
            .as(bid.toString())
            .isEqualTo("FILLED");
        long fillSeq = bid.path("result").path("journalSeq").asLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        JsonNode settled = null;
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
        assertThat(settled.path("batch").asLong()).isEqualTo(batches + 1);
        await("the settlement idle", () -> node.settlementStage().recordsWaiting() == 0, 30);
        assertThat(fixture.rollup().stateRoot().send())
            .as("L1's root is the node's v3 tree root after the trade")
            .isEqualTo(node.v3Tree().store().roots().stateRoot().toBigInteger());
        batches++;
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
  void v3IsRefusedWithoutL1OrWithAnotherProverShape(@TempDir Path dir) {
    NodeConfig cfg = config(dir, "http://127.0.0.1:1");
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
   * Both deposits credited by the node's watcher, then market {@link #MARKET} listed by the
   * operator, a tick and a 3-of-3 signed oracle price at {@link #PRICE} through the engine path,
   * and the maker's sell of {@link #SIZE} crossed by the taker's buy over {@code perp_placeOrder},
   * both signed for the deployment's domain.
   *
   * @param now the tick's time and the price's (the engine's time after it), unix seconds
   * @return the fill's journal sequence
   */
  static long creditAndTrade(AnvilProcess anvil, RollupNode node, Rpc rpc, long now)
      throws Exception {
    mine(anvil, CONFIRMATIONS);
    await("both deposits credited", () -> node.accounts().nextPriorityIndex() == 2, 30);
    // an oracle tick (the node's demo signers, 3 of 3) and a trade over perp_placeOrder, both
    // orders signed for the deployment's domain
    // the market is listed by the operator (the node lists none; the genesis has its leaf)
    submit(
        node,
        DemoMarkets.MARKETS.stream().filter(m -> m.market() == MARKET).findFirst().orElseThrow());
    submit(node, new Tick(now));
    submitPrice(node, PRICE, now);
    JsonNode ask = place(rpc, OrderScenario.MAKER, Side.SELL);
    assertThat(ask.path("result").path("status").asText()).as(ask.toString()).isEqualTo("OPEN");
    JsonNode bid = place(rpc, OrderScenario.TAKER, Side.BUY);
    assertThat(bid.path("result").path("status").asText()).as(bid.toString()).isEqualTo("FILLED");
    return bid.path("result").path("journalSeq").asLong();
  }

  /** A 3-of-3 signed oracle price of {@link #MARKET} through the engine path. */
  static void submitPrice(RollupNode node, long price, long time) throws Exception {
    List<PriceReport> reports = new ArrayList<>();
    for (int s = 0; s < DemoMarkets.ORACLE_SIGNERS; s++) {
      reports.add(
          PriceReportSigning.sign(
              FixtureChain.DOMAIN, DemoMarkets.oracleKey(s), s, MARKET, price << 32, time));
    }
    submit(node, new SignedOraclePrices(MARKET, reports));
  }

  /**
   * Waits until the batch of a journal record is committed on L1 (v3-tiny batches: one deposit
   * slot, so the second deposit seals the first batch; the rest is sealed by the time limit; proven
   * by the worker, committed by the submitter) and the settlement is idle, never paused.
   *
   * @return the record's batch
   */
  static long awaitCommitted(RollupNode node, Rpc rpc, long fillSeq) throws Exception {
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
    return fillBatch;
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
    return place(rpc, account, side, PRICE, 1);
  }

  static long batchLastSeq(RollupNode node, long batch) {
    try {
      return node.batches().get(batch).orElseThrow().lastSeq();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A GTC limit order of {@link #SIZE} signed with the account's fixture key; the client order id
   * is the nonce.
   */
  static JsonNode place(Rpc rpc, int account, Side side, long price, long nonce) throws Exception {
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
                SIZE,
                price,
                1000,
                4_000_000_000L,
                nonce,
                TriggerType.NONE,
                0,
                new byte[64]));
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    p.put("account", account);
    p.put("market", MARKET);
    p.put("side", side.name());
    p.put("clientOrderId", nonce);
    p.put("size", SIZE);
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
