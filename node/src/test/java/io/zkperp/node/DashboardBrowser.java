package io.zkperp.node;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, driven by Playwright through the dashboard's Node.js bridge ({@code
 * gateway/dashboard/test/browser.mjs}, one JSON command per line), for the node's browser tests.
 * Without Chromium or Node.js the test is skipped, or fails with the reason when {@code CI=true}.
 * Screenshots go to {@code out}. Public for the format v3 node's browser test ({@code
 * io.zkperp.node.v3.DashboardV3IT}) and, through the node's test-jar, the devnet's ({@code
 * io.zkperp.devnet.DevnetDashboardIT}); the bridge is found from the module directory the test runs
 * in ({@code ../gateway/dashboard}). One test thread.
 */
public final class DashboardBrowser implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path BRIDGE_DIR = Path.of("..", "gateway", "dashboard");

  private final Process bridge;
  private final Writer to;
  private final BufferedReader from;
  private final Path out;
  private int nextId = 1;

  private DashboardBrowser(Process bridge, Path out) {
    this.bridge = bridge;
    this.out = out;
    this.to = new OutputStreamWriter(bridge.getOutputStream(), StandardCharsets.UTF_8);
    this.from =
        new BufferedReader(new InputStreamReader(bridge.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts the bridge and launches Chromium; skips (or fails in CI) without the tools. */
  public static DashboardBrowser launch(Path out) throws Exception {
    String chromium = System.getenv("ZKPERP_CHROMIUM");
    if (chromium == null || chromium.isBlank()) {
      chromium = "/usr/bin/chromium";
    }
    require(Files.isExecutable(Path.of(chromium)), "Chromium (" + chromium + ")");
    require(
        Files.isDirectory(BRIDGE_DIR.resolve("node_modules").resolve("playwright-core")),
        "the dashboard's npm packages (built with the gateway)");
    Files.createDirectories(out);
    Process p =
        new ProcessBuilder("node", "test/browser.mjs")
            .directory(BRIDGE_DIR.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    DashboardBrowser b = new DashboardBrowser(p, out);
    b.call("launch", MAPPER.createObjectNode().put("executablePath", chromium));
    return b;
  }

  private static void require(boolean present, String what) {
    if (!present) {
      String why = what + " is missing, so the dashboard's browser test cannot run";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " (CI=true: failing instead of skipping)");
      }
      Assumptions.abort(why);
    }
  }

  /** Opens {@code url} in the page. */
  public void go(String url) throws Exception {
    call("goto", MAPPER.createObjectNode().put("url", url));
  }

  /** Waits until the page's JavaScript {@code expr} is true; fails after {@code timeoutMs}. */
  public void waitFor(String expr, int timeoutMs) throws Exception {
    call("waitFor", MAPPER.createObjectNode().put("expr", expr).put("timeoutMs", timeoutMs));
  }

  /** The page's JavaScript {@code expr} as a string. */
  public String eval(String expr) throws Exception {
    return call("eval", MAPPER.createObjectNode().put("expr", "String(" + expr + ")"));
  }

  /** Types {@code value} into the field {@code selector}. */
  public void fill(String selector, String value) throws Exception {
    call("fill", MAPPER.createObjectNode().put("selector", selector).put("value", value));
  }

  /** Clicks {@code selector}. */
  public void click(String selector) throws Exception {
    call("click", MAPPER.createObjectNode().put("selector", selector));
  }

  /** Saves a screenshot as {@code out/name.png}. */
  public void shot(String name) throws Exception {
    call(
        "screenshot",
        MAPPER
            .createObjectNode()
            .put("path", out.resolve(name + ".png").toAbsolutePath().toString()));
  }

  /** The page's console errors and uncaught exceptions so far. */
  public JsonNode errors() throws Exception {
    return MAPPER.readTree(raw("errors", MAPPER.createObjectNode())).path("value");
  }

  private String call(String op, ObjectNode cmd) throws Exception {
    JsonNode a = MAPPER.readTree(raw(op, cmd));
    if (!a.path("ok").asBoolean()) {
      if (!op.equals("screenshot")) {
        try {
          shot("failure");
        } catch (Exception | AssertionError ignored) {
          // the failure below is the news
        }
      }
      fail("browser: %s %s failed: %s", op, cmd, a.path("error").asText());
    }
    return a.path("value").isTextual() ? a.path("value").asText() : a.path("value").toString();
  }

  private String raw(String op, ObjectNode cmd) throws IOException {
    cmd.put("id", nextId++).put("op", op);
    to.write(cmd + "\n");
    to.flush();
    String line = from.readLine();
    if (line == null) {
      throw new IOException("the browser bridge exited (see the test output)");
    }
    return line;
  }

  @Override
  public void close() {
    try {
      to.close();
    } catch (IOException ignored) {
      // gone already
    }
    try {
      if (!bridge.waitFor(10, TimeUnit.SECONDS)) {
        bridge.destroyForcibly();
      }
    } catch (InterruptedException e) {
      bridge.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
