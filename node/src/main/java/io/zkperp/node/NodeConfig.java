package io.zkperp.node;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.prover.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.web3j.crypto.Credentials;

/**
 * Everything a {@link RollupNode} needs. Immutable; any thread.
 *
 * @param dataDir the node's data directory (journal, state tree, batch store, cursor, proof jobs)
 * @param gateway the gateway's settings
 * @param batchSize the circuit shape's slot count
 * @param maxBatchDelay how long a batch stays open after its first transaction
 * @param prover the prover worker's options (job directory, keys, shape)
 * @param l1 the L1 connection, or null to run without settling on L1
 * @param censorForcedWithdrawals <b>drills and tests only</b>: the node takes no L1 forced
 *     withdrawal (nor anything queued after it, since the queue is consumed in order), so the
 *     request passes its deadline and anyone may freeze the rollup; deposits queued before it are
 *     credited as usual. Never set on a real operator's node.
 */
public record NodeConfig(
    Path dataDir,
    GatewayConfig gateway,
    int batchSize,
    Duration maxBatchDelay,
    WorkerOptions prover,
    L1 l1,
    boolean censorForcedWithdrawals) {

  /**
   * A node that serves every forced withdrawal (the normal case).
   *
   * @param dataDir see the record
   * @param gateway see the record
   * @param batchSize see the record
   * @param maxBatchDelay see the record
   * @param prover see the record
   * @param l1 see the record
   */
  public NodeConfig(
      Path dataDir,
      GatewayConfig gateway,
      int batchSize,
      Duration maxBatchDelay,
      WorkerOptions prover,
      L1 l1) {
    this(dataDir, gateway, batchSize, maxBatchDelay, prover, l1, false);
  }

  /**
   * This configuration with the drill option {@code censorForcedWithdrawals} set or cleared.
   *
   * @param censor whether the node ignores L1 forced withdrawals (drills and tests only)
   * @return the new configuration
   */
  public NodeConfig withCensorForcedWithdrawals(boolean censor) {
    return new NodeConfig(dataDir, gateway, batchSize, maxBatchDelay, prover, l1, censor);
  }

  /**
   * The L1 side.
   *
   * @param rpcUrl the L1 node's JSON-RPC endpoint
   * @param rollup the rollup contract
   * @param operator the operator's key (the rollup's submitter)
   * @param confirmations blocks before an L1 deposit is credited
   * @param finality confirmations before a committed batch is final
   * @param pageBlocks blocks per log query
   * @param startBlock the rollup's deployment block
   * @param poll the L1 polling period
   */
  public record L1(
      String rpcUrl,
      String rollup,
      Credentials operator,
      long confirmations,
      long finality,
      long pageBlocks,
      long startBlock,
      Duration poll) {
    /** Checks for nulls. */
    public L1 {
      Objects.requireNonNull(rpcUrl, "rpcUrl");
      Objects.requireNonNull(rollup, "rollup");
      Objects.requireNonNull(operator, "operator");
      Objects.requireNonNull(poll, "poll");
    }
  }

  /** Checks for nulls. */
  public NodeConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
    Objects.requireNonNull(prover, "prover");
  }
}
