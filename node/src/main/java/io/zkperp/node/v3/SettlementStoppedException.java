package io.zkperp.node.v3;

/**
 * The settler stopped before a command and wrote none of its steps: a step was refused ({@link
 * StepRefusedException}) or the tree disagrees with a record ({@link DisagreementException}). Any
 * thread.
 */
public abstract sealed class SettlementStoppedException extends Exception
    permits StepRefusedException, DisagreementException {
  private static final long serialVersionUID = 1L;

  private final long seq;
  private final int step;

  /**
   * A stop.
   *
   * @param seq the command's journal sequence
   * @param step the step's index within the command
   * @param message what happened
   * @param cause the batcher's refusal, or null
   */
  SettlementStoppedException(long seq, int step, String message, Throwable cause) {
    super(message, cause);
    this.seq = seq;
    this.step = step;
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
   * The step's index within the command.
   *
   * @return the index
   */
  public int step() {
    return step;
  }
}
