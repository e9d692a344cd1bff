package io.zkperp.protocol.message;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;

/**
 * An account read grant: the session token a trader signs so that a gateway shows it the account's
 * private data (open orders, fills, nonces, the account and its stream) until {@code validUntil}.
 * Its hash is {@code H(D_read-grant, e1)} ({@link MessageDomain#hash}) with {@code e1 = account
 * (32) ‖ validUntil (64)} — 96 bits, big-endian, unsigned.
 *
 * <p>A grant is a bearer token: whoever holds the signed grant reads the account until it expires,
 * so it is short-lived (a gateway accepts one only while its clock is before {@code validUntil} and
 * {@code validUntil} is at most {@link #MAX_VALIDITY_SECONDS} ahead) and bound to one account and
 * one deployment (its own domain separator, so no order, cancel or report signature is a grant and
 * no grant is any of them). It authorises reading only: it moves nothing. Immutable; any thread.
 *
 * @param account the account id (unsigned 32 bits)
 * @param validUntil unix seconds (unsigned 64 bits)
 */
public record ReadGrantMessage(int account, long validUntil) {
  /** The longest validity a gateway accepts for a read grant, seconds: 24 hours. */
  public static final long MAX_VALIDITY_SECONDS = 24 * 60 * 60;

  /**
   * The packed element e1.
   *
   * @return one element
   */
  public Fr[] packed() {
    return new Fr[] {new Packing().put(account, 32).put(validUntil, 64).element()};
  }

  /**
   * The message hash.
   *
   * @param domain the deployment
   * @return {@code H(D_read-grant, e1)}
   */
  public Fr hash(MessageDomain domain) {
    return domain.hash(MessageType.READ_GRANT, packed());
  }

  /**
   * Signs the grant.
   *
   * @param key the account's private key
   * @param domain the deployment
   * @return the 64-byte signature
   */
  public byte[] sign(EdDsaPrivateKey key, MessageDomain domain) {
    return Signatures.sign(key, hash(domain));
  }

  /**
   * Verifies a signature over this grant (call it off network event loops).
   *
   * @param verifier the verifier
   * @param key the account's public key
   * @param signature the 64 signature bytes
   * @param domain the deployment
   * @return true iff valid; false for malformed signature bytes too
   */
  public boolean verify(
      SignatureVerifier verifier, EdDsaPublicKey key, byte[] signature, MessageDomain domain) {
    return Signatures.verify(verifier, key, signature, domain, MessageType.READ_GRANT, packed());
  }
}
