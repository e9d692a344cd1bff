package io.zkperp.protocol.field;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import java.math.BigInteger;
import java.util.HexFormat;

/**
 * An element of the BN254 scalar field Fr (r =
 * 21888242871839275222246405745257275088548364400416034343698204186575808495617), the field of
 * gnark's BN254 circuits, of Poseidon2 and of the twisted Edwards curve used for trader keys.
 *
 * <p>Held in Montgomery form on four {@code long} limbs, as gnark-crypto's {@code fr.Element};
 * arithmetic never touches {@link BigInteger}. The canonical encoding is 32 bytes big-endian with a
 * value below r; parsing rejects anything else with an {@link InvalidEncodingException} rather than
 * reducing it.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class Fr implements Comparable<Fr> {
  /** Length of the canonical encoding in bytes. */
  public static final int BYTES = 32;

  /** The modulus r, for documentation, tests and slow paths. */
  public static final BigInteger MODULUS =
      new BigInteger(
          "21888242871839275222246405745257275088548364400416034343698204186575808495617");

  /** The additive identity. */
  public static final Fr ZERO = new Fr(0, 0, 0, 0);

  /** The multiplicative identity. */
  public static final Fr ONE =
      new Fr(Montgomery.ONE[0], Montgomery.ONE[1], Montgomery.ONE[2], Montgomery.ONE[3]);

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  // (r - 1) / 2 in plain (non-Montgomery) limbs, for the sign convention of compressed points.
  private static final long[] HALF_MODULUS = plainLimbs(MODULUS.shiftRight(1));
  // r - 2, exponent for Fermat inversion; (r - 1) / 2, Euler's criterion.
  private static final long[] EXP_INVERSE = plainLimbs(MODULUS.subtract(BigInteger.TWO));
  private static final long[] EXP_LEGENDRE = plainLimbs(MODULUS.shiftRight(1));
  // Tonelli-Shanks: r - 1 = 2^28 · Q with Q odd.
  private static final int TWO_ADICITY = 28;
  private static final long[] EXP_SQRT_W =
      plainLimbs(MODULUS.subtract(BigInteger.ONE).shiftRight(29));
  private static final Fr ROOT_OF_UNITY_2_28 = computeRootOfUnity();

  final long l0;
  final long l1;
  final long l2;
  final long l3;

  private Fr(long l0, long l1, long l2, long l3) {
    this.l0 = l0;
    this.l1 = l1;
    this.l2 = l2;
    this.l3 = l3;
  }

  /**
   * Wraps Montgomery-form limbs that are already reduced below r (for example the output of {@link
   * Montgomery}).
   *
   * @param limbs array holding the element
   * @param offset offset of limb 0
   * @return the element
   */
  public static Fr fromMontgomery(long[] limbs, int offset) {
    return new Fr(limbs[offset], limbs[offset + 1], limbs[offset + 2], limbs[offset + 3]);
  }

  /**
   * Copies this element's Montgomery-form limbs into an array.
   *
   * @param dst destination
   * @param offset offset of limb 0
   */
  public void toMontgomery(long[] dst, int offset) {
    dst[offset] = l0;
    dst[offset + 1] = l1;
    dst[offset + 2] = l2;
    dst[offset + 3] = l3;
  }

  /**
   * The element whose value is the unsigned integer {@code value} (all 64 bits are magnitude).
   *
   * @param value an unsigned 64-bit integer
   * @return the element
   */
  public static Fr fromUnsignedLong(long value) {
    long[] limbs = new long[4];
    Montgomery.fromUnsignedLong(value, limbs, 0);
    return fromMontgomery(limbs, 0);
  }

  /**
   * The embedding of a signed 64-bit integer: {@code value mod r}, so −1 is r − 1.
   *
   * @param value any {@code long}
   * @return the element
   */
  public static Fr fromLong(long value) {
    long[] limbs = new long[4];
    Montgomery.fromLong(value, limbs, 0);
    return fromMontgomery(limbs, 0);
  }

  /**
   * Parses the canonical 32-byte big-endian encoding.
   *
   * @param bytes exactly 32 bytes
   * @return the element
   * @throws InvalidEncodingException if the length is not 32 or the value is not below r
   */
  public static Fr fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new InvalidEncodingException(
          EncodingError.WRONG_LENGTH,
          "a field element is exactly 32 bytes, got " + bytes.length + " bytes");
    }
    return fromBytes(bytes, 0);
  }

  /**
   * Parses the canonical encoding at {@code bytes[offset .. offset+32)}.
   *
   * @param bytes the buffer
   * @param offset start of the encoding
   * @return the element
   * @throws InvalidEncodingException if fewer than 32 bytes remain or the value is not below r
   */
  public static Fr fromBytes(byte[] bytes, int offset) {
    if (offset < 0 || bytes.length - offset < BYTES) {
      throw new InvalidEncodingException(
          EncodingError.WRONG_LENGTH,
          "a field element needs 32 bytes at offset " + offset + ", buffer has " + bytes.length);
    }
    long[] limbs = new long[4];
    if (!Montgomery.fromCanonicalBytes(bytes, offset, limbs, 0)) {
      throw new InvalidEncodingException(
          EncodingError.NON_CANONICAL_FIELD_ELEMENT,
          "0x"
              + HEX.formatHex(bytes, offset, offset + BYTES)
              + " is not below the BN254 scalar field modulus r; canonical values are 0 .. r-1");
    }
    return fromMontgomery(limbs, 0);
  }

  /**
   * Reduces a big-endian byte string of any length modulo r (as gnark-crypto's {@code SetBytes}).
   * For deriving constants such as round keys, not for parsing untrusted encodings.
   *
   * @param bytes big-endian unsigned integer
   * @return the element {@code value mod r}
   */
  public static Fr reduce(byte[] bytes) {
    return fromBigInteger(new BigInteger(1, bytes).mod(MODULUS));
  }

  /**
   * Parses {@code 0x} followed by exactly 64 hex digits (the vectors' format), or any shorter hex
   * string of a value below r.
   *
   * @param hex the text
   * @return the element
   * @throws InvalidEncodingException if the text is not hex or the value is not below r
   */
  public static Fr fromHex(String hex) {
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if (digits.isEmpty() || digits.length() > 64 || !HexFormat.isHexDigit(digits.charAt(0))) {
      throw new InvalidEncodingException(
          EncodingError.MALFORMED_TEXT, "expected 0x and 1 to 64 hex digits, got '" + hex + "'");
    }
    byte[] bytes;
    try {
      bytes = HEX.parseHex("0".repeat(64 - digits.length()) + digits);
    } catch (IllegalArgumentException e) {
      throw new InvalidEncodingException(
          EncodingError.MALFORMED_TEXT, "expected 0x and 1 to 64 hex digits, got '" + hex + "'");
    }
    return fromBytes(bytes, 0);
  }

  /**
   * The element with value {@code value}, which must be in [0, r).
   *
   * @param value a non-negative integer below r
   * @return the element
   * @throws InvalidEncodingException if value is negative or not below r
   */
  public static Fr fromBigInteger(BigInteger value) {
    if (value.signum() < 0 || value.compareTo(MODULUS) >= 0) {
      throw new InvalidEncodingException(
          EncodingError.NON_CANONICAL_FIELD_ELEMENT, value + " is not in [0, r)");
    }
    long[] p = plainLimbs(value);
    return fromPlain(p[0], p[1], p[2], p[3]);
  }

  private static Fr fromPlain(long p0, long p1, long p2, long p3) {
    long[] out = new long[4];
    long[] r2 = Montgomery.R_SQUARED;
    Montgomery.mul(p0, p1, p2, p3, r2[0], r2[1], r2[2], r2[3], out, 0);
    return new Fr(out[0], out[1], out[2], out[3]);
  }

  /** Returns the plain (non-Montgomery) limbs, least significant first. */
  private long[] plain() {
    long[] out = {l0, l1, l2, l3};
    Montgomery.toCanonicalLimbs(out, 0, out, 0);
    return out;
  }

  /**
   * The canonical encoding: 32 bytes, big-endian.
   *
   * @return a new array
   */
  public byte[] toBytes() {
    byte[] out = new byte[BYTES];
    writeBytes(out, 0);
    return out;
  }

  /**
   * Writes the canonical encoding at {@code dst[offset .. offset+32)}.
   *
   * @param dst destination buffer
   * @param offset where to write
   */
  public void writeBytes(byte[] dst, int offset) {
    long[] limbs = {l0, l1, l2, l3};
    Montgomery.toCanonicalBytes(limbs, 0, dst, offset, new long[4]);
  }

  /**
   * The value as {@code 0x} followed by 64 lowercase hex digits (the vectors' format).
   *
   * @return the hex text
   */
  public String toHex() {
    return "0x" + HEX.formatHex(toBytes());
  }

  /**
   * The value (not its Montgomery form) as four 64-bit limbs, least significant first.
   *
   * @return a new array of 4 limbs
   */
  public long[] toCanonicalLimbs() {
    return plain();
  }

  /**
   * The value as a non-negative integer below r.
   *
   * @return the value
   */
  public BigInteger toBigInteger() {
    return new BigInteger(1, toBytes());
  }

  /**
   * Decodes the embedding of an unsigned 64-bit integer.
   *
   * @return the value, as the 64 bits of an unsigned long
   * @throws InvalidEncodingException if the value is 2^64 or more
   */
  public long toUnsignedLong() {
    long[] p = plain();
    if (p[1] != 0 || p[2] != 0 || p[3] != 0) {
      throw new InvalidEncodingException(
          EncodingError.OUT_OF_RANGE, toHex() + " is not an unsigned 64-bit integer");
    }
    return p[0];
  }

  /**
   * Decodes the embedding of a signed 64-bit integer (the inverse of {@link #fromLong}).
   *
   * @return the value
   * @throws InvalidEncodingException if the element is neither ≤ 2^63 − 1 nor ≥ r − 2^63
   */
  public long toLong() {
    long[] p = plain();
    if (p[1] == 0 && p[2] == 0 && p[3] == 0 && p[0] >= 0) {
      return p[0];
    }
    long[] n = neg().plain();
    if (n[1] == 0 && n[2] == 0 && n[3] == 0 && Long.compareUnsigned(n[0], Long.MIN_VALUE) <= 0) {
      return -n[0];
    }
    throw new InvalidEncodingException(
        EncodingError.OUT_OF_RANGE, toHex() + " is not the embedding of a signed 64-bit integer");
  }

  /**
   * Returns this + other.
   *
   * @param other the addend
   * @return the sum
   */
  public Fr add(Fr other) {
    long[] a = {l0, l1, l2, l3, other.l0, other.l1, other.l2, other.l3};
    Montgomery.add(a, 0, a, 0, a, 4);
    return fromMontgomery(a, 0);
  }

  /**
   * Returns this − other.
   *
   * @param other the subtrahend
   * @return the difference
   */
  public Fr sub(Fr other) {
    long[] a = {l0, l1, l2, l3, other.l0, other.l1, other.l2, other.l3};
    Montgomery.sub(a, 0, a, 0, a, 4);
    return fromMontgomery(a, 0);
  }

  /**
   * Returns −this.
   *
   * @return the negation
   */
  public Fr neg() {
    return ZERO.sub(this);
  }

  /**
   * Returns 2·this.
   *
   * @return the double
   */
  public Fr dbl() {
    return add(this);
  }

  /**
   * Returns this · other.
   *
   * @param other the factor
   * @return the product
   */
  public Fr mul(Fr other) {
    long[] out = new long[4];
    Montgomery.mul(l0, l1, l2, l3, other.l0, other.l1, other.l2, other.l3, out, 0);
    return fromMontgomery(out, 0);
  }

  /**
   * Returns this².
   *
   * @return the square
   */
  public Fr square() {
    return mul(this);
  }

  /**
   * Returns this raised to a non-negative exponent given as plain limbs, least significant first.
   *
   * @param exponent limbs of the exponent
   * @return the power
   */
  public Fr pow(long[] exponent) {
    long[] acc = {Montgomery.ONE[0], Montgomery.ONE[1], Montgomery.ONE[2], Montgomery.ONE[3]};
    long[] base = {l0, l1, l2, l3};
    for (int i = exponent.length * 64 - 1; i >= 0; i--) {
      Montgomery.square(acc, 0, acc, 0);
      if (((exponent[i >>> 6] >>> (i & 63)) & 1) != 0) {
        Montgomery.mul(acc, 0, acc, 0, base, 0);
      }
    }
    return fromMontgomery(acc, 0);
  }

  /**
   * Returns the multiplicative inverse.
   *
   * @return this⁻¹
   * @throws ArithmeticException if this is zero
   */
  public Fr inverse() {
    if (isZero()) {
      throw new ArithmeticException("zero has no inverse in Fr");
    }
    return pow(EXP_INVERSE);
  }

  /**
   * Returns a square root, or {@code null} if this is not a square. Which of the two roots is
   * returned is unspecified; callers that need a particular one choose by sign.
   *
   * @return a root or null
   */
  public Fr sqrt() {
    if (isZero()) {
      return ZERO;
    }
    // Euler's criterion first, so non-residues fail fast.
    if (!pow(EXP_LEGENDRE).equals(ONE)) {
      return null;
    }
    // Tonelli-Shanks with r - 1 = 2^28 · Q: w = a^((Q-1)/2), x = a·w, b = x·w = a^Q.
    Fr w = pow(EXP_SQRT_W);
    Fr x = mul(w);
    Fr b = x.mul(w);
    Fr g = ROOT_OF_UNITY_2_28;
    int v = TWO_ADICITY;
    while (!b.equals(ONE)) {
      int m = 0;
      Fr t = b;
      while (!t.equals(ONE)) {
        t = t.square();
        m++;
      }
      Fr gs = g;
      for (int i = 0; i < v - m - 1; i++) {
        gs = gs.square();
      }
      g = gs.square();
      x = x.mul(gs);
      b = b.mul(g);
      v = m;
    }
    return x;
  }

  /**
   * Whether this is zero.
   *
   * @return this == 0
   */
  public boolean isZero() {
    return (l0 | l1 | l2 | l3) == 0;
  }

  /**
   * gnark-crypto's sign convention for compressed points: true iff the value is greater than (r −
   * 1)/2.
   *
   * @return value &gt; (r − 1) / 2
   */
  public boolean isLexicographicallyLargest() {
    long[] p = plain();
    return comparePlain(p, HALF_MODULUS) > 0;
  }

  /** Orders elements by their value in [0, r). */
  @Override
  public int compareTo(Fr other) {
    return comparePlain(plain(), other.plain());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fr f && f.l0 == l0 && f.l1 == l1 && f.l2 == l2 && f.l3 == l3;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(l0 ^ (l1 * 31) ^ (l2 * 961) ^ (l3 * 29791));
  }

  /** Returns {@link #toHex()}. */
  @Override
  public String toString() {
    return toHex();
  }

  private static int comparePlain(long[] a, long[] b) {
    for (int i = 3; i >= 0; i--) {
      if (a[i] != b[i]) {
        return Long.compareUnsigned(a[i], b[i]);
      }
    }
    return 0;
  }

  private static long[] plainLimbs(BigInteger v) {
    long[] out = new long[4];
    BigInteger x = v;
    for (int i = 0; i < 4; i++) {
      out[i] = x.mod(TWO_64).longValue();
      x = x.shiftRight(64);
    }
    return out;
  }

  private static Fr computeRootOfUnity() {
    // 5 is the smallest quadratic non-residue of Fr (gnark-crypto's multiplicative generator);
    // 5^Q has order exactly 2^28.
    BigInteger q = MODULUS.subtract(BigInteger.ONE).shiftRight(TWO_ADICITY);
    return fromUnsignedLong(5).pow(plainLimbs(q));
  }
}
