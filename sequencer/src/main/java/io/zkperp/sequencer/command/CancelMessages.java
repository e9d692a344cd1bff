package io.zkperp.sequencer.command;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;

/**
 * The messages a trader signs to cancel. The sequencer's {@code CancelOrder} and {@code CancelAll}
 * carry no signature (the core trusts its caller), so the gateway authenticates them: EdDSA
 * (protocol's BN254 EdDSA, the account's registered key) over a Poseidon2 hash whose first element
 * is a domain tag, so that no cancel signature is a valid order signature (an order message is two
 * elements, the first starting with its own 32-bit tag "ordr"):
 *
 * <ul>
 *   <li>cancel one order: {@code Poseidon2(TAG_CANCEL_ORDER, account, byClientOrderId ? 1 : 0, id,
 *       validUntil)};
 *   <li>cancel all: {@code Poseidon2(TAG_CANCEL_ALL, account, market as unsigned 32-bit (all
 *       markets = 0xFFFFFFFF), validUntil)}.
 * </ul>
 *
 * Each element is the field element of the unsigned 64-bit value. {@code validUntil} (unix seconds)
 * bounds replay: the gateway accepts a cancel only while its clock is before {@code validUntil} and
 * {@code validUntil} is at most {@link #MAX_VALIDITY_SECONDS} ahead; within that window the gateway
 * spends each verified message once (its {@code CancelReplayGuard}). Stateless; any thread.
 */
public final class CancelMessages {
  /** Domain tag of a single cancel: ASCII "cancel01". */
  public static final long TAG_CANCEL_ORDER = 0x63616e63656c3031L;

  /** Domain tag of a cancel-all: ASCII "cancall1". */
  public static final long TAG_CANCEL_ALL = 0x63616e63616c6c31L;

  /** The longest accepted validity window, seconds. */
  public static final long MAX_VALIDITY_SECONDS = 300;

  private CancelMessages() {}

  /**
   * The hash signed to cancel one order.
   *
   * @param account the account
   * @param byClientOrderId whether id is a client order id
   * @param id the order id or client order id
   * @param validUntil unix seconds
   * @return the message hash
   */
  public static Fr cancelOrder(int account, boolean byClientOrderId, long id, long validUntil) {
    return Poseidon2.hash(
        Fr.fromUnsignedLong(TAG_CANCEL_ORDER),
        Fr.fromUnsignedLong(Integer.toUnsignedLong(account)),
        Fr.fromUnsignedLong(byClientOrderId ? 1 : 0),
        Fr.fromUnsignedLong(id),
        Fr.fromUnsignedLong(validUntil));
  }

  /**
   * The hash signed to cancel all orders (of a market or of every market).
   *
   * @param account the account
   * @param market the market, or -1 for every market
   * @param validUntil unix seconds
   * @return the message hash
   */
  public static Fr cancelAll(int account, int market, long validUntil) {
    return Poseidon2.hash(
        Fr.fromUnsignedLong(TAG_CANCEL_ALL),
        Fr.fromUnsignedLong(Integer.toUnsignedLong(account)),
        Fr.fromUnsignedLong(Integer.toUnsignedLong(market)),
        Fr.fromUnsignedLong(validUntil));
  }

  /**
   * Signs a cancel message (for clients and tests).
   *
   * @param key the account's private key
   * @param hash the message hash
   * @return the 64-byte signature
   */
  public static byte[] sign(EdDsaPrivateKey key, Fr hash) {
    return EdDsa.sign(key, hash).encode();
  }

  /**
   * Verifies a cancel signature (77 µs natively, about 250 µs in Java: call it off the Netty event
   * loop).
   *
   * @param verifier the verifier (the node's: native where available)
   * @param key the account's public key
   * @param signature the 64 signature bytes
   * @param hash the message hash
   * @return true iff valid; false for a malformed encoding too
   */
  public static boolean verify(
      SignatureVerifier verifier, EdDsaPublicKey key, byte[] signature, Fr hash) {
    try {
      return verifier.verify(key, signature, hash);
    } catch (InvalidEncodingException e) {
      return false;
    }
  }
}
