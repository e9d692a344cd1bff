package io.zkperp.gateway;

import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.JournalSegments;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.journal.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Recovers a demo node's data directory as the node does, to compare states byte for byte. */
final class NodeSnapshots {
  private NodeSnapshots() {}

  /**
   * What recovery produced.
   *
   * @param recovered the sequencer's result
   * @param core the core's canonical serialisation
   * @param readModel the read model's snapshot encoding
   */
  record State(Recovery.Recovered recovered, byte[] core, byte[] readModel) {}

  /** Recovers core and read model (restored from the snapshot's read side, then replayed). */
  static State recover(Path dir) throws IOException {
    var risk = DemoMarkets.riskEngine();
    ReadModel readModel = new ReadModel(risk.config());
    Recovery.Recovered r =
        Recovery.recover(
            dir,
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            risk,
            CoreListener.NONE,
            new Recovery.ReplayObserver() {
              @Override
              public void startingFrom(long journalSeq, byte[] readSide) throws IOException {
                if (journalSeq != 0) {
                  readModel.restoreSnapshot(readSide);
                }
              }

              @Override
              public void replayed(long seq, Command command, List<SequencerEvent> events) {
                readModel.apply(command, seq, events);
              }
            });
    return new State(r, SnapshotStore.serialize(r.core()), readModel.encodeSnapshot(r.lastSeq()));
  }

  /** Copies a directory tree (files only, no links). */
  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /**
   * Copies the journal segments an archive holds back into a data directory's journal, each one the
   * directory does not have (nothing when there is no archive directory): with them the journal is
   * whole again, from its first record.
   */
  static void restoreArchived(Path archive, Path dataDir) throws IOException {
    if (!Files.isDirectory(archive)) {
      return;
    }
    try (Stream<Path> s = Files.list(archive)) {
      for (Path p : s.toList()) {
        Path target = dataDir.resolve(JournalSegments.DIR).resolve(p.getFileName());
        if (!Files.exists(target)) {
          Files.copy(p, target);
        }
      }
    }
  }

  /** Deletes a directory tree. */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }
}
