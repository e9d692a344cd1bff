package io.zkperp.gateway.node;

import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.risk.RiskEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rebuilds the node's read model from its journal. {@link Recovery} restores the core silently (no
 * events), but the read model keeps what only events carry (fills, funding history, book levels),
 * so it is fed by a second, throw-away core with a fresh demo risk engine that replays the same
 * records and reports its events. Both replays read one journal with one configuration, so they
 * reach the same state; the rebuild checks it ends at the record {@link Recovery} ended at.
 * Controlling thread, before the pipeline starts.
 */
final class ReadModelReplay {
  private ReadModelReplay() {}

  /**
   * Replays the journal into a new read model.
   *
   * @param journal the journal file
   * @param recovered what {@link Recovery} restored from it (from an empty core: the node writes no
   *     snapshots)
   * @return the read model, with the demo risk engine's configuration
   * @throws IOException if the journal cannot be read, the data directory holds a snapshot, or the
   *     replay ends at another record than the recovery
   */
  static ReadModel rebuild(Path journal, Recovery.Recovered recovered) throws IOException {
    if (recovered.snapshotSeq() != 0) {
      throw new IOException(
          "the data directory holds a snapshot (up to record "
              + recovered.snapshotSeq()
              + "); the demo node writes none and rebuilds its read model from the whole journal."
              + " Start with an empty data directory.");
    }
    RiskEngine risk = DemoMarkets.riskEngine();
    EventCollector events = new EventCollector();
    SequencerCore core =
        new SequencerCore(
            OrderBookFactory.OPTIMISED, SelfTradePrevention.EXPIRE_MAKER, risk, events);
    ReadModel readModel = new ReadModel(risk.config()); // margin figures need the configuration
    long lastSeq = 0;
    if (Files.exists(journal)) {
      lastSeq =
          JournalReader.read(
                  journal,
                  (seq, command) -> {
                    if (!core.apply(command)) { // Recovery accepted it: not this demo's journal
                      throw new IllegalStateException(
                          "journal record " + seq + " is rejected by the read model's replay");
                    }
                    readModel.apply(command, seq, events.drain());
                  })
              .lastSeq();
    }
    if (lastSeq != recovered.lastSeq()) {
      throw new IOException(
          "the read model replayed up to record "
              + lastSeq
              + " but the core was recovered up to "
              + recovered.lastSeq());
    }
    return readModel;
  }
}
