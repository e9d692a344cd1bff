package io.zkperp.state.smt;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.field.Montgomery;
import java.math.BigInteger;

/**
 * Conversions between integers, canonical 32-byte encodings and the Montgomery-form limbs that
 * {@link io.zkperp.protocol.hash.Poseidon2#compressInPlace} works on, without allocating. An
 * element occupies four consecutive {@code long}s, least significant limb first.
 *
 * <p>Stateless; any thread (callers own the arrays they pass).
 */
public final class Limbs {
  /** Longs per field element. */
  public static final int LIMBS = 4;

  /** Montgomery form of 2^256 mod r, i.e. R² mod r: multiplying a plain value by it converts it. */
  private static final long[] R_SQUARED = new long[4];

  private static final long[] ZERO = new long[4];

  /** Limbs of the modulus r, plain, least significant first. */
  private static final long[] MODULUS = new long[4];

  static {
    Fr.fromBigInteger(BigInteger.ONE.shiftLeft(256).mod(Fr.MODULUS)).toMontgomery(R_SQUARED, 0);
    BigInteger m = Fr.MODULUS;
    for (int i = 0; i < 4; i++) {
      MODULUS[i] = m.shiftRight(64 * i).longValue();
    }
  }

  private Limbs() {}

  /**
   * Writes the element whose value is the unsigned 64-bit integer {@code v}.
   *
   * @param v all 64 bits are magnitude
   * @param dst destination
   * @param off offset of limb 0
   */
  public static void fromUnsigned(long v, long[] dst, int off) {
    Montgomery.mul(v, 0, 0, 0, R_SQUARED[0], R_SQUARED[1], R_SQUARED[2], R_SQUARED[3], dst, off);
  }

  /**
   * Writes the embedding {@code v mod r} of a signed 64-bit integer.
   *
   * @param v the value
   * @param dst destination
   * @param off offset of limb 0
   */
  public static void fromSigned(long v, long[] dst, int off) {
    if (v >= 0) {
      fromUnsigned(v, dst, off);
    } else {
      fromUnsigned(-v, dst, off); // -Long.MIN_VALUE is 2^63 read unsigned
      Montgomery.sub(dst, off, ZERO, 0, dst, off);
    }
  }

  /**
   * Writes the element whose big-endian value is a 20-byte address.
   *
   * @param address 20 bytes
   * @param dst destination
   * @param off offset of limb 0
   */
  public static void fromAddress(byte[] address, long[] dst, int off) {
    long p2 = 0;
    for (int i = 0; i < 4; i++) {
      p2 = (p2 << 8) | (address[i] & 0xffL);
    }
    long p1 = 0;
    for (int i = 4; i < 12; i++) {
      p1 = (p1 << 8) | (address[i] & 0xffL);
    }
    long p0 = 0;
    for (int i = 12; i < 20; i++) {
      p0 = (p0 << 8) | (address[i] & 0xffL);
    }
    Montgomery.mul(p0, p1, p2, 0, R_SQUARED[0], R_SQUARED[1], R_SQUARED[2], R_SQUARED[3], dst, off);
  }

  /**
   * Parses a canonical 32-byte big-endian encoding.
   *
   * @param b source
   * @param off offset of the encoding
   * @param dst destination limbs
   * @param dstOff offset of limb 0
   * @return false (writing nothing) if the value is not below r
   */
  public static boolean fromCanonical(byte[] b, int off, long[] dst, int dstOff) {
    long p3 = getLong(b, off);
    long p2 = getLong(b, off + 8);
    long p1 = getLong(b, off + 16);
    long p0 = getLong(b, off + 24);
    if (!lessThanModulus(p0, p1, p2, p3)) {
      return false;
    }
    Montgomery.mul(
        p0, p1, p2, p3, R_SQUARED[0], R_SQUARED[1], R_SQUARED[2], R_SQUARED[3], dst, dstOff);
    return true;
  }

  /**
   * Writes the canonical 32-byte big-endian encoding.
   *
   * @param src limbs
   * @param off offset of limb 0
   * @param dst destination bytes
   * @param dstOff offset
   * @param tmp four longs of scratch
   */
  public static void toCanonical(long[] src, int off, byte[] dst, int dstOff, long[] tmp) {
    Montgomery.mul(src[off], src[off + 1], src[off + 2], src[off + 3], 1, 0, 0, 0, tmp, 0);
    putLong(dst, dstOff, tmp[3]);
    putLong(dst, dstOff + 8, tmp[2]);
    putLong(dst, dstOff + 16, tmp[1]);
    putLong(dst, dstOff + 24, tmp[0]);
  }

  /**
   * Whether two elements are equal.
   *
   * @param a first array
   * @param ao offset in a
   * @param b second array
   * @param bo offset in b
   * @return limb-wise equality
   */
  public static boolean equal(long[] a, int ao, long[] b, int bo) {
    return a[ao] == b[bo]
        && a[ao + 1] == b[bo + 1]
        && a[ao + 2] == b[bo + 2]
        && a[ao + 3] == b[bo + 3];
  }

  /**
   * Whether an element is all-zero limbs.
   *
   * @param a array
   * @param off offset
   * @return true for zero
   */
  public static boolean isZero(long[] a, int off) {
    return (a[off] | a[off + 1] | a[off + 2] | a[off + 3]) == 0;
  }

  /**
   * Wraps limbs as an {@link Fr}.
   *
   * @param a array
   * @param off offset of limb 0
   * @return the element
   */
  public static Fr toFr(long[] a, int off) {
    return Fr.fromMontgomery(a, off);
  }

  private static boolean lessThanModulus(long t0, long t1, long t2, long t3) {
    if (t3 != MODULUS[3]) {
      return Long.compareUnsigned(t3, MODULUS[3]) < 0;
    }
    if (t2 != MODULUS[2]) {
      return Long.compareUnsigned(t2, MODULUS[2]) < 0;
    }
    if (t1 != MODULUS[1]) {
      return Long.compareUnsigned(t1, MODULUS[1]) < 0;
    }
    return Long.compareUnsigned(t0, MODULUS[0]) < 0;
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
