package io.zkperp.node;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.l1.L1Sender;
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
 * @param stallAfter how long a stage may go without advancing while work waits before {@code
 *     /health} reports it ({@link NodeHealth}); positive
 * @param censorForcedWithdrawals <b>drills and tests only</b>: the node takes no L1 forced
 *     withdrawal (nor anything queued after it, since the queue is consumed in order), so the
 *     request passes its deadline and anyone may freeze the rollup; deposits queued before it are
 *     credited as usual. Never set on a real operator's node.
 * @param journalSegmentBytes the journal rotates to a new segment file under {@code
 *     <data-dir>/journal/} once the current one has this many bytes (1 KiB to 1 GiB; default {@link
 *     #DEFAULT_JOURNAL_SEGMENT_BYTES}); recovery reads every segment in order
 */
public record NodeConfig(
    Path dataDir,
    GatewayConfig gateway,
    int batchSize,
    Duration maxBatchDelay,
    WorkerOptions prover,
    L1 l1,
    Duration stallAfter,
    boolean censorForcedWithdrawals,
    long journalSegmentBytes) {

  /** The default journal segment size: the demo node's ({@code DurabilityOptions}). */
  public static final long DEFAULT_JOURNAL_SEGMENT_BYTES =
      (long) io.zkperp.gateway.node.DurabilityOptions.DEFAULT_SEGMENT_MIB << 20;

  /** The default stall limit of {@code /health}. */
  public static final Duration DEFAULT_STALL_AFTER = Duration.ofMinutes(2);

  /**
   * A configuration with the default stall limit ({@link #DEFAULT_STALL_AFTER}) and journal segment
   * size ({@link #DEFAULT_JOURNAL_SEGMENT_BYTES}) that serves every forced withdrawal (the normal
   * case); the {@code with…} methods change the others.
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
    this(
        dataDir,
        gateway,
        batchSize,
        maxBatchDelay,
        prover,
        l1,
        DEFAULT_STALL_AFTER,
        false,
        DEFAULT_JOURNAL_SEGMENT_BYTES);
  }

  /**
   * Returns a copy with another journal segment size.
   *
   * @param bytes the segment size (1 KiB to 1 GiB)
   * @return the new configuration
   */
  public NodeConfig withJournalSegmentBytes(long bytes) {
    return new NodeConfig(
        dataDir,
        gateway,
        batchSize,
        maxBatchDelay,
        prover,
        l1,
        stallAfter,
        censorForcedWithdrawals,
        bytes);
  }

  /**
   * Returns a copy with another L1 side.
   *
   * @param other the L1 connection, or null to settle nothing on L1
   * @return the new configuration
   */
  public NodeConfig withL1(L1 other) {
    return new NodeConfig(
        dataDir,
        gateway,
        batchSize,
        maxBatchDelay,
        prover,
        other,
        stallAfter,
        censorForcedWithdrawals,
        journalSegmentBytes);
  }

  /**
   * Returns a copy with another stall limit.
   *
   * @param limit how long a stage may go without advancing
   * @return the new configuration
   */
  public NodeConfig withStallAfter(Duration limit) {
    return new NodeConfig(
        dataDir,
        gateway,
        batchSize,
        maxBatchDelay,
        prover,
        l1,
        limit,
        censorForcedWithdrawals,
        journalSegmentBytes);
  }

  /**
   * This configuration with the drill option {@code censorForcedWithdrawals} set or cleared.
   *
   * @param censor whether the node ignores L1 forced withdrawals (drills and tests only)
   * @return the new configuration
   */
  public NodeConfig withCensorForcedWithdrawals(boolean censor) {
    return new NodeConfig(
        dataDir,
        gateway,
        batchSize,
        maxBatchDelay,
        prover,
        l1,
        stallAfter,
        censor,
        journalSegmentBytes);
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
   * @param sender how commits are sent: gas margin, retries, when a commit not mined is replaced
   *     with higher fees, the fee cap
   */
  public record L1(
      String rpcUrl,
      String rollup,
      Credentials operator,
      long confirmations,
      long finality,
      long pageBlocks,
      long startBlock,
      Duration poll,
      L1Sender.Options sender) {
    /** Checks for nulls. */
    public L1 {
      Objects.requireNonNull(rpcUrl, "rpcUrl");
      Objects.requireNonNull(rollup, "rollup");
      Objects.requireNonNull(operator, "operator");
      Objects.requireNonNull(poll, "poll");
      Objects.requireNonNull(sender, "sender");
    }

    /**
     * The L1 side with the sender's defaults ({@link L1Sender.Options#defaults()}).
     *
     * @param rpcUrl see the record
     * @param rollup see the record
     * @param operator see the record
     * @param confirmations see the record
     * @param finality see the record
     * @param pageBlocks see the record
     * @param startBlock see the record
     * @param poll see the record
     */
    public L1(
        String rpcUrl,
        String rollup,
        Credentials operator,
        long confirmations,
        long finality,
        long pageBlocks,
        long startBlock,
        Duration poll) {
      this(
          rpcUrl,
          rollup,
          operator,
          confirmations,
          finality,
          pageBlocks,
          startBlock,
          poll,
          L1Sender.Options.defaults());
    }
  }

  /** Checks for nulls. */
  public NodeConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
    Objects.requireNonNull(prover, "prover");
    Objects.requireNonNull(stallAfter, "stallAfter");
    if (stallAfter.isNegative() || stallAfter.isZero()) {
      throw new IllegalArgumentException("stallAfter must be positive");
    }
    io.zkperp.sequencer.journal.JournalSegments.checkSegmentBytes(journalSegmentBytes);
  }
}
