package io.zkperp.batcher.v3;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountIdentity;

/**
 * An account's key as the steps read it from its leaf, and the signature check every signed step
 * makes (trades and collateral steps): a key that is not a valid point (the insurance fund's (0,
 * 0)) and malformed signature bytes verify nothing. Public for the liquidation steps ({@code
 * io.zkperp.batcher.v3.liquidation}). Stateless; any thread.
 */
public final class StepSignatures {
  private StepSignatures() {}

  /**
   * The account's public key.
   *
   * @param identity the account's identity
   * @return the key, or null when its coordinates are not a valid key (no signature verifies)
   */
  public static EdDsaPublicKey keyOf(AccountIdentity identity) {
    try {
      return EdDsaPublicKey.of(identity.publicKeyX(), identity.publicKeyY());
    } catch (RuntimeException e) { // no key (the fund), or not a valid point
      return null;
    }
  }

  /**
   * Whether a 64-byte signature over a message hash verifies under a key.
   *
   * @param key the key, or null (nothing verifies)
   * @param signature the signature bytes
   * @param hash the message hash
   * @return true iff valid; false for malformed bytes
   */
  public static boolean verifies(EdDsaPublicKey key, byte[] signature, Fr hash) {
    if (key == null) {
      return false;
    }
    try {
      return EdDsa.verify(key, signature, hash);
    } catch (RuntimeException e) { // malformed signature bytes
      return false;
    }
  }
}
