package io.zkperp.protocol.message;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;

/**
 * The message a trader signs to cancel one order. Its hash is {@code H(D_cancel-order, e1)} ({@link
 * MessageDomain#hash}) with {@code e1 = account (32) ‖ byClientOrderId (8: 1 or 0) ‖ id (64) ‖
 * validUntil (64)} — 168 bits, big-endian, unsigned. {@code validUntil} (unix seconds) bounds
 * replay: a gateway accepts a cancel only while its clock is before {@code validUntil} and {@code
 * validUntil} is at most {@link #MAX_VALIDITY_SECONDS} ahead. Immutable; any thread.
 *
 * @param account the account id (unsigned 32 bits)
 * @param byClientOrderId whether {@code id} is a client order id (else the sequencer's order id)
 * @param id the order id or client order id (unsigned 64 bits)
 * @param validUntil unix seconds (unsigned 64 bits)
 */
public record CancelOrderMessage(int account, boolean byClientOrderId, long id, long validUntil) {
  /** The longest validity window a gateway accepts for a cancel or cancel-all, seconds. */
  public static final long MAX_VALIDITY_SECONDS = 300;

  /**
   * The packed element e1.
   *
   * @return one element
   */
  public Fr[] packed() {
    return new Fr[] {
      new Packing()
          .put(account, 32)
          .put(byClientOrderId ? 1 : 0, 8)
          .put(id, 64)
          .put(validUntil, 64)
          .element()
    };
  }

  /**
   * The message hash.
   *
   * @param domain the deployment
   * @return {@code H(D_cancel-order, e1)}
   */
  public Fr hash(MessageDomain domain) {
    return domain.hash(MessageType.CANCEL_ORDER, packed());
  }

  /**
   * Signs the cancel.
   *
   * @param key the account's private key
   * @param domain the deployment
   * @return the 64-byte signature
   */
  public byte[] sign(EdDsaPrivateKey key, MessageDomain domain) {
    return Signatures.sign(key, hash(domain));
  }

  /**
   * Verifies a signature over this cancel (call it off network event loops).
   *
   * @param verifier the verifier
   * @param key the account's public key
   * @param signature the 64 signature bytes
   * @param domain the deployment
   * @return true iff valid; false for malformed signature bytes too
   */
  public boolean verify(
      SignatureVerifier verifier, EdDsaPublicKey key, byte[] signature, MessageDomain domain) {
    return Signatures.verify(verifier, key, signature, domain, MessageType.CANCEL_ORDER, packed());
  }
}
