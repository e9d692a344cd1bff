package io.zkperp.bench.node;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.l1.DeployParamsV3;
import io.zkperp.l1.DevAccounts;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.RollupNode;
import io.zkperp.node.v3.GenesisMismatchException;
import io.zkperp.node.v3.UnrepresentableConfigException;
import io.zkperp.node.v3.V3Genesis;
import io.zkperp.node.v3.V3Stores;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.WorkerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The node the benchmark runs, built as {@code RollupNodeMain} builds it: with an L1 endpoint the
 * format v3 node of {@code --settlement v3 --shape v3-tiny} on the fixture deployment (chain 31337,
 * the rollup at the one address the v3-tiny keys exist for, operator = anvil account 1, 1
 * confirmation for deposits, 2 to FINAL, default snapshots and back-pressure); without one the node
 * of {@code RollupNodeMain} with no {@code --l1-rpc} (format v2 settlement of the tiny shape, which
 * pauses at the market listing, so nothing is settled or proven while orders run). Both with the
 * gateway's rate limits off, as the demo node's {@code --no-rate-limits} ({@code RollupNodeMain}
 * has no such option, and its defaults of 2,000 calls/s per IP and 200 commands/s per account would
 * refuse the load). Stateless; any thread.
 */
final class BenchNode {
  /** The format v3 shape with Groth16 keys. */
  static final String V3_SHAPE = DeployParamsV3.V3_TINY;

  /** The shape of a node without L1 ({@code RollupNodeMain}'s default). */
  static final String V2_SHAPE = "tiny";

  /** L1 development account that deploys the rollup (it must have sent nothing before). */
  static final int DEPLOYER_ACCOUNT = 0;

  /** L1 development account of the operator (submits the batches). */
  static final int OPERATOR_ACCOUNT = 1;

  /** L1 blocks before the node credits a deposit. */
  static final long CONFIRMATIONS = 1;

  /** Blocks after a commit before its batch is FINAL. */
  static final long FINALITY = 2;

  private BenchNode() {}

  /**
   * What the benchmark's node is given.
   *
   * @param dataDir the data directory (node data under {@code node/}, proof jobs under {@code
   *     prover-jobs/})
   * @param l1Rpc anvil's endpoint, or null for the node without settlement
   * @param startBlock the rollup's deployment block
   * @param proverWorkers prover worker processes
   * @param maxBatchesAwaitingProof the settlement's back-pressure threshold
   * @param batchDelay how long a batch stays open after its first record
   */
  record Options(
      Path dataDir,
      String l1Rpc,
      long startBlock,
      int proverWorkers,
      int maxBatchesAwaitingProof,
      Duration batchDelay) {
    /** Whether this node settles on L1. */
    boolean settles() {
      return l1Rpc != null;
    }
  }

  /**
   * The node's configuration.
   *
   * @param o the options
   * @return the configuration
   */
  static NodeConfig config(Options o) {
    String shape = o.settles() ? V3_SHAPE : V2_SHAPE;
    WorkerOptions worker =
        WorkerOptions.defaults(o.dataDir().resolve("prover-jobs"), shape)
            .withWorkersSharingMachine(o.proverWorkers());
    GatewayConfig gateway =
        GatewayConfig.builder()
            .port(0)
            .ipRatePerSecond(1e9)
            .ipBurst(1_000_000_000)
            .accountRatePerSecond(1e9)
            .accountBurst(1_000_000_000)
            .build();
    NodeConfig.L1 l1 =
        o.settles()
            ? new NodeConfig.L1(
                o.l1Rpc(),
                DeployParamsV3.V3_TINY_KEYS.rollup(),
                DevAccounts.account(OPERATOR_ACCOUNT),
                CONFIRMATIONS,
                FINALITY,
                1_000,
                o.startBlock(),
                Duration.ofMillis(500))
            : null;
    NodeConfig cfg =
        new NodeConfig(
                o.dataDir().resolve("node"),
                gateway,
                BatchProver.batchSize(shape),
                o.batchDelay(),
                worker,
                l1)
            .withMaxBatchesAwaitingProof(o.maxBatchesAwaitingProof());
    return o.settles() ? cfg.withV3(new NodeConfig.V3(V3_SHAPE, 1)) : cfg;
  }

  /**
   * The signed-message domain of the settling node: chain 31337 and the v3-tiny keys' rollup.
   *
   * @return the domain
   */
  static MessageDomain settlingDomain() {
    return MessageDomain.of(
        DeployParamsV3.V3_TINY_KEYS.chainId(),
        L1Address.fromHex(DeployParamsV3.V3_TINY_KEYS.rollup()));
  }

  /**
   * The genesis the settling node writes on its first open (what the rollup is deployed with),
   * computed on a scratch store that is deleted again.
   *
   * @param scratchParent where the scratch directory goes
   * @return the genesis
   * @throws IOException the store cannot be opened or the engine's configuration has no genesis
   */
  static V3Genesis genesis(Path scratchParent) throws IOException {
    Path scratch = Files.createTempDirectory(scratchParent, "genesis-");
    try {
      NodeConfig cfg =
          config(new Options(scratch, "http://127.0.0.1:1", 0, 1, 1, Duration.ofSeconds(1)));
      try (V3Stores stores =
          V3Stores.open(cfg, cfg.riskEngine(), settlingDomain(), RollupNode.KEPT_VERSIONS)) {
        return stores.tree().genesis();
      } catch (GenesisMismatchException | UnrepresentableConfigException e) {
        throw new IOException("the node's format v3 genesis: " + e.getMessage(), e);
      }
    } finally {
      try (Stream<Path> all = Files.walk(scratch)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
