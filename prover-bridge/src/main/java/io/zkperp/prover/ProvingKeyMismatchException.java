package io.zkperp.prover;

/**
 * The keys cached in the key directory were made for another circuit, shape or gnark version (the
 * manifest next to them does not match). Delete that shape's directory to run the setup again, or
 * point the prover at the right key directory.
 */
public final class ProvingKeyMismatchException extends ProverException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which manifest entry does not match
   */
  public ProvingKeyMismatchException(String message) {
    super(message);
  }
}
