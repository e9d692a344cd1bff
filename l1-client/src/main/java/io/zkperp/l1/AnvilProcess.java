package io.zkperp.l1;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local anvil node started as a child process: Foundry's anvil from the npm registry, run through
 * {@code l1-contracts/tools/anvil} (which resolves the platform binary under {@code node_modules}).
 * It listens on a free port chosen by anvil itself ({@code --port 0}); {@link #rpcUrl()} is known
 * once anvil has printed its "Listening on" line. Accounts come from {@link DevAccounts#MNEMONIC},
 * each funded with 10,000 ETH.
 *
 * <p>Thread-safety: start and close from one thread; {@link #rpcUrl()} from any thread.
 */
public final class AnvilProcess implements AutoCloseable {
  /** System property naming the anvil launcher (set by the Maven build for tests). */
  public static final String LAUNCHER_PROPERTY = "zkperp.anvil";

  private static final Pattern LISTENING = Pattern.compile("Listening on ([0-9.]+):([0-9]+)");
  private static final int MAX_LOG_LINES = 200;

  private final Process process;
  private final String rpcUrl;
  private final List<String> log;
  private final int stopGraceSeconds;

  private AnvilProcess(Process process, String rpcUrl, List<String> log, int stopGraceSeconds) {
    this.process = process;
    this.rpcUrl = rpcUrl;
    this.log = log;
    this.stopGraceSeconds = stopGraceSeconds;
  }

  /**
   * The launcher named by the system property {@value #LAUNCHER_PROPERTY}.
   *
   * @return the launcher path
   * @throws IllegalStateException if the property is unset or the file does not exist
   */
  public static Path launcherFromSystemProperty() {
    String p = System.getProperty(LAUNCHER_PROPERTY);
    if (p == null || p.isBlank()) {
      throw new IllegalStateException(
          "system property " + LAUNCHER_PROPERTY + " (path of l1-contracts/tools/anvil) is unset");
    }
    Path path = Path.of(p);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          "anvil launcher "
              + path
              + " not found: build l1-contracts first (its build.sh runs npm ci, which installs anvil)");
    }
    return path;
  }

  /**
   * Starts anvil and waits until it listens.
   *
   * @param launcher the anvil launcher (or binary)
   * @param chainId the chain id to run with
   * @param timeoutSeconds how long to wait for anvil to listen
   * @return the running node
   * @throws IOException if the process cannot be started or does not come up in time (its output is
   *     in the message)
   */
  public static AnvilProcess start(Path launcher, long chainId, int timeoutSeconds)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(
        List.of(
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--chain-id",
            Long.toString(chainId),
            "--mnemonic",
            DevAccounts.MNEMONIC,
            "--accounts",
            Integer.toString(DevAccounts.COUNT)));
    return launch(command, timeoutSeconds, 5);
  }

  /**
   * Runs an anvil command line (launcher first, any options, one of which makes it listen) and
   * waits until anvil prints its "Listening on" line.
   *
   * @param command the launcher and its arguments
   * @param timeoutSeconds how long to wait for anvil to listen
   * @param stopGraceSeconds how long {@link #close} waits after SIGTERM (anvil dumps a {@code
   *     --state} file then) before SIGKILL
   * @return the running node
   * @throws IOException if the process cannot be started or does not come up in time (its output is
   *     in the message)
   */
  public static AnvilProcess launch(List<String> command, int timeoutSeconds, int stopGraceSeconds)
      throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> log = new ArrayList<>();
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (log) {
                    if (log.size() < MAX_LOG_LINES) {
                      log.add(line);
                    }
                  }
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    url.complete("http://" + m.group(1) + ":" + m.group(2));
                  }
                }
                url.completeExceptionally(new IOException("anvil exited"));
              } catch (IOException e) {
                url.completeExceptionally(e);
              }
            },
            "anvil-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new AnvilProcess(p, url.get(timeoutSeconds, TimeUnit.SECONDS), log, stopGraceSeconds);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting anvil", e);
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      String out;
      synchronized (log) {
        out = String.join("\n", log);
      }
      throw new IOException(
          "anvil did not start listening within " + timeoutSeconds + " s; output:\n" + out, e);
    }
  }

  /**
   * The JSON-RPC endpoint.
   *
   * @return e.g. {@code http://127.0.0.1:38211}
   */
  public String rpcUrl() {
    return rpcUrl;
  }

  /**
   * Whether the process still runs.
   *
   * @return true while anvil runs
   */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * The first lines anvil printed (at most 200).
   *
   * @return a copy of the lines
   */
  public List<String> output() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** Stops anvil (SIGTERM, then SIGKILL after the stop grace: 5 s from {@link #start}). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(stopGraceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
