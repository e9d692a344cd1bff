package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.l1.AnvilExtension;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.prover.BatchProver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * The compose stack's two entry scripts, {@code deploy/bin/deploy} and {@code deploy/bin/node}, run
 * as processes (as the containers run them, with the test's class path instead of the image's
 * {@code /opt/zkperp/lib}) against a real anvil: the deployer writes its file, the node script
 * reads it and starts the settling node with its prover worker on the deployed rollup; the node is
 * healthy, answers JSON-RPC and its L1 watcher follows the chain. This is the process counterpart
 * of {@link ComposeStackIT}, which needs a Docker engine.
 */
class ContainerEntryScriptsIT {
  @RegisterExtension static final AnvilExtension ANVIL = new AnvilExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATOR_KEY =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"; // dev account 0
  private final HttpClient http = HttpClient.newHttpClient();

  static Path repoRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy/bin/node"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no deploy/bin/node above " + System.getProperty("user.dir"));
    }
    return dir;
  }

  static ProcessBuilder script(String name, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(repoRoot().resolve("deploy/bin").resolve(name).toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ZKPERP_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment()
        .put(
            "PATH",
            Path.of(System.getProperty("java.home"), "bin")
                + ":"
                + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    return pb;
  }

  JsonNode rpc(String url, String method, String params) throws Exception {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static void mine() throws Exception {
    new Request<>("evm_mine", List.of(), new HttpService(ANVIL.rpcUrl()), VoidResponse.class)
        .send();
  }

  HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void deployerThenNodeFromTheEntryScripts(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("l1/deployment.env");

    Process deploy =
        script("deploy", Map.of(), "--l1-rpc", ANVIL.rpcUrl(), "--out", file.toString()).start();
    String deployOut = new String(deploy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(deploy.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(deploy.exitValue()).as(deployOut).isZero();
    assertThat(deployOut).contains("deployed: rollup ");
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }

    // without the operator key the node script refuses to start, naming it
    Process noKey =
        script("node", Map.of("ZKPERP_DEPLOYMENT", file.toString(), "ZKPERP_OPERATOR_KEY", ""))
            .start();
    String noKeyOut = new String(noKey.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(noKey.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(noKey.exitValue()).isEqualTo(1);
    assertThat(noKeyOut).contains("ZKPERP_OPERATOR_KEY is not set");

    String keys = System.getProperty("zkperp.test.keys");
    Process node =
        script(
                "node",
                Map.of(
                    "ZKPERP_DEPLOYMENT",
                    file.toString(),
                    "ZKPERP_OPERATOR_KEY",
                    OPERATOR_KEY,
                    "ZKPERP_DATA_DIR",
                    dir.resolve("data").toString(),
                    "ZKPERP_KEYS",
                    keys == null ? BatchProver.defaultKeyDir().toString() : keys,
                    "ZKPERP_HOST",
                    "127.0.0.1",
                    "ZKPERP_PORT",
                    "0"),
                "--poll-ms",
                "200")
            .start();
    StringBuilder log = new StringBuilder();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              Pattern listening = Pattern.compile("node listening on port (\\d+)");
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (log) {
                    log.append(line).append('\n');
                  }
                  Matcher m = listening.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (Exception e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(new IllegalStateException("node output ended"));
            },
            "node-output");
    reader.setDaemon(true);
    reader.start();
    try {
      int p0;
      try {
        p0 = port.get(180, TimeUnit.SECONDS);
      } catch (Exception e) {
        synchronized (log) {
          throw new AssertionError("the node did not start:\n" + log, e);
        }
      }
      String url = "http://127.0.0.1:" + p0;
      assertThat(get(url + "/health").statusCode()).isEqualTo(200);
      JsonNode markets = rpc(url, "perp_getMarkets", "{}");
      assertThat(markets.get("result").isArray()).as(markets.toString()).isTrue();
      assertThat(rpc(url, "perp_getBatch", "{\"batch\":1}").path("error").path("code").asInt())
          .isEqualTo(5005); // BATCH_NOT_FOUND

      // the node runs with the file's rollup: the L1 gauges exist and the watcher scans the
      // deployment's blocks (anvil mines one block per transaction: token, verifier, rollup; the
      // watcher stays 2 confirmations behind the head)
      long head = Long.parseLong(p.getProperty("START_BLOCK")) + 3;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      double safeHead = -1;
      while (System.nanoTime() < deadline) {
        String metrics = get(url + "/metrics").body();
        assertThat(metrics).contains("l1_last_batch ").contains("settlement_paused 0.0");
        Matcher m = Pattern.compile("(?m)^l1_watcher_safe_head_block (\\S+)$").matcher(metrics);
        safeHead = m.find() ? Double.parseDouble(m.group(1)) : -1;
        if (safeHead >= head - 2) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(safeHead).isGreaterThanOrEqualTo(head - 2);

      // an L1 deposit to the deployed rollup is credited after its confirmations, sealed in batch
      // 1, proven by the node's worker and committed on L1 with the operator's key
      try (L1Session l1 = L1Session.connect(ANVIL.rpcUrl())) {
        RollupDeployment d =
            new RollupDeployment(
                p.getProperty("ROLLUP"),
                p.getProperty("VERIFIER"),
                p.getProperty("COLLATERAL"),
                p.getProperty("SHAPE"),
                Long.parseLong(p.getProperty("CHAIN_ID")));
        Credentials trader = DevAccounts.account(5);
        RollupNodeIT.fundAndDeposit(
            l1, d, trader, RollupNodeIT.l2Key(5), 1, 600 * RollupNodeIT.TUSD);
        JsonNode batch = null;
        long until = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < until) {
          mine();
          batch = rpc(url, "perp_getBatch", "{\"batch\":1}").path("result");
          String status = batch.path("status").asText();
          if (status.equals("COMMITTED") || status.equals("FINAL")) {
            break;
          }
          Thread.sleep(500);
        }
        assertThat(batch).isNotNull();
        assertThat(batch.path("status").asText()).as(batch.toString()).isIn("COMMITTED", "FINAL");
        assertThat(batch.path("priorityOps").asInt()).isEqualTo(1);
        ZkPerpRollup view =
            ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(trader), l1.gas());
        assertThat(view.lastBatchNumber().send()).isEqualTo(BigInteger.ONE);
      }
    } finally {
      List<ProcessHandle> worker = node.descendants().toList();
      node.destroy(); // SIGTERM: the node closes gracefully and stops its worker
      if (!node.waitFor(60, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
      worker.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
