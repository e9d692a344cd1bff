package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process {@link SnapshotKillIT} kills: recovers a data directory, then applies random commands
 * (1,000 accounts: a core state of megabytes, so snapshot writes take a while) to the core,
 * journals the accepted ones on 64 KiB segments with a commit every 64 records, and takes snapshots
 * through a {@link Snapshotter} (every 1,000 records while none waits, 2 kept, covered segments
 * moved to the archive). Prints {@code READY <last seq>}, then {@code ACK <seq> <crc32c>} for the
 * last record of each commit once it is durable. Arguments: data dir, archive dir, seed, and
 * optionally {@code replica}: the snapshots are then taken by a {@link SnapshotReplica} fed with
 * each commit's records after the commit (as the pipeline's journal thread does), not by pausing
 * this loop.
 */
public final class SnapshotKillChildMain {
  private SnapshotKillChildMain() {}

  /**
   * Runs until killed.
   *
   * @param args data dir, archive dir, seed
   * @throws Exception if anything fails
   */
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Path archive = Path.of(args[1]);
    long seed = Long.parseLong(args[2]);
    boolean withReplica = args.length > 3 && args[3].equals("replica");
    PrintStream stdout = KillChildMain.unbufferedStdout();
    Recovery.Recovered rec = RecoveryTest.recover(dataDir);
    JournalWriter journal = JournalWriter.openSegments(dataDir, 64 << 10);
    var core = rec.core();
    SnapshotReplica replica =
        withReplica
            ? new SnapshotReplica(
                SnapshotReplica.copyOf(
                    core,
                    io.zkperp.sequencer.book.OrderBookFactory.OPTIMISED,
                    io.zkperp.sequencer.core.RiskHook.PERMISSIVE),
                rec.lastSeq(),
                SnapshotReplica.Follower.NONE,
                SnapshotReplica.DEFAULT_CAPACITY)
            : null;
    Snapshotter snapshotter =
        Snapshotter.builder(new SnapshotStore(dataDir.resolve(Recovery.SNAPSHOT_DIR)))
            .everyRecords(1_000)
            .keep(2)
            .releaseSegments(dataDir, archive)
            .replica(replica)
            .build();
    java.util.List<Command> uncommitted = new java.util.ArrayList<>();
    stdout.println("READY " + rec.lastSeq());
    stdout.flush();
    RandomCommands gen = new RandomCommands(seed, 1_000);
    byte[] last = null;
    while (true) {
      Command c = gen.next();
      if (!core.apply(c)) {
        continue;
      }
      long seq = journal.append(c);
      last = CommandCodec.encode(c);
      if (replica != null) {
        uncommitted.add(c);
        if ((seq & 63) == 0) {
          journal.commit();
          stdout.println("ACK " + seq + " " + KillChildMain.crc(last));
          stdout.flush();
          long first = seq - uncommitted.size() + 1;
          for (int i = 0; i < uncommitted.size(); i++) {
            snapshotter.accepted(first + i, uncommitted.get(i));
          }
          uncommitted.clear();
        }
        continue;
      }
      boolean due = snapshotter.due(seq);
      if (due || (seq & 63) == 0) {
        byte[] state = due ? SnapshotStore.serialize(core) : null;
        journal.commit();
        stdout.println("ACK " + seq + " " + KillChildMain.crc(last));
        stdout.flush();
        if (due) {
          snapshotter.taken(seq, state, 0);
        }
      }
    }
  }
}
