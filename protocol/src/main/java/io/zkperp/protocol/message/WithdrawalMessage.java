package io.zkperp.protocol.message;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import java.util.Objects;

/**
 * The message an account signs to withdraw collateral to its bound L1 owner, in signed-message
 * format 2 (batch format v3). Its hash is {@code H(D_withdrawal, e1, e2)} ({@link
 * MessageDomain#hash}) with {@code e1 = account (32) ‖ amount (64) ‖ nonce (64)} — 160 bits,
 * big-endian, unsigned — and {@code e2 = l1Owner} (the field element of its 20 bytes). Every field
 * that changes what happens is signed: who is debited, who L1 pays, how much, at which nonce; the
 * domain binds the chain and the rollup contract.
 *
 * <p>The proving path of batch format v2 still verifies withdrawals in format 1 ({@link
 * TransactionMessages#withdrawal}); this message is for the collateral steps of batch format v3.
 * Immutable; any thread.
 *
 * @param account the account id (unsigned 32 bits)
 * @param l1Owner the account's bound L1 owner, who L1 pays
 * @param amount collateral quanta (unsigned 64 bits)
 * @param nonce the account's nonce (unsigned 64 bits)
 */
public record WithdrawalMessage(int account, L1Address l1Owner, long amount, long nonce) {
  /**
   * Checks the owner.
   *
   * @param account the account id
   * @param l1Owner the L1 owner
   * @param amount the amount
   * @param nonce the nonce
   * @throws NullPointerException if {@code l1Owner} is null
   */
  public WithdrawalMessage {
    Objects.requireNonNull(l1Owner, "l1Owner");
  }

  /**
   * The packed elements e1, e2.
   *
   * @return two elements
   */
  public Fr[] packed() {
    return new Fr[] {
      new Packing().put(account, 32).put(amount, 64).put(nonce, 64).element(), l1Owner.toField()
    };
  }

  /**
   * The message hash.
   *
   * @param domain the deployment
   * @return {@code H(D_withdrawal, e1, e2)}
   */
  public Fr hash(MessageDomain domain) {
    return domain.hash(MessageType.WITHDRAWAL, packed());
  }

  /**
   * Signs the withdrawal.
   *
   * @param key the account's private key
   * @param domain the deployment
   * @return the 64-byte signature
   */
  public byte[] sign(EdDsaPrivateKey key, MessageDomain domain) {
    return Signatures.sign(key, hash(domain));
  }

  /**
   * Verifies a signature over this withdrawal (call it off network event loops).
   *
   * @param verifier the verifier
   * @param key the account's public key
   * @param signature the 64 signature bytes
   * @param domain the deployment
   * @return true iff valid; false for malformed signature bytes too
   */
  public boolean verify(
      SignatureVerifier verifier, EdDsaPublicKey key, byte[] signature, MessageDomain domain) {
    return Signatures.verify(verifier, key, signature, domain, MessageType.WITHDRAWAL, packed());
  }
}
