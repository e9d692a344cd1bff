package io.zkperp.node.v3;

import static io.zkperp.node.v3.V3NodeItSupport.CONFIRMATIONS;
import static io.zkperp.node.v3.V3NodeItSupport.FINALITY;
import static io.zkperp.node.v3.V3NodeItSupport.await;
import static io.zkperp.node.v3.V3NodeItSupport.config;
import static io.zkperp.node.v3.V3NodeItSupport.lastSealed;
import static io.zkperp.node.v3.V3NodeItSupport.listAndPrice;
import static io.zkperp.node.v3.V3NodeItSupport.mine;
import static io.zkperp.node.v3.V3NodeItSupport.place;
import static io.zkperp.node.v3.V3NodeItSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.RollupNode;
import io.zkperp.node.v3.V3NodeItSupport.Rpc;
import io.zkperp.sequencer.Side;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        listAndPrice(node, System.currentTimeMillis() / 1000);
        JsonNode ask = place(rpc, OrderScenario.MAKER, Side.SELL);
        assertThat(ask.path("result").path("status").asText()).as(ask.toString()).isEqualTo("OPEN");
        JsonNode bid = place(rpc, OrderScenario.TAKER, Side.BUY);
        assertThat(bid.path("result").path("status").asText())
            .as(bid.toString())
            .isEqualTo("FILLED");
        long fillSeq = bid.path("result").path("journalSeq").asLong();

        // v3-tiny batches (one deposit slot: the second deposit seals the first batch; the rest
        // is sealed by the time limit), proven by the worker, committed by the submitter
        JsonNode settled = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
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
}
