package io.zkperp.protocol.field;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Arithmetic in the BN254 scalar field Fr on raw Montgomery-form limbs, for hot loops that must not
 * allocate (Poseidon2, curve arithmetic). An element occupies four consecutive {@code long}s of an
 * array, least significant limb first, holding {@code a·2^256 mod r}; every operation expects and
 * produces fully reduced values (&lt; r).
 *
 * <p>{@link Fr} is the safe, immutable type for everything else. All methods are static, stateless
 * and may be called from any thread; callers own the arrays they pass. Output slots may alias input
 * slots.
 */
public final class Montgomery {
  /** Limbs of the modulus r, least significant first. */
  static final long Q0 = 0x43e1f593f0000001L;

  static final long Q1 = 0x2833e84879b97091L;
  static final long Q2 = 0xb85045b68181585dL;
  static final long Q3 = 0x30644e72e131a029L;

  /** −r⁻¹ mod 2^64. */
  static final long Q_INV_NEG = 0xc2e1f593efffffffL;

  /** 2^256 mod r: the Montgomery form of 1. */
  static final long[] ONE = {
    0xac96341c4ffffffbL, 0x36fc76959f60cd29L, 0x666ea36f7879462eL, 0x0e0a77c19a07df2fL
  };

  /** 2^512 mod r: multiplying by it converts a plain value into Montgomery form. */
  static final long[] R_SQUARED = {
    0x1bb8e645ae216da7L, 0x53fe3ab1e35c59e3L, 0x8c49833d53bb8085L, 0x0216d0b17f4e44a5L
  };

  /** Longs per element. */
  public static final int LIMBS = 4;

  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Montgomery() {}

  /**
   * Writes the element whose value is the unsigned 64-bit integer v.
   *
   * @param v the value (all 64 bits are magnitude)
   * @param dst destination
   * @param off offset of limb 0
   */
  public static void fromUnsignedLong(long v, long[] dst, int off) {
    mul(v, 0, 0, 0, R_SQUARED[0], R_SQUARED[1], R_SQUARED[2], R_SQUARED[3], dst, off);
  }

  /**
   * Writes the embedding {@code v mod r} of a signed 64-bit integer (−1 is r − 1).
   *
   * @param v the value
   * @param dst destination
   * @param off offset of limb 0
   */
  public static void fromLong(long v, long[] dst, int off) {
    if (v >= 0) {
      fromUnsignedLong(v, dst, off);
    } else {
      fromUnsignedLong(-v, dst, off); // -Long.MIN_VALUE is 2^63 read unsigned
      negate(dst, off);
    }
  }

  /**
   * Writes the element whose value is the big-endian unsigned integer {@code b[off .. off+len)},
   * which must be at most 24 bytes (below 2^192, so below r), for example a 20-byte L1 address.
   *
   * @param b source
   * @param off offset of the first byte
   * @param len number of bytes, 0 to 24
   * @param dst destination limbs
   * @param dstOff offset of limb 0
   */
  public static void fromShortBytes(byte[] b, int off, int len, long[] dst, int dstOff) {
    if (len < 0 || len > 24) {
      throw new IllegalArgumentException("at most 24 bytes, got " + len);
    }
    long p0 = 0;
    long p1 = 0;
    long p2 = 0;
    for (int i = 0; i < len; i++) {
      p2 = (p2 << 8) | (p1 >>> 56);
      p1 = (p1 << 8) | (p0 >>> 56);
      p0 = (p0 << 8) | (b[off + i] & 0xffL);
    }
    mul(p0, p1, p2, 0, R_SQUARED[0], R_SQUARED[1], R_SQUARED[2], R_SQUARED[3], dst, dstOff);
  }

  /**
   * Parses a canonical 32-byte big-endian encoding at {@code b[off .. off+32)}.
   *
   * @param b source
   * @param off offset of the encoding
   * @param dst destination limbs
   * @param dstOff offset of limb 0
   * @return false, writing nothing, if the value is not below r
   */
  public static boolean fromCanonicalBytes(byte[] b, int off, long[] dst, int dstOff) {
    long p3 = (long) BIG_ENDIAN_LONG.get(b, off);
    long p2 = (long) BIG_ENDIAN_LONG.get(b, off + 8);
    long p1 = (long) BIG_ENDIAN_LONG.get(b, off + 16);
    long p0 = (long) BIG_ENDIAN_LONG.get(b, off + 24);
    if (!lessThanModulus(p0, p1, p2, p3)) {
      return false;
    }
    mul(p0, p1, p2, p3, R_SQUARED[0], R_SQUARED[1], R_SQUARED[2], R_SQUARED[3], dst, dstOff);
    return true;
  }

  /**
   * Writes the canonical 32-byte big-endian encoding of an element.
   *
   * @param src limbs
   * @param off offset of limb 0
   * @param dst destination bytes
   * @param dstOff where to write the 32 bytes
   * @param scratch four longs of working space
   */
  public static void toCanonicalBytes(long[] src, int off, byte[] dst, int dstOff, long[] scratch) {
    toCanonicalLimbs(src, off, scratch, 0);
    BIG_ENDIAN_LONG.set(dst, dstOff, scratch[3]);
    BIG_ENDIAN_LONG.set(dst, dstOff + 8, scratch[2]);
    BIG_ENDIAN_LONG.set(dst, dstOff + 16, scratch[1]);
    BIG_ENDIAN_LONG.set(dst, dstOff + 24, scratch[0]);
  }

  /**
   * Writes the element's value (leaving Montgomery form) as four limbs, least significant first.
   *
   * @param src limbs in Montgomery form
   * @param off offset of limb 0
   * @param dst destination for the plain limbs
   * @param dstOff offset in dst
   */
  public static void toCanonicalLimbs(long[] src, int off, long[] dst, int dstOff) {
    mul(src[off], src[off + 1], src[off + 2], src[off + 3], 1, 0, 0, 0, dst, dstOff);
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
   * Whether an element is zero.
   *
   * @param a array
   * @param off offset of limb 0
   * @return true iff zero
   */
  public static boolean isZero(long[] a, int off) {
    return (a[off] | a[off + 1] | a[off + 2] | a[off + 3]) == 0;
  }

  /**
   * z = −z in place.
   *
   * @param z the element
   * @param off offset of limb 0
   */
  public static void negate(long[] z, int off) {
    if (!isZero(z, off)) {
      long[] q = {Q0, Q1, Q2, Q3};
      sub(z, off, q, 0, z, off);
    }
  }

  /**
   * z = x·y (Montgomery product), the four limbs of each operand given at the offsets.
   *
   * @param z destination array
   * @param zo offset of the destination element
   * @param x first operand array
   * @param xo offset of the first operand
   * @param y second operand array
   * @param yo offset of the second operand
   */
  public static void mul(long[] z, int zo, long[] x, int xo, long[] y, int yo) {
    mul(x[xo], x[xo + 1], x[xo + 2], x[xo + 3], y[yo], y[yo + 1], y[yo + 2], y[yo + 3], z, zo);
  }

  /**
   * z = x² (Montgomery product of x with itself).
   *
   * @param z destination array
   * @param zo offset of the destination element
   * @param x operand array
   * @param xo offset of the operand
   */
  public static void square(long[] z, int zo, long[] x, int xo) {
    long x0 = x[xo];
    long x1 = x[xo + 1];
    long x2 = x[xo + 2];
    long x3 = x[xo + 3];
    mul(x0, x1, x2, x3, x0, x1, x2, x3, z, zo);
  }

  /**
   * Montgomery product of two elements given as limbs, written to z at zo. This is the no-carry
   * variant of the CIOS algorithm, valid because the top limb of r is below 2^63 − 1 (the same
   * algorithm gnark-crypto uses).
   *
   * @param x0 limb 0 of x
   * @param x1 limb 1 of x
   * @param x2 limb 2 of x
   * @param x3 limb 3 of x
   * @param y0 limb 0 of y
   * @param y1 limb 1 of y
   * @param y2 limb 2 of y
   * @param y3 limb 3 of y
   * @param z destination array
   * @param zo offset of the destination element
   */
  public static void mul(
      long x0, long x1, long x2, long x3, long y0, long y1, long y2, long y3, long[] z, int zo) {
    long t0;
    long t1;
    long t2;
    long t3;
    long a;
    long c;
    long m;
    long lo;
    long hi;
    long s;
    // round 0
    t0 = x0 * y0;
    a = Math.unsignedMultiplyHigh(x0, y0);
    m = t0 * Q_INV_NEG;
    lo = m * Q0;
    hi = Math.unsignedMultiplyHigh(m, Q0);
    s = lo + t0;
    c = hi + (Long.compareUnsigned(s, lo) < 0 ? 1 : 0);
    lo = x1 * y0;
    hi = Math.unsignedMultiplyHigh(x1, y0);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    t1 = s;
    a = hi;
    lo = m * Q1;
    hi = Math.unsignedMultiplyHigh(m, Q1);
    s = lo + t1;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t0 = s;
    c = hi;
    lo = x2 * y0;
    hi = Math.unsignedMultiplyHigh(x2, y0);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    t2 = s;
    a = hi;
    lo = m * Q2;
    hi = Math.unsignedMultiplyHigh(m, Q2);
    s = lo + t2;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t1 = s;
    c = hi;
    lo = x3 * y0;
    hi = Math.unsignedMultiplyHigh(x3, y0);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    t3 = s;
    a = hi;
    lo = m * Q3;
    hi = Math.unsignedMultiplyHigh(m, Q3);
    s = lo + t3;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t2 = s;
    c = hi;
    t3 = c + a;
    // round 1
    lo = x0 * y1;
    hi = Math.unsignedMultiplyHigh(x0, y1);
    s = lo + t0;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    t0 = s;
    a = hi;
    m = t0 * Q_INV_NEG;
    lo = m * Q0;
    hi = Math.unsignedMultiplyHigh(m, Q0);
    s = lo + t0;
    c = hi + (Long.compareUnsigned(s, lo) < 0 ? 1 : 0);
    lo = x1 * y1;
    hi = Math.unsignedMultiplyHigh(x1, y1);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + t1;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t1 = s;
    a = hi;
    lo = m * Q1;
    hi = Math.unsignedMultiplyHigh(m, Q1);
    s = lo + t1;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t0 = s;
    c = hi;
    lo = x2 * y1;
    hi = Math.unsignedMultiplyHigh(x2, y1);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + t2;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t2 = s;
    a = hi;
    lo = m * Q2;
    hi = Math.unsignedMultiplyHigh(m, Q2);
    s = lo + t2;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t1 = s;
    c = hi;
    lo = x3 * y1;
    hi = Math.unsignedMultiplyHigh(x3, y1);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + t3;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t3 = s;
    a = hi;
    lo = m * Q3;
    hi = Math.unsignedMultiplyHigh(m, Q3);
    s = lo + t3;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t2 = s;
    c = hi;
    t3 = c + a;
    // round 2
    lo = x0 * y2;
    hi = Math.unsignedMultiplyHigh(x0, y2);
    s = lo + t0;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    t0 = s;
    a = hi;
    m = t0 * Q_INV_NEG;
    lo = m * Q0;
    hi = Math.unsignedMultiplyHigh(m, Q0);
    s = lo + t0;
    c = hi + (Long.compareUnsigned(s, lo) < 0 ? 1 : 0);
    lo = x1 * y2;
    hi = Math.unsignedMultiplyHigh(x1, y2);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + t1;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t1 = s;
    a = hi;
    lo = m * Q1;
    hi = Math.unsignedMultiplyHigh(m, Q1);
    s = lo + t1;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t0 = s;
    c = hi;
    lo = x2 * y2;
    hi = Math.unsignedMultiplyHigh(x2, y2);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + t2;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t2 = s;
    a = hi;
    lo = m * Q2;
    hi = Math.unsignedMultiplyHigh(m, Q2);
    s = lo + t2;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t1 = s;
    c = hi;
    lo = x3 * y2;
    hi = Math.unsignedMultiplyHigh(x3, y2);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + t3;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t3 = s;
    a = hi;
    lo = m * Q3;
    hi = Math.unsignedMultiplyHigh(m, Q3);
    s = lo + t3;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t2 = s;
    c = hi;
    t3 = c + a;
    // round 3
    lo = x0 * y3;
    hi = Math.unsignedMultiplyHigh(x0, y3);
    s = lo + t0;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    t0 = s;
    a = hi;
    m = t0 * Q_INV_NEG;
    lo = m * Q0;
    hi = Math.unsignedMultiplyHigh(m, Q0);
    s = lo + t0;
    c = hi + (Long.compareUnsigned(s, lo) < 0 ? 1 : 0);
    lo = x1 * y3;
    hi = Math.unsignedMultiplyHigh(x1, y3);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + t1;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t1 = s;
    a = hi;
    lo = m * Q1;
    hi = Math.unsignedMultiplyHigh(m, Q1);
    s = lo + t1;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t0 = s;
    c = hi;
    lo = x2 * y3;
    hi = Math.unsignedMultiplyHigh(x2, y3);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + t2;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t2 = s;
    a = hi;
    lo = m * Q2;
    hi = Math.unsignedMultiplyHigh(m, Q2);
    s = lo + t2;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t1 = s;
    c = hi;
    lo = x3 * y3;
    hi = Math.unsignedMultiplyHigh(x3, y3);
    s = lo + a;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + t3;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t3 = s;
    a = hi;
    lo = m * Q3;
    hi = Math.unsignedMultiplyHigh(m, Q3);
    s = lo + t3;
    hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
    lo = s + c;
    hi += Long.compareUnsigned(lo, s) < 0 ? 1 : 0;
    s = lo;
    t2 = s;
    c = hi;
    t3 = c + a;

    reduceInto(t0, t1, t2, t3, z, zo);
  }

  /**
   * z = x + y.
   *
   * @param z destination array
   * @param zo offset of the destination element
   * @param x first operand array
   * @param xo offset of the first operand
   * @param y second operand array
   * @param yo offset of the second operand
   */
  public static void add(long[] z, int zo, long[] x, int xo, long[] y, int yo) {
    // r < 2^254, so x + y < 2^255 never carries out of the top limb.
    long x0 = x[xo];
    long y0 = y[yo];
    long s0 = x0 + y0;
    long c = ((x0 & y0) | ((x0 | y0) & ~s0)) >>> 63;
    long x1 = x[xo + 1];
    long y1 = y[yo + 1];
    long u1 = x1 + y1;
    long c1 = ((x1 & y1) | ((x1 | y1) & ~u1)) >>> 63;
    long s1 = u1 + c;
    c = c1 | ((u1 & ~s1) >>> 63);
    long x2 = x[xo + 2];
    long y2 = y[yo + 2];
    long u2 = x2 + y2;
    long c2 = ((x2 & y2) | ((x2 | y2) & ~u2)) >>> 63;
    long s2 = u2 + c;
    c = c2 | ((u2 & ~s2) >>> 63);
    long s3 = x[xo + 3] + y[yo + 3] + c;
    reduceInto(s0, s1, s2, s3, z, zo);
  }

  /**
   * z = 2x.
   *
   * @param z destination array
   * @param zo offset of the destination element
   * @param x operand array
   * @param xo offset of the operand
   */
  public static void dbl(long[] z, int zo, long[] x, int xo) {
    long x0 = x[xo];
    long x1 = x[xo + 1];
    long x2 = x[xo + 2];
    long x3 = x[xo + 3];
    reduceInto(
        x0 << 1, (x1 << 1) | (x0 >>> 63), (x2 << 1) | (x1 >>> 63), (x3 << 1) | (x2 >>> 63), z, zo);
  }

  /**
   * z = x − y.
   *
   * @param z destination array
   * @param zo offset of the destination element
   * @param x minuend array
   * @param xo offset of the minuend
   * @param y subtrahend array
   * @param yo offset of the subtrahend
   */
  public static void sub(long[] z, int zo, long[] x, int xo, long[] y, int yo) {
    long x0 = x[xo];
    long y0 = y[yo];
    long d0 = x0 - y0;
    long b = ((~x0 & y0) | (~(x0 ^ y0) & d0)) >>> 63;
    long x1 = x[xo + 1];
    long y1 = y[yo + 1];
    long e1 = x1 - y1;
    long b1 = ((~x1 & y1) | (~(x1 ^ y1) & e1)) >>> 63;
    long d1 = e1 - b;
    b = b1 | ((~e1 & d1) >>> 63);
    long x2 = x[xo + 2];
    long y2 = y[yo + 2];
    long e2 = x2 - y2;
    long b2 = ((~x2 & y2) | (~(x2 ^ y2) & e2)) >>> 63;
    long d2 = e2 - b;
    b = b2 | ((~e2 & d2) >>> 63);
    long x3 = x[xo + 3];
    long y3 = y[yo + 3];
    long e3 = x3 - y3;
    long b3 = ((~x3 & y3) | (~(x3 ^ y3) & e3)) >>> 63;
    long d3 = e3 - b;
    b = b3 | ((~e3 & d3) >>> 63);
    if (b != 0) {
      // add r back; the result is below r and the final carry out is discarded
      long s0 = d0 + Q0;
      long c = ((d0 & Q0) | ((d0 | Q0) & ~s0)) >>> 63;
      long u1 = d1 + Q1;
      long c1 = ((d1 & Q1) | ((d1 | Q1) & ~u1)) >>> 63;
      long s1 = u1 + c;
      c = c1 | ((u1 & ~s1) >>> 63);
      long u2 = d2 + Q2;
      long c2 = ((d2 & Q2) | ((d2 | Q2) & ~u2)) >>> 63;
      long s2 = u2 + c;
      c = c2 | ((u2 & ~s2) >>> 63);
      d0 = s0;
      d1 = s1;
      d2 = s2;
      d3 = d3 + Q3 + c;
    }
    z[zo] = d0;
    z[zo + 1] = d1;
    z[zo + 2] = d2;
    z[zo + 3] = d3;
  }

  /**
   * Writes t to z, subtracting r once if t ≥ r. Requires t &lt; 2r.
   *
   * @param t0 limb 0
   * @param t1 limb 1
   * @param t2 limb 2
   * @param t3 limb 3
   * @param z destination array
   * @param zo offset of the destination element
   */
  static void reduceInto(long t0, long t1, long t2, long t3, long[] z, int zo) {
    if (!lessThanModulus(t0, t1, t2, t3)) {
      long d0 = t0 - Q0;
      long b = ((~t0 & Q0) | (~(t0 ^ Q0) & d0)) >>> 63;
      long e1 = t1 - Q1;
      long b1 = ((~t1 & Q1) | (~(t1 ^ Q1) & e1)) >>> 63;
      long d1 = e1 - b;
      b = b1 | ((~e1 & d1) >>> 63);
      long e2 = t2 - Q2;
      long b2 = ((~t2 & Q2) | (~(t2 ^ Q2) & e2)) >>> 63;
      long d2 = e2 - b;
      b = b2 | ((~e2 & d2) >>> 63);
      t0 = d0;
      t1 = d1;
      t2 = d2;
      t3 = t3 - Q3 - b;
    }
    z[zo] = t0;
    z[zo + 1] = t1;
    z[zo + 2] = t2;
    z[zo + 3] = t3;
  }

  /**
   * Whether the 256-bit unsigned integer t (least significant limb first) is below r.
   *
   * @param t0 limb 0
   * @param t1 limb 1
   * @param t2 limb 2
   * @param t3 limb 3
   * @return t &lt; r
   */
  static boolean lessThanModulus(long t0, long t1, long t2, long t3) {
    if (t3 != Q3) {
      return Long.compareUnsigned(t3, Q3) < 0;
    }
    if (t2 != Q2) {
      return Long.compareUnsigned(t2, Q2) < 0;
    }
    if (t1 != Q1) {
      return Long.compareUnsigned(t1, Q1) < 0;
    }
    return Long.compareUnsigned(t0, Q0) < 0;
  }
}
