package io.zkperp.prover;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Groth16 proof of one batch: the raw gnark encoding (what {@link BatchProver#verify} takes), the
 * encoding for the Solidity verifier's {@code verifyProof(bytes, uint256[1])}, and the 32-byte
 * big-endian public input. Immutable; accessors return copies. Safe to share between threads.
 */
public final class BatchProof {

  /** Length of the public input in bytes: one BN254 field element, big-endian. */
  public static final int PUBLIC_INPUT_BYTES = 32;

  private final byte[] raw;
  private final byte[] solidity;
  private final byte[] publicInput;

  /**
   * Creates a proof from its three encodings (copied).
   *
   * @param raw the gnark encoding
   * @param solidity the Solidity verifier's encoding
   * @param publicInput the 32-byte public input
   * @throws IllegalArgumentException if the public input is not 32 bytes
   */
  public BatchProof(byte[] raw, byte[] solidity, byte[] publicInput) {
    this.raw = Objects.requireNonNull(raw, "raw").clone();
    this.solidity = Objects.requireNonNull(solidity, "solidity").clone();
    this.publicInput = Objects.requireNonNull(publicInput, "publicInput").clone();
    if (publicInput.length != PUBLIC_INPUT_BYTES) {
      throw new IllegalArgumentException(
          "public input must be " + PUBLIC_INPUT_BYTES + " bytes, got " + publicInput.length);
    }
  }

  /**
   * Returns the raw gnark encoding of the proof.
   *
   * @return a copy of the raw proof bytes
   */
  public byte[] raw() {
    return raw.clone();
  }

  /**
   * Returns the proof as the exported Solidity verifier expects it.
   *
   * @return a copy of the Solidity proof bytes
   */
  public byte[] solidity() {
    return solidity.clone();
  }

  /**
   * Returns the public input.
   *
   * @return a copy of the 32-byte big-endian public input
   */
  public byte[] publicInput() {
    return publicInput.clone();
  }

  /**
   * Returns the public input as hex.
   *
   * @return 64 lowercase hex digits
   */
  public String publicInputHex() {
    return HexFormat.of().formatHex(publicInput);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchProof p
        && Arrays.equals(raw, p.raw)
        && Arrays.equals(solidity, p.solidity)
        && Arrays.equals(publicInput, p.publicInput);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(raw) + Arrays.hashCode(solidity))
        + Arrays.hashCode(publicInput);
  }

  @Override
  public String toString() {
    return "BatchProof[raw="
        + raw.length
        + " bytes, solidity="
        + solidity.length
        + " bytes, publicInput="
        + publicInputHex()
        + "]";
  }
}
