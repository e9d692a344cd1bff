package io.zkperp.protocol.encoding;

import java.util.Objects;

/**
 * Thrown when bytes or text do not encode a valid value of the requested type. Nothing has been
 * changed when it is thrown: parsing is all-or-nothing. The {@link #error()} code says which rule
 * failed; the message says what was received and what would be accepted.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class InvalidEncodingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final EncodingError error;

  /**
   * Creates the exception.
   *
   * @param error the rule that failed
   * @param message what was wrong and what would be accepted
   */
  public InvalidEncodingException(EncodingError error, String message) {
    super(error + ": " + message);
    this.error = Objects.requireNonNull(error, "error");
  }

  /**
   * Returns the rule that failed.
   *
   * @return the error code
   */
  public EncodingError error() {
    return error;
  }
}
