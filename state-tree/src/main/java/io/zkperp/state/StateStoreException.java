package io.zkperp.state;

import java.util.Objects;

/**
 * A refused state-store operation. The {@link #error()} code says which rule failed; the message
 * says what was received and what would have been accepted.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class StateStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final StateError error;

  /**
   * Creates the exception.
   *
   * @param error the rule that failed
   * @param message what was wrong
   */
  public StateStoreException(StateError error, String message) {
    super(error + ": " + message);
    this.error = Objects.requireNonNull(error, "error");
  }

  /**
   * Creates the exception with a cause.
   *
   * @param error the rule that failed
   * @param message what was wrong
   * @param cause the underlying exception
   */
  public StateStoreException(StateError error, String message, Throwable cause) {
    super(error + ": " + message, cause);
    this.error = Objects.requireNonNull(error, "error");
  }

  /**
   * Returns the rule that failed.
   *
   * @return the error code
   */
  public StateError error() {
    return error;
  }
}
