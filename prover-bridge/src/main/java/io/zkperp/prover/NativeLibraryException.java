package io.zkperp.prover;

/**
 * The native prover library cannot be used: unsupported operating system or architecture, library
 * missing from the jar, load failure, or a library built for another ABI version.
 */
public final class NativeLibraryException extends ProverException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is missing or wrong
   */
  public NativeLibraryException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what is missing or wrong
   * @param cause the underlying failure
   */
  public NativeLibraryException(String message, Throwable cause) {
    super(message, cause);
  }
}
