package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchStep;
import io.zkperp.state.v2.StateRootsV2;
import java.util.List;
import java.util.Objects;

/**
 * One command as {@link V3Settler#settleForBatch} committed it: its steps, each step's witness as
 * the format v3 batch encoder takes it (same order), and the roots after the command. Immutable;
 * any thread.
 *
 * @param seq the command's journal sequence
 * @param steps the translated steps, execution order
 * @param witnesses the executed steps, one per step
 * @param roots the roots after the command
 */
public record SettledCommand(
    long seq, List<V3Step> steps, List<BatchStep> witnesses, StateRootsV2 roots) {
  /** Copies the lists; one witness per step. */
  public SettledCommand {
    steps = List.copyOf(steps);
    witnesses = List.copyOf(witnesses);
    Objects.requireNonNull(roots, "roots");
    if (steps.size() != witnesses.size()) {
      throw new IllegalArgumentException(
          steps.size() + " steps, " + witnesses.size() + " witnesses");
    }
  }
}
