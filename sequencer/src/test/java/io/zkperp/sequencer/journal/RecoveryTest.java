package io.zkperp.sequencer.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
  @TempDir Path dir;

  /** Runs n random commands, journaling accepted ones, snapshotting every snapshotEvery. */
  static String runJournaled(Path dataDir, long seed, int n, long snapshotEvery)
      throws IOException {
    SequencerCore core = SequencerCore.withDefaults(CoreListener.NONE);
    SnapshotStore snapshots = new SnapshotStore(dataDir.resolve(Recovery.SNAPSHOT_DIR));
    RandomCommands gen = new RandomCommands(seed, 50);
    try (JournalWriter journal = JournalWriter.open(dataDir.resolve(Recovery.JOURNAL_FILE))) {
      for (int i = 0; i < n; i++) {
        Command c = gen.next();
        if (core.apply(c)) {
          long seq = journal.append(c);
          if ((seq & 1023) == 0) {
            journal.commit();
          }
          if (snapshotEvery > 0 && seq % snapshotEvery == 0) {
            journal.commit();
            snapshots.write(seq, core);
          }
        }
      }
    }
    return CoreState.hashHex(core);
  }

  static Recovery.Recovered recover(Path dataDir) throws IOException {
    return Recovery.recover(
        dataDir,
        OrderBookFactory.OPTIMISED,
        SelfTradePrevention.EXPIRE_MAKER,
        RiskHook.PERMISSIVE,
        CoreListener.NONE);
  }

  @Test
  void journalReplayGivesTheSameStateHash() throws IOException {
    String hash = runJournaled(dir, 1, 20_000, 0);
    Recovery.Recovered r = recover(dir);
    assertThat(r.snapshotSeq()).isZero();
    assertThat(r.replayed()).isEqualTo(r.lastSeq()).isPositive();
    assertThat(CoreState.hashHex(r.core())).isEqualTo(hash);
  }

  @Test
  void snapshotPlusJournalGivesTheSameStateHash() throws IOException {
    String hash = runJournaled(dir, 2, 20_000, 5_000);
    Recovery.Recovered r = recover(dir);
    assertThat(r.snapshotSeq()).isPositive().isEqualTo(r.lastSeq() - r.lastSeq() % 5_000);
    assertThat(r.replayed()).isEqualTo(r.lastSeq() - r.snapshotSeq());
    assertThat(CoreState.hashHex(r.core())).isEqualTo(hash);
  }

  @Test
  void damagedNewestSnapshotFallsBackToTheOlderOne() throws IOException {
    String hash = runJournaled(dir, 3, 20_000, 4_000);
    Path snapDir = dir.resolve(Recovery.SNAPSHOT_DIR);
    Path newest;
    try (var s = Files.list(snapDir)) {
      newest = s.sorted().reduce((a, b) -> b).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length / 2] ^= 1;
    Files.write(newest, bytes);
    Recovery.Recovered r = recover(dir);
    assertThat(r.snapshotSeq()).isLessThan(r.lastSeq() - r.lastSeq() % 4_000);
    assertThat(CoreState.hashHex(r.core())).isEqualTo(hash);
  }

  @Test
  void emptyDirectoryRecoversToAnEmptyCore() throws IOException {
    Recovery.Recovered r = recover(dir.resolve("fresh"));
    assertThat(r.lastSeq()).isZero();
    assertThat(CoreState.hashHex(r.core()))
        .isEqualTo(CoreState.hashHex(SequencerCore.withDefaults(CoreListener.NONE)));
  }
}
