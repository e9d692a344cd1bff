package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The operators' stack of the repository's {@code docker-compose.yml} (anvil, the one-shot
 * deployer, the settling node with its prover worker, Prometheus, Grafana), built from {@code
 * deploy/Dockerfile} and brought up with Testcontainers' {@link ComposeContainer}: the node is
 * healthy, answers JSON-RPC, follows L1 at the deployed rollup, Prometheus scrapes it and Grafana
 * serves the provisioned dashboard. Skipped cleanly where there is no Docker engine (as on the CI
 * machine of this repository, where it has never run); the same node with L1 and a prover worker
 * runs as processes in {@link RollupNodeIT} and {@code TraderWalletIT}, and {@code
 * .ci/check-compose} checks the files statically. The first run builds the image and runs the
 * Groth16 setup of the tiny shape inside the node container: allow tens of minutes.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIT {
  static final File COMPOSE_FILE = composeFile();

  @Container
  @SuppressWarnings("resource")
  static final ComposeContainer STACK =
      new ComposeContainer(COMPOSE_FILE)
          .withBuild(true)
          .withRemoveVolumes(true)
          .withExposedService(
              "node",
              8545,
              Wait.forHttp("/health").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(40)))
          .withExposedService("anvil", 8545)
          .withExposedService(
              "prometheus",
              9090,
              Wait.forHttp("/-/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(5)))
          .withExposedService(
              "grafana",
              3000,
              Wait.forHttp("/api/health")
                  .forStatusCode(200)
                  .withStartupTimeout(Duration.ofMinutes(5)));

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  static File composeFile() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no docker-compose.yml above " + System.getProperty("user.dir"));
    }
    return dir.resolve("docker-compose.yml").toFile();
  }

  static String url(String service, int port) {
    return "http://"
        + STACK.getServiceHost(service, port)
        + ":"
        + STACK.getServicePort(service, port);
  }

  HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
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

  /** The value of an unlabelled gauge in Prometheus text, or NaN when absent. */
  static double gauge(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void nodeIsHealthyServesJsonRpcAndFollowsTheDeployedRollup() throws Exception {
    String node = url("node", 8545);
    assertThat(get(node + "/health").statusCode()).isEqualTo(200);

    JsonNode markets = rpc(node, "perp_getMarkets", "{}");
    assertThat(markets.has("error")).as(markets.toString()).isFalse();
    assertThat(markets.get("result").isArray()).as(markets.toString()).isTrue();
    JsonNode noBatch = rpc(node, "perp_getBatch", "{\"batch\":1}");
    assertThat(noBatch.path("error").path("code").asInt()).isEqualTo(5005); // BATCH_NOT_FOUND

    // the node runs with L1 (the deployer's file): its L1 gauges exist and the watcher advances
    // with anvil's one-second blocks
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    double safeHead = Double.NaN;
    while (System.nanoTime() < deadline) {
      String metrics = get(node + "/metrics").body();
      assertThat(metrics).contains("l1_last_batch").contains("settlement_paused 0.0");
      safeHead = gauge(metrics, "l1_watcher_safe_head_block");
      if (safeHead > 0) {
        break;
      }
      Thread.sleep(1_000);
    }
    assertThat(safeHead).isGreaterThan(0);

    // anvil on its published port is the chain the node follows
    JsonNode chain = rpc(url("anvil", 8545), "eth_chainId", "[]");
    assertThat(chain.path("result").asText()).isEqualTo("0x7a69"); // 31337
  }

  @Test
  void prometheusScrapesTheNodeAndGrafanaServesTheDashboard() throws Exception {
    String query = url("prometheus", 9090) + "/api/v1/query?query=up%7Bjob%3D%22zkperp-node%22%7D";
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String up = "";
    while (System.nanoTime() < deadline) {
      JsonNode result = JSON.readTree(get(query).body()).path("data").path("result");
      up = result.path(0).path("value").path(1).asText();
      if (up.equals("1")) {
        break;
      }
      Thread.sleep(1_000);
    }
    assertThat(up).as("up{job=\"zkperp-node\"}").isEqualTo("1");

    HttpResponse<String> dashboard = get(url("grafana", 3000) + "/api/dashboards/uid/zkperp-node");
    assertThat(dashboard.statusCode()).as(dashboard.body()).isEqualTo(200);
    assertThat(JSON.readTree(dashboard.body()).path("dashboard").path("title").asText())
        .isEqualTo("zkperp node");
    // the provisioned datasource reaches Prometheus (Grafana's datasource proxy, as a panel does)
    HttpResponse<String> proxied =
        get(
            url("grafana", 3000)
                + "/api/datasources/proxy/uid/zkperp-prometheus/api/v1/query?query=prover_jobs_in_flight");
    assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(200);
    assertThat(JSON.readTree(proxied.body()).path("status").asText()).isEqualTo("success");
  }
}
