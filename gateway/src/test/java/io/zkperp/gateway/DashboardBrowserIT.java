package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.Side;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by Playwright ({@code
 * playwright-core} from npm, {@code dashboard/test/browser.mjs}) against the demo node in this JVM
 * on a free port, with its real sockets and signed price feed. Orders are signed with demo keys and
 * placed over JSON-RPC; the page must show them through its WebSocket streams: the book updates,
 * the fill appears in the trades, the liquidation price shown equals {@code perp_getAccount}'s (the
 * risk engine's {@code LiquidationPrice}), and after the node is stopped and started again on the
 * same data directory and port the page reconnects, resubscribes from snapshots and shows new
 * orders. Screenshots, page weight and first render times go to {@code target/dashboard-it/}.
 *
 * <p>Needs Chromium ({@code /usr/bin/chromium}, or {@code $ZKPERP_CHROMIUM}) and Node.js with the
 * dashboard's npm packages (installed by the build). Without Chromium the test is skipped, or fails
 * with the reason when {@code CI=true}: {@code ./zk test} installs it first where it can.
 */
class DashboardBrowserIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path OUT = Path.of("target", "dashboard-it");

  @TempDir Path dir;

  private Process bridge;
  private Writer toBridge;
  private BufferedReader fromBridge;
  private int nextId = 1;
  private GatewayNode node;

  @AfterEach
  void tearDown() throws Exception {
    if (bridge != null) {
      try {
        toBridge.close();
      } catch (IOException ignored) {
        // the bridge is gone already
      }
      if (!bridge.waitFor(10, TimeUnit.SECONDS)) {
        bridge.destroyForcibly();
      }
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void marketAndTraderViewsFollowTheNodeAcrossARestart() throws Exception {
    String chromium = requireTool(chromiumPath(), "Chromium");
    requireTool(nodeOnPath(), "Node.js");
    Files.createDirectories(OUT);
    int port = freePort();
    node = open(port);
    long oracle = node.priceFeed().lastAcceptedPrice(1) >> 32; // order-price units
    long bid = oracle * 99 / 100 / 10 * 10; // tick 10, within the 10% band
    long ask = oracle * 101 / 100 / 10 * 10;

    startBridge();
    String version = bridge("launch", MAPPER.createObjectNode().put("executablePath", chromium));
    System.out.println("dashboard IT: " + version);
    String url = "http://127.0.0.1:" + port + "/dashboard/";
    bridge("goto", MAPPER.createObjectNode().put("url", url));
    waitFor("document.body.dataset.ready === 'true'", 15_000);
    // live once every subscription is answered (after the first render, on a loaded machine later)
    waitFor("document.getElementById('conn').dataset.state === 'live'", 15_000);
    assertThat(bridgeEval("document.getElementById('conn').dataset.state")).isEqualTo("live");
    assertThat(bridgeEval("document.querySelectorAll('#markets tbody tr').length")).isEqualTo("2");
    // the markets table shows the engine's oracle price (32.32) of market 1
    waitFor(
        "document.querySelector('#markets tr[data-market=\"1\"] td.oracle').dataset.raw !== 'null'",
        10_000);

    // the book updates as orders arrive: a bid and an ask, each in its own row
    place(3, Side.BUY, 1_000_000, bid, 1);
    place(4, Side.SELL, 20, ask, 1);
    waitFor(row("bids", bid) + " && " + row("bids", bid) + ".dataset.size === '1000000'", 10_000);
    waitFor(row("asks", ask) + " && " + row("asks", ask) + ".dataset.size === '20'", 10_000);
    shot("1-book");

    // a fill: account 1 sells into the bid; the trade appears, the bid level goes
    JsonNode fill = place(1, Side.SELL, 1_000_000, bid, 1);
    assertThat(fill.path("result").path("status").asText()).isEqualTo("FILLED");
    long fillSeq = fill.path("result").path("journalSeq").asLong();
    waitFor(
        "!!document.querySelector('#trades tr[data-seq=\""
            + fillSeq
            + "\"][data-price=\""
            + bid
            + "\"][data-size=\"1000000\"]')",
        10_000);
    waitFor("!" + row("bids", bid), 10_000);
    shot("2-trade");

    // trader view: a pasted read grant; the short's liquidation price is the engine's
    ObjectNode grant =
        TestGrants.auth(
            GatewayNode.demoKey(1), 1, System.currentTimeMillis() / 1000 + 600, MessageDomain.DEMO);
    bridge(
        "fill", MAPPER.createObjectNode().put("selector", "#grant").put("value", grant.toString()));
    bridge("click", MAPPER.createObjectNode().put("selector", "#grant-apply"));
    waitFor("!!document.querySelector('#positions tr[data-market=\"1\"] td.liq')", 10_000);
    long liq = assertLiquidationPriceIsTheEngines(port, grant);
    assertThat(liq).isGreaterThan(oracle << 32); // a short is liquidated above the mark
    shot("3-trader");

    // the liquidation ladder: the node's bands for the page's width, the short in its own band
    assertLadderIsTheNodes(port, grant);
    // time to finality: the demo node settles nothing, and the page says so for the fill
    String fillRow = "document.querySelector('#finality tr[data-seq=\"" + fillSeq + "\"]')";
    waitFor("!!" + fillRow, 10_000);
    waitFor(
        fillRow
            + ".querySelector('td.state').textContent === 'accepted (no settlement on this"
            + " node)'",
        10_000);
    // the operator view: no settlement here; oracle freshness and the insurance fund still shown
    waitFor("document.getElementById('op-status').dataset.settling === 'false'", 10_000);
    assertThat(bridgeEval("document.getElementById('op-status').textContent"))
        .isEqualTo("no settlement on this node");
    assertThat(bridgeEval("document.querySelectorAll('#op-batches tbody tr').length"))
        .isEqualTo("0");
    waitFor(
        "/^\\d+ s$/.test(document.querySelector('#op-oracles tr[data-market=\"1\"] td.age')"
            + ".textContent)",
        10_000);
    waitFor("!!document.querySelector('#op-gauges tr[data-key=\"fund\"] td[data-raw]')", 10_000);
    long fundOnPage =
        Long.parseLong(
            bridgeEval(
                "document.querySelector('#op-gauges tr[data-key=\"fund\"] td').dataset.raw"));
    long fund =
        DemoNodeRpc.call(port, "perp_getAccount", "{\"account\":16777215}")
            .path("result")
            .path("collateral")
            .asLong();
    assertThat(fundOnPage).isEqualTo(fund);
    shot("3b-ladder-finality-operator");

    // restart: the page notices, reconnects and resubscribes from the new snapshots
    node.close();
    node = null;
    waitFor("document.getElementById('conn').dataset.state !== 'live'", 10_000);
    shot("4-node-down");
    node = open(port);
    waitFor("document.getElementById('conn').dataset.state === 'live'", 20_000);
    long bid2 = bid - 10;
    place(5, Side.BUY, 40, bid2, 1);
    waitFor(row("bids", bid2) + " && " + row("bids", bid2) + ".dataset.size === '40'", 10_000);
    // the ask placed before the restart came back with the book's snapshot
    waitFor(row("asks", ask) + " && " + row("asks", ask) + ".dataset.size === '20'", 10_000);
    assertLiquidationPriceIsTheEngines(port, grant);
    shot("5-after-restart");
    assertThat(MAPPER.readTree(bridgeRaw("errors", MAPPER.createObjectNode())).path("value"))
        .as("errors in the page")
        .allMatch(e -> e.asText().contains("WebSocket")); // the restart's refused reconnects

    measure(port, url);
  }

  /** Page weight (bytes of each file, gzip) and first render times, into target/dashboard-it. */
  private void measure(int port, String url) throws Exception {
    String html = get(port, "/dashboard/");
    List<String> files = new ArrayList<>(List.of("/dashboard/"));
    Matcher m = Pattern.compile("(?:src|href)=\"((?:main|style)-[^\"]+)\"").matcher(html);
    while (m.find()) {
      files.add("/dashboard/" + m.group(1));
    }
    long raw = 0;
    long gzip = 0;
    StringBuilder perFile = new StringBuilder();
    for (String f : files) {
      byte[] body = getBytes(port, f);
      ByteArrayOutputStream z = new ByteArrayOutputStream();
      try (GZIPOutputStream g = new GZIPOutputStream(z)) {
        g.write(body);
      }
      raw += body.length;
      gzip += z.size();
      perFile.append(String.format("%s %d bytes, gzip %d%n", f, body.length, z.size()));
    }
    // first render: navigation start to the markets table and the book snapshot on screen
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      bridge("goto", MAPPER.createObjectNode().put("url", url));
      waitFor("document.body.dataset.ready === 'true'", 15_000);
      times.add(
          Double.parseDouble(
              bridgeEval("performance.getEntriesByName('zk-first-render')[0].startTime")));
    }
    List<Double> sorted = times.stream().sorted().toList();
    String report =
        String.format(
            "files:%n%spage weight: %d bytes, %d gzip (gzip -6 of each file)%n"
                + "first render (navigation start to markets + book snapshot), 5 loads, ms: %s;"
                + " median %.1f%n",
            perFile, raw, gzip, times, sorted.get(2));
    Files.writeString(OUT.resolve("metrics.txt"), report);
    System.out.print("dashboard IT: " + report);
    assertThat(raw).isPositive();
  }

  /**
   * Waits until the page's liquidation price of account 1's market-1 position was rendered at the
   * account sequence perp_getAccount answers, then checks that both are the same integer. The feed
   * keeps moving prices (and so the account's sequence), so it retries until they meet.
   */
  private long assertLiquidationPriceIsTheEngines(int port, ObjectNode grant) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      String cell = "document.querySelector('#positions tr[data-market=\"1\"] td.liq')";
      String pageSeq = bridgeEval(cell + ".dataset.seq");
      String pageRaw = bridgeEval(cell + ".dataset.raw");
      ObjectNode p = MAPPER.createObjectNode().put("account", 1);
      p.set("auth", grant);
      JsonNode account = DemoNodeRpc.call(port, "perp_getAccount", p.toString()).path("result");
      JsonNode position = null;
      for (JsonNode x : account.path("positions")) {
        if (x.path("market").asInt() == 1) {
          position = x;
        }
      }
      assertThat(position).as("account 1's position in market 1").isNotNull();
      assertThat(position.path("size").asLong()).isEqualTo(-1_000_000);
      JsonNode engine = position.path("liquidationPrice");
      assertThat(engine.isIntegralNumber()).as("liquidationPrice %s", engine).isTrue();
      if (pageSeq.equals(account.path("sequence").asText())) {
        assertThat(pageRaw).isEqualTo(engine.asText());
        return engine.asLong();
      }
      if (System.nanoTime() > deadline) {
        fail(
            "the page's account sequence %s never met the node's %s",
            pageSeq, account.path("sequence"));
      }
      Thread.sleep(100);
    }
  }

  /**
   * Waits until the page's ladder of market 1 shows the node's aggregate as the engine's numbers
   * imply it: band edges as perp_getLiquidationLadder defines them for the page's oracle price and
   * width, account 1's short (the venue's only short) in the marked band, the one whose edges hold
   * the liquidation price {@code perp_getAccount} gives, or (the demo accounts' collateral keeps it
   * far away) past the last band and counted there, and both sides summing to the open interest
   * (account 3's long and account 1's short of 1,000,000). Prices keep moving: retried.
   */
  private void assertLadderIsTheNodes(int port, ObjectNode grant) throws Exception {
    String table = "document.querySelector('#ladder table.ladder[data-market=\"1\"]')";
    waitFor("!!" + table, 15_000);
    long deadline = System.nanoTime() + 30_000_000_000L;
    String last = "";
    while (true) {
      JsonNode page =
          MAPPER.readTree(
              bridge(
                  "eval",
                  MAPPER
                      .createObjectNode()
                      .put(
                          "expr",
                          "JSON.stringify({...("
                              + table
                              + ").dataset, rows: [...("
                              + table
                              + ").querySelectorAll('tbody tr')].map(r => ({...r.dataset}))})")));
      ObjectNode p = MAPPER.createObjectNode().put("account", 1);
      p.set("auth", grant);
      long liq =
          DemoNodeRpc.call(port, "perp_getAccount", p.toString())
              .path("result")
              .path("positions")
              .get(0)
              .path("liquidationPrice")
              .asLong();
      java.math.BigInteger oracle = new java.math.BigInteger(page.path("oracle").asText());
      java.math.BigInteger ppm = java.math.BigInteger.valueOf(page.path("bandPpm").asLong());
      java.math.BigInteger million = java.math.BigInteger.valueOf(1_000_000);
      boolean edges = true;
      long longs = page.path("longsBeyond").asLong() + page.path("longsNever").asLong();
      long shorts = page.path("shortsBeyond").asLong() + page.path("shortsNever").asLong();
      JsonNode mine = null;
      for (JsonNode r : page.path("rows")) {
        java.math.BigInteger k = java.math.BigInteger.valueOf(r.path("band").asLong());
        boolean isLong = r.path("side").asText().equals("long");
        java.math.BigInteger near =
            isLong
                ? oracle
                    .multiply(million.subtract(k.multiply(ppm)))
                    .max(java.math.BigInteger.ZERO)
                    .divide(million)
                : ceilDiv(oracle.multiply(million.add(k.multiply(ppm))), million);
        edges &= r.path(isLong ? "to" : "from").asText().equals(near.toString());
        if (isLong) {
          longs += r.path("size").asLong();
        } else {
          shorts += r.path("size").asLong();
        }
        if (r.path("mine").asText().equals("true")) {
          mine = r;
        }
      }
      // the short is in the marked band, or (the demo accounts hold far more collateral than
      // their positions need) past the last band, counted in shortsBeyond
      long lastTo = 0;
      for (JsonNode r : page.path("rows")) {
        if (r.path("side").asText().equals("short") && r.path("band").asInt() == 9) {
          lastTo = Long.parseLong(r.path("to").asText());
        }
      }
      boolean mineHoldsLiq =
          page.path("mine").asText().equals("band")
              ? mine != null
                  && mine.path("side").asText().equals("short")
                  && Long.parseLong(mine.path("from").asText()) <= liq
                  && liq < Long.parseLong(mine.path("to").asText())
                  && mine.path("size").asLong() == 1_000_000
              : page.path("mine").asText().equals("beyond")
                  && mine == null
                  && liq >= lastTo
                  && page.path("shortsBeyond").asLong() == 1_000_000;
      if (edges && mineHoldsLiq && longs == 1_000_000 && shorts == 1_000_000) {
        return;
      }
      last =
          page
              + "; liquidation price "
              + liq
              + "; edges "
              + edges
              + ", sums "
              + longs
              + "/"
              + shorts;
      if (System.nanoTime() > deadline) {
        fail("the page's ladder never showed the node's numbers: %s", last);
      }
      Thread.sleep(200);
    }
  }

  private static java.math.BigInteger ceilDiv(java.math.BigInteger a, java.math.BigInteger b) {
    java.math.BigInteger[] qr = a.divideAndRemainder(b);
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(java.math.BigInteger.ONE);
  }

  private static String row(String side, long price) {
    return "document.querySelector('#" + side + " tr[data-price=\"" + price + "\"]')";
  }

  private JsonNode place(int account, Side side, long size, long price, long nonce)
      throws Exception {
    JsonNode r = DemoNodeRpc.placeLimit(node, account, 1, side, size, price, nonce);
    assertThat(r.has("result")).as("order answer %s", r).isTrue();
    return r;
  }

  private GatewayNode open(int port) throws Exception {
    return GatewayNode.open(
        NodeOptions.builder(dir)
            .config(GatewayConfig.defaults(port))
            .clockSeconds(() -> System.currentTimeMillis() / 1000)
            .feedIntervalMillis(500)
            .build());
  }

  private void shot(String name) throws Exception {
    bridge(
        "screenshot",
        MAPPER
            .createObjectNode()
            .put("path", OUT.resolve(name + ".png").toAbsolutePath().toString()));
  }

  private void waitFor(String expr, int timeoutMs) throws Exception {
    bridge("waitFor", MAPPER.createObjectNode().put("expr", expr).put("timeoutMs", timeoutMs));
  }

  private String bridgeEval(String expr) throws Exception {
    return bridge("eval", MAPPER.createObjectNode().put("expr", "String(" + expr + ")"));
  }

  /** Sends one command and returns the answer's value as text; fails on an error answer. */
  private String bridge(String op, ObjectNode cmd) throws Exception {
    JsonNode a = MAPPER.readTree(bridgeRaw(op, cmd));
    if (!a.path("ok").asBoolean()) {
      try {
        shot("failure");
      } catch (Exception | AssertionError ignored) {
        // the failure below is the news
      }
      fail("browser: %s %s failed: %s", op, cmd, a.path("error").asText());
    }
    return a.path("value").isTextual() ? a.path("value").asText() : a.path("value").toString();
  }

  private String bridgeRaw(String op, ObjectNode cmd) throws IOException {
    int id = nextId++;
    cmd.put("id", id).put("op", op);
    toBridge.write(cmd.toString() + "\n");
    toBridge.flush();
    String line = fromBridge.readLine();
    if (line == null) {
      throw new IOException("the browser bridge exited (see the test output)");
    }
    return line;
  }

  private void startBridge() throws IOException {
    bridge =
        new ProcessBuilder("node", "test/browser.mjs")
            .directory(Path.of("dashboard").toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    toBridge = new OutputStreamWriter(bridge.getOutputStream(), StandardCharsets.UTF_8);
    fromBridge =
        new BufferedReader(new InputStreamReader(bridge.getInputStream(), StandardCharsets.UTF_8));
  }

  private static String get(int port, String path) throws Exception {
    return new String(getBytes(port, path), StandardCharsets.UTF_8);
  }

  private static byte[] getBytes(int port, String path) throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
    return r.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String chromiumPath() {
    String p = System.getenv("ZKPERP_CHROMIUM");
    if (p == null || p.isBlank()) {
      p = "/usr/bin/chromium";
    }
    return Files.isExecutable(Path.of(p)) ? p : null;
  }

  private static String nodeOnPath() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "node"))) {
        return Path.of(d, "node").toString();
      }
    }
    return null;
  }

  /** The tool's path; without it: fail in CI ({@code CI=true}), else skip, saying why. */
  private static String requireTool(String path, String what) {
    if (path == null) {
      String why =
          what
              + " is not installed, so the dashboard's browser test cannot run. Install it (Debian:"
              + " apt-get install -y chromium; ./zk test does so as root) or set ZKPERP_CHROMIUM.";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " (CI=true: failing instead of skipping)");
      }
      Assumptions.abort(why);
    }
    return path;
  }
}
