package io.zkperp.protocol.risk;

import io.zkperp.protocol.state.MarketRisk;

/**
 * Exact integer arithmetic of the risk engine. Prices are the state layout's fixed point with
 * {@value #PRICE_FRACTION_BITS} fractional bits (collateral quanta per synthetic quantum times
 * 2^32); sizes are synthetic quanta; fractions are parts per million. Products go through 128 bits
 * ({@link Math#multiplyHigh}); every result that does not fit in a {@code long} throws {@link
 * ArithmeticException} instead of wrapping. Rounding: values counted for the account (equity,
 * rebates) round down, amounts required of or charged to the account (notional, margin, fees) round
 * up, so rounding never creates collateral. Stateless; any thread.
 */
public final class RiskMath {
  /** Fractional bits of a fixed-point price. */
  public static final int PRICE_FRACTION_BITS = 32;

  /** One, in parts per million. */
  public static final long PPM = 1_000_000;

  private static final long FRACTION_MASK = (1L << PRICE_FRACTION_BITS) - 1;

  private RiskMath() {}

  /**
   * The value of a signed position: floor(size · price / 2^32), rounded toward −∞ (down for longs
   * and shorts alike).
   *
   * @param size signed size in synthetic quanta
   * @param price fixed-point price (any sign: also used for funding-index differences)
   * @return collateral quanta
   * @throws ArithmeticException if the value leaves the {@code long} range
   */
  public static long value(long size, long price) {
    long hi = Math.multiplyHigh(size, price);
    long lo = size * price;
    long r = (hi << (64 - PRICE_FRACTION_BITS)) | (lo >>> PRICE_FRACTION_BITS);
    if ((hi >> PRICE_FRACTION_BITS) != (r >> 63)) {
      throw new ArithmeticException("position value out of range: " + size + " × " + price);
    }
    return r;
  }

  /**
   * The notional of a position: ceil(|size| · price / 2^32).
   *
   * @param size signed size
   * @param price fixed-point price (≥ 0)
   * @return collateral quanta (≥ 0)
   * @throws ArithmeticException if out of range
   */
  public static long notional(long size, long price) {
    long a = Math.absExact(size);
    long hi = Math.multiplyHigh(a, price);
    long lo = a * price;
    if ((hi >>> (PRICE_FRACTION_BITS - 1)) != 0) {
      throw new ArithmeticException("notional out of range: " + size + " × " + price);
    }
    long r = (hi << (64 - PRICE_FRACTION_BITS)) | (lo >>> PRICE_FRACTION_BITS);
    return (lo & FRACTION_MASK) == 0 ? r : Math.addExact(r, 1);
  }

  /**
   * ceil(amount · ppm / 10^6), exact for amount ≥ 0 and 0 ≤ ppm ≤ 10^6.
   *
   * @param amount ≥ 0
   * @param ppm parts per million, 0 to 10^6
   * @return the product rounded up
   * @throws ArithmeticException if out of range
   */
  public static long mulPpmUp(long amount, long ppm) {
    long q = amount / PPM;
    long r = amount % PPM;
    return Math.addExact(Math.multiplyExact(q, ppm), Math.ceilDiv(r * ppm, PPM));
  }

  /**
   * floor(amount · ppm / 10^6), exact for amount ≥ 0 and 0 ≤ ppm ≤ 10^6.
   *
   * @param amount ≥ 0
   * @param ppm parts per million, 0 to 10^6
   * @return the product rounded down
   * @throws ArithmeticException if out of range
   */
  public static long mulPpmDown(long amount, long ppm) {
    long q = amount / PPM;
    long r = amount % PPM;
    return Math.addExact(Math.multiplyExact(q, ppm), r * ppm / PPM);
  }

  /**
   * The fee on a fill of the given notional: a charge (ppm &gt; 0) rounds up, a rebate (ppm &lt; 0)
   * rounds down in magnitude.
   *
   * @param notional the fill's price · size (≥ 0)
   * @param ppm the fee rate, −10^6 to 10^6 (negative = rebate)
   * @return the amount charged (negative = paid out)
   */
  public static long fee(long notional, long ppm) {
    return ppm >= 0 ? mulPpmUp(notional, ppm) : -mulPpmDown(notional, -ppm);
  }

  /**
   * The initial margin fraction of a position of size |size| (dYdX v3): {@code min(10^6, imf +
   * incrementalImf · ceil(max(0, |size| − baseline) / incrementalSize))}.
   *
   * @param absSize |size|
   * @param p the market's parameters
   * @return parts per million
   */
  public static long initialMarginPpm(long absSize, MarketRisk p) {
    long above = absSize - p.baselinePositionSize();
    if (above <= 0 || p.incrementalInitialMarginPpm() == 0) {
      return p.initialMarginPpm();
    }
    long steps = Math.ceilDiv(above, p.incrementalPositionSize());
    if (steps >= PPM) {
      return PPM;
    }
    return Math.min(PPM, p.initialMarginPpm() + steps * p.incrementalInitialMarginPpm());
  }

  /**
   * The initial margin requirement of a position: {@code ceil(notional · imf(|size|) / 10^6)}.
   *
   * @param size signed size
   * @param price fixed-point price
   * @param p the market's parameters
   * @return collateral quanta
   */
  public static long initialRequirement(long size, long price, MarketRisk p) {
    return mulPpmUp(notional(size, price), initialMarginPpm(Math.absExact(size), p));
  }

  /**
   * The maintenance margin requirement of a position: {@code ceil(notional · mmf / 10^6)}.
   *
   * @param size signed size
   * @param price fixed-point price
   * @param p the market's parameters
   * @return collateral quanta
   */
  public static long maintenanceRequirement(long size, long price, MarketRisk p) {
    return mulPpmUp(notional(size, price), p.maintenanceMarginPpm());
  }

  /**
   * The funding credit of a position since its snapshot: {@code floor(−(index − snapshot) · size /
   * 2^32)} — what is added to the account's collateral when funding is settled (negative = paid). A
   * positive index change makes longs pay. Rounded down, so an account never receives more than the
   * exact amount and pays at least it: funding never creates collateral.
   *
   * @param size signed size
   * @param snapshot the position's funding-index snapshot
   * @param index the market's funding index
   * @return collateral quanta
   * @throws ArithmeticException if out of range
   */
  public static long fundingCredit(long size, long snapshot, long index) {
    if (index == snapshot) {
      return 0;
    }
    return value(Math.negateExact(size), Math.subtractExact(index, snapshot));
  }

  /**
   * Compares a·b with c·d exactly (128-bit products).
   *
   * @param a factor
   * @param b factor
   * @param c factor
   * @param d factor
   * @return negative, zero or positive as a·b is below, equal to or above c·d
   */
  public static int compareProducts(long a, long b, long c, long d) {
    long h1 = Math.multiplyHigh(a, b);
    long h2 = Math.multiplyHigh(c, d);
    if (h1 != h2) {
      return Long.compare(h1, h2);
    }
    return Long.compareUnsigned(a * b, c * d);
  }

  /**
   * An order price (collateral quanta per synthetic quantum) as a fixed-point price.
   *
   * @param price ≥ 0, below 2^31
   * @return price · 2^32
   * @throws ArithmeticException if price ≥ 2^31
   */
  public static long toFixed(long price) {
    if (price < 0 || price >= 1L << (63 - PRICE_FRACTION_BITS)) {
      throw new ArithmeticException("price " + price + " is out of the fixed-point range");
    }
    return price << PRICE_FRACTION_BITS;
  }

  /**
   * A position's cost basis after a trade of {@code delta} at {@code price}: increasing adds delta
   * · price; reducing keeps the cost per unit (cost · |s₁| / |s₀|, truncated toward 0); flipping
   * restarts at s₁ · price; closing gives 0. The cost saturates instead of overflowing (it only
   * ranks deleveraging candidates; no collateral depends on it). Shared by the engine and by read
   * models rebuilt from its records, so both keep it alike. Any thread.
   *
   * @param sizeBefore the signed size before the trade
   * @param costBefore the cost basis before the trade
   * @param delta the signed size traded
   * @param price the trade price
   * @return the cost basis after it
   */
  public static long costBasisAfterTrade(long sizeBefore, long costBefore, long delta, long price) {
    long s0 = sizeBefore;
    long s1 = Math.addExact(s0, delta);
    if (s0 == 0 || Long.signum(s0) == Long.signum(delta)) {
      return saturatingAdd(costBefore, saturatingMultiply(delta, price));
    } else if (s1 == 0) {
      return 0;
    } else if (Long.signum(s1) == Long.signum(s0)) {
      return scale(costBefore, Math.abs(s1), Math.abs(s0));
    } else {
      return saturatingMultiply(s1, price);
    }
  }

  private static long scale(long c, long num, long den) {
    long hi = Math.multiplyHigh(c, num);
    long lo = c * num;
    if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
      return lo / den;
    }
    return java.math.BigInteger.valueOf(c)
        .multiply(java.math.BigInteger.valueOf(num))
        .divide(java.math.BigInteger.valueOf(den))
        .longValue();
  }

  private static long saturatingMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
      return lo;
    }
    return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
  }

  private static long saturatingAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }
}
