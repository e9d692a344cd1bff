package io.zkperp.protocol.message;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;

/**
 * The message an oracle signer signs: one price for one market at one time. Its hash is {@code
 * H(D_oracle-price, e1)} ({@link MessageDomain#hash}) with {@code e1 = market (32) ‖ price (64) ‖
 * timestamp (64)} — 160 bits, big-endian, unsigned. Immutable; any thread.
 *
 * @param market the market id (unsigned 32 bits)
 * @param price the 32.32 fixed-point price (unsigned 64 bits)
 * @param timestamp unix seconds (unsigned 64 bits)
 */
public record OraclePriceMessage(int market, long price, long timestamp) {
  /**
   * The packed element e1.
   *
   * @return one element
   */
  public Fr[] packed() {
    return new Fr[] {new Packing().put(market, 32).put(price, 64).put(timestamp, 64).element()};
  }

  /**
   * The message hash.
   *
   * @param domain the deployment
   * @return {@code H(D_oracle-price, e1)}
   */
  public Fr hash(MessageDomain domain) {
    return domain.hash(MessageType.ORACLE_PRICE, packed());
  }

  /**
   * Signs the report.
   *
   * @param key the signer's private key
   * @param domain the deployment
   * @return the 64-byte signature
   */
  public byte[] sign(EdDsaPrivateKey key, MessageDomain domain) {
    return Signatures.sign(key, hash(domain));
  }

  /**
   * Verifies a signature over this report.
   *
   * @param verifier the verifier
   * @param key the signer's public key
   * @param signature the 64 signature bytes
   * @param domain the deployment
   * @return true iff valid; false for malformed signature bytes too
   */
  public boolean verify(
      SignatureVerifier verifier, EdDsaPublicKey key, byte[] signature, MessageDomain domain) {
    return Signatures.verify(verifier, key, signature, domain, MessageType.ORACLE_PRICE, packed());
  }
}
