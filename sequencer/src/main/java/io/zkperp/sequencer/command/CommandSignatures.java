package io.zkperp.sequencer.command;

import java.util.Objects;

/**
 * The checks and the log form shared by the commands that carry a trader's 64-byte EdDSA signature
 * as a {@code byte[]} record component. Stateless; any thread.
 */
final class CommandSignatures {
  private CommandSignatures() {}

  /**
   * Checks that a signature has {@link PlaceOrder#SIGNATURE_BYTES} bytes.
   *
   * @param signature the signature
   * @return {@code signature} itself (not copied)
   * @throws IllegalArgumentException if it has another length
   */
  static byte[] checked(byte[] signature) {
    Objects.requireNonNull(signature, "signature");
    if (signature.length != PlaceOrder.SIGNATURE_BYTES) {
      throw new IllegalArgumentException(
          "signature must be " + PlaceOrder.SIGNATURE_BYTES + " bytes, got " + signature.length);
    }
    return signature;
  }

  /**
   * Checks that a signature has {@link PlaceOrder#SIGNATURE_BYTES} bytes or none (unsigned).
   *
   * @param signature the signature
   * @return {@code signature} itself (not copied)
   * @throws IllegalArgumentException if it has another length
   */
  static byte[] checkedOrNone(byte[] signature) {
    Objects.requireNonNull(signature, "signature");
    if (signature.length != 0 && signature.length != PlaceOrder.SIGNATURE_BYTES) {
      throw new IllegalArgumentException(
          "signature must be 64 bytes or none, got " + signature.length);
    }
    return signature;
  }

  /**
   * Whether a checked signature is present.
   *
   * @param signature 64 bytes or none
   * @return true iff it has 64 bytes
   */
  static boolean signed(byte[] signature) {
    return signature.length == PlaceOrder.SIGNATURE_BYTES;
  }
}
