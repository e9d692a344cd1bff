package io.zkperp.sequencer.command;

/** Thrown when bytes do not decode to a command. Any thread. */
public final class MalformedCommandException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the bytes
   */
  public MalformedCommandException(String message) {
    super(message);
  }
}
