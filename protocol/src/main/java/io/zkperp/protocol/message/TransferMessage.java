package io.zkperp.protocol.message;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;

/**
 * The message the sender signs to move collateral to another account, in signed-message format 2
 * (batch format v3). Its hash is {@code H(D_transfer, e1)} ({@link MessageDomain#hash}) with {@code
 * e1 = account (32) ‖ receiver (32) ‖ amount (64) ‖ nonce (64)} — 192 bits, big-endian, unsigned.
 *
 * <p>The proving path of batch format v2 still verifies transfers in format 1 ({@link
 * TransactionMessages#transfer}); this message is for the collateral steps of batch format v3.
 * Immutable; any thread.
 *
 * @param account the sender's account id (unsigned 32 bits)
 * @param receiver the receiver's account id (unsigned 32 bits)
 * @param amount collateral quanta (unsigned 64 bits)
 * @param nonce the sender's nonce (unsigned 64 bits)
 */
public record TransferMessage(int account, int receiver, long amount, long nonce) {
  /**
   * The packed element e1.
   *
   * @return one element
   */
  public Fr[] packed() {
    return new Fr[] {
      new Packing().put(account, 32).put(receiver, 32).put(amount, 64).put(nonce, 64).element()
    };
  }

  /**
   * The message hash.
   *
   * @param domain the deployment
   * @return {@code H(D_transfer, e1)}
   */
  public Fr hash(MessageDomain domain) {
    return domain.hash(MessageType.TRANSFER, packed());
  }

  /**
   * Signs the transfer.
   *
   * @param key the sender's private key
   * @param domain the deployment
   * @return the 64-byte signature
   */
  public byte[] sign(EdDsaPrivateKey key, MessageDomain domain) {
    return Signatures.sign(key, hash(domain));
  }

  /**
   * Verifies a signature over this transfer (call it off network event loops).
   *
   * @param verifier the verifier
   * @param key the sender's public key
   * @param signature the 64 signature bytes
   * @param domain the deployment
   * @return true iff valid; false for malformed signature bytes too
   */
  public boolean verify(
      SignatureVerifier verifier, EdDsaPublicKey key, byte[] signature, MessageDomain domain) {
    return Signatures.verify(verifier, key, signature, domain, MessageType.TRANSFER, packed());
  }
}
