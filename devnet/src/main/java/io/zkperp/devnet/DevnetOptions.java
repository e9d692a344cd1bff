package io.zkperp.devnet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Devnet} runs. Immutable; any thread.
 *
 * @param dataDir the data directory (anvil state, deployment, node data, prover jobs)
 * @param port the JSON-RPC port (HTTP and WebSocket on {@code /ws}, metrics on {@code /metrics}); 0
 *     picks a free one
 * @param l1Port anvil's port; 0 picks a free one
 * @param markets the markets listed on the engine (ids of the engine's market configuration); empty
 *     in collateral-only mode
 * @param seed the seed of the oracle feeder's random walk and of the market maker's key
 * @param marketMaker whether the market maker quotes
 * @param shape the circuit shape ({@code tiny} or {@code devnet})
 * @param batchDelay how long a batch stays open after its first transaction
 * @param feedInterval the oracle feeder's and the market maker's period
 * @param blockTimeSeconds anvil's block time (blocks are mined at this interval, so confirmations
 *     and finality advance by themselves)
 * @param confirmations L1 blocks before a deposit is credited
 * @param finality L1 confirmations before a committed batch is final
 * @param anvilLauncher the anvil launcher ({@code l1-contracts/tools/anvil})
 * @param keyDir the Groth16 key directory
 * @param proverWorkers prover worker processes of the node (they share the machine's cores and
 *     memory)
 */
public record DevnetOptions(
    Path dataDir,
    int port,
    int l1Port,
    List<Integer> markets,
    long seed,
    boolean marketMaker,
    String shape,
    Duration batchDelay,
    Duration feedInterval,
    int blockTimeSeconds,
    long confirmations,
    long finality,
    Path anvilLauncher,
    Path keyDir,
    int proverWorkers) {

  /** Checks nulls and ranges. */
  public DevnetOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(batchDelay, "batchDelay");
    Objects.requireNonNull(feedInterval, "feedInterval");
    Objects.requireNonNull(anvilLauncher, "anvilLauncher");
    Objects.requireNonNull(keyDir, "keyDir");
    markets = List.copyOf(markets);
    if (port < 0 || port > 65_535 || l1Port < 0 || l1Port > 65_535) {
      throw new IllegalArgumentException("ports must be 0 to 65535");
    }
    if (proverWorkers < 1 || proverWorkers > io.zkperp.prover.worker.WorkerOptions.MAX_WORKERS) {
      throw new IllegalArgumentException("prover workers must be 1 to 64, got " + proverWorkers);
    }
    if (blockTimeSeconds < 1 || confirmations < 0 || finality < 0) {
      throw new IllegalArgumentException(
          "block time must be >= 1 s, confirmations and finality >= 0");
    }
  }

  /**
   * Whether this devnet runs without markets, feeder and market maker (only collateral
   * transactions, which the circuit proves, so everything settles on L1).
   *
   * @return true when no market is listed
   */
  public boolean collateralOnly() {
    return markets.isEmpty();
  }
}
