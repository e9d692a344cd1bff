package io.zkperp.sequencer.command;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A trader's 64-byte EdDSA signature carried by a command, or none (an unsigned command of the
 * engine's own). A value: two are equal when their bytes are, so the commands that carry one are
 * records with the default {@code equals}, {@code hashCode} and {@code toString}. Immutable; any
 * thread.
 */
public final class TraderSignature {
  /** No signature: the engine's own commands (tests and benchmarks). */
  public static final TraderSignature NONE = new TraderSignature(new byte[0]);

  private final byte[] bytes;

  private TraderSignature(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A signature that must be present.
   *
   * @param signature {@link PlaceOrder#SIGNATURE_BYTES} bytes (copied)
   * @return the value
   * @throws IllegalArgumentException if it has another length
   */
  public static TraderSignature of(byte[] signature) {
    return new TraderSignature(CommandSignatures.checked(signature).clone());
  }

  /**
   * A signature or none.
   *
   * @param signature {@link PlaceOrder#SIGNATURE_BYTES} bytes, or none (copied)
   * @return the value ({@link #NONE} for no bytes)
   * @throws IllegalArgumentException if it has another length
   */
  public static TraderSignature ofOptional(byte[] signature) {
    return CommandSignatures.checkedOrNone(signature).length == 0 ? NONE : of(signature);
  }

  /**
   * The bytes.
   *
   * @return a copy: 64 bytes, or none when unsigned
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * Whether a signature is present.
   *
   * @return true iff it has 64 bytes
   */
  public boolean present() {
    return CommandSignatures.signed(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraderSignature s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The first 8 bytes in hex followed by an ellipsis, or {@code none}. */
  @Override
  public String toString() {
    return present() ? HexFormat.of().formatHex(bytes, 0, 8) + "…" : "none";
  }

  /**
   * Checks for null.
   *
   * @param signature the value
   * @return it
   */
  static TraderSignature required(TraderSignature signature) {
    return Objects.requireNonNull(signature, "signature");
  }

  /**
   * Checks that a signature is given and present.
   *
   * @param signature the value
   * @throws IllegalArgumentException if it is {@link #NONE}
   */
  static void requiredPresent(TraderSignature signature) {
    if (!required(signature).present()) {
      throw new IllegalArgumentException("signature must be 64 bytes, got none");
    }
  }
}
