package io.zkperp.gateway.bridge;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.List;

/** What the sequencer answered for one submitted command. Immutable; any thread. */
public sealed interface CommandOutcome {
  /**
   * Accepted and durable (the journal's group commit is done).
   *
   * @param journalSeq the command's journal sequence number
   * @param events its events
   */
  record Accepted(long journalSeq, List<SequencerEvent> events) implements CommandOutcome {}

  /**
   * Rejected: nothing changed, nothing was journaled.
   *
   * @param reason the typed reason
   * @param message the core's precise message
   */
  record Rejected(RejectReason reason, String message) implements CommandOutcome {}
}
