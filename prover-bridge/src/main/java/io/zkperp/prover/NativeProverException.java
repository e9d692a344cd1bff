package io.zkperp.prover;

/**
 * A native failure that is not about the witness or the keys: an I/O or setup error, a closed
 * prover, an invalid argument, or a Go panic recovered by the bridge ({@link
 * NativeErrorCode#PANIC}). The JVM is unaffected; a prover that panicked should be closed and
 * opened again.
 */
public final class NativeProverException extends ProverException {

  private static final long serialVersionUID = 1L;

  private final NativeErrorCode code;

  /**
   * Creates the exception.
   *
   * @param code the native error code
   * @param message the native message
   */
  public NativeProverException(NativeErrorCode code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  /**
   * Returns the native error code.
   *
   * @return the code the native export returned
   */
  public NativeErrorCode code() {
    return code;
  }
}
