package io.zkperp.node;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.l1.L1Sender;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.prover.worker.WorkerOptions;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 *     #DEFAULT_JOURNAL_SEGMENT_BYTES}); recovery reads the segments after the snapshot it starts
 *     from
 * @param maxBatchesAwaitingProof back-pressure: the settlement seals no new batch while this many
 *     sealed batches wait for their proofs (≥ 1; default {@value
 *     #DEFAULT_MAX_BATCHES_AWAITING_PROOF})
 * @param snapshots when the node snapshots its engine, read model and accounts ({@link Snapshots})
 * @param oracleSigners the oracle signer set and quorum the engine accepts prices from ({@link
 *     OracleSigners#DEMO} by default: the demo node's public keys)
 * @param v3 settle, prove and commit format v3 batches ({@link V3}), or null for format v2 (the
 *     default)
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
    long journalSegmentBytes,
    int maxBatchesAwaitingProof,
    Snapshots snapshots,
    OracleSigners oracleSigners,
    V3 v3) {

  /** The default journal segment size: the demo node's ({@code DurabilityOptions}). */
  public static final long DEFAULT_JOURNAL_SEGMENT_BYTES =
      (long) io.zkperp.gateway.node.DurabilityOptions.DEFAULT_SEGMENT_MIB << 20;

  /** The default back-pressure limit: sealed batches waiting for proofs. */
  public static final int DEFAULT_MAX_BATCHES_AWAITING_PROOF = 64;

  /**
   * When the settling node snapshots (taken by a replica that follows the journal, so intake never
   * pauses) and what happens to journal segments a snapshot covers.
   *
   * @param everyRecords snapshot after this many journal records; 0 = not by count
   * @param everyMillis snapshot after this long; 0 = not by time (both 0: no snapshots at all, and
   *     no journal segment is ever released)
   * @param keep how many snapshots to keep besides the one recovery needs (≥ 1)
   * @param archiveDir where released journal segments go, or null to delete them
   */
  public record Snapshots(long everyRecords, long everyMillis, int keep, Path archiveDir) {
    /** Snapshots every 100,000 records or 5 minutes, two kept, released segments deleted. */
    public static final Snapshots DEFAULT = new Snapshots(100_000, 300_000, 2, null);

    /** No snapshots: every start replays the whole journal, no segment is released. */
    public static final Snapshots NONE = new Snapshots(0, 0, 1, null);

    /** Checks the ranges. */
    public Snapshots {
      if (everyRecords < 0 || everyMillis < 0 || keep < 1) {
        throw new IllegalArgumentException(
            "snapshot intervals must be ≥ 0 and at least one snapshot kept");
      }
    }

    /**
     * Whether snapshots are taken at all.
     *
     * @return false for {@link #NONE}
     */
    public boolean enabled() {
      return everyRecords > 0 || everyMillis > 0;
    }
  }

  /**
   * Returns a copy that settles format v3 (or format v2 again with null).
   *
   * @param value the v3 settlement's settings, or null for format v2
   * @return the new configuration
   */
  public NodeConfig withV3(V3 value) {
    return new NodeConfig(
        dataDir,
        gateway,
        batchSize,
        maxBatchDelay,
        prover,
        l1,
        stallAfter,
        censorForcedWithdrawals,
        journalSegmentBytes,
        maxBatchesAwaitingProof,
        snapshots,
        oracleSigners,
        value);
  }

  /**
   * The format v3 settlement: the node keeps a layout v2 tree under {@code <data-dir>/v3} (genesis
   * from its risk, oracle and funding configuration), seals format v3 batches of {@code shapeName}
   * for the L1 deployment's domain (chain id and rollup of {@link #l1()}), proves them with workers
   * given that domain and commits them to {@code ZkPerpRollupV3}. Needs an L1 side and no snapshots
   * (the translator replays from the journal's first record). Immutable; any thread.
   *
   * @param shapeName a format v3 shape with keys ({@code v3-tiny}); the prover's shape must be the
   *     same
   * @param firstAccountId the rollup's first account id (its genesis)
   * @param derivedFunding whether the engine runs the demo markets' derived funding ({@code
   *     DemoMarkets.fundingConfig()}: a funding period starts at a market's first tick with a
   *     price, then hourly ticks); false: no funding configuration at all (no period start, no
   *     funding tick; the genesis bounds every market to Δindex = 0), for a shape without a
   *     period-start slot
   */
  public record V3(String shapeName, long firstAccountId, boolean derivedFunding) {
    /** Checks the shape is a known v3 shape and the account id is positive. */
    public V3 {
      io.zkperp.node.v3.V3Shapes.shape(shapeName);
      if (firstAccountId < 1) {
        throw new IllegalArgumentException("firstAccountId must be ≥ 1, got " + firstAccountId);
      }
    }

    /**
     * With the demo markets' derived funding.
     *
     * @param shapeName see the record
     * @param firstAccountId see the record
     */
    public V3(String shapeName, long firstAccountId) {
      this(shapeName, firstAccountId, true);
    }
  }

  /**
   * The engine's funding configuration: the demo markets' derived funding, or null (no funding) for
   * a format v3 node with {@link V3#derivedFunding()} false. Any thread.
   *
   * @return the configuration, or null
   */
  public FundingConfig fundingConfig() {
    return v3 != null && !v3.derivedFunding() ? null : DemoMarkets.fundingConfig();
  }

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
        DEFAULT_JOURNAL_SEGMENT_BYTES,
        DEFAULT_MAX_BATCHES_AWAITING_PROOF,
        Snapshots.DEFAULT,
        OracleSigners.DEMO,
        null);
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
        bytes,
        maxBatchesAwaitingProof,
        snapshots,
        oracleSigners,
        v3);
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
        journalSegmentBytes,
        maxBatchesAwaitingProof,
        snapshots,
        oracleSigners,
        v3);
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
        journalSegmentBytes,
        maxBatchesAwaitingProof,
        snapshots,
        oracleSigners,
        v3);
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
        journalSegmentBytes,
        maxBatchesAwaitingProof,
        snapshots,
        oracleSigners,
        v3);
  }

  /**
   * Returns a copy with another back-pressure limit.
   *
   * @param limit see the record's {@code maxBatchesAwaitingProof}
   * @return the new configuration
   */
  public NodeConfig withMaxBatchesAwaitingProof(int limit) {
    return new NodeConfig(
        dataDir,
        gateway,
        batchSize,
        maxBatchDelay,
        prover,
        l1,
        stallAfter,
        censorForcedWithdrawals,
        journalSegmentBytes,
        limit,
        snapshots,
        oracleSigners,
        v3);
  }

  /**
   * Returns a copy with other snapshot settings.
   *
   * @param value see the record's {@code snapshots}
   * @return the new configuration
   */
  public NodeConfig withSnapshots(Snapshots value) {
    return new NodeConfig(
        dataDir,
        gateway,
        batchSize,
        maxBatchDelay,
        prover,
        l1,
        stallAfter,
        censorForcedWithdrawals,
        journalSegmentBytes,
        maxBatchesAwaitingProof,
        value,
        oracleSigners,
        v3);
  }

  /**
   * Returns a copy with another oracle signer set (a deployment's own signers).
   *
   * @param value the signers and quorum
   * @return the new configuration
   */
  public NodeConfig withOracleSigners(OracleSigners value) {
    return new NodeConfig(
        dataDir,
        gateway,
        batchSize,
        maxBatchDelay,
        prover,
        l1,
        stallAfter,
        censorForcedWithdrawals,
        journalSegmentBytes,
        maxBatchesAwaitingProof,
        snapshots,
        value,
        v3);
  }

  /**
   * The engine's liquidation parameters ({@link LiquidationConfig#DEFAULT}): a format v3 shape with
   * liquidation slots proves their fee rate ({@code V3Shapes.checkLiquidationFee}). Any thread.
   *
   * @return the parameters
   */
  public LiquidationConfig liquidationConfig() {
    return LiquidationConfig.DEFAULT;
  }

  /**
   * A fresh risk engine for this node: the demo markets' risk parameters ({@code DemoMarkets}),
   * {@link #liquidationConfig()}, {@link #fundingConfig()} and this configuration's oracle signers.
   * A journal must be replayed with the signer set it was written with (the engine checks every
   * price report's signature again). Any thread.
   *
   * @return the engine
   */
  public RiskEngine riskEngine() {
    return new RiskEngine(
        DemoMarkets.riskConfig(),
        liquidationConfig(),
        DemoMarkets.oracleConfig(oracleSigners.signers(), oracleSigners.quorum()),
        fundingConfig());
  }

  /**
   * The oracle signers whose reports the engine accepts: a report names its signer by index into
   * {@code signers}, and a price batch needs {@code quorum} distinct signers. Immutable; any
   * thread.
   *
   * @param signers the signers' public keys, distinct, at least one
   * @param quorum 1 to {@code signers.size()}
   */
  public record OracleSigners(List<EdDsaPublicKey> signers, int quorum) {
    /**
     * The demo node's built-in signers ({@code DemoMarkets.oracleKey}, public seeds: anyone can
     * sign prices with them) and quorum.
     */
    public static final OracleSigners DEMO = demo();

    /** Checks the set and the quorum. */
    public OracleSigners {
      signers = List.copyOf(signers);
      if (signers.isEmpty() || new HashSet<>(signers).size() != signers.size()) {
        throw new IllegalArgumentException("oracle signers must be distinct, at least one");
      }
      if (quorum < 1 || quorum > signers.size()) {
        throw new IllegalArgumentException(
            "oracle quorum must be 1 to " + signers.size() + ", got " + quorum);
      }
    }

    private static OracleSigners demo() {
      List<EdDsaPublicKey> keys = new ArrayList<>();
      for (int i = 0; i < DemoMarkets.ORACLE_SIGNERS; i++) {
        keys.add(DemoMarkets.oracleKey(i).publicKey());
      }
      return new OracleSigners(keys, DemoMarkets.ORACLE_QUORUM);
    }
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
    Objects.requireNonNull(snapshots, "snapshots");
    Objects.requireNonNull(oracleSigners, "oracleSigners");
    if (maxBatchesAwaitingProof < 1) {
      throw new IllegalArgumentException("maxBatchesAwaitingProof must be ≥ 1");
    }
  }
}
