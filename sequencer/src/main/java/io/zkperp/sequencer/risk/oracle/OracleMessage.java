package io.zkperp.sequencer.risk.oracle;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.StateLayout;

/**
 * The message an oracle signer signs: {@code Poseidon2.hash(TAG, market, price, timestamp)} (the
 * protocol's Merkle–Damgård Poseidon2, IV 0, {@link Poseidon2#hash(Fr...)}), where {@link #TAG} is
 * the domain tag {@code "zkperp/oracle-price/v1"} read as a big-endian integer ({@link
 * StateLayout#tag}) and the other three are the field elements of their unsigned 64-bit values
 * (market as an unsigned 32-bit value, price the 32.32 fixed-point value, timestamp in seconds).
 * The EdDSA signature ({@link EdDsa#sign(EdDsaPrivateKey, Fr...)}) is over that single hash
 * element, exactly as for orders ({@code command.SignedOrderMessage}); the tag keeps a price report
 * from ever being a valid order signature or vice versa (orders hash eight elements with no tag;
 * the message length is fixed per tag, so the padding-free Merkle–Damgård cannot collide across
 * them). Stateless; any thread.
 */
public final class OracleMessage {
  /** The domain tag, first element of the hash. */
  public static final Fr TAG = StateLayout.tag("zkperp/oracle-price/v1");

  /** Number of hashed elements, tag included. */
  public static final int FIELDS = 4;

  private OracleMessage() {}

  /**
   * The hashed elements, in order.
   *
   * @param market the market id
   * @param price the 32.32 price
   * @param timestamp seconds
   * @return tag, market, price, timestamp
   */
  public static Fr[] fields(int market, long price, long timestamp) {
    return new Fr[] {
      TAG,
      Fr.fromUnsignedLong(Integer.toUnsignedLong(market)),
      Fr.fromUnsignedLong(price),
      Fr.fromUnsignedLong(timestamp)
    };
  }

  /**
   * The message hash.
   *
   * @param market the market id
   * @param price the 32.32 price
   * @param timestamp seconds
   * @return {@code Poseidon2.hash(TAG, market, price, timestamp)}
   */
  public static Fr hash(int market, long price, long timestamp) {
    return Poseidon2.hash(fields(market, price, timestamp));
  }

  /**
   * Signs a price (for oracle signers, devnet and tests).
   *
   * @param key the signer's private key
   * @param signer the signer's index in the market's signer list
   * @param market the market id
   * @param price the 32.32 price
   * @param timestamp seconds
   * @return the signed report
   */
  public static PriceReport sign(
      EdDsaPrivateKey key, int signer, int market, long price, long timestamp) {
    byte[] sig = EdDsa.sign(key, hash(market, price, timestamp)).encode();
    return new PriceReport(market, price, timestamp, signer, sig);
  }

  /**
   * Verifies a report's signature (the fast path of {@link EdDsa#verify(EdDsaPublicKey, byte[],
   * Fr...)}, about 250 µs).
   *
   * @param key the signer's public key
   * @param report the report
   * @return true iff the signature is well-formed and valid for the report's market, price and
   *     timestamp under the key
   */
  public static boolean verify(EdDsaPublicKey key, PriceReport report) {
    try {
      return EdDsa.verify(
          key, report.signatureUnsafe(), hash(report.market(), report.price(), report.timestamp()));
    } catch (InvalidEncodingException e) {
      return false;
    }
  }

  /**
   * Verifies a report's signature with a {@link SignatureVerifier} (the intake's: native where
   * available, with the comb tables of frequent signers); the same answers as {@link
   * #verify(EdDsaPublicKey, PriceReport)}. Any thread.
   *
   * @param verifier the verifier
   * @param key the signer's public key
   * @param report the report
   * @return true iff the signature is well-formed and valid for the report's market, price and
   *     timestamp under the key
   */
  public static boolean verify(SignatureVerifier verifier, EdDsaPublicKey key, PriceReport report) {
    try {
      return verifier.verifyHashed(
          key,
          report.signatureUnsafe(),
          fields(report.market(), report.price(), report.timestamp()));
    } catch (InvalidEncodingException e) {
      return false;
    }
  }
}
