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
 * @param settlement the settlement format: {@code v3} (trades, prices and collateral transactions
 *     proven and committed to {@code ZkPerpRollupV3}) or {@code v2} (collateral only; {@code
 *     ZkPerpRollup}, the settlement pauses at the first price)
 * @param shape the circuit shape: {@code v3-tiny} for v3; {@code tiny} or {@code devnet} for v2
 * @param funding whether the engine runs derived funding ({@link Funding})
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
    String settlement,
    String shape,
    Funding funding,
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
    Objects.requireNonNull(settlement, "settlement");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(funding, "funding");
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
    if (settlement.equals(V3)) {
      io.zkperp.node.v3.V3Shapes.shape(shape); // a v3 shape, else IllegalArgumentException
    } else if (!settlement.equals(V2)) {
      throw new IllegalArgumentException("settlement must be v2 or v3, got " + settlement);
    } else if (!shape.equals("tiny") && !shape.equals("devnet")) {
      throw new IllegalArgumentException("a v2 devnet's shape is tiny or devnet, got " + shape);
    }
    if (blockTimeSeconds < 1 || confirmations < 0 || finality < 0) {
      throw new IllegalArgumentException(
          "block time must be >= 1 s, confirmations and finality >= 0");
    }
  }

  /** The format v2 settlement (collateral only on L1). */
  public static final String V2 = "v2";

  /** The format v3 settlement (trades, prices and collateral on L1). */
  public static final String V3 = "v3";

  /**
   * Derived funding (the demo markets' hourly funding from premium samples; a market's funding
   * period starts at its first tick with a price).
   */
  public enum Funding {
    /**
     * On where the settlement can prove a funding period start: always on v2 (which pauses at the
     * first price anyway); on v3 when the shape has a period-start slot, else off.
     */
    AUTO,
    /** On (on a v3 shape without a period-start slot the settlement pauses at the first one). */
    ON,
    /** Off: no funding configuration, so no period start and no funding tick. */
    OFF
  }

  /**
   * Whether this devnet settles format v3.
   *
   * @return true for {@link #V3}
   */
  public boolean v3() {
    return settlement.equals(V3);
  }

  /**
   * Whether the engine runs derived funding: {@link Funding#AUTO} resolved against the shape (a v3
   * shape's period-start slots, read from {@code V3Shapes}).
   *
   * @return true when funding is on
   */
  public boolean derivedFunding() {
    return switch (funding) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> !v3() || io.zkperp.node.v3.V3Shapes.shape(shape).periodStarts() > 0;
    };
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
