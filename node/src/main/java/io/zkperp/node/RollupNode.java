package io.zkperp.node;

import io.zkperp.batcher.L2Transaction;
import io.zkperp.gateway.Gateway;
import io.zkperp.gateway.GatewaySetup;
import io.zkperp.gateway.HealthCheck;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.node.DataDirectoryLock;
import io.zkperp.l1.L1Sender;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.PriorityOpWatcher;
import io.zkperp.node.rpc.EscapeProofMethod;
import io.zkperp.node.rpc.SettlementMethods;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.risk.RiskEngine;
import io.zkperp.state.RollupStateStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settling node: sequencer + gateway (as the demo node wires them, on a journal in the data
 * directory), the L1 watcher feeding deposits and forced withdrawals into the engine, the {@link
 * Settlement} on a RocksDB state tree, the {@link ProvingStage} over {@link ProofJobs} and the
 * {@link L1Submitter}. Without an L1 configuration it runs the sequencer, gateway and settlement
 * only, and logs that nothing is settled on L1.
 *
 * <p>With {@link NodeConfig#v3()} it settles format v3 instead ({@link io.zkperp.node.v3.V3Stores}:
 * the layout v2 tree under {@code v3/}, the {@link io.zkperp.node.v3.SettlementV3} stage, workers
 * proving for the L1 deployment's domain, the submitter over {@link
 * io.zkperp.node.v3.RollupV3Contract}); it needs an L1 side and restarts from a snapshot holding
 * its translator's state ({@link V3SnapshotSide}). The read methods that depend on the format are
 * picked here once: {@code perp_getBatches} reads the commitments with a {@link
 * io.zkperp.node.rpc.BatchFormat} and {@code perp_getEscapeProof} is {@link EscapeProofMethod}
 * (layout v1) or {@link io.zkperp.node.rpc.V3EscapeProofMethod} (layout v2).
 *
 * <p>Unlike the demo node it lists no markets, runs no price feed and credits no demo accounts:
 * every account comes from an L1 deposit, so everything the engine does is provable by today's
 * circuit (see node/README.md for what pauses the settlement).
 *
 * <p>Operations: {@code /health} reports a paused settlement or a stalled stage ({@link
 * NodeHealth}); every batch's status change is published to the gateway's finality stream (channel
 * {@code batches}).
 *
 * <p>Threads: {@link #open} and {@link #close} from one controlling thread; {@link
 * #submitWithdrawal} / {@link #submitTransfer} from any thread (serialized); getters from any
 * thread.
 */
public final class RollupNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RollupNode.class);

  /** State tree versions kept (batches the prover and L1 may lag behind the settlement). */
  public static final int KEPT_VERSIONS = 4_096;

  private final DataDirectoryLock lock;
  private final JournalWriter journal;
  private final HistoryStore history;
  private final RollupStateStore tree;
  private final BatchStore batches;
  private final L2Accounts accounts;
  private final Settlement settlement;
  private final SettlementStage stage;
  private final io.zkperp.node.v3.V3Stores v3;
  private final Gateway gateway;
  private final List<AutoCloseable> stages;
  private final ProofJobs proofJobs;
  private final SignedTransactions signed;
  private final java.util.concurrent.ExecutorService rpcWorkers;
  private final NodeHealth health;
  private final Recovery recovery;
  private final io.zkperp.sequencer.journal.Snapshotter snapshotter;

  /**
   * Where the last start recovered from.
   *
   * @param snapshotSeq the journal record of the snapshot it started from (0: none, a full replay)
   * @param replayed journal records replayed after the snapshot
   * @param lastSeq the last journal record at the start
   */
  public record Recovery(long snapshotSeq, long replayed, long lastSeq) {}

  private RollupNode(
      DataDirectoryLock lock,
      JournalWriter journal,
      HistoryStore history,
      RollupStateStore tree,
      BatchStore batches,
      L2Accounts accounts,
      Settlement settlement,
      SettlementStage stage,
      io.zkperp.node.v3.V3Stores v3,
      Gateway gateway,
      List<AutoCloseable> stages,
      ProofJobs proofJobs,
      SignedTransactions signed,
      java.util.concurrent.ExecutorService rpcWorkers,
      NodeHealth health,
      Recovery recovery,
      io.zkperp.sequencer.journal.Snapshotter snapshotter) {
    this.health = health;
    this.recovery = recovery;
    this.snapshotter = snapshotter;
    this.lock = lock;
    this.journal = journal;
    this.history = history;
    this.tree = tree;
    this.batches = batches;
    this.accounts = accounts;
    this.settlement = settlement;
    this.stage = stage;
    this.v3 = v3;
    this.gateway = gateway;
    this.stages = stages;
    this.proofJobs = proofJobs;
    this.signed = signed;
    this.rpcWorkers = rpcWorkers;
  }

  /**
   * Opens the data directory, recovers, and starts every stage.
   *
   * @param cfg the configuration
   * @return the running node
   * @throws IOException if anything cannot be opened or recovered (with {@link NodeConfig#v3()}:
   *     also a v3 tree whose stored genesis is not the configuration's, its cause a {@link
   *     io.zkperp.node.v3.GenesisMismatchException})
   * @throws IllegalArgumentException a {@link NodeConfig#v3()} configuration without an L1 side, or
   *     with another prover shape (nothing opened)
   * @throws InterruptedException if interrupted while starting
   */
  public static RollupNode open(NodeConfig cfg) throws IOException, InterruptedException {
    return open(cfg, ProofQueue.LOCAL_WORKERS);
  }

  /**
   * Opens the data directory, recovers, and starts every stage, proving through {@code proofQueue}.
   *
   * @param cfg the configuration
   * @param proofQueue where batches are proven ({@link ProofQueue#LOCAL_WORKERS}: worker processes
   *     beside the node; or a distributed queue)
   * @return the running node
   * @throws IOException see {@link #open(NodeConfig)}, or if the proof queue cannot be opened
   * @throws IllegalArgumentException see {@link #open(NodeConfig)}
   * @throws InterruptedException if interrupted while starting
   */
  public static RollupNode open(NodeConfig cfg, ProofQueue proofQueue)
      throws IOException, InterruptedException {
    if (cfg.v3() != null) {
      io.zkperp.node.v3.V3Stores.check(cfg);
    }
    DataDirectoryLock lock = DataDirectoryLock.acquire(cfg.dataDir());
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      RiskEngine risk = cfg.riskEngine();
      RollupStateStore tree = null;
      Settlement settlement = null;
      io.zkperp.node.v3.V3Stores v3 = null;
      L1Session session = null;
      MessageDomain domain = MessageDomain.DEMO;
      BatchStore batches;
      SettlementStage stage;
      // the format's read side: how perp_getBatches reads a commitment, who builds escape proofs
      io.zkperp.node.rpc.BatchFormat batchFormat;
      java.util.function.Function<java.util.concurrent.Executor, io.zkperp.gateway.rpc.RpcHandler>
          escapeMethod;
      V3SnapshotSide v3Snapshots = null; // format v3: the translator's part of the snapshots
      if (cfg.v3() != null) {
        // format v3: the deployment's domain is in every batch, so L1 is asked first
        session = L1Session.connect(cfg.l1().rpcUrl());
        opened.add(session);
        domain = MessageDomain.of(session.chainId(), L1Address.fromHex(cfg.l1().rollup()));
        try {
          v3 = io.zkperp.node.v3.V3Stores.open(cfg, risk, domain, KEPT_VERSIONS);
        } catch (io.zkperp.node.v3.GenesisMismatchException
            | io.zkperp.node.v3.UnrepresentableConfigException e) {
          throw new IOException(
              "the format v3 tree in " + cfg.dataDir().resolve("v3") + ": " + e.getMessage(), e);
        }
        opened.add(v3);
        batches = BatchStore.open(cfg.dataDir().resolve("batches"));
        opened.add(batches);
        io.zkperp.node.v3.SettlementV3 v3Stage = v3.settlement(batches);
        v3Snapshots = new V3SnapshotSide(v3Stage);
        stage = v3Stage;
        batchFormat = new io.zkperp.node.v3.V3BatchFormat(cfg.v3().shapeName());
        io.zkperp.node.v3.V3EscapeProofs proofs = v3.escapeProofs(batches);
        escapeMethod = ex -> new io.zkperp.node.rpc.V3EscapeProofMethod(proofs, ex);
      } else {
        // keep enough versions for the prover's lag: the L1-verified version must stay readable
        // (escape proofs, a rollback after a crash)
        tree =
            RollupStateStore.open(
                cfg.dataDir().resolve("state"),
                io.zkperp.state.StateStoreOptions.DEFAULT.withKeptVersions(KEPT_VERSIONS));
        opened.add(tree);
        batches = BatchStore.open(cfg.dataDir().resolve("batches"));
        opened.add(batches);
        settlement =
            new Settlement(
                tree,
                batches,
                new Settlement.Options(
                    cfg.batchSize(), cfg.maxBatchDelay(), cfg.maxBatchesAwaitingProof()),
                System::nanoTime);
        settlement.open();
        stage = settlement;
        batchFormat = io.zkperp.node.rpc.BatchFormat.V2;
        RollupStateStore v1Tree = tree;
        BatchStore v1Batches = batches;
        escapeMethod = ex -> new EscapeProofMethod(v1Batches, v1Tree, ex);
      }
      L2Accounts accounts = new L2Accounts();
      // fills, orders, trades, candles and funding in RocksDB, as the demo node keeps them: the
      // replay writes the entries of the records after the history's own last record, the journal
      // thread (through the read model) those of every record journaled after the start
      HistoryStore history = HistoryStore.open(cfg.dataDir().resolve(HistoryStore.DIR));
      opened.add(history);
      long historySeq = history.appliedSeq();
      ReadModel readModel = new ReadModel(risk.config(), history);
      // from the newest snapshot at or before the last sealed batch (the settlement needs every
      // record after it), restoring the read model and the accounts from the same snapshot
      // (format v3: at or before the record before its resume point, the first command not wholly
      // in a stored batch, which the settlement translates and settles again)
      long settledSeq =
          v3Snapshots != null
              ? v3Snapshots.snapshotLimit()
              : batches.last().map(BatchRecord::lastSeq).orElse(0L);
      long started = System.nanoTime();
      io.zkperp.sequencer.journal.Recovery.Recovered recovered =
          NodeSnapshots.recover(
              cfg.dataDir(),
              risk,
              settledSeq,
              new NodeSnapshots.Replay(
                  readModel,
                  accounts,
                  historySeq,
                  v3Snapshots,
                  (seq, command, events) -> {
                    readModel.apply(command, seq, events);
                    accept(accounts, stage, seq, command, events);
                  }));
      readModel.replaying(false); // publishes the views once
      readModel.endOfBatch(); // the history entries of the replayed tail
      if (history.appliedSeq() > recovered.lastSeq()) {
        throw new IOException(
            "the history in "
                + cfg.dataDir().resolve(HistoryStore.DIR)
                + " is at journal record "
                + history.appliedSeq()
                + ", past the journal's last record "
                + recovered.lastSeq()
                + "; it belongs to another journal: delete it and restart to rebuild it");
      }
      LOG.info(
          "recovered to journal record {} in {} ms: snapshot at record {} (the last sealed batch"
              + " ends at {}), {} records replayed from {} journal segment(s); history was at"
              + " record {}",
          recovered.lastSeq(),
          (System.nanoTime() - started) / 1_000_000,
          recovered.snapshotSeq(),
          settledSeq,
          recovered.replayed(),
          recovered.segmentsRead(),
          historySeq);
      Recovery recovery =
          new Recovery(recovered.snapshotSeq(), recovered.replayed(), recovered.lastSeq());
      // segments under journal/ (an existing single journal.log is read as the first segment and
      // appended to until it reaches the segment size); released once a snapshot covers them and
      // their batches are FINAL on L1
      JournalWriter journal = JournalWriter.openSegments(cfg.dataDir(), cfg.journalSegmentBytes());
      opened.add(journal);
      if (recovered.lastSeq() != journal.lastSeq()) {
        throw new IOException(
            "recovered up to "
                + recovered.lastSeq()
                + " but the journal ends at "
                + journal.lastSeq());
      }
      io.zkperp.sequencer.journal.Snapshotter snapshotter =
          NodeSnapshots.snapshotter(
              cfg,
              recovered.core(),
              recovered.lastSeq(),
              readModel,
              accounts,
              history,
              batches,
              stage::settledSeq,
              v3Snapshots == null ? null : v3Snapshots.state());
      if (snapshotter != null) {
        opened.add(snapshotter);
      }
      // withdrawals and transfers are checked in the format the node's batches prove
      SignedTransactions signed =
          new SignedTransactions(
              accounts,
              cfg.v3() == null
                  ? Format1Transactions.INSTANCE
                  : new Format2Transactions(
                      domain,
                      cfg.v3().shapeName(),
                      io.zkperp.node.v3.V3Shapes.shape(cfg.v3().shapeName()).transfers()));
      java.util.concurrent.ExecutorService rpcWorkers =
          java.util.concurrent.Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "zkperp-node-rpc");
                t.setDaemon(true);
                return t;
              });
      opened.add(rpcWorkers::shutdownNow);
      // Orders, cancels and read grants are signed for this deployment: the L1 chain and the rollup
      // contract when settling, else the demo domain.
      if (cfg.l1() != null && session == null) {
        session = L1Session.connect(cfg.l1().rpcUrl());
        opened.add(session);
        domain = MessageDomain.of(session.chainId(), L1Address.fromHex(cfg.l1().rollup()));
      }
      // the stages start after the gateway: /health asks them once they exist
      java.util.concurrent.atomic.AtomicReference<HealthCheck> health =
          new java.util.concurrent.atomic.AtomicReference<>(HealthCheck.NONE);
      Gateway gateway =
          Gateway.start(
              GatewaySetup.builder(cfg.gateway(), recovered.core(), journal, accounts)
                  .readModel(readModel)
                  .snapshotter(snapshotter)
                  .health(() -> health.get().problems())
                  .domain(domain)
                  .settlementMethods(
                      settlementMethods(
                          signed,
                          batches,
                          stage,
                          batchFormat,
                          escapeMethod.apply(rpcWorkers),
                          rpcWorkers,
                          domain))
                  .acceptedSink(
                      (seq, command, events) -> accept(accounts, stage, seq, command, events))
                  .build());
      opened.add(gateway);
      signed.attach(gateway.bridge());
      // the finality stream: every batch's status change, in order (no stage runs yet)
      io.zkperp.gateway.stream.SettlementFeed feed = gateway.settlementFeed();
      long newest = batches.last().map(BatchRecord::number).orElse(0L);
      for (BatchRecord r :
          batches.range(
              Math.max(1, newest - io.zkperp.gateway.stream.SettlementFeed.KEPT + 1),
              io.zkperp.gateway.stream.SettlementFeed.KEPT)) {
        feed.publish(r.number(), SettlementMethods.batch(r));
      }
      batches.onPut(r -> feed.publish(r.number(), SettlementMethods.batch(r)));
      List<AutoCloseable> stages = new ArrayList<>();
      stage.start();
      stages.add(stage);
      // a v3 worker proves for the deployment's domain (its keys must be in the key directory)
      ProofJobs jobs = proofQueue.open(cfg, cfg.v3() == null ? null : domain);
      ProvingStage proving =
          new ProvingStage(batches, jobs, proofQueue.maxInFlight(cfg), Duration.ofMillis(200));
      stage.onSealed(proving::wake);
      stage.awaitProofsOf(proving::provedThrough);
      proving.start();
      stages.add(proving);
      stages.add(jobs);
      L1Submitter submitter = null;
      DepositFeeder feeder = null;
      if (cfg.l1() == null) {
        LOG.warn("no L1 endpoint configured: batches are proven but NOTHING IS SETTLED ON L1");
      } else {
        NodeConfig.L1 l1 = cfg.l1();
        stages.add(session);
        PriorityOpWatcher watcher =
            new PriorityOpWatcher(
                session,
                l1.rollup(),
                cfg.dataDir().resolve("l1-watcher.cursor"),
                new PriorityOpWatcher.Options(
                    l1.confirmations(), l1.pageBlocks(), l1.startBlock()));
        feeder =
            new DepositFeeder(
                watcher, gateway.bridge(), accounts, l1.poll(), cfg.censorForcedWithdrawals());
        L1Sender sender = new L1Sender(session, l1.operator(), l1.sender());
        submitter =
            cfg.v3() == null
                ? new L1Submitter(session, sender, l1.rollup(), batches, l1.finality(), l1.poll())
                : new L1Submitter(
                    session,
                    sender,
                    new io.zkperp.node.v3.RollupV3Contract(session, l1.rollup()),
                    batches,
                    l1.finality(),
                    l1.poll());
        feeder.start();
        submitter.start();
        stages.add(feeder);
        stages.add(submitter);
        LOG.info("settling on L1 {} (rollup {})", l1.rpcUrl(), l1.rollup());
      }
      NodeMetrics.register(gateway.metrics(), stage, batches, proving, jobs, submitter, feeder);
      List<StageProgress> progress = new ArrayList<>(List.of(stage.progress()));
      progress.add(proving.progress());
      if (submitter != null) {
        progress.add(submitter.progress());
        progress.add(feeder.progress());
      }
      NodeHealth nodeHealth = new NodeHealth(stage, progress, cfg.stallAfter(), submitter);
      health.set(nodeHealth);
      return new RollupNode(
          lock,
          journal,
          history,
          tree,
          batches,
          accounts,
          settlement,
          stage,
          v3,
          gateway,
          stages,
          jobs,
          signed,
          rpcWorkers,
          nodeHealth,
          recovery,
          snapshotter);
    } catch (IOException | InterruptedException | RuntimeException e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      lock.close();
      throw e;
    }
  }

  /**
   * The settlement methods: {@link SettlementMethods}, {@code perp_getEscapeProof} and the node's
   * {@code perp_getDomain}.
   */
  private static List<io.zkperp.gateway.rpc.RpcHandler> settlementMethods(
      SignedTransactions signed,
      BatchStore batches,
      SettlementStage settlement,
      io.zkperp.node.rpc.BatchFormat format,
      io.zkperp.gateway.rpc.RpcHandler escapeProofs,
      java.util.concurrent.Executor rpcWorkers,
      MessageDomain domain) {
    List<io.zkperp.gateway.rpc.RpcHandler> methods =
        new ArrayList<>(
            SettlementMethods.all(
                signed, batches, new FinalityLookup(batches, settlement), rpcWorkers, format));
    // perp_getDomain with the format withdrawals and transfers are signed in
    methods.add(new io.zkperp.gateway.methods.GetDomainMethod(domain, signed.format().version()));
    methods.add(escapeProofs);
    return methods;
  }

  private static void accept(
      L2Accounts accounts,
      SettlementStage settlement,
      long seq,
      Command command,
      List<io.zkperp.sequencer.core.SequencerEvent> events) {
    accounts.apply(command);
    settlement.offer(new SettlementInput(seq, command, events));
  }

  /**
   * Submits a withdrawal signed in the node's format (format 1, or 2 on a v3 node); see {@link
   * SignedTransactions#withdraw}. Any thread.
   *
   * @param w the withdrawal
   * @return the engine's outcome (journaled when accepted)
   * @throws NodeRejectedException if a check fails (nothing was submitted)
   * @throws IOException if the engine does not answer
   */
  public CommandOutcome submitWithdrawal(L2Transaction.Withdrawal w) throws IOException {
    return signed.withdraw(w);
  }

  /**
   * Submits a transfer signed in the node's format; see {@link SignedTransactions#transfer}. Any
   * thread.
   *
   * @param t the transfer
   * @return the engine's outcome
   * @throws NodeRejectedException if a check fails (nothing was submitted)
   * @throws IOException if the engine does not answer
   */
  public CommandOutcome submitTransfer(L2Transaction.Transfer t) throws IOException {
    return signed.transfer(t);
  }

  /**
   * The batch store (batch states, paged reads). Any thread.
   *
   * @return the store
   */
  public BatchStore batches() {
    return batches;
  }

  /**
   * The accounts bound by L1 deposits. Any thread.
   *
   * @return the accounts
   */
  public L2Accounts accounts() {
    return accounts;
  }

  /**
   * The format v2 settlement stage (status, pause). Any thread.
   *
   * @return the stage, or null when the node settles format v3 ({@link #settlementStage()})
   */
  public Settlement settlement() {
    return settlement;
  }

  /**
   * The settlement stage of either format (status, pause, last sealed batch). Any thread.
   *
   * @return the stage
   */
  public SettlementStage settlementStage() {
    return stage;
  }

  /**
   * The format v3 tree and its genesis (what the rollup is deployed with). Any thread.
   *
   * @return the tree, or null when the node settles format v2
   */
  public io.zkperp.node.v3.V3StateTree v3Tree() {
    return v3 == null ? null : v3.tree();
  }

  /**
   * Where batches are proven. Any thread.
   *
   * @return the proof jobs
   */
  public ProofJobs proofJobs() {
    return proofJobs;
  }

  /**
   * The gateway. Any thread.
   *
   * @return the gateway
   */
  public Gateway gateway() {
    return gateway;
  }

  /**
   * What {@code GET /health} reports: a paused settlement or a stalled stage. Any thread.
   *
   * @return the node's health check
   */
  public NodeHealth health() {
    return health;
  }

  /**
   * Where this start recovered from (snapshot, records replayed). Any thread.
   *
   * @return the recovery
   */
  public Recovery recovery() {
    return recovery;
  }

  /**
   * The snapshotter (snapshots written, segments released), or null when snapshots are off. Any
   * thread.
   *
   * @return the snapshotter
   */
  public io.zkperp.sequencer.journal.Snapshotter snapshotter() {
    return snapshotter;
  }

  /**
   * The format v2 state tree (read views only). Any thread.
   *
   * @return the tree, or null when the node settles format v3 ({@link #v3Tree()})
   */
  public RollupStateStore tree() {
    return tree;
  }

  /**
   * Stops every stage, the gateway, the journal and the stores, and releases the data directory.
   * Controlling thread.
   *
   * @throws IOException if closing fails
   */
  @Override
  public void close() throws IOException {
    for (int i = stages.size() - 1; i >= 0; i--) {
      try {
        stages.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", stages.get(i), e);
      }
    }
    rpcWorkers.shutdownNow();
    try {
      gateway.close();
      history.close();
      journal.close();
      batches.close();
      if (tree != null) {
        tree.close();
      }
      if (v3 != null) {
        v3.close();
      }
    } finally {
      lock.close();
    }
  }
}
