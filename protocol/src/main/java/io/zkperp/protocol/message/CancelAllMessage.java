package io.zkperp.protocol.message;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;

/**
 * The message a trader signs to cancel all its orders, of one market or of every market. Its hash
 * is {@code H(D_cancel-all, e1)} ({@link MessageDomain#hash}) with {@code e1 = account (32) ‖
 * market (32; every market = 0xFFFFFFFF) ‖ validUntil (64)} — 128 bits, big-endian, unsigned. The
 * validity rule is {@link CancelOrderMessage}'s. Immutable; any thread.
 *
 * @param account the account id (unsigned 32 bits)
 * @param market the market id, 0 to 65535, or {@link #ALL_MARKETS}
 * @param validUntil unix seconds (unsigned 64 bits)
 */
public record CancelAllMessage(int account, int market, long validUntil) {
  /** The market value meaning every market (packed as 0xFFFFFFFF). */
  public static final int ALL_MARKETS = -1;

  /**
   * Checks the market.
   *
   * @param account the account id
   * @param market the market id or {@link #ALL_MARKETS}
   * @param validUntil unix seconds
   * @throws InvalidMessageFieldException if the market is neither 0 to 65535 nor {@link
   *     #ALL_MARKETS}
   */
  public CancelAllMessage {
    if (market != ALL_MARKETS && (market < 0 || market > OrderMessage.MAX_MARKET)) {
      throw new InvalidMessageFieldException(
          MessageType.CANCEL_ALL, "market", market, "0 to 65535, or -1 for every market");
    }
  }

  /**
   * The packed element e1.
   *
   * @return one element
   */
  public Fr[] packed() {
    return new Fr[] {new Packing().put(account, 32).put(market, 32).put(validUntil, 64).element()};
  }

  /**
   * The message hash.
   *
   * @param domain the deployment
   * @return {@code H(D_cancel-all, e1)}
   */
  public Fr hash(MessageDomain domain) {
    return domain.hash(MessageType.CANCEL_ALL, packed());
  }

  /**
   * Signs the cancel-all.
   *
   * @param key the account's private key
   * @param domain the deployment
   * @return the 64-byte signature
   */
  public byte[] sign(EdDsaPrivateKey key, MessageDomain domain) {
    return Signatures.sign(key, hash(domain));
  }

  /**
   * Verifies a signature over this cancel-all (call it off network event loops).
   *
   * @param verifier the verifier
   * @param key the account's public key
   * @param signature the 64 signature bytes
   * @param domain the deployment
   * @return true iff valid; false for malformed signature bytes too
   */
  public boolean verify(
      SignatureVerifier verifier, EdDsaPublicKey key, byte[] signature, MessageDomain domain) {
    return Signatures.verify(verifier, key, signature, domain, MessageType.CANCEL_ALL, packed());
  }
}
