package io.zkperp.protocol.eddsa;

import java.math.BigInteger;

/** Plain (non-Montgomery) little-endian limb forms of scalars for the multiplication ladders. */
final class Scalars {
  private static final BigInteger MASK = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private Scalars() {}

  static long[] limbs(BigInteger k) {
    int n = Math.max(1, (k.bitLength() + 63) / 64);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = k.shiftRight(64 * i).and(MASK).longValue();
    }
    return out;
  }

  /** Big-endian bytes to little-endian limbs, without BigInteger. */
  static long[] fromBigEndian(byte[] b, int off, int len) {
    long[] out = new long[(len + 7) / 8];
    for (int i = 0; i < len; i++) {
      int bitPos = (len - 1 - i) * 8;
      out[bitPos >>> 6] |= (b[off + i] & 0xffL) << (bitPos & 63);
    }
    return out;
  }

  /** Unsigned comparison of little-endian limb arrays. */
  static int compare(long[] a, long[] b) {
    int n = Math.max(a.length, b.length);
    for (int i = n - 1; i >= 0; i--) {
      long ai = i < a.length ? a[i] : 0;
      long bi = i < b.length ? b[i] : 0;
      if (ai != bi) {
        return Long.compareUnsigned(ai, bi);
      }
    }
    return 0;
  }

  static boolean isZero(long[] a) {
    for (long v : a) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }
}
