package io.zkperp.node;

import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.journal.SnapshotReplica;
import io.zkperp.sequencer.journal.SnapshotStore;
import io.zkperp.sequencer.journal.Snapshotter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of the settling node: the engine, the read model and {@link L2Accounts} ({@link
 * NodeReadSide}), taken by a {@link SnapshotReplica} that follows the journal (intake never
 * pauses), written in the background by a {@link Snapshotter}.
 *
 * <p><b>Where recovery starts.</b> The settlement needs every journal record after its last sealed
 * batch, with the events the engine produced for it, so a restart starts from the newest snapshot
 * <i>at or before</i> that batch's last record ({@link #recover}), not from the newest one. The
 * snapshotter keeps that snapshot besides the newest ones and releases only the journal segments it
 * covers ({@code protectSnapshotAtOrBefore}); the {@link FinalBatchesReleaseGate} further holds
 * every segment whose records are in a batch not yet FINAL on L1. The accounts are snapshotted
 * rather than rebuilt from the state tree because the tree is at the last sealed batch while the
 * engine and the read model are at the snapshot's record: one snapshot puts all three at the same
 * record, and the replay after it goes through one path.
 *
 * <p><b>Format v3.</b> A node settling format v3 also stores its translator's state ({@code
 * v3.TranslatorState}: the live orders' signed commands and the core's time, which the engine's
 * snapshot lacks) in each snapshot's read side, followed by the same replica, and restores the
 * translator from it ({@link V3SnapshotSide}); its recovery starts from the newest snapshot at or
 * before the record before the settlement's resume point ({@code SettlementV3.snapshotLimit()}).
 *
 * <p>Threads: {@link #recover} and {@link #snapshotter} on the controlling thread while the node
 * opens; the snapshotter's own threads afterwards.
 */
final class NodeSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(NodeSnapshots.class);

  private NodeSnapshots() {}

  /**
   * Restores the read model and the accounts from the snapshot recovery starts from, then feeds
   * every replayed record to them and to the settlement.
   */
  static final class Replay implements Recovery.ReplayObserver {
    private final ReadModel readModel;
    private final L2Accounts accounts;
    private final long historySeq;
    private final V3SnapshotSide v3;
    private final Recovery.ReplayObserver feed;

    Replay(
        ReadModel readModel, L2Accounts accounts, long historySeq, Recovery.ReplayObserver feed) {
      this(readModel, accounts, historySeq, null, feed);
    }

    /**
     * A replay that also restores and follows a format v3 settlement's translator.
     *
     * @param v3 the v3 settlement's snapshot side, or null on a node settling format v2
     */
    Replay(
        ReadModel readModel,
        L2Accounts accounts,
        long historySeq,
        V3SnapshotSide v3,
        Recovery.ReplayObserver feed) {
      this.readModel = readModel;
      this.accounts = accounts;
      this.historySeq = historySeq;
      this.v3 = v3;
      this.feed = feed;
    }

    @Override
    public void startingFrom(long journalSeq, byte[] readSide) throws IOException {
      readModel.replaying(true);
      if (journalSeq == 0) {
        return;
      }
      if (historySeq < journalSeq) {
        throw new IOException(
            "the history is at journal record "
                + historySeq
                + " but recovery starts from the snapshot at record "
                + journalSeq
                + ": restore the history directory, or delete the snapshots to replay the whole"
                + " journal");
      }
      NodeReadSide parts = NodeReadSide.decode(readSide);
      readModel.restoreSnapshot(parts.readModel());
      accounts.restore(parts.accounts());
      if (v3 != null) {
        v3.restore(journalSeq, parts.translator(), accounts.owners());
      }
    }

    @Override
    public void replayed(long seq, Command command, List<SequencerEvent> events) {
      if (v3 != null) {
        v3.follow(command, events);
      }
      feed.replayed(seq, command, events);
    }
  }

  /**
   * Recovers the engine from the newest snapshot at or before {@code settledSeq} and the journal
   * after it.
   *
   * @param dataDir the node's data directory
   * @param risk the engine's risk hook
   * @param settledSeq the last sealed batch's last journal record (0: none)
   * @param replay restores and feeds the read side
   * @return what recovery produced
   * @throws IOException if recovery fails
   */
  static Recovery.Recovered recover(
      Path dataDir, io.zkperp.sequencer.risk.RiskEngine risk, long settledSeq, Replay replay)
      throws IOException {
    Recovery.Recovered r =
        Recovery.recover(
            dataDir,
            OrderBookFactory.OPTIMISED,
            io.zkperp.sequencer.SelfTradePrevention.EXPIRE_MAKER,
            risk,
            new io.zkperp.sequencer.core.EventCollector(),
            replay,
            settledSeq);
    for (SnapshotStore.Skipped s : r.skippedSnapshots()) {
      LOG.warn("snapshot {} skipped ({}); an older one was used", s.file(), s.reason());
    }
    return r;
  }

  /**
   * A snapshotter fed by a replica of the recovered engine, read model and accounts (their states
   * are captured here, before the pipeline starts, and decoded on the replica thread).
   *
   * @param cfg the node's configuration (its {@link NodeConfig.Snapshots})
   * @param core the recovered engine (not started yet)
   * @param lastSeq the journal record it is at
   * @param readModel the recovered read model
   * @param accounts the recovered accounts
   * @param history the history (synced before each snapshot: it must never be behind one)
   * @param batches the batch store (the release gate reads which batches are FINAL)
   * @param settledSeq the settlement's last sealed record (the snapshot kept for recovery)
   * @param translatorState the v3 translator's state at {@code lastSeq} ({@link
   *     V3SnapshotSide#state()}), which the replica follows and each snapshot stores; null on a
   *     node settling format v2
   * @return the snapshotter, or null when {@code cfg} takes no snapshots
   * @throws IOException if the snapshot directory cannot be opened
   */
  static Snapshotter snapshotter(
      NodeConfig cfg,
      SequencerCore core,
      long lastSeq,
      ReadModel readModel,
      L2Accounts accounts,
      HistoryStore history,
      BatchStore batches,
      LongSupplier settledSeq,
      byte[] translatorState)
      throws IOException {
    NodeConfig.Snapshots o = cfg.snapshots();
    if (!o.enabled()) {
      LOG.info("snapshots off: every start replays the whole journal, no segment is released");
      return null;
    }
    io.zkperp.sequencer.risk.RiskEngine risk = cfg.riskEngine();
    byte[] coreState = SnapshotStore.serialize(core);
    byte[] readState = readModel.encodeSnapshot(lastSeq);
    byte[] accountState = accounts.encode();
    ReadModel readCopy = new ReadModel(risk.config(), null);
    readCopy.replaying(true);
    L2Accounts accountsCopy = new L2Accounts();
    // the v3 translator's live signed orders and time follow the journal like the engine's state
    io.zkperp.node.v3.TranslatorState[] translatorCopy = {null};
    SnapshotReplica replica =
        new SnapshotReplica(
            () -> {
              readCopy.restoreSnapshot(readState);
              accountsCopy.restore(accountState);
              if (translatorState != null) {
                translatorCopy[0] = io.zkperp.node.v3.TranslatorState.decode(translatorState);
              }
              return SnapshotReplica.decode(coreState, OrderBookFactory.OPTIMISED, risk);
            },
            lastSeq,
            (seq, command, events) -> {
              readCopy.apply(command, seq, events);
              accountsCopy.apply(command);
              if (translatorCopy[0] != null) {
                translatorCopy[0].follow(command, events);
              }
            },
            SnapshotReplica.DEFAULT_CAPACITY);
    return Snapshotter.builder(new SnapshotStore(cfg.dataDir().resolve(Recovery.SNAPSHOT_DIR)))
        .everyRecords(o.everyRecords())
        .everyMillis(o.everyMillis())
        .keep(o.keep())
        .releaseSegments(cfg.dataDir(), o.archiveDir())
        .releaseGate(new FinalBatchesReleaseGate(batches))
        .protectSnapshotAtOrBefore(settledSeq)
        .replica(replica)
        .readSide(
            seq -> {
              if (history.appliedSeq() < seq) {
                throw new IllegalStateException(
                    "the history is at journal record "
                        + history.appliedSeq()
                        + ", behind the snapshot at "
                        + seq
                        + "; no snapshot until a restart rebuilds it");
              }
              history.syncWal();
              return new NodeReadSide(
                      readCopy.encodeSnapshot(seq),
                      accountsCopy.encode(),
                      translatorCopy[0] == null ? null : translatorCopy[0].encode())
                  .encode();
            })
        .events(
            new Snapshotter.Events() {
              @Override
              public void written(
                  long journalSeq,
                  Path file,
                  long coreNanos,
                  long readSideNanos,
                  long writeNanos,
                  int releasedSegments) {
                LOG.info(
                    "snapshot at journal record {} written (taken by the replica, no pause of"
                        + " intake); {} journal segment(s) released",
                    journalSeq,
                    releasedSegments);
              }

              @Override
              public void failed(long journalSeq, Exception error) {
                LOG.warn(
                    "snapshot at journal record {} failed; the journal still holds every record",
                    journalSeq,
                    error);
              }
            })
        .build();
  }
}
