package io.zkperp.bench.node;

import io.zkperp.bench.MachineInfo;
import io.zkperp.bench.NodeJvmOptions;
import io.zkperp.gateway.node.LoadGenerator;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DeployParamsV3;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.RollupV3Deployer;
import io.zkperp.node.v3.V3Genesis;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.command.PlaceOrder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The settling node under load ([node] benchmark acceptance), in one run:
 *
 * <ol>
 *   <li>anvil from npm (chain 31337), {@code ZkPerpRollupV3} deployed with the node's genesis at
 *       the address the v3-tiny keys exist for, the run's accounts funded by L1 deposits ({@link
 *       RunAccounts}, {@link L1Funding}), then the format v3 node ({@link BenchNodeMain}: {@code
 *       --settlement v3 --shape v3-tiny}, real prover worker processes) as a child JVM on a fresh
 *       data directory; an L1 block is mined every second;
 *   <li>phase A: signed orders open loop at {@code --settle-rate} for {@code --settle-seconds}, a
 *       share crossing the market maker's quotes ({@link OrderStream}); {@code /metrics} sampled
 *       every second ({@link MetricsSampler}) and the batches read at the end ({@link
 *       BatchLedger}): settled (sealed), proven and committed transactions/s, prover lag and its
 *       growth, records waiting, fills/s;
 *   <li>phase B: acknowledgement latency at {@code --ack-rate} offered, from each order's planned
 *       send time, on the same settling node, then on a node without settlement (no L1, same
 *       engine, same accounts credited as engine commands, same order stream), each {@code
 *       --ack-seconds} after {@code --warmup-seconds} at the same rate;
 *   <li>a report on stdout and a JSON file ({@code --out}).
 * </ol>
 *
 * Run with {@code ./zk bench-node}. The controlling thread drives; a timer thread samples and
 * mines.
 */
@Command(
    name = "zk bench-node",
    mixinStandardHelpOptions = true,
    description = "The settling node under load: settled tx/s, prover lag, ack latency.")
public final class NodeSettlementBenchmark implements Callable<Integer> {
  @Option(names = "--traders", description = "trader accounts (default ${DEFAULT-VALUE})")
  int traders = 4;

  @Option(
      names = "--cross-share",
      description = "share of trader orders crossing the maker's quotes (default ${DEFAULT-VALUE})")
  double crossShare = 0.2;

  @Option(names = "--settle-rate", description = "phase A orders/s (default ${DEFAULT-VALUE})")
  int settleRate = 1_000;

  @Option(names = "--settle-seconds", description = "phase A seconds (default ${DEFAULT-VALUE})")
  int settleSeconds = 120;

  @Option(names = "--ack-rate", description = "phase B orders/s (default ${DEFAULT-VALUE})")
  int ackRate = 5_000;

  @Option(
      names = "--ack-seconds",
      description = "phase B measured seconds per node (default ${DEFAULT-VALUE})")
  int ackSeconds = 60;

  @Option(
      names = "--warmup-seconds",
      description = "phase B warm-up per node at the same rate (default ${DEFAULT-VALUE})")
  int warmupSeconds = 20;

  @Option(names = "--connections", description = "HTTP connections (default ${DEFAULT-VALUE})")
  int connections = 4;

  @Option(
      names = "--prover-workers",
      description = "the settling node's prover worker processes (default ${DEFAULT-VALUE})")
  int proverWorkers = 1;

  @Option(
      names = "--max-batches-awaiting-proof",
      description = "the node's back-pressure threshold (default: the node's, ${DEFAULT-VALUE})")
  int maxBatchesAwaitingProof = io.zkperp.node.NodeConfig.DEFAULT_MAX_BATCHES_AWAITING_PROOF;

  @Option(
      names = "--batch-delay-ms",
      description = "how long a batch stays open (default: the node's, ${DEFAULT-VALUE})")
  long batchDelayMs = 2_000;

  @Option(
      names = "--feed-interval-ms",
      description =
          "the operator's oracle price period, ms (each price is a v3 step; the devnet's v3 period"
              + " for one market on v3-tiny is 30000) (default ${DEFAULT-VALUE}, as the demo node's"
              + " feed)")
  long feedIntervalMs = 1_000;

  @Option(names = "--seed", description = "the order stream's seed (default ${DEFAULT-VALUE})")
  long seed = 17;

  @Mixin NodeJvmOptions nodeJvm = new NodeJvmOptions();

  @Option(
      names = "--anvil",
      description = "the anvil launcher (default: the zkperp.anvil property)")
  Path anvilLauncher;

  @Option(
      names = "--out",
      description = "the JSON report (default benchmarks/target/node-settlement-<time>.json)")
  Path out;

  /** Phase B's first nonce of every account: above any phase A uses. */
  static final long PHASE_B_NONCE = 1_000_000;

  /**
   * Entry point.
   *
   * @param args the options
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new NodeSettlementBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Instant started = Instant.now();
    String loadBefore = loadAverage();
    System.out.println("# node settlement benchmark, " + started);
    System.out.println("machine: " + MachineInfo.describe() + "; JDK " + Runtime.version());
    System.out.println("load average before: " + loadBefore);
    RunAccounts accounts = new RunAccounts(traders);
    Path dir = Files.createTempDirectory("zkperp-node-bench");
    System.out.println("work directory: " + dir);
    Path launcher =
        anvilLauncher != null ? anvilLauncher : AnvilProcess.launcherFromSystemProperty();
    NodeSettlementReport report = new NodeSettlementReport(this, started, loadBefore);

    try (AnvilProcess anvil =
            AnvilProcess.start(launcher, DeployParamsV3.V3_TINY_KEYS.chainId(), 60);
        L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      long startBlock = l1.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
      V3Genesis genesis = BenchNode.genesis(dir);
      RollupDeployment d =
          RollupV3Deployer.deploy(
              l1,
              DevAccounts.account(BenchNode.DEPLOYER_ACCOUNT),
              DeployParamsV3.devnet(
                  DevAccounts.account(BenchNode.DEPLOYER_ACCOUNT).getAddress(),
                  DevAccounts.account(BenchNode.OPERATOR_ACCOUNT).getAddress(),
                  3_600,
                  genesis.stateRoot().toBigInteger(),
                  genesis.firstAccountId()));
      System.out.println("ZkPerpRollupV3 deployed at " + d.rollup() + " (anvil " + anvil.rpcUrl());
      L1Funding.fund(l1, d, accounts);
      System.out.println(
          "funded "
              + accounts.count()
              + " accounts on L1 (maker "
              + RunAccounts.MAKER
              + ", traders "
              + accounts.trader(0)
              + " to "
              + accounts.trader(traders - 1)
              + ")");
      ScheduledExecutorService miner = Executors.newSingleThreadScheduledExecutor();
      miner.scheduleAtFixedRate(() -> mine(anvil.rpcUrl()), 1, 1, TimeUnit.SECONDS);
      try {
        runSettling(dir, anvil.rpcUrl(), startBlock, accounts, report);
      } finally {
        miner.shutdownNow();
      }
    }
    runPlain(dir, accounts, report);
    report.loadAfter(loadAverage());
    report.print(System.out);
    Path json =
        out != null
            ? out
            : Path.of(
                "benchmarks",
                "target",
                "node-settlement-" + started.toString().replace(':', '-') + ".json");
    report.writeJson(json);
    System.out.println("JSON report: " + json.toAbsolutePath());
    return 0;
  }

  /** Phase A and phase B's first half on the settling node. */
  private void runSettling(
      Path dir, String l1Rpc, long startBlock, RunAccounts accounts, NodeSettlementReport report)
      throws Exception {
    try (NodeChild node =
        NodeChild.start(
            nodeJvm.javaCommand(),
            nodeArgs(dir.resolve("settling"), l1Rpc, startBlock, accounts),
            dir.resolve("settling.log"))) {
      URI url = awaitNode(node, "settling node");
      MessageDomain domain = LoadGenerator.domain(url);
      if (!domain.equals(BenchNode.settlingDomain())) {
        throw new IllegalStateException("the settling node signs for " + domain);
      }
      OrderStream a = new OrderStream(accounts, crossShare, seed, 1);
      placeQuotes(url, a, domain);
      try (MetricsSampler sampler = new MetricsSampler(url)) {
        // phase A
        byte[][] requests = requests(a.next(settleRate * settleSeconds), domain);
        sampler.start();
        long fromMs = System.currentTimeMillis();
        OpenLoopSender.Result ra = OpenLoopSender.run(url, requests, settleRate, connections);
        long toMs = System.currentTimeMillis();
        List<MetricsSampler.Sample> samplesA = sampler.samples();
        System.out.println("phase A, " + settleRate + "/s: " + ra.summary());
        requests = null;
        report.phaseA(
            settleRate,
            settleSeconds,
            ra,
            samplesA,
            BatchLedger.read(url),
            fromMs,
            toMs,
            sampler.failedReads());
        report.print(System.out); // phase A at once: phase B takes minutes more
        // phase B on the settling node
        OrderStream b = new OrderStream(accounts, crossShare, seed + 1, PHASE_B_NONCE);
        OpenLoopSender.Result rb = ackRun(url, b, domain, "phase B, settling node");
        List<MetricsSampler.Sample> samplesAll = sampler.samples();
        report.phaseBSettling(rb, samplesAll.subList(samplesA.size(), samplesAll.size()));
        String paused = node.line("settlement paused at record");
        report.settlementPause(paused);
      }
    }
  }

  /** Phase B's second half: the node without settlement. */
  private void runPlain(Path dir, RunAccounts accounts, NodeSettlementReport report)
      throws Exception {
    try (NodeChild node =
        NodeChild.start(
            nodeJvm.javaCommand(),
            nodeArgs(dir.resolve("plain"), null, 0, accounts),
            dir.resolve("plain.log"))) {
      URI url = awaitNode(node, "node without settlement");
      MessageDomain domain = LoadGenerator.domain(url);
      OrderStream b = new OrderStream(accounts, crossShare, seed + 1, PHASE_B_NONCE);
      placeQuotes(url, b, domain);
      report.phaseBPlain(ackRun(url, b, domain, "phase B, node without settlement"));
    }
  }

  /** Warm-up, then the measured run, at {@link #ackRate}. */
  private OpenLoopSender.Result ackRun(URI url, OrderStream s, MessageDomain domain, String what)
      throws Exception {
    if (warmupSeconds > 0) {
      byte[][] warm = requests(s.next(ackRate * warmupSeconds), domain);
      OpenLoopSender.Result w = OpenLoopSender.run(url, warm, ackRate, connections);
      System.out.println(what + ", warm-up " + ackRate + "/s: " + w.summary());
    }
    byte[][] measured = requests(s.next(ackRate * ackSeconds), domain);
    OpenLoopSender.Result r = OpenLoopSender.run(url, measured, ackRate, connections);
    System.out.println(what + ", measured " + ackRate + "/s: " + r.summary());
    return r;
  }

  private List<String> nodeArgs(Path data, String l1Rpc, long startBlock, RunAccounts accounts) {
    return List.of(
        data.toString(),
        Integer.toString(accounts.traders()),
        l1Rpc == null ? "-" : l1Rpc,
        Long.toString(startBlock),
        Integer.toString(proverWorkers),
        Integer.toString(maxBatchesAwaitingProof),
        Long.toString(batchDelayMs),
        Long.toString(feedIntervalMs));
  }

  private static URI awaitNode(NodeChild node, String what) throws Exception {
    int port = Integer.parseInt(node.await("node listening on port", 180));
    node.await("accounts credited", 180);
    System.out.println(what + " ready on port " + port + " (pid " + node.pid() + ")");
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  /** The maker's two quotes; both must rest. */
  private void placeQuotes(URI url, OrderStream s, MessageDomain domain) throws Exception {
    OpenLoopSender.Result r = OpenLoopSender.run(url, requests(s.makerQuotes(), domain), 10, 1);
    if (r.ok() != 2 || r.filled() != 0) {
      throw new IllegalStateException("the maker's quotes did not rest: " + r.summary());
    }
  }

  private static byte[][] requests(PlaceOrder[] orders, MessageDomain domain) {
    PlaceOrder[] signed = OrderStream.sign(orders, domain);
    byte[][] out = new byte[signed.length][];
    for (int i = 0; i < signed.length; i++) {
      out[i] = OrderStream.request(i, signed[i]);
    }
    return out;
  }

  /** Mines one anvil block (confirmations and finality need blocks; anvil mines on demand). */
  private static void mine(String rpcUrl) {
    try {
      VoidResponse r =
          new Request<>("evm_mine", List.of(), new HttpService(rpcUrl), VoidResponse.class).send();
      if (r.hasError()) {
        System.out.println("evm_mine: " + r.getError().getMessage());
      }
    } catch (IOException e) {
      System.out.println("evm_mine: " + e);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The options as the report prints them. */
  List<String> describeOptions() {
    List<String> o = new ArrayList<>();
    o.add("traders " + traders + " + 1 market maker");
    o.add("cross share " + crossShare);
    o.add("phase A " + settleRate + "/s for " + settleSeconds + " s");
    o.add(
        "phase B "
            + ackRate
            + "/s, "
            + warmupSeconds
            + " s warm-up + "
            + ackSeconds
            + " s measured per node");
    o.add("connections " + connections);
    o.add("prover workers " + proverWorkers);
    o.add("max batches awaiting proof " + maxBatchesAwaitingProof);
    o.add("batch delay " + batchDelayMs + " ms");
    o.add("oracle price every " + feedIntervalMs + " ms");
    o.add("seed " + seed);
    o.add("node " + nodeJvm.summary());
    return o;
  }
}
