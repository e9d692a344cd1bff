package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Restarts a core from a data directory: the newest intact snapshot (or an empty core), then every
 * journal record after it, replayed silently. A journaled command is one the core accepted, so a
 * replayed command that is rejected means non-determinism: recovery fails loudly. Call on the
 * thread that will own the core, before the pipeline starts.
 */
public final class Recovery {
  /** The journal's file name inside the data directory. */
  public static final String JOURNAL_FILE = "journal.log";

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
   */
  public record Recovered(
      SequencerCore core, long snapshotSeq, long lastSeq, long replayed, long discardedTailBytes) {}

  /**
   * Recovers the core state of a data directory.
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
    Files.createDirectories(dataDir);
    SnapshotStore snapshots = new SnapshotStore(dataDir.resolve(SNAPSHOT_DIR));
    var loaded = snapshots.loadLatest(books, risk, CoreListener.NONE);
    SequencerCore core =
        loaded
            .map(SnapshotStore.Loaded::core)
            .orElseGet(() -> new SequencerCore(books, stp, risk, CoreListener.NONE));
    long snapshotSeq = loaded.map(SnapshotStore.Loaded::journalSeq).orElse(0L);
    Path journal = dataDir.resolve(JOURNAL_FILE);
    long[] replayed = {0};
    long lastSeq = snapshotSeq;
    long discarded = 0;
    if (Files.exists(journal)) {
      JournalReader.Result r =
          JournalReader.read(
              journal,
              (seq, command) -> {
                if (seq <= snapshotSeq) {
                  return;
                }
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
              });
      if (r.lastSeq() != 0 && r.firstSeq() > snapshotSeq + 1) {
        throw new JournalCorruptedException(
            JournalCorruptedException.Kind.SEQUENCE_GAP,
            JournalFormat.FILE_HEADER_BYTES,
            "journal starts at " + r.firstSeq() + " but the snapshot ends at " + snapshotSeq);
      }
      lastSeq = Math.max(lastSeq, r.lastSeq());
      discarded = r.discardedTailBytes();
    }
    core.setListener(listener);
    return new Recovered(core, snapshotSeq, lastSeq, replayed[0], discarded);
  }
}
