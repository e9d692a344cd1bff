package io.zkperp.protocol.eddsa;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2Hasher;
import java.math.BigInteger;

/**
 * EdDSA over gnark's BN254 twisted Edwards curve with the Poseidon2 challenge hash — exactly
 * gnark-crypto's {@code eddsa} {@code Sign}/{@code Verify} with {@code
 * poseidon2.NewMerkleDamgardHasher()}, and gnark's circuit {@code std/signature/eddsa} with {@code
 * std/hash/poseidon2}. Messages are field elements (an order is signed as the one-element message
 * {@code H(order fields)}).
 *
 * <ul>
 *   <li>challenge c = H(R.x, R.y, A.x, A.y, m₁ … mₖ) (Poseidon2 Merkle–Damgård, IV 0)
 *   <li>sign: blinding = BLAKE2b-512(randSrc ‖ m bytes)[0..32) big-endian, R = [blinding]B, S =
 *       (c·scalar + blinding) mod l
 *   <li>verify: [8][S]B = [8](R + [c]A)
 * </ul>
 *
 * <p>Stateless; any thread. Not constant-time: do not sign on machines shared with attackers.
 */
public final class EdDsa {
  private EdDsa() {}

  /**
   * The Fiat–Shamir challenge H(R.x, R.y, A.x, A.y, message…).
   *
   * @param r the signature point R
   * @param a the public key point A
   * @param message the message elements
   * @return c, a field element (not reduced mod l)
   */
  public static Fr challenge(EdwardsPoint r, EdwardsPoint a, Fr... message) {
    Poseidon2Hasher h = new Poseidon2Hasher();
    h.write(r.x()).write(r.y()).write(a.x()).write(a.y());
    h.write(message);
    return h.sum();
  }

  /**
   * Signs field elements deterministically.
   *
   * @param key the private key
   * @param message one or more field elements
   * @return the signature
   */
  public static EdDsaSignature sign(EdDsaPrivateKey key, Fr... message) {
    byte[] msgBytes = new byte[message.length * Fr.BYTES];
    for (int i = 0; i < message.length; i++) {
      message[i].writeBytes(msgBytes, i * Fr.BYTES);
    }
    byte[] h = EdDsaPrivateKey.blake2b512(key.randSrc(), msgBytes);
    BigInteger blinding = new BigInteger(1, java.util.Arrays.copyOfRange(h, 0, 32));
    EdwardsPoint r = EdwardsPoint.multiplyBase(blinding);
    Fr c = challenge(r, key.publicKey().point(), message);
    BigInteger s = c.toBigInteger().multiply(key.scalar()).add(blinding).mod(EdwardsPoint.ORDER);
    return EdDsaSignature.ofSubgroupPoint(r, s); // r = [blinding]B
  }

  /**
   * Verifies a signature over field elements. Keys and signatures are valid by construction
   * (decoding checks every encoding rule), so the answer is only about the equation.
   *
   * @param key the signer's public key
   * @param signature the signature
   * @param message the message elements
   * @return true iff [8][S]B = [8](R + [c]A)
   */
  public static boolean verify(EdDsaPublicKey key, EdDsaSignature signature, Fr... message) {
    EdwardsPoint a = key.point();
    Fr c = challenge(signature.r(), a, message);
    ExtendedPoint lhs = FixedBase.multiply(signature.sLimbs).multiplyByCofactor();
    ExtendedPoint rhs =
        ExtendedPoint.from(a)
            .multiply(c.toCanonicalLimbs())
            .add(ExtendedPoint.from(signature.r()))
            .multiplyByCofactor();
    return lhs.sameAs(rhs);
  }

  /**
   * Verifies an encoded signature: the fast path for order intake. Instead of decoding R with a
   * separate subgroup check ([l]R, as expensive as the verification itself) it checks the exact
   * equation R = [S]B − [c]A. This accepts exactly what {@link EdDsaSignature#decode} plus {@link
   * #verify(EdDsaPublicKey, EdDsaSignature, Fr...)} accept: [S]B − [c]A lies in the prime-order
   * subgroup, so R equals it only if R does too; conversely, when R is in the subgroup, the
   * cofactor equation makes R − ([S]B − [c]A) a point of order dividing 8 in that subgroup, hence
   * the identity.
   *
   * @param key the signer's public key
   * @param signature the 64-byte encoding
   * @param message the message elements
   * @return true iff the signature is valid; false for a wrong signature, including an R outside
   *     the subgroup
   * @throws io.zkperp.protocol.encoding.InvalidEncodingException if the bytes are malformed
   *     (length, S ∉ (0, l), R's y ≥ r, R off the curve, negative zero)
   */
  public static boolean verify(EdDsaPublicKey key, byte[] signature, Fr... message) {
    EdwardsPoint a = key.point();
    return verifyExact(a, signature, message, c -> ExtendedPoint.from(a).multiply(c));
  }

  /**
   * Verifies an encoded signature with the signer's precomputed table: the same equation and the
   * same answers as {@link #verify(EdDsaPublicKey, byte[], Fr...)}, with [c]A from the comb table.
   *
   * @param key the signer's public key with its table
   * @param signature the 64-byte encoding
   * @param message the message elements
   * @return true iff the signature is valid
   * @throws io.zkperp.protocol.encoding.InvalidEncodingException if the bytes are malformed
   */
  public static boolean verify(PublicKeyTable key, byte[] signature, Fr... message) {
    return verifyExact(key.key().point(), signature, message, key.table::multiply);
  }

  /** R = [S]B − [c]A exactly, with [c]A computed by {@code timesA} from c's canonical limbs. */
  private static boolean verifyExact(
      EdwardsPoint a,
      byte[] signature,
      Fr[] message,
      java.util.function.Function<long[], ExtendedPoint> timesA) {
    EdDsaSignature sig = EdDsaSignature.decodeWithoutSubgroupCheck(signature);
    Fr c = challenge(sig.r(), a, message);
    ExtendedPoint expectedR =
        FixedBase.multiply(sig.sLimbs).add(timesA.apply(c.toCanonicalLimbs()).negate());
    return expectedR.sameAs(ExtendedPoint.from(sig.r()));
  }
}
