package io.zkperp.node.v3;

import java.util.List;
import java.util.Objects;

/**
 * What one journaled command becomes in format v3 ({@link CommandTranslator#translate}). Immutable;
 * any thread.
 */
public sealed interface V3Translation {
  /**
   * The journal sequence of the command.
   *
   * @return the sequence
   */
  long seq();

  /**
   * The command's steps in the engine's record order (none for a command that changes no state the
   * tree holds: orders that rest, cancels, ticks without funding).
   *
   * @param seq the command's journal sequence
   * @param steps the steps, in execution order
   */
  record Steps(long seq, List<V3Step> steps) implements V3Translation {
    /** Copies the list. */
    public Steps {
      steps = List.copyOf(steps);
    }
  }

  /**
   * A command with a record that no format v3 step proves yet (or that lacks what its step needs):
   * the settlement must stop before it.
   *
   * @param seq the command's journal sequence
   * @param command the command's type
   * @param record the record's type (e.g. {@code Liquidated}, {@code PriceTickApplied})
   * @param reason why no step proves it
   */
  record Unprovable(long seq, String command, String record, String reason)
      implements V3Translation {
    /** Checks for null. */
    public Unprovable {
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
