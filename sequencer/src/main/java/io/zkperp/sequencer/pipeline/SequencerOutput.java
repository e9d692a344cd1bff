package io.zkperp.sequencer.pipeline;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.List;

/**
 * Receives each submitted command's outcome, in submission order, on the journal thread, after the
 * group commit that made it durable. Implementations must be quick (they hold up the journal stage)
 * and must not call back into the sequencer synchronously.
 */
public interface SequencerOutput {
  /**
   * The command was accepted and is durable.
   *
   * @param requestId the id given to {@link Sequencer#submit}
   * @param journalSeq its journal sequence number
   * @param events its events (accepted order, fills, closes)
   */
  void onAccepted(long requestId, long journalSeq, List<SequencerEvent> events);

  /**
   * The command was accepted and is durable, with the command itself: what the sequencer calls. The
   * default forwards to {@link #onAccepted(long, long, List)}; an output that needs the command
   * itself (the settlement, which turns collateral commands into L2 transactions) overrides this.
   *
   * @param requestId the id given to {@link Sequencer#submit}
   * @param journalSeq its journal sequence number
   * @param command the command as journaled (decoded by the intake)
   * @param events its events
   */
  default void onAccepted(
      long requestId, long journalSeq, Command command, List<SequencerEvent> events) {
    onAccepted(requestId, journalSeq, events);
  }

  /**
   * The command was rejected (before or in the core); nothing changed.
   *
   * @param requestId the id given to {@link Sequencer#submit}
   * @param reason the typed reason
   * @param message what was wrong and what would be accepted
   */
  void onRejected(long requestId, RejectReason reason, String message);

  /**
   * The outcomes of one group commit have all been reported (called after the last {@link
   * #onAccepted} or {@link #onRejected} of the group): where an output that batches its own writes
   * (a history store) writes them. The default does nothing.
   */
  default void onBatchEnd() {}
}
