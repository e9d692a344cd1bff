package io.zkperp.prover;

/**
 * The integer error codes of the JNI exports ({@code prover-bridge/native/jni/bridge.go}). The
 * numbers are part of the ABI: {@link #code()} must equal the Go constant.
 */
public enum NativeErrorCode {
  /** Success. */
  OK(0),
  /** The witness is malformed; detail = byte offset. */
  WITNESS_FORMAT(1),
  /** The witness breaks a circuit rule; detail = transaction index, -1 for batch level. */
  UNSATISFIABLE(2),
  /** Cached keys do not match the circuit. */
  KEY_MISMATCH(3),
  /** The proof does not verify against the public input. */
  VERIFY_FAILED(4),
  /** Unknown or closed prover handle. */
  BAD_HANDLE(5),
  /** Null array, wrong length, unknown shape or output array too short. */
  INVALID_ARGUMENT(6),
  /** Any other native error (I/O, setup). */
  INTERNAL(7),
  /** A Go panic, recovered by the bridge. */
  PANIC(8),
  /** A code this version of the Java side does not know (a newer or broken library). */
  UNKNOWN(-1);

  private final int code;

  NativeErrorCode(int code) {
    this.code = code;
  }

  /**
   * Returns the ABI number.
   *
   * @return the integer the native side returns for this outcome
   */
  public int code() {
    return code;
  }

  /**
   * Maps an integer returned by a native export onto its constant.
   *
   * @param code the integer
   * @return the constant, {@link #UNKNOWN} for an integer outside the ABI
   */
  public static NativeErrorCode of(int code) {
    for (NativeErrorCode c : values()) {
      if (c.code == code && c != UNKNOWN) {
        return c;
      }
    }
    return UNKNOWN;
  }
}
