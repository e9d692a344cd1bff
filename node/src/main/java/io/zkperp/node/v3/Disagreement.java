package io.zkperp.node.v3;

import java.util.Objects;

/**
 * The tree, after executing a step, holds another value than the engine's record says. Immutable;
 * any thread.
 *
 * @param seq the command's journal sequence
 * @param step the step's index within the command
 * @param record the record's type (e.g. {@code TradeSettled})
 * @param field the field compared (e.g. {@code takerCollateralAfter})
 * @param engine the record's value
 * @param tree the tree's value
 */
public record Disagreement(
    long seq, int step, String record, String field, long engine, long tree) {
  /** Checks for null. */
  public Disagreement {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(field, "field");
  }

  @Override
  public String toString() {
    return "journal record "
        + seq
        + " step "
        + step
        + ": "
        + record
        + "."
        + field
        + " is "
        + engine
        + " in the engine, "
        + tree
        + " in the tree";
  }
}
