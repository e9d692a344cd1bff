package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchShape;

/**
 * A settled step that no batch of the assembler's shape can hold: its type has no slot group in
 * format v3, or the shape has no slot of its group (a liquidation fill, a takeover or a
 * deleveraging in v3-tiny). Nothing of its command is added.
 */
public final class UnbatchableStepException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The command's journal sequence. */
  private final long seq;

  /** The step's position among the command's steps. */
  private final int step;

  /** The step's kind ({@code Trade}, {@code Collateral}, {@code PeriodStart}, …). */
  private final String kind;

  /** The shape's slot counts, as text. */
  private final String shape;

  /**
   * A refusal.
   *
   * @param seq the command's journal sequence
   * @param step the step's position in the command
   * @param kind the step's kind
   * @param typeByte the step's type byte
   * @param shapeName the shape's name
   * @param shape the shape
   */
  public UnbatchableStepException(
      long seq, int step, String kind, int typeByte, String shapeName, BatchShape shape) {
    super(
        "command "
            + seq
            + " step "
            + step
            + ": a "
            + kind
            + " step (type "
            + typeByte
            + ") has no slot in shape "
            + shapeName
            + " "
            + shape);
    this.seq = seq;
    this.step = step;
    this.kind = kind;
    this.shape = shapeName;
  }

  /**
   * The command's journal sequence.
   *
   * @return the sequence
   */
  public long seq() {
    return seq;
  }

  /**
   * The step's position among the command's steps.
   *
   * @return the index
   */
  public int step() {
    return step;
  }

  /**
   * The step's kind.
   *
   * @return e.g. {@code PeriodStart}
   */
  public String kind() {
    return kind;
  }

  /**
   * The name of the shape that has no slot for it.
   *
   * @return e.g. {@code v3-tiny}
   */
  public String shape() {
    return shape;
  }
}
