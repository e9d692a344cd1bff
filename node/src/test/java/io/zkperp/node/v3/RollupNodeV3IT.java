package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.RollupNode;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.WorkerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * cached v3-tiny keys serve); two traders deposit on L1; the node's watcher credits them, its
 * {@link SettlementV3} seals v3-tiny batches (one deposit slot each), a real prover worker process
 * proves them for the deployment's domain and the node's submitter commits them to {@code
 * ZkPerpRollupV3}. Asserted: L1's root is the node's v3 tree root, both priority operations
 * consumed, and over the node's JSON-RPC {@code perp_getBatch} / {@code perp_getSettlement} show
 * the last deposit's batch COMMITTED, then FINAL. The test's thread.
 */
class RollupNodeV3IT {
  static final long CONFIRMATIONS = 1;
  static final long FINALITY = 2;

  @Test
  void depositsAreSettledProvenAndCommittedAsFormatV3ThroughTheNode(@TempDir Path dir)
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

      try (RollupNode node = RollupNode.open(cfg)) {
        assertThat(node.settlement()).as("no format v2 settlement").isNull();
        assertThat(node.tree()).as("no layout v1 tree").isNull();
        assertThat(node.v3Tree().genesis()).isEqualTo(genesis);
        mine(anvil, CONFIRMATIONS);
        await("both deposits credited", () -> node.accounts().nextPriorityIndex() == 2, 30);
        // one deposit slot per v3-tiny batch: batch 1 is sealed by the second deposit, batch 2
        // by the time limit; both proven by the worker and committed by the submitter
        await(
            "both batches committed",
            () -> status(node, 2) == BatchStatus.COMMITTED || status(node, 2) == BatchStatus.FINAL,
            150);
        assertThat(node.settlementStage().pausedAt()).as("not paused").isZero();
        BatchRecord last = node.batches().get(2).orElseThrow();
        assertThat(node.batches().get(3)).isEmpty();
        assertThat(fixture.rollup().lastBatchNumber().send()).isEqualTo(BigInteger.TWO);
        assertThat(fixture.rollup().stateRoot().send())
            .as("L1's root is the node's v3 tree root")
            .isEqualTo(node.v3Tree().store().roots().stateRoot().toBigInteger());
        assertThat(fixture.rollup().stateRoot().send())
            .isNotEqualTo(genesis.stateRoot().toBigInteger());
        assertThat(fixture.rollup().consumedPriorityOps().send()).isEqualTo(BigInteger.TWO);
        assertThat(node.batches().range(1, 10).stream().mapToInt(BatchRecord::priorityCount).sum())
            .isEqualTo(2);

        Rpc rpc = new Rpc(node.gateway().port());
        long seq = last.lastSeq();
        JsonNode settlement =
            rpc.call("perp_getSettlement", Map.of("journalSeq", seq)).path("result");
        assertThat(settlement.path("batch").asLong()).isEqualTo(2);
        assertThat(settlement.path("status").asText()).isIn("COMMITTED", "FINAL");
        assertThat(settlement.path("l1TxHash").asText()).startsWith("0x");
        mine(anvil, FINALITY);
        await("batch 2 final", () -> status(node, 2) == BatchStatus.FINAL, 30);
        JsonNode batch = rpc.call("perp_getBatch", Map.of("batch", 2)).path("result");
        assertThat(batch.path("status").asText()).isEqualTo("FINAL");
        assertThat(batch.path("lastJournalSeq").asLong()).isEqualTo(seq);
        assertThat(batch.path("priorityOps").asInt()).isEqualTo(1);
        assertThat(
                rpc.call("perp_getSettlement", Map.of("journalSeq", seq))
                    .path("result")
                    .path("status")
                    .asText())
            .isEqualTo("FINAL");
      }
      // a restart settles nothing twice: the same two batches, the tree at the same root
      try (RollupNode node = RollupNode.open(cfg)) {
        Thread.sleep(1_000);
        assertThat(node.batches().get(3)).isEmpty();
        assertThat(node.settlementStage().pausedAt()).isZero();
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
