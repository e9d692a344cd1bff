package io.zkperp.sequencer.command;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.nio.ByteBuffer;

/**
 * The message a trader signs for an order: the Poseidon2 hash ({@link Poseidon2#hash(Fr...)}) of
 * two field elements that pack the signed fields, big-endian within each element:
 *
 * <ul>
 *   <li>{@code e0 = TAG (32 bits) ‖ account (32) ‖ market (16) ‖ side (8; BUY = 0, SELL = 1) ‖
 *       nonce (64) ‖ expiry (64)} — 216 bits, with {@code TAG} = ASCII "ordr" = {@code 0x6f726472};
 *   <li>{@code e1 = size (64) ‖ price (64) ‖ feeCap (64)} — 192 bits.
 * </ul>
 *
 * Every value is taken as its unsigned bit pattern (account and market unsigned 32/16 bits, the
 * others unsigned 64 bits), so the packing is injective and both elements are below the field
 * modulus. Packing (as StarkEx does for its limit orders) makes the message two Poseidon2
 * compressions instead of eight; the tag separates it from every other signed message (cancels
 * start with their own 64-bit tag and are longer). The EdDSA signature ({@link
 * EdDsa#sign(EdDsaPrivateKey, Fr...)}) is over the single hash element. These are the fields the
 * circuit checks; client order id, type, time in force, flags and trigger are instructions to this
 * sequencer and are not signed. Stateless; any thread.
 */
public final class SignedOrderMessage {
  /** Number of field elements the signed fields are packed into. */
  public static final int FIELDS = 2;

  /** Domain tag in the top 32 bits of the first element: ASCII "ordr". */
  public static final long TAG = 0x6f726472L;

  private SignedOrderMessage() {}

  /**
   * The signed fields packed into field elements, in signing order.
   *
   * @param order the order
   * @return the two elements
   */
  public static Fr[] fields(PlaceOrder order) {
    ByteBuffer e0 = ByteBuffer.allocate(Fr.BYTES); // big-endian; the top 5 bytes stay zero
    e0.position(5);
    e0.putInt((int) TAG)
        .putInt(order.account())
        .putShort((short) order.market())
        .put((byte) order.side().code())
        .putLong(order.nonce())
        .putLong(order.expiry());
    ByteBuffer e1 = ByteBuffer.allocate(Fr.BYTES); // the top 8 bytes stay zero
    e1.position(8);
    e1.putLong(order.size()).putLong(order.price()).putLong(order.feeCap());
    return new Fr[] {Fr.fromBytes(e0.array()), Fr.fromBytes(e1.array())};
  }

  /**
   * The message hash H(e0, e1).
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
    return orFalse(() -> EdDsa.verify(key, order.signatureUnsafe(), hash(order)));
  }

  /**
   * Verifies an order's signature with a {@link SignatureVerifier} (the sequencer's intake uses the
   * native one where it is available): the same answers as {@link #verify(EdDsaPublicKey,
   * PlaceOrder)}.
   *
   * @param verifier the verifier
   * @param key the account's public key
   * @param order the order
   * @return true iff the signature is valid; false also for a malformed signature encoding
   */
  public static boolean verify(SignatureVerifier verifier, EdDsaPublicKey key, PlaceOrder order) {
    return orFalse(() -> verifier.verifyHashed(key, order.signatureUnsafe(), fields(order)));
  }

  /** The verdict, or false when the signature bytes are malformed. */
  private static boolean orFalse(java.util.function.BooleanSupplier verification) {
    try {
      return verification.getAsBoolean();
    } catch (InvalidEncodingException e) {
      return false;
    }
  }
}
