package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

  /**
   * A fill's row in the page's time to finality ({@code #finality tr[data-seq]}) and the states it
   * was seen in, in order, each new one once. Subclasses check more on each new state ({@link
   * #newState}). One test thread.
   */
  public static class FinalityRow {
    /** The JavaScript expression of the row's element. */
    public final String js;

    /** The states seen, in order, each change once. */
    public final List<String> seen = new ArrayList<>();

    private final DashboardBrowser page;

    /**
     * The row of one fill.
     *
     * @param page the page
     * @param journalSeq the fill's journal sequence
     */
    public FinalityRow(DashboardBrowser page, long journalSeq) {
      this.page = page;
      this.js = "document.querySelector('#finality tr[data-seq=\"" + journalSeq + "\"]')";
    }

    /**
     * The page.
     *
     * @return the page the row is in
     */
    protected DashboardBrowser page() {
      return page;
    }

    /**
     * The row's state.
     *
     * @return its {@code data-status}
     * @throws Exception if the page cannot be read
     */
    public String status() throws Exception {
      return page.eval(js + ".dataset.status");
    }

    /**
     * The row's label.
     *
     * @return the text of its state cell
     * @throws Exception if the page cannot be read
     */
    public String label() throws Exception {
      return page.eval(js + ".querySelector('td.state').textContent");
    }

    /**
     * Reads the row's state once and notes it if it is new ({@link #newState} then runs).
     *
     * @return the state
     * @throws Exception if the page cannot be read or {@link #newState} fails
     */
    public String see() throws Exception {
      String st = status();
      if (seen.isEmpty() || !seen.getLast().equals(st)) {
        seen.add(st);
        newState(st);
      }
      return st;
    }

    /**
     * Runs once for each new state {@link #see} notes; nothing here.
     *
     * @param state the new state
     * @throws Exception if a check fails or the page cannot be read
     */
    protected void newState(String state) throws Exception {}

    /**
     * Reads the row every 100 ms ({@link #see}) until it is in one of {@code until}.
     *
     * @param until the states to wait for
     * @param seconds how long at the most
     * @throws Exception if the page cannot be read, or an assertion error past the deadline
     */
    public void follow(Set<String> until, int seconds) throws Exception {
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      while (true) {
        String st = see();
        if (until.contains(st)) {
          return;
        }
        assertThat(System.nanoTime())
            .as("the fill's row reaching %s; seen %s", until, seen)
            .isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }
}
