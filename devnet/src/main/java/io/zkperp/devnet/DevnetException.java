package io.zkperp.devnet;

/**
 * A reason the devnet cannot start or a devnet command cannot run, with one line that says what to
 * do. Immutable; any thread.
 */
public final class DevnetException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** A port the devnet needs is taken. */
    PORT_IN_USE,
    /** A tool is missing: the npm anvil or the Go-built prover library. */
    MISSING_TOOLCHAIN,
    /** The data directory was written by another devnet format, or is damaged. */
    INCOMPATIBLE_DATA_DIR,
    /** Another devnet runs on the data directory. */
    DATA_DIR_IN_USE,
    /** The L1 state does not hold the recorded deployment (state file lost or replaced). */
    L1_STATE_MISMATCH,
    /** The devnet is not running, or not reachable, for a command that needs it. */
    NOT_RUNNING,
    /** An L1 transaction or call failed. */
    L1_FAILURE
  }

  private final Kind kind;

  /**
   * Creates the exception.
   *
   * @param kind what went wrong
   * @param message one line for the user, saying what to do
   */
  public DevnetException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /**
   * Creates the exception with a cause.
   *
   * @param kind what went wrong
   * @param message one line for the user, saying what to do
   * @param cause the underlying failure
   */
  public DevnetException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /**
   * What went wrong.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }
}
