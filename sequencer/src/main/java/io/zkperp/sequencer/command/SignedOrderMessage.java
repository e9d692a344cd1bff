package io.zkperp.sequencer.command;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;

/**
 * The message a trader signs for an order: the Poseidon2 hash ({@link Poseidon2#hash(Fr...)}) of
 * eight field elements, in this order: account, market, side (BUY = 0, SELL = 1), size, price, fee
 * cap, expiry, nonce — each the field element of the unsigned 64-bit value. The EdDSA signature
 * ({@link EdDsa#sign(EdDsaPrivateKey, Fr...)}) is over that single hash element. These are the
 * fields the circuit checks; client order id, type, time in force, flags and trigger are
 * instructions to this sequencer and are not signed. Stateless; any thread.
 */
public final class SignedOrderMessage {
  /** Number of signed fields. */
  public static final int FIELDS = 8;

  private SignedOrderMessage() {}

  /**
   * The signed fields as field elements, in signing order.
   *
   * @param order the order
   * @return the eight elements
   */
  public static Fr[] fields(PlaceOrder order) {
    return new Fr[] {
      Fr.fromUnsignedLong(Integer.toUnsignedLong(order.account())),
      Fr.fromUnsignedLong(Integer.toUnsignedLong(order.market())),
      Fr.fromUnsignedLong(order.side().code()),
      Fr.fromUnsignedLong(order.size()),
      Fr.fromUnsignedLong(order.price()),
      Fr.fromUnsignedLong(order.feeCap()),
      Fr.fromUnsignedLong(order.expiry()),
      Fr.fromUnsignedLong(order.nonce())
    };
  }

  /**
   * The message hash H(fields).
   *
   * @param order the order
   * @return the Poseidon2 hash of {@link #fields(PlaceOrder)}
   */
  public static Fr hash(PlaceOrder order) {
    return Poseidon2.hash(fields(order));
  }

  /**
   * Signs an order (for clients, tests and benchmarks).
   *
   * @param key the account's private key
   * @param order the order (its signature field is ignored)
   * @return the order with its signature set
   */
  public static PlaceOrder sign(EdDsaPrivateKey key, PlaceOrder order) {
    return order.withSignature(EdDsa.sign(key, hash(order)).encode());
  }

  /**
   * Verifies an order's signature (about 250 µs: run it before the core, in parallel).
   *
   * @param key the account's public key
   * @param order the order
   * @return true iff the signature is valid; false also for a malformed signature encoding
   */
  public static boolean verify(EdDsaPublicKey key, PlaceOrder order) {
    try {
      return EdDsa.verify(key, order.signatureUnsafe(), hash(order));
    } catch (InvalidEncodingException e) {
      return false;
    }
  }
}
