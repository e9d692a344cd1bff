package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchWitnessException;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.node.BatchStore;
import io.zkperp.node.NodeConfig;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.risk.RiskEngine;
import io.zkperp.state.StateStoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a node settling format v3 opens in its data directory: the layout v2 tree under {@code
 * <data-dir>/v3} ({@link V3StateTree}, genesis from the node's risk, oracle and funding
 * configuration) and the settlement's batch records under {@code <data-dir>/v3-batches} ({@link
 * V3BatchStore}), and the {@link SettlementV3} over them for the deployment's domain and the
 * configured shape. Threads: the controlling thread of {@code RollupNode.open}/{@code close};
 * {@link #tree()} from any thread.
 */
public final class V3Stores implements AutoCloseable {
  /**
   * The core's time before the journal's first record (a replay without a snapshot starts there).
   */
  public static final long CORE_START_TIME = 0;

  private final NodeConfig cfg;
  private final RiskEngine risk;
  private final MessageDomain domain;
  private final V3StateTree tree;
  private final V3BatchStore settled;

  private V3Stores(
      NodeConfig cfg,
      RiskEngine risk,
      MessageDomain domain,
      V3StateTree tree,
      V3BatchStore settled) {
    this.cfg = cfg;
    this.risk = risk;
    this.domain = domain;
    this.tree = tree;
    this.settled = settled;
  }

  /**
   * Checks that a configuration can settle format v3, before anything is opened.
   *
   * @param cfg a configuration with {@link NodeConfig#v3()} set
   * @throws IllegalArgumentException no L1 side (the batches' domain is the deployment's), or a
   *     prover shape other than the v3 shape
   * @throws LiquidationFeeMismatchException the shape proves liquidations at another fee rate than
   *     the engine's
   */
  public static void check(NodeConfig cfg) {
    NodeConfig.V3 v3 = Objects.requireNonNull(cfg.v3(), "v3");
    if (cfg.l1() == null) {
      throw new IllegalArgumentException(
          "format v3 settlement needs the L1 side: every batch names the deployment (chain id and"
              + " rollup)");
    }
    if (!cfg.prover().shape().equals(v3.shapeName())) {
      throw new IllegalArgumentException(
          "format v3 settlement seals "
              + v3.shapeName()
              + " batches but the prover's shape is "
              + cfg.prover().shape());
    }
    V3Shapes.checkLiquidationFee(v3.shapeName(), cfg.liquidationConfig().feePpm());
  }

  /**
   * Opens the tree (writing its genesis on the first open) and the settlement's batch records.
   *
   * @param cfg the node's configuration ({@link #check} passed)
   * @param risk the node's engine (its risk configuration)
   * @param domain the deployment
   * @param keptVersions tree versions kept (one per command settled since the last stored batch)
   * @return the open stores
   * @throws GenesisMismatchException the stored genesis is not the configuration's (nothing
   *     written)
   * @throws UnrepresentableConfigException the configuration does not fit layout v2
   * @throws IOException a store cannot be opened
   */
  public static V3Stores open(
      NodeConfig cfg, RiskEngine risk, MessageDomain domain, int keptVersions)
      throws GenesisMismatchException, UnrepresentableConfigException, IOException {
    check(cfg);
    Path dir = cfg.dataDir();
    V3StateTree tree =
        V3StateTree.open(
            dir.resolve("v3"),
            StateStoreOptions.DEFAULT.withKeptVersions(keptVersions),
            risk.config(),
            DemoMarkets.oracleConfig(cfg.oracleSigners().signers(), cfg.oracleSigners().quorum()),
            cfg.fundingConfig(),
            cfg.v3().firstAccountId());
    try {
      return new V3Stores(cfg, risk, domain, tree, V3BatchStore.open(dir.resolve("v3-batches")));
    } catch (IOException | RuntimeException e) {
      tree.close();
      throw e;
    }
  }

  /**
   * Creates and opens the settlement stage (rolled back to the last stored batch, see {@link
   * SettlementV3#open}); the caller feeds it the replay from the journal's first record, or
   * restores its translator from a snapshot at or before {@link SettlementV3#snapshotLimit()}
   * ({@link SettlementV3#restoreTranslator}) and feeds it the records after the snapshot.
   *
   * @param batches the node's batch store
   * @return the stage, not started
   * @throws IOException the stores disagree or cannot be read
   */
  public SettlementV3 settlement(BatchStore batches) throws IOException {
    SettlementV3 stage =
        new SettlementV3(
            tree.store(),
            settled,
            batches,
            new SettlementV3.Circuit(
                domain, cfg.v3().shapeName(), V3Shapes.shape(cfg.v3().shapeName())),
            FeeSchedule.of(risk.config()),
            CORE_START_TIME,
            new SettlementV3.Options(cfg.maxBatchDelay(), cfg.maxBatchesAwaitingProof()),
            System::nanoTime);
    try {
      stage.open();
    } catch (BatchWitnessException e) {
      throw new IOException("the v3 shape " + cfg.v3().shapeName() + " is not buildable", e);
    }
    return stage;
  }

  /**
   * The escape proof builder over this node's stores: proofs in the state of the last batch
   * committed on L1 (its tree version from the settlement's batch records). Any thread.
   *
   * @param batches the node's batch store
   * @return the builder
   */
  public V3EscapeProofs escapeProofs(BatchStore batches) {
    return new V3EscapeProofs(batches, settled, tree.store());
  }

  /**
   * The tree and its genesis. Any thread.
   *
   * @return the tree
   */
  public V3StateTree tree() {
    return tree;
  }

  /** Closes the settlement's records and the tree. Controlling thread, after the stage stopped. */
  @Override
  public void close() {
    settled.close();
    tree.close();
  }
}
