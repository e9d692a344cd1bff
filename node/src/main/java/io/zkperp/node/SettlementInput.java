package io.zkperp.node;

import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.List;
import java.util.Objects;

/**
 * One accepted, journaled command with its events: what the settlement consumes, in journal order.
 * Immutable; any thread.
 *
 * @param seq the journal sequence
 * @param command the command
 * @param events its events (state-change records among them)
 */
public record SettlementInput(long seq, Command command, List<SequencerEvent> events) {
  /** Checks and copies. */
  public SettlementInput {
    Objects.requireNonNull(command, "command");
    events = List.copyOf(events);
  }
}
