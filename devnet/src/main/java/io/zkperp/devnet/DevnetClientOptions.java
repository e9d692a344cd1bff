package io.zkperp.devnet;

import io.zkperp.l1.L1Session;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options shared by the subcommands that act on a running devnet: its data directory (for the
 * contract addresses) and the L1 endpoint (by default the one the devnet last started on). Picocli
 * mixin; main thread.
 */
final class DevnetClientOptions {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "the running devnet's data directory (default ${DEFAULT-VALUE})")
  Path dataDir = Path.of("zkperp-devnet");

  @Option(
      names = "--l1-url",
      paramLabel = "URL",
      description = "anvil's JSON-RPC endpoint (default: the one the devnet last started on)")
  String l1Url;

  /**
   * The data directory's state.
   *
   * @return the state
   * @throws DevnetException if the directory has no devnet or one of another version
   */
  DevnetState state() throws DevnetException {
    return DevnetState.read(dataDir)
        .orElseThrow(
            () ->
                new DevnetException(
                    DevnetException.Kind.NOT_RUNNING,
                    "no devnet in "
                        + dataDir.toAbsolutePath()
                        + " ("
                        + DevnetState.FILE
                        + " missing): start one with ./zk devnet, or pass its --data-dir"));
  }

  /**
   * Connects to the devnet's L1.
   *
   * @param s the state
   * @return the session
   * @throws DevnetException if anvil does not answer
   */
  L1Session connect(DevnetState s) throws DevnetException {
    String url = l1Url != null ? l1Url : s.l1RpcUrl();
    try {
      L1Session l1 = L1Session.connect(url);
      l1.web3j().ethBlockNumber().send();
      return l1;
    } catch (Exception e) {
      throw new DevnetException(
          DevnetException.Kind.NOT_RUNNING,
          "the devnet's L1 at " + url + " does not answer: is ./zk devnet running?",
          e);
    }
  }
}
