package io.zkperp.prover;

import java.nio.charset.StandardCharsets;

/**
 * The JNI entry points of {@code libzkprover.so} ({@code prover-bridge/native/jni/exports.go}).
 * Package-private: {@link BatchProver} is the API. Each fallible method returns a {@link
 * NativeErrorCode} number and writes its results into {@code outL}/{@code outO}; on failure {@code
 * outL[0]} holds the detail (offset, transaction index or -1) and {@code outO[0]} a UTF-8 {@code
 * byte[]} message. Strings travel as UTF-8 byte arrays. No method may be given a null array where
 * an array is expected, although the native side checks.
 */
final class NativeProver {

  /** The ABI version this class is written against; the library must report the same. */
  static final int ABI_VERSION = 3;

  private NativeProver() {}

  static native int abiVersion();

  static native int shapeInfo(byte[] name, long[] outL, Object[] outO);

  static native long progressOpen();

  static native byte[] progressDrain(long id);

  static native void progressClose(long id);

  /**
   * Opens a prover. {@code rollup} is null for a format v2 shape ({@code chainId} ignored) and the
   * 20-byte rollup address of the deployment for a format v3 shape.
   */
  static native int open(
      byte[] keyDir,
      byte[] shape,
      long chainId,
      byte[] rollup,
      long progressId,
      long[] outL,
      Object[] outO);

  /**
   * Opens a prover for checking only (the circuit compiled, no keys); the domain arguments as in
   * {@link #open}.
   */
  static native int openForCheck(
      byte[] shape, long chainId, byte[] rollup, long progressId, long[] outL, Object[] outO);

  static native int close(long handle);

  static native int check(long handle, byte[] witness, long[] outL, Object[] outO);

  static native int prove(long handle, byte[] witness, long[] outL, Object[] outO);

  static native int verify(long handle, byte[] raw, byte[] publicInput, long[] outL, Object[] outO);

  static native int solidityVerifier(long handle, long[] outL, Object[] outO);

  static native int debugPanic(int kind, long[] outL, Object[] outO);

  /** Output arrays of one native call and the mapping of its result code. */
  static final class Call {
    final long[] longs = new long[4];
    final Object[] objects = new Object[4];

    byte[] bytes(int i) {
      return (byte[]) objects[i];
    }

    /**
     * Throws the exception for {@code code}; returns normally on {@link NativeErrorCode#OK}.
     *
     * @param code what the native export returned
     */
    void check(int code) {
      if (code != NativeErrorCode.OK.code()) {
        throw exception(code, longs[0], message());
      }
    }

    String message() {
      return objects[0] instanceof byte[] b
          ? new String(b, StandardCharsets.UTF_8)
          : "(no message from native code)";
    }
  }

  /**
   * The exception for a native error code.
   *
   * @param code the code
   * @param detail offset or transaction index
   * @param message the native message
   * @return the typed exception
   */
  static ProverException exception(int code, long detail, String message) {
    NativeErrorCode c = NativeErrorCode.of(code);
    return switch (c) {
      case WITNESS_FORMAT -> new InvalidWitnessException(detail, message);
      case UNSATISFIABLE -> new UnsatisfiableWitnessException((int) detail, message);
      case KEY_MISMATCH -> new ProvingKeyMismatchException(message);
      case UNKNOWN -> new NativeProverException(c, "code " + code + ": " + message);
      default -> new NativeProverException(c, message);
    };
  }
}
