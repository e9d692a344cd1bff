package io.zkperp.devnet;

import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The devnet's L1: Foundry's anvil from npm ({@code l1-contracts/tools/anvil}) as a child process
 * on a declared port, mining a block every {@code blockTime} seconds, with the development mnemonic
 * ({@link DevAccounts}) and a persistent state file: {@code --state FILE} loads the chain (blocks,
 * receipts, accounts, contracts) when the file exists and dumps it on exit (SIGTERM) and every few
 * seconds ({@code --state-interval}), so a second start resumes the same chain. Unlike l1-client's
 * {@code AnvilProcess} (free port chosen by anvil, no state), it is meant to outlive a test.
 *
 * <p>Threads: {@link #start} and {@link #close} from one controlling thread; getters from any.
 */
final class LocalAnvil implements AutoCloseable {
  /** The chain id of the devnet's L1 (anvil's default). */
  static final long CHAIN_ID = 31_337;

  /** Seconds between anvil's state dumps while it runs. */
  static final int STATE_INTERVAL_SECONDS = 2;

  private final AnvilProcess anvil;
  private final int port;

  private LocalAnvil(AnvilProcess anvil, int port) {
    this.anvil = anvil;
    this.port = port;
  }

  /**
   * Checks that the anvil launcher exists and runs ({@code anvil --version}).
   *
   * @param launcher the launcher
   * @throws DevnetException {@code MISSING_TOOLCHAIN} with what to do
   */
  static void requireLauncher(Path launcher) throws DevnetException {
    String hint =
        "; install the L1 toolchain with 'npm ci' in l1-contracts (Node.js >= 20), or run"
            + " './zk build' once";
    if (!Files.isRegularFile(launcher)) {
      throw new DevnetException(
          DevnetException.Kind.MISSING_TOOLCHAIN,
          "anvil launcher " + launcher + " not found" + hint);
    }
    try {
      Process p =
          new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new DevnetException(
            DevnetException.Kind.MISSING_TOOLCHAIN,
            "anvil (npm) does not run: " + out.lines().findFirst().orElse("no output") + hint);
      }
    } catch (IOException e) {
      throw new DevnetException(
          DevnetException.Kind.MISSING_TOOLCHAIN,
          "anvil cannot be started: " + e.getMessage() + hint,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevnetException(
          DevnetException.Kind.MISSING_TOOLCHAIN, "interrupted while checking anvil", e);
    }
  }

  /**
   * Checks that a TCP port on 127.0.0.1 is free (or picks a free one for 0).
   *
   * @param port the port, 0 for any
   * @param what what the port is for, for the message (e.g. "--l1-port")
   * @return the port (a free one if 0 was given)
   * @throws DevnetException {@code PORT_IN_USE} if it is taken
   */
  static int requireFreePort(int port, String what) throws DevnetException {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new DevnetException(
          DevnetException.Kind.PORT_IN_USE,
          "port "
              + port
              + " on 127.0.0.1 is already in use (another devnet, node or program listens there);"
              + " stop it or pick another port with "
              + what
              + " N",
          e);
    }
  }

  /**
   * Starts anvil and waits until it listens.
   *
   * @param launcher the anvil launcher
   * @param port the port (must be free)
   * @param stateFile the state file (loaded if it exists, written on exit)
   * @param blockTimeSeconds seconds between blocks
   * @param timeoutSeconds how long to wait for anvil to listen
   * @return the running anvil
   * @throws IOException if anvil does not come up (its output is in the message)
   */
  static LocalAnvil start(
      Path launcher, int port, Path stateFile, int blockTimeSeconds, int timeoutSeconds)
      throws IOException {
    List<String> command =
        List.of(
            launcher.toString(),
            "--port",
            Integer.toString(port),
            "--host",
            "127.0.0.1",
            "--chain-id",
            Long.toString(CHAIN_ID),
            "--mnemonic",
            DevAccounts.MNEMONIC,
            "--accounts",
            Integer.toString(DevAccounts.COUNT),
            "--block-time",
            Integer.toString(blockTimeSeconds),
            "--state",
            stateFile.toString(),
            "--state-interval",
            Integer.toString(STATE_INTERVAL_SECONDS));
    // SIGTERM, then up to 10 s for anvil to dump its state file
    return new LocalAnvil(AnvilProcess.launch(command, timeoutSeconds, 10), port);
  }

  /**
   * The JSON-RPC endpoint.
   *
   * @return e.g. {@code http://127.0.0.1:8546}
   */
  String rpcUrl() {
    return anvil.rpcUrl();
  }

  /**
   * The port anvil listens on.
   *
   * @return the port
   */
  int port() {
    return port;
  }

  /**
   * Whether anvil still runs.
   *
   * @return true while it runs
   */
  boolean isAlive() {
    return anvil.isAlive();
  }

  /** Stops anvil with SIGTERM (it dumps its state), SIGKILL after 10 s. Controlling thread. */
  @Override
  public void close() {
    anvil.close();
  }
}
