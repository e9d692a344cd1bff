package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.Objects;

/**
 * An oracle signer's EdDSA public key; (0, 0) is an empty slot.
 *
 * <p>Immutable; any thread.
 *
 * @param keyX x coordinate
 * @param keyY y coordinate
 */
public record OracleSigner(Fr keyX, Fr keyY) {
  /** The empty slot. */
  public static final OracleSigner EMPTY = new OracleSigner(Fr.ZERO, Fr.ZERO);

  /** Validates that no coordinate is null. */
  public OracleSigner {
    Objects.requireNonNull(keyX, "keyX");
    Objects.requireNonNull(keyY, "keyY");
  }

  /**
   * 0 for the empty slot, else {@code H(TAG_ORACLE_SIGNER_V2, keyX, keyY)}.
   *
   * @return the leaf
   */
  public Fr leaf() {
    if (keyX.isZero() && keyY.isZero()) {
      return Fr.ZERO;
    }
    return Poseidon2.hash(LayoutV2.TAG_ORACLE_SIGNER, keyX, keyY);
  }
}
