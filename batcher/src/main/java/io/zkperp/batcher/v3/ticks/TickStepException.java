package io.zkperp.batcher.v3.ticks;

/**
 * A tick step refused before it is built, with its typed {@link TickStepError}; nothing was
 * encoded. Immutable; any thread.
 */
public final class TickStepException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The reason. */
  private final TickStepError error;

  /**
   * Creates the exception.
   *
   * @param error the reason
   * @param message what was wrong, with the value
   */
  public TickStepException(TickStepError error, String message) {
    super(error + ": " + message);
    this.error = error;
  }

  /**
   * The reason.
   *
   * @return it
   */
  public TickStepError error() {
    return error;
  }
}
