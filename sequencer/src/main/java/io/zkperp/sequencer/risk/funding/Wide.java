package io.zkperp.sequencer.risk.funding;

/**
 * Unsigned 128-bit helpers for the exact products and quotients of funding (no floating point, no
 * BigInteger). A 128-bit value is a pair (hi, lo) of longs read as one unsigned integer. Stateless;
 * any thread.
 */
final class Wide {
  private Wide() {}

  /**
   * floor(a · b / c) for a, b ≥ 0 and c &gt; 0.
   *
   * @throws ArithmeticException if an argument is out of range or the quotient is ≥ 2^63
   */
  static long mulDivFloor(long a, long b, long c) {
    if (a < 0 || b < 0 || c <= 0) {
      throw new ArithmeticException("mulDiv needs a, b ≥ 0 and c > 0: " + a + ", " + b + ", " + c);
    }
    return divide(Math.multiplyHigh(a, b), a * b, 0, c, false);
  }

  /**
   * ceil(a · b / c) for a, b ≥ 0 and c &gt; 0.
   *
   * @throws ArithmeticException if an argument is out of range or the quotient is ≥ 2^63
   */
  static long mulDivCeil(long a, long b, long c) {
    if (a < 0 || b < 0 || c <= 0) {
      throw new ArithmeticException("mulDiv needs a, b ≥ 0 and c > 0: " + a + ", " + b + ", " + c);
    }
    return divide(Math.multiplyHigh(a, b), a * b, 0, c, true);
  }

  /**
   * The quotient of two unsigned 128-bit values by restoring binary long division (128 steps),
   * rounded down or up.
   *
   * @param nHi numerator, high 64 bits (&lt; 2^63: the numerator is below 2^127)
   * @param nLo numerator, low 64 bits
   * @param dHi divisor, high 64 bits (&lt; 2^63)
   * @param dLo divisor, low 64 bits; the divisor is not 0
   * @param ceil round up instead of down
   * @return the quotient
   * @throws ArithmeticException if the divisor is 0 or the quotient is ≥ 2^63
   */
  static long divide(long nHi, long nLo, long dHi, long dLo, boolean ceil) {
    if (nHi < 0 || dHi < 0 || (dHi == 0 && dLo == 0)) {
      throw new ArithmeticException("128-bit division out of range");
    }
    long rHi = 0;
    long rLo = 0;
    long q = 0;
    for (int i = 127; i >= 0; i--) {
      long bit = i >= 64 ? (nHi >>> (i - 64)) & 1 : (nLo >>> i) & 1;
      // r < d < 2^127 before the shift, so 2r + 1 < 2^128 fits
      rHi = (rHi << 1) | (rLo >>> 63);
      rLo = (rLo << 1) | bit;
      if (compare(rHi, rLo, dHi, dLo) >= 0) {
        long lo = rLo - dLo;
        rHi = rHi - dHi - (Long.compareUnsigned(rLo, dLo) < 0 ? 1 : 0);
        rLo = lo;
        if (i >= 63) {
          throw new ArithmeticException("quotient does not fit in 63 bits");
        }
        q |= 1L << i;
      }
    }
    if (ceil && (rHi | rLo) != 0) {
      return Math.addExact(q, 1);
    }
    return q;
  }

  /** Unsigned comparison of two 128-bit values. */
  static int compare(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compareUnsigned(aHi, bHi);
    return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
  }
}
