package io.zkperp.node;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.l1.L1Sender;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.WorkerOptions;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a settling {@link RollupNode} until the process is stopped (SIGINT/SIGTERM: graceful
 * shutdown); {@code ./zk node --l1-rpc URL --rollup ADDR --operator-key HEX} starts it. Options are
 * parsed by picocli ({@code --help} lists them); {@code --l1-rpc} (alias {@code --l1}), {@code
 * --rollup} and {@code --operator-key} go together — without any of them nothing is settled on L1
 * (and a warning says so). Prints {@code node listening on port N} once serving. Exit codes: 0
 * stopped (or help printed), 1 could not start, 2 an invalid option, value or combination, with one
 * line on stderr naming it. Drills and tests only: {@code --censor-forced-withdrawals true} makes
 * the node ignore L1 forced withdrawals ({@link NodeConfig#censorForcedWithdrawals}) so that the
 * rollup can be frozen and escaped from. Main thread.
 */
@Command(
    name = "zk node (settling)",
    mixinStandardHelpOptions = true,
    version = "zkperp settling node",
    sortOptions = false,
    description =
        "Runs the settling zkperp node: sequencer + JSON-RPC gateway + L1 watcher + settlement +"
            + " prover worker + L1 submitter. Ctrl-C stops it gracefully.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped normally, or help printed",
      "1:could not start",
      "2:invalid option, value or combination"
    })
public final class RollupNodeMain {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "the data directory: journal, state tree, batches, prover jobs (default"
              + " ${DEFAULT-VALUE})")
  Path dataDir = Path.of("zkperp-node-data");

  @Option(
      names = "--host",
      description = "the address the gateway binds (default ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(
      names = "--port",
      description = "the gateway's port, 0 for any free one (default ${DEFAULT-VALUE})")
  int port = 8545;

  @Option(names = "--shape", description = "the circuit shape proven (default ${DEFAULT-VALUE})")
  String shape = "tiny";

  @Option(
      names = "--settlement",
      paramLabel = "FORMAT",
      description =
          "v2 (default) or v3: settle, prove and commit format v3 batches (needs the L1 triple, a"
              + " v3 --shape such as v3-tiny)")
  String settlement = "v2";

  @Option(
      names = "--keys",
      paramLabel = "DIR",
      description = "the Groth16 key cache (default: the shared cache ~/.cache/zkperp/keys)")
  Path keys;

  @Option(
      names = "--batch-delay-ms",
      paramLabel = "MS",
      description = "how long a batch stays open after its first transaction (default 2000)")
  long batchDelayMs = 2_000;

  @Option(
      names = {"--l1-rpc", "--l1"},
      paramLabel = "URL",
      description = "the L1 node's JSON-RPC endpoint (http or https)")
  String l1Rpc;

  @Option(names = "--rollup", paramLabel = "ADDR", description = "the rollup contract on L1")
  String rollup;

  @Option(
      names = "--operator-key",
      paramLabel = "HEX",
      description = "the operator's private key (32 bytes hex; the rollup's submitter)")
  String operatorKey;

  @Option(
      names = "--confirmations",
      description = "L1 blocks before a deposit is credited (default ${DEFAULT-VALUE})")
  long confirmations = 2;

  @Option(
      names = "--finality",
      description = "confirmations before a committed batch is final (default ${DEFAULT-VALUE})")
  long finality = 2;

  @Option(
      names = "--start-block",
      description = "the rollup's deployment block (default ${DEFAULT-VALUE})")
  long startBlock;

  @Option(
      names = "--poll-ms",
      paramLabel = "MS",
      description = "the L1 polling period (default ${DEFAULT-VALUE})")
  long pollMs = 500;

  @Option(
      names = "--stall-after-s",
      paramLabel = "S",
      description =
          "/health reports a stage that has not advanced this long while work waits (default"
              + " ${DEFAULT-VALUE})")
  long stallAfterS = NodeConfig.DEFAULT_STALL_AFTER.toSeconds();

  @Option(
      names = "--journal-segment-mib",
      paramLabel = "MIB",
      description =
          "the journal rotates to a new segment file under <data-dir>/node/journal/ at this size,"
              + " 1 to 1024 (default ${DEFAULT-VALUE})")
  long journalSegmentMib = io.zkperp.gateway.node.DurabilityOptions.DEFAULT_SEGMENT_MIB;

  @Option(
      names = "--prover-workers",
      paramLabel = "N",
      description =
          "prover worker processes taking proof jobs at once, 1 to 64; each needs the prover's"
              + " memory (prover-bridge/README.md) (default ${DEFAULT-VALUE})")
  int proverWorkers = 1;

  @Option(
      names = "--proof-queue",
      paramLabel = "local|kafka",
      description =
          "where batches are proven: local (worker processes beside the node, --prover-workers) or"
              + " kafka (provers in a consumer group on any machine, --kafka-bootstrap; the node"
              + " starts no worker) (default ${DEFAULT-VALUE})")
  String proofQueue = "local";

  @Option(
      names = "--kafka-bootstrap",
      paramLabel = "HOST:PORT",
      description = "with --proof-queue kafka: the brokers, host:port[,host:port…]")
  String kafkaBootstrap;

  @Option(
      names = "--kafka-jobs-topic",
      paramLabel = "TOPIC",
      description = "with --proof-queue kafka: the jobs topic (default zkperp-proof-jobs)")
  String kafkaJobsTopic = io.zkperp.node.jobs.kafka.KafkaQueueOptions.DEFAULT_JOBS_TOPIC;

  @Option(
      names = "--kafka-results-topic",
      paramLabel = "TOPIC",
      description = "with --proof-queue kafka: the results topic (default zkperp-proof-results)")
  String kafkaResultsTopic = io.zkperp.node.jobs.kafka.KafkaQueueOptions.DEFAULT_RESULTS_TOPIC;

  @Option(
      names = "--max-batches-awaiting-proof",
      paramLabel = "N",
      description =
          "back-pressure: the settlement seals no new batch while this many wait for proofs"
              + " (default ${DEFAULT-VALUE})")
  int maxBatchesAwaitingProof = NodeConfig.DEFAULT_MAX_BATCHES_AWAITING_PROOF;

  @Option(
      names = "--snapshot-every-records",
      paramLabel = "N",
      description =
          "snapshot the engine, read model and accounts after this many journal records; 0 = not"
              + " by count (default ${DEFAULT-VALUE})")
  long snapshotEveryRecords = NodeConfig.Snapshots.DEFAULT.everyRecords();

  @Option(
      names = "--snapshot-every-s",
      paramLabel = "S",
      description =
          "snapshot after this many seconds; 0 = not by time; both 0: no snapshots, every start"
              + " replays the whole journal (default ${DEFAULT-VALUE})")
  long snapshotEveryS = NodeConfig.Snapshots.DEFAULT.everyMillis() / 1_000;

  @Option(
      names = "--snapshots-kept",
      paramLabel = "N",
      description =
          "newest snapshots kept, besides the one a restart needs (default ${DEFAULT-VALUE})")
  int snapshotsKept = NodeConfig.Snapshots.DEFAULT.keep();

  @Option(
      names = "--oracle-signers",
      paramLabel = "KEYS",
      split = ",",
      description =
          "the oracle signers' EdDSA public keys (compressed, 0x and 64 hex digits),"
              + " comma-separated in signer-index order; with --oracle-quorum (default: the demo"
              + " node's public demo signers, which anyone can sign with). A journal replays only"
              + " with the signer set it was written with")
  List<String> oracleSigners;

  @Option(
      names = "--oracle-quorum",
      paramLabel = "N",
      description =
          "distinct oracle signers per price batch, 1 to their number (with --oracle-signers)")
  Integer oracleQuorum;

  @Option(
      names = "--censor-forced-withdrawals",
      paramLabel = "true|false",
      arity = "1",
      description =
          "DRILLS AND TESTS ONLY: ignore L1 forced withdrawals so that they pass their deadline"
              + " and anyone may freeze the rollup (default ${DEFAULT-VALUE})")
  boolean censorForcedWithdrawals;

  @Option(
      names = "--replace-after-ms",
      paramLabel = "MS",
      description =
          "a commit not mined this long is replaced with fees +12.5 % (default ${DEFAULT-VALUE})")
  long replaceAfterMs = L1Sender.DEFAULT_REPLACE_AFTER_MILLIS;

  @Option(
      names = "--max-fee-gwei",
      paramLabel = "GWEI",
      description = "the highest maxFeePerGas a commit offers (default ${DEFAULT-VALUE})")
  long maxFeeGwei = 500;

  /** Used by picocli. */
  RollupNodeMain() {}

  /** What runs a checked configuration: opens the node and waits (tests: records it). */
  @FunctionalInterface
  interface Runner {
    /**
     * Runs the node.
     *
     * @param cfg the configuration
     * @param out where {@code node listening on port N} goes
     * @return the exit code
     * @throws Exception if the node cannot start
     */
    int run(NodeConfig cfg, PrintWriter out) throws Exception;

    /**
     * Runs the node, proving through {@code queue}; by default ignores the queue (tests that only
     * record the configuration).
     *
     * @param cfg the configuration
     * @param queue where batches are proven ({@code --proof-queue})
     * @param out where {@code node listening on port N} goes
     * @return the exit code
     * @throws Exception if the node cannot start
     */
    default int run(NodeConfig cfg, ProofQueue queue, PrintWriter out) throws Exception {
      return run(cfg, out);
    }
  }

  /**
   * Starts the node and waits; exits with the code of {@link #execute}.
   *
   * @param args the options
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(
        execute(
            args,
            out,
            err,
            new Runner() {
              @Override
              public int run(NodeConfig cfg, PrintWriter o) throws Exception {
                return runUntilStopped(cfg, ProofQueue.LOCAL_WORKERS, o);
              }

              @Override
              public int run(NodeConfig cfg, ProofQueue queue, PrintWriter o) throws Exception {
                return runUntilStopped(cfg, queue, o);
              }
            }));
  }

  /**
   * Parses and checks {@code args}, then hands the configuration to {@code runner}.
   *
   * @param args the options
   * @param out standard output (help, the listening line)
   * @param err standard error (one line per error)
   * @param runner what runs the checked configuration
   * @return 0 stopped or help printed, 1 could not start, 2 invalid options
   */
  static int execute(String[] args, PrintWriter out, PrintWriter err, Runner runner) {
    RollupNodeMain m = new RollupNodeMain();
    CommandLine cl = new CommandLine(m);
    cl.setOut(out).setErr(err);
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("zk node: " + e.getMessage() + " (see --help)");
      return 2;
    }
    if (cl.isUsageHelpRequested()) {
      cl.usage(out);
      return 0;
    }
    if (cl.isVersionHelpRequested()) {
      cl.printVersionHelp(out);
      return 0;
    }
    NodeConfig cfg;
    ProofQueue queue;
    try {
      cfg = m.config();
      queue = m.proofQueue();
    } catch (IllegalArgumentException e) {
      err.println("zk node: " + e.getMessage());
      return 2;
    }
    try {
      return runner.run(cfg, queue, out);
    } catch (Exception e) {
      err.println("zk node: could not start: " + e);
      return 1;
    }
  }

  /** Where batches are proven: {@code --proof-queue} and, for kafka, its options. */
  ProofQueue proofQueue() {
    return switch (proofQueue) {
      case "local" -> {
        if (kafkaBootstrap != null) {
          throw new IllegalArgumentException("--kafka-bootstrap needs --proof-queue kafka");
        }
        yield ProofQueue.LOCAL_WORKERS;
      }
      case "kafka" -> {
        if (kafkaBootstrap == null) {
          throw new IllegalArgumentException("--proof-queue kafka needs --kafka-bootstrap");
        }
        try {
          yield new io.zkperp.node.jobs.kafka.KafkaProofQueue(
              io.zkperp.node.jobs.kafka.KafkaQueueOptions.defaults(kafkaBootstrap)
                  .withTopics(kafkaJobsTopic, kafkaResultsTopic));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--kafka-…: " + e.getMessage());
        }
      }
      default ->
          throw new IllegalArgumentException(
              "--proof-queue: expected local or kafka, got \"" + proofQueue + "\"");
    };
  }

  /** The oracle signer set of the options: the demo signers unless both options are given. */
  private NodeConfig.OracleSigners signers() {
    if (oracleSigners == null && oracleQuorum == null) {
      return NodeConfig.OracleSigners.DEMO;
    }
    if (oracleSigners == null || oracleQuorum == null) {
      throw new IllegalArgumentException("--oracle-signers and --oracle-quorum go together");
    }
    List<EdDsaPublicKey> keys = new ArrayList<>();
    for (String k : oracleSigners) {
      try {
        keys.add(EdDsaPublicKey.decode(HexFormat.of().parseHex(k.replaceFirst("^0x", ""))));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--oracle-signers: "
                + k
                + " is not a compressed EdDSA public key (0x and 64 hex digits)");
      }
    }
    try {
      return new NodeConfig.OracleSigners(keys, oracleQuorum);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--oracle-signers/--oracle-quorum: " + e.getMessage());
    }
  }

  /** The checked configuration; {@link IllegalArgumentException} names a bad value. */
  NodeConfig config() {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
    }
    if (batchDelayMs < 0 || pollMs < 1 || stallAfterS < 1 || replaceAfterMs < 1) {
      throw new IllegalArgumentException(
          "--batch-delay-ms must be ≥ 0, --poll-ms, --stall-after-s and --replace-after-ms ≥ 1");
    }
    if (confirmations < 0 || finality < 0 || startBlock < 0 || maxFeeGwei < 1) {
      throw new IllegalArgumentException(
          "--confirmations, --finality and --start-block must be ≥ 0, --max-fee-gwei ≥ 1");
    }
    if (journalSegmentMib < 1 || journalSegmentMib > 1_024) {
      throw new IllegalArgumentException(
          "--journal-segment-mib must be 1 to 1024, got " + journalSegmentMib);
    }
    if (proverWorkers < 1 || proverWorkers > WorkerOptions.MAX_WORKERS) {
      throw new IllegalArgumentException(
          "--prover-workers must be 1 to " + WorkerOptions.MAX_WORKERS + ", got " + proverWorkers);
    }
    if (snapshotEveryRecords < 0 || snapshotEveryS < 0 || snapshotsKept < 1) {
      throw new IllegalArgumentException(
          "--snapshot-every-records and --snapshot-every-s must be ≥ 0, --snapshots-kept ≥ 1");
    }
    if (maxBatchesAwaitingProof < 1) {
      throw new IllegalArgumentException(
          "--max-batches-awaiting-proof must be ≥ 1, got " + maxBatchesAwaitingProof);
    }
    try {
      BatchProver.batchSize(shape);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--shape: unknown circuit shape \"" + shape + "\"");
    }
    WorkerOptions worker =
        WorkerOptions.defaults(dataDir.resolve("prover-jobs"), shape)
            .withWorkersSharingMachine(proverWorkers);
    if (keys != null) {
      worker = worker.withKeyDir(keys);
    }
    GatewayConfig gateway = GatewayConfig.defaults(port).withHost(host);
    NodeConfig cfg =
        new NodeConfig(
                dataDir.resolve("node"),
                gateway,
                BatchProver.batchSize(shape),
                Duration.ofMillis(batchDelayMs),
                worker,
                l1())
            .withStallAfter(Duration.ofSeconds(stallAfterS))
            .withCensorForcedWithdrawals(censorForcedWithdrawals)
            .withJournalSegmentBytes(journalSegmentMib << 20)
            .withMaxBatchesAwaitingProof(maxBatchesAwaitingProof)
            .withOracleSigners(signers())
            .withSnapshots(
                new NodeConfig.Snapshots(
                    snapshotEveryRecords, snapshotEveryS * 1_000, snapshotsKept, null))
            .withV3(v3());
    if (cfg.v3() != null) {
      io.zkperp.node.v3.V3Stores.check(cfg); // no L1 or another prover shape: exit 2
    }
    return cfg;
  }

  /** The v3 option of {@code --settlement}, checked against the rest (null for v2). */
  private NodeConfig.V3 v3() {
    return switch (settlement) {
      case "v2" -> null;
      case "v3" -> {
        try {
          yield new NodeConfig.V3(shape, 1);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "--settlement v3 needs a v3 --shape: " + e.getMessage());
        }
      }
      default ->
          throw new IllegalArgumentException(
              "--settlement: expected v2 or v3, got \"" + settlement + "\"");
    };
  }

  /** The L1 side: all three of --l1-rpc, --rollup, --operator-key, or none. */
  private NodeConfig.L1 l1() {
    List<String> missing = new ArrayList<>();
    if (l1Rpc == null) {
      missing.add("--l1-rpc");
    }
    if (rollup == null) {
      missing.add("--rollup");
    }
    if (operatorKey == null) {
      missing.add("--operator-key");
    }
    if (missing.size() == 3) {
      return null;
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "--l1-rpc, --rollup and --operator-key go together (settling on L1 needs all three);"
              + " missing "
              + String.join(", ", missing));
    }
    URI uri;
    try {
      uri = URI.create(l1Rpc);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--l1-rpc: not a URL: " + l1Rpc);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "--l1-rpc: expected http://HOST:PORT or https://…, got " + l1Rpc);
    }
    try {
      L1Address.fromHex(rollup);
    } catch (RuntimeException e) { // InvalidEncodingException
      throw new IllegalArgumentException(
          "--rollup: expected a 20-byte 0x-hex address, got " + rollup);
    }
    String key = operatorKey.startsWith("0x") ? operatorKey.substring(2) : operatorKey;
    if (!key.matches("[0-9a-fA-F]{64}") || new BigInteger(key, 16).signum() == 0) {
      throw new IllegalArgumentException(
          "--operator-key: expected a non-zero 32-byte hex private key (64 hex digits)");
    }
    return new NodeConfig.L1(
        l1Rpc,
        rollup,
        Credentials.create(key),
        confirmations,
        finality,
        1_000,
        startBlock,
        Duration.ofMillis(pollMs),
        L1Sender.Options.defaults()
            .withReplacement(
                replaceAfterMs,
                125,
                BigInteger.valueOf(maxFeeGwei).multiply(BigInteger.valueOf(1_000_000_000L))));
  }

  /** Opens the node, prints the listening line, and waits for the shutdown hook. */
  private static int runUntilStopped(NodeConfig cfg, ProofQueue queue, PrintWriter out)
      throws Exception {
    if (cfg.censorForcedWithdrawals()) {
      System.err.println(
          "WARNING: --censor-forced-withdrawals: this node ignores L1 forced withdrawals"
              + " (drills and tests only)");
    }
    RollupNode node = RollupNode.open(cfg, queue);
    CountDownLatch stop = NodeShutdownHook.closeOnShutdown(node, "zkperp-node-shutdown");
    out.println("node listening on port " + node.gateway().port());
    out.flush();
    stop.await();
    return 0;
  }
}
