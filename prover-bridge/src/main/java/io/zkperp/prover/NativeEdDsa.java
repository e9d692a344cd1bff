package io.zkperp.prover;

import java.nio.ByteBuffer;

/**
 * The EdDSA exports of {@code libzkprover.so} (Go package {@code sigverify}, entry points in {@code
 * native/jni/eddsa_jni.c}). Raw calls; {@link NativeSignatureVerifier} is the API. Any thread; the
 * library must be {@link NativeLibrary#load() loaded}.
 */
final class NativeEdDsa {
  /** The signature verifies. */
  static final int VALID = 1;

  /** Well-formed, but the equation does not hold. */
  static final int INVALID = 0;

  /** The signature bytes break an encoding rule. */
  static final int MALFORMED = -1;

  /** A null or wrong-sized argument, a non-canonical key or element, a short table. */
  static final int BAD_ARGUMENT = -2;

  /** A Go panic, recovered. */
  static final int PANIC = -3;

  /** buildTable's success. */
  static final int OK = 0;

  /** The most message elements one call takes. */
  static final int MAX_MESSAGE = 16;

  private NativeEdDsa() {}

  /**
   * The size of a key table.
   *
   * @return bytes
   */
  static native int tableBytes();

  /**
   * Builds a signer's comb table into a direct buffer.
   *
   * @param key x ‖ y of the public key, 32 bytes each, canonical big-endian
   * @param table a direct buffer of at least {@link #tableBytes()} bytes
   * @return {@link #OK} or {@link #BAD_ARGUMENT}
   */
  static native int buildTable(byte[] key, ByteBuffer table);

  /**
   * Verifies a signature.
   *
   * @param key x ‖ y of the public key
   * @param table the key's table from {@link #buildTable}, or null
   * @param signature the encoded signature
   * @param message 1 to 16 canonical 32-byte big-endian elements
   * @param prehash true: the message is H(message…)
   * @return {@link #VALID}, {@link #INVALID}, {@link #MALFORMED}, {@link #BAD_ARGUMENT} or {@link
   *     #PANIC}
   */
  static native int verify(
      byte[] key, ByteBuffer table, byte[] signature, byte[] message, boolean prehash);
}
