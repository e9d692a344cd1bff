package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Restarts a core from a data directory: the newest intact snapshot (or an empty core), then every
 * journal record after it, replayed silently, read across the journal's segments ({@link
 * JournalReader#readJournal}: only the segments after the snapshot are read). A journaled command
 * is one the core accepted, so a replayed command that is rejected means non-determinism: recovery
 * fails loudly. Call on the thread that will own the core, before the pipeline starts.
 */
public final class Recovery {
  /**
   * The single journal file of data directories written before segments ({@link
   * JournalSegments#LEGACY_FILE}); still read as the first segment, and the file {@link
   * JournalWriter#open} users (tests, benchmarks) write.
   */
  public static final String JOURNAL_FILE = JournalSegments.LEGACY_FILE;

  /** The snapshots' subdirectory. */
  public static final String SNAPSHOT_DIR = "snapshots";

  private Recovery() {}

  /**
   * What recovery produced.
   *
   * @param core the restored core (its listener is the one passed in)
   * @param snapshotSeq the journal sequence of the snapshot used (0 if none)
   * @param lastSeq the last journal record applied
   * @param replayed how many records were replayed on top of the snapshot
   * @param discardedTailBytes bytes of a torn journal tail that were discarded
   * @param readSide the read side's state stored with the snapshot used (null if none)
   * @param skippedSnapshots newer snapshots that were damaged and skipped, newest first
   * @param segmentsRead journal segment files read (those wholly covered by the snapshot are not)
   */
  public record Recovered(
      SequencerCore core,
      long snapshotSeq,
      long lastSeq,
      long replayed,
      long discardedTailBytes,
      byte[] readSide,
      List<SnapshotStore.Skipped> skippedSnapshots,
      int segmentsRead) {}

  /**
   * Sees each journal record replayed on top of the snapshot, with the events the core produced for
   * it (a read model rebuilt in the same pass). Called on the recovering thread, in journal order.
   */
  @FunctionalInterface
  public interface ReplayObserver {
    /**
     * One replayed record.
     *
     * @param seq its journal sequence
     * @param command the command
     * @param events the events it produced (a fresh list, owned by the observer)
     */
    void replayed(long seq, Command command, List<SequencerEvent> events);

    /**
     * Called once, before the first replayed record, with the snapshot recovery starts from: the
     * observer restores its read side from it. The default does nothing.
     *
     * @param journalSeq the snapshot's journal sequence (0: no snapshot, the replay starts from an
     *     empty state)
     * @param readSide the read side's state stored with the snapshot, or null if it has none
     * @throws IOException if the read side cannot be restored (recovery stops)
     */
    default void startingFrom(long journalSeq, byte[] readSide) throws IOException {}
  }

  /** The {@code maxSnapshotSeq} that lets recovery use the newest intact snapshot. */
  public static final long ANY_SNAPSHOT = Long.MAX_VALUE;

  /**
   * Recovers the core state of a data directory, replaying silently.
   *
   * @param dataDir the data directory (journal and snapshots)
   * @param books the books to build
   * @param stp the self-trade mode of a fresh core (a snapshot carries its own)
   * @param risk the risk hook
   * @param listener receives events after recovery (replay itself is silent)
   * @return the recovered core
   * @throws JournalCorruptedException if the journal is corrupt in the middle
   * @throws IOException if I/O fails
   */
  public static Recovered recover(
      Path dataDir,
      OrderBookFactory books,
      SelfTradePrevention stp,
      RiskHook risk,
      CoreListener listener)
      throws IOException {
    return recover(dataDir, books, stp, risk, listener, null, ANY_SNAPSHOT);
  }

  /**
   * Recovers from the newest intact snapshot at or before journal record {@code maxSnapshotSeq}
   * (newer snapshots are not used), replaying every later record to {@code observer}: a settling
   * node passes its last sealed batch's last record, so that the settlement sees every record after
   * that batch.
   *
   * @param dataDir the data directory (journal and snapshots)
   * @param books the books to build
   * @param stp the self-trade mode of a fresh core (a snapshot carries its own)
   * @param risk the risk hook
   * @param listener receives events after recovery
   * @param observer sees every record replayed after the snapshot with its events, or null
   * @param maxSnapshotSeq the newest journal record the snapshot used may be at
   * @return the recovered core
   * @throws JournalCorruptedException if the journal is corrupt in the middle
   * @throws IOException if I/O fails (for example the records after the snapshot were released)
   */
  public static Recovered recover(
      Path dataDir,
      OrderBookFactory books,
      SelfTradePrevention stp,
      RiskHook risk,
      CoreListener listener,
      ReplayObserver observer,
      long maxSnapshotSeq)
      throws IOException {
    Files.createDirectories(dataDir);
    SnapshotStore snapshots = new SnapshotStore(dataDir.resolve(SNAPSHOT_DIR));
    var loaded = snapshots.loadLatestAtOrBefore(maxSnapshotSeq, books, risk, CoreListener.NONE);
    SequencerCore core =
        loaded
            .map(SnapshotStore.Loaded::core)
            .orElseGet(() -> new SequencerCore(books, stp, risk, CoreListener.NONE));
    long snapshotSeq = loaded.map(SnapshotStore.Loaded::journalSeq).orElse(0L);
    EventCollector events = new EventCollector();
    if (observer != null) {
      core.setListener(events);
      observer.startingFrom(snapshotSeq, loaded.map(SnapshotStore.Loaded::readSide).orElse(null));
    }
    long[] replayed = {0};
    JournalReader.Scan scan =
        JournalReader.readJournal(
            dataDir,
            snapshotSeq,
            (seq, command) -> {
              if (!core.apply(command)) {
                throw new IllegalStateException(
                    "journal record "
                        + seq
                        + " was rejected on replay ("
                        + core.lastRejectReason()
                        + ": "
                        + core.lastRejectMessage()
                        + "): the core is not deterministic");
              }
              replayed[0]++;
              if (observer != null) {
                observer.replayed(seq, command, events.drain());
              }
            });
    long lastSeq = Math.max(snapshotSeq, scan.lastSeq());
    core.setListener(listener);
    return new Recovered(
        core,
        snapshotSeq,
        lastSeq,
        replayed[0],
        scan.discardedTailBytes(),
        loaded.map(SnapshotStore.Loaded::readSide).orElse(null),
        loaded.map(SnapshotStore.Loaded::skipped).orElse(List.of()),
        scan.segmentsRead());
  }
}
