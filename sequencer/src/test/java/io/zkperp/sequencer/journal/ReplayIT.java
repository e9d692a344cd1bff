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
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal of at least 1,000,000 accepted random commands replays to the identical state hash,
 * from the journal alone and from a mid-way snapshot plus the rest of the journal.
 */
class ReplayIT {
  static final int ACCEPTED = Integer.getInteger("sequencer.replay.commands", 1_000_000);

  @TempDir Path dir;

  @Test
  void millionCommandJournalReplaysToTheSameStateHash() throws Exception {
    SequencerCore core = SequencerCore.withDefaults(CoreListener.NONE);
    SnapshotStore snapshots = new SnapshotStore(dir.resolve(Recovery.SNAPSHOT_DIR));
    RandomCommands gen = new RandomCommands(2026, 1_000);
    String midHash = null;
    try (JournalWriter journal = JournalWriter.open(dir.resolve(Recovery.JOURNAL_FILE))) {
      while (journal.lastSeq() < ACCEPTED) {
        Command c = gen.next();
        if (core.apply(c)) {
          long seq = journal.append(c);
          if ((seq & 4095) == 0) {
            journal.commit();
          }
          if (seq == ACCEPTED / 2) {
            journal.commit();
            snapshots.write(seq, core);
            midHash = CoreState.hashHex(core);
          }
        }
      }
    }
    String hash = CoreState.hashHex(core);
    long liveOrders = core.liveOrderCount();
    assertThat(liveOrders).isPositive();

    // 1. the journal alone, into the naive book
    SequencerCore replayed =
        new SequencerCore(
            OrderBookFactory.NAIVE,
            SelfTradePrevention.EXPIRE_MAKER,
            RiskHook.PERMISSIVE,
            CoreListener.NONE);
    JournalReader.Result r =
        JournalReader.read(
            dir.resolve(Recovery.JOURNAL_FILE),
            (seq, c) -> assertThat(replayed.apply(c)).as("record %d", seq).isTrue());
    assertThat(r.records()).isEqualTo(ACCEPTED);
    assertThat(CoreState.hashHex(replayed)).isEqualTo(hash);

    // 2. snapshot at the midpoint + the second half of the journal
    Recovery.Recovered rec =
        Recovery.recover(
            dir,
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            RiskHook.PERMISSIVE,
            CoreListener.NONE);
    assertThat(rec.snapshotSeq()).isEqualTo(ACCEPTED / 2);
    assertThat(rec.replayed()).isEqualTo(ACCEPTED - ACCEPTED / 2);
    assertThat(CoreState.hashHex(rec.core())).isEqualTo(hash).isNotEqualTo(midHash);
    System.out.printf(
        "ReplayIT: %d records, %d MiB journal, %d live orders, state %s%n",
        r.records(), Files.size(dir.resolve(Recovery.JOURNAL_FILE)) >> 20, liveOrders, hash);
  }
}
