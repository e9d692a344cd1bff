package io.zkperp.prover;

/**
 * The witness bytes are malformed: wrong length for the shape, or a field the native decoder
 * refuses. Raised by Java before any native call when the length is wrong.
 */
public final class InvalidWitnessException extends ProverException {

  private static final long serialVersionUID = 1L;

  private final long offset;

  /**
   * Creates the exception.
   *
   * @param offset byte offset of the problem in the witness, or -1 when unknown
   * @param message what is wrong
   */
  public InvalidWitnessException(long offset, String message) {
    super(message);
    this.offset = offset;
  }

  /**
   * Returns the byte offset of the problem.
   *
   * @return the offset in the witness, or -1 when unknown
   */
  public long offset() {
    return offset;
  }
}
