package io.zkperp.prover;

/**
 * Base of every failure of the prover bridge. Unchecked; the subclasses say what went wrong:
 *
 * <ul>
 *   <li>{@link InvalidWitnessException}: the witness bytes are malformed (wrong length, bad
 *       encoding);
 *   <li>{@link UnsatisfiableWitnessException}: well-formed, but breaks a rule of the circuit;
 *   <li>{@link ProvingKeyMismatchException}: cached keys do not match this circuit and library;
 *   <li>{@link NativeLibraryException}: the native library cannot be loaded on this platform;
 *   <li>{@link NativeProverException}: any other native failure, including a recovered Go panic.
 * </ul>
 */
public abstract sealed class ProverException extends RuntimeException
    permits InvalidWitnessException,
        UnsatisfiableWitnessException,
        ProvingKeyMismatchException,
        NativeLibraryException,
        NativeProverException {

  private static final long serialVersionUID = 1L;

  ProverException(String message) {
    super(message);
  }

  ProverException(String message, Throwable cause) {
    super(message, cause);
  }
}
