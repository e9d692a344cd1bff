package io.zkperp.protocol.eddsa;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import java.math.BigInteger;
import java.util.HexFormat;

/**
 * A point of gnark's twisted Edwards curve over the BN254 scalar field, −x² + y² = 1 + d·x²y²
 * (gnark-crypto {@code ecc/bn254/twistededwards}). The group has order 8·l; keys and signature
 * points live in the subgroup of prime order l. Since −1 is a square and d is not in Fr, the
 * addition law used here is complete.
 *
 * <p>Compressed encoding (RFC 8032 style, as gnark-crypto): y in 32 bytes little-endian, bit 255
 * set iff x is lexicographically largest. {@link #decode} is strict: y &lt; r, on the curve, no
 * "negative zero" x; subgroup membership is checked by the callers that need it ({@link
 * EdDsaPublicKey}, {@link EdDsaSignature}).
 *
 * <p>Immutable; any thread.
 */
public final class EdwardsPoint {
  /** Curve coefficient d. */
  public static final Fr D =
      Fr.fromBigInteger(
          new BigInteger(
              "12181644023421730124874158521699555681764249180949974110617291017600649128846"));

  /** Order l of the prime subgroup. */
  public static final BigInteger ORDER =
      new BigInteger(
          "2736030358979909402780800718157159386076813972158567259200215660948447373041");

  /** Cofactor of the curve. */
  public static final int COFACTOR = 8;

  /** The identity (0, 1). */
  public static final EdwardsPoint IDENTITY = new EdwardsPoint(Fr.ZERO, Fr.ONE);

  /** gnark-crypto's base point, a generator of the prime subgroup. */
  public static final EdwardsPoint BASE =
      new EdwardsPoint(
          Fr.fromBigInteger(
              new BigInteger(
                  "9671717474070082183213120605117400219616337014328744928644933853176787189663")),
          Fr.fromBigInteger(
              new BigInteger(
                  "16950150798460657717958625567821834550301663161624707787222815936182638968203")));

  /** Length of the compressed encoding. */
  public static final int ENCODED_BYTES = 32;

  static final long[] ORDER_LIMBS = Scalars.limbs(ORDER);

  private final Fr x;
  private final Fr y;

  EdwardsPoint(Fr x, Fr y) {
    this.x = x;
    this.y = y;
  }

  /**
   * The point with the given affine coordinates.
   *
   * @param x affine x
   * @param y affine y
   * @return the point
   * @throws InvalidEncodingException if (x, y) is not on the curve
   */
  public static EdwardsPoint of(Fr x, Fr y) {
    EdwardsPoint p = new EdwardsPoint(x, y);
    if (!p.isOnCurve()) {
      throw new InvalidEncodingException(
          EncodingError.POINT_NOT_ON_CURVE, "(" + x + ", " + y + ") is not on the curve");
    }
    return p;
  }

  /**
   * Affine x.
   *
   * @return x
   */
  public Fr x() {
    return x;
  }

  /**
   * Affine y.
   *
   * @return y
   */
  public Fr y() {
    return y;
  }

  /**
   * Whether the coordinates satisfy −x² + y² = 1 + d·x²·y².
   *
   * @return true iff on the curve
   */
  public boolean isOnCurve() {
    Fr x2 = x.square();
    Fr y2 = y.square();
    return y2.sub(x2).equals(Fr.ONE.add(D.mul(x2).mul(y2)));
  }

  /**
   * Whether this is the identity (0, 1).
   *
   * @return true iff identity
   */
  public boolean isIdentity() {
    return x.isZero() && y.equals(Fr.ONE);
  }

  /**
   * Whether this point is in the prime-order subgroup: [l]P is the identity.
   *
   * @return true iff in the subgroup
   */
  public boolean isInSubgroup() {
    return isOnCurve() && ExtendedPoint.from(this).multiply(ORDER_LIMBS).isIdentity();
  }

  /**
   * Returns this + other.
   *
   * @param other the other point
   * @return the sum
   */
  public EdwardsPoint add(EdwardsPoint other) {
    return ExtendedPoint.from(this).add(ExtendedPoint.from(other)).toAffine();
  }

  /**
   * Returns −this.
   *
   * @return the negation
   */
  public EdwardsPoint negate() {
    return new EdwardsPoint(x.neg(), y);
  }

  /**
   * Returns [k]this for a non-negative k (any size; reduced modulo nothing).
   *
   * @param k the scalar
   * @return the multiple
   */
  public EdwardsPoint multiply(BigInteger k) {
    if (k.signum() < 0) {
      throw new IllegalArgumentException("scalar must be non-negative");
    }
    return ExtendedPoint.from(this).multiply(Scalars.limbs(k)).toAffine();
  }

  /**
   * [k]BASE using the precomputed fixed-base table.
   *
   * @param k the scalar, any non-negative integer (reduced mod l)
   * @return the multiple of the base point
   */
  public static EdwardsPoint multiplyBase(BigInteger k) {
    return FixedBase.multiply(Scalars.limbs(k.mod(ORDER))).toAffine();
  }

  /**
   * The 32-byte compressed encoding.
   *
   * @return a new array
   */
  public byte[] encode() {
    byte[] be = y.toBytes();
    byte[] out = new byte[ENCODED_BYTES];
    for (int i = 0; i < ENCODED_BYTES; i++) {
      out[i] = be[ENCODED_BYTES - 1 - i];
    }
    if (x.isLexicographicallyLargest()) {
      out[ENCODED_BYTES - 1] |= (byte) 0x80;
    }
    return out;
  }

  /**
   * Strictly decodes a compressed point: exactly 32 bytes, y &lt; r, a square root exists, no
   * negative zero. Does not check subgroup membership.
   *
   * @param encoding 32 bytes
   * @return the point
   * @throws InvalidEncodingException with code WRONG_LENGTH, POINT_Y_NOT_CANONICAL,
   *     POINT_NOT_ON_CURVE or POINT_NEGATIVE_ZERO
   */
  public static EdwardsPoint decode(byte[] encoding) {
    if (encoding.length != ENCODED_BYTES) {
      throw new InvalidEncodingException(
          EncodingError.WRONG_LENGTH,
          "a compressed point is 32 bytes, got " + encoding.length + " bytes");
    }
    boolean largest = (encoding[ENCODED_BYTES - 1] & 0x80) != 0;
    byte[] be = new byte[ENCODED_BYTES];
    for (int i = 0; i < ENCODED_BYTES; i++) {
      be[i] = encoding[ENCODED_BYTES - 1 - i];
    }
    be[0] &= 0x7f;
    Fr y;
    try {
      y = Fr.fromBytes(be);
    } catch (InvalidEncodingException e) {
      throw new InvalidEncodingException(
          EncodingError.POINT_Y_NOT_CANONICAL,
          "compressed point 0x"
              + HexFormat.of().formatHex(encoding)
              + " has y >= r; y must be below the field modulus");
    }
    // x² = (1 − y²) / (a − d·y²) with a = −1
    Fr y2 = y.square();
    Fr den = Fr.ONE.neg().sub(D.mul(y2));
    Fr x2 = Fr.ONE.sub(y2).mul(den.inverse());
    Fr x = x2.sqrt();
    if (x == null) {
      throw new InvalidEncodingException(
          EncodingError.POINT_NOT_ON_CURVE,
          "compressed point 0x" + HexFormat.of().formatHex(encoding) + " has no x on the curve");
    }
    if (x.isZero() && largest) {
      throw new InvalidEncodingException(
          EncodingError.POINT_NEGATIVE_ZERO,
          "compressed point 0x"
              + HexFormat.of().formatHex(encoding)
              + " sets the sign bit for x = 0; the canonical encoding has it clear");
    }
    if (x.isLexicographicallyLargest() != largest) {
      x = x.neg();
    }
    return new EdwardsPoint(x, y);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EdwardsPoint p && p.x.equals(x) && p.y.equals(y);
  }

  @Override
  public int hashCode() {
    return x.hashCode() * 31 + y.hashCode();
  }

  @Override
  public String toString() {
    return "(" + x + ", " + y + ")";
  }
}
