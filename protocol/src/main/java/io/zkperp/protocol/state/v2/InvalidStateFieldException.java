package io.zkperp.protocol.state.v2;

import java.util.Objects;

/**
 * Thrown when a value cannot be represented in layout v2. Nothing has been built or changed when it
 * is thrown; {@link #error()} says which rule failed.
 *
 * <p>Immutable; any thread.
 */
public final class InvalidStateFieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final StateFieldError error;

  /**
   * Creates the exception.
   *
   * @param error the rule that failed
   * @param message what was received
   */
  public InvalidStateFieldException(StateFieldError error, String message) {
    super(error + ": " + message);
    this.error = Objects.requireNonNull(error, "error");
  }

  /**
   * Returns the rule that failed.
   *
   * @return the error code
   */
  public StateFieldError error() {
    return error;
  }
}
