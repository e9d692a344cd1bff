package io.zkperp.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.l1.DeployParams;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.L2Fixtures;
import io.zkperp.l1.RollupDeployer;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.WorkerOptions;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/** What the node's operations tests share: a deployment, deposits, a node config, HTTP reads. */
final class NodeItSupport {
  static final long TUSD = 1_000_000L;
  static final String SHAPE = "tiny";
  static final Credentials DEPLOYER = DevAccounts.account(0);
  static final Credentials OPERATOR = DevAccounts.account(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private NodeItSupport() {}

  static RollupDeployment deploy(L1Session l1) {
    return RollupDeployer.deploy(
        l1,
        DEPLOYER,
        DeployParams.devnet(SHAPE, DEPLOYER.getAddress(), OPERATOR.getAddress(), 3_600));
  }

  /** The tiny shape's worker with the cached keys, polling fast. */
  static WorkerOptions worker(Path dir) {
    String keys = System.getProperty("zkperp.test.keys");
    return WorkerOptions.defaults(dir.resolve("prover-jobs"), SHAPE)
        .withKeyDir(keys == null ? BatchProver.defaultKeyDir() : Path.of(keys));
  }

  /** A node on {@code l1Url} with 1 confirmation, 1 block of finality, 200 ms polling. */
  static NodeConfig config(Path dir, String l1Url, RollupDeployment d, WorkerOptions worker) {
    return new NodeConfig(
        dir.resolve("node"),
        GatewayConfig.defaults(0),
        BatchProver.batchSize(SHAPE),
        Duration.ofMillis(500),
        worker,
        new NodeConfig.L1(l1Url, d.rollup(), OPERATOR, 1, 1, 100, 0, Duration.ofMillis(200)));
  }

  static EdDsaPrivateKey l2Key(int holder) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (0x40 + holder));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  static void fundAndDeposit(
      L1Session l1,
      RollupDeployment d,
      Credentials who,
      EdDsaPrivateKey key,
      int accountId,
      long amount) {
    TestUSD t = TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(who), l1.gas());
    l1.send(who.getAddress(), d.collateral(), t.faucet(BigInteger.valueOf(1_000 * TUSD)), "faucet");
    l1.send(
        who.getAddress(),
        d.collateral(),
        t.approve(d.rollup(), BigInteger.valueOf(amount)),
        "approve");
    L2Fixtures.deposit(l1, d, who, key, accountId, amount);
  }

  /**
   * Mines a block on anvil every {@code millis} from {@code miner}'s thread until it is shut down
   * (a failed request is retried at the next tick).
   *
   * @param miner the executor
   * @param rpcUrl anvil's endpoint
   * @param millis the period
   */
  static void mineEvery(
      java.util.concurrent.ScheduledExecutorService miner, String rpcUrl, long millis) {
    miner.scheduleAtFixedRate(
        () -> {
          try {
            mine(rpcUrl, 1);
          } catch (IOException | RuntimeException e) {
            // the next tick tries again
          }
        },
        millis,
        millis,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Calls an anvil method without a result (evm_mine, evm_setAutomine …). */
  static void anvil(String rpcUrl, String method, List<?> params) throws IOException {
    VoidResponse r =
        new Request<>(method, params, new HttpService(rpcUrl), VoidResponse.class).send();
    if (r.hasError()) {
      throw new IOException(method + ": " + r.getError().getMessage());
    }
  }

  static void mine(String rpcUrl, long blocks) throws IOException {
    for (long i = 0; i < blocks; i++) {
      anvil(rpcUrl, "evm_mine", List.of());
    }
  }

  /** {@link Await#until}. */
  static void await(String what, BooleanSupplier done, int seconds) throws InterruptedException {
    Await.until(what, done, seconds);
  }

  static BatchStatus status(RollupNode node, long batch) {
    try {
      return node.batches().get(batch).map(BatchRecord::status).orElse(null);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code GET path} on the node's gateway. */
  static HttpResponse<String> get(RollupNode node, String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.gateway().port() + path))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The problem {@code /health} reports for {@code stage}, or a missing node. */
  static JsonNode problem(JsonNode health, String stage) {
    for (JsonNode p : health.path("problems")) {
      if (p.path("stage").asText().equals(stage)) {
        return p;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** The rollup's {@code BatchCommitted} events of {@code batch} on L1 (one means no duplicate). */
  static List<org.web3j.protocol.core.methods.response.Log> committedEvents(
      L1Session l1, String rollup, long batch) throws IOException {
    org.web3j.protocol.core.methods.request.EthFilter f =
        new org.web3j.protocol.core.methods.request.EthFilter(
            org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.ZERO),
            org.web3j.protocol.core.DefaultBlockParameterName.LATEST,
            rollup);
    f.addSingleTopic(
        org.web3j.abi.EventEncoder.encode(
            io.zkperp.l1.contracts.ZkPerpRollup.BATCHCOMMITTED_EVENT));
    f.addSingleTopic(
        "0x"
            + org.web3j.abi.TypeEncoder.encode(
                new org.web3j.abi.datatypes.generated.Uint64(batch)));
    List<org.web3j.protocol.core.methods.response.Log> out = new java.util.ArrayList<>();
    for (org.web3j.protocol.core.methods.response.EthLog.LogResult<?> r :
        l1.web3j().ethGetLogs(f).send().getLogs()) {
      out.add((org.web3j.protocol.core.methods.response.Log) r.get());
    }
    return out;
  }

  /** The port of an {@code http://host:port} URL. */
  static int port(String url) {
    return URI.create(url).getPort();
  }

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }
}
