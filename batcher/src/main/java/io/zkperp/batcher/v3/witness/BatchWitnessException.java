package io.zkperp.batcher.v3.witness;

import java.util.Objects;

/**
 * A batch (or one step of it) the format v3 encoder refuses, with the reason and, where one step is
 * at fault, its position in execution order. Nothing is encoded. Immutable; any thread.
 */
public final class BatchWitnessException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The reason. */
  private final BatchWitnessError error;

  /** The step's position in execution order, or -1 for the batch as a whole. */
  private final int step;

  /**
   * A refusal.
   *
   * @param error the reason
   * @param step the step's position in execution order, or -1
   * @param message what is wrong, for people
   */
  public BatchWitnessException(BatchWitnessError error, int step, String message) {
    super(error + (step >= 0 ? " at step " + step : "") + ": " + message);
    this.error = Objects.requireNonNull(error, "error");
    this.step = step;
  }

  /**
   * The reason.
   *
   * @return the reason
   */
  public BatchWitnessError error() {
    return error;
  }

  /**
   * The step at fault.
   *
   * @return its position in execution order, or -1 for the batch as a whole
   */
  public int step() {
    return step;
  }
}
