package io.zkperp.sequencer.risk.funding;

import io.zkperp.protocol.risk.RiskMath;

/**
 * A book's impact bid and ask (dYdX v4): the average price at which a market order of the impact
 * notional would fill, walking the levels best first — selling into the bids for the impact bid,
 * buying from the asks for the impact ask. A side without enough depth for the whole notional has
 * no impact price (0 here); it then contributes nothing to the premium.
 *
 * <p>Exact arithmetic. With N the impact notional (collateral quanta), the walk takes whole levels
 * while their notional {@code price · size} is below what is left of N; the level that reaches N
 * (price p_last) is taken fractionally, for the rest R. With S the size of the whole levels taken:
 *
 * <pre>
 *   impact = N / (S + R / p_last) = N · p_last / (S · p_last + R)        (order-price units)
 *   impact (32.32) = N · p_last · 2^32 / (S · p_last + R)                (128-bit, one division)
 * </pre>
 *
 * The impact bid is rounded down and the impact ask up — both away from the mid, which can only
 * move the premium toward 0, never create one. Immutable; any thread.
 *
 * @param bid the impact bid, 32.32 fixed point, or 0 if the bids cannot absorb the notional
 * @param ask the impact ask, 32.32 fixed point, or 0 if the asks cannot fill the notional
 */
public record ImpactPrices(long bid, long ask) {
  /** The largest order price the walk accepts: prices must stay below 2^31 (32.32 range). */
  public static final long MAX_LEVEL_PRICE = (1L << (63 - RiskMath.PRICE_FRACTION_BITS)) - 1;

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if a price is negative
   */
  public ImpactPrices {
    if (bid < 0 || ask < 0) {
      throw new IllegalArgumentException("impact prices are ≥ 0 (0 = none): " + bid + ", " + ask);
    }
  }

  /**
   * Whether the bids could absorb the impact notional.
   *
   * @return true if {@link #bid()} is present
   */
  public boolean hasBid() {
    return bid != 0;
  }

  /**
   * Whether the asks could fill the impact notional.
   *
   * @return true if {@link #ask()} is present
   */
  public boolean hasAsk() {
    return ask != 0;
  }

  /**
   * The impact notional of a market: {@code floor(impactCollateral · 10^6 / imfPpm)} (dYdX v4: 500
   * USDC / IMF).
   *
   * @param impactCollateral collateral quanta (&gt; 0)
   * @param initialMarginPpm the market's base initial margin fraction (1 to 10^6)
   * @return the notional, collateral quanta
   * @throws ArithmeticException if an argument is out of range or the notional overflows
   */
  public static long impactNotional(long impactCollateral, long initialMarginPpm) {
    if (impactCollateral <= 0 || initialMarginPpm <= 0 || initialMarginPpm > RiskMath.PPM) {
      throw new ArithmeticException(
          "impact collateral must be > 0 and IMF 1 to 10^6 ppm: "
              + impactCollateral
              + ", "
              + initialMarginPpm);
    }
    return Wide.mulDivFloor(impactCollateral, RiskMath.PPM, initialMarginPpm);
  }

  /**
   * Computes the impact prices of a book. Core thread (the book's).
   *
   * @param book the book's depth
   * @param impactNotional the impact notional N, collateral quanta (&gt; 0)
   * @return the impact bid and ask
   * @throws IllegalArgumentException if N ≤ 0, or a walked level breaks the {@link BookDepthView}
   *     contract (price or size ≤ 0, price above {@link #MAX_LEVEL_PRICE}, levels not strictly best
   *     first)
   */
  public static ImpactPrices compute(BookDepthView book, long impactNotional) {
    if (impactNotional <= 0) {
      throw new IllegalArgumentException("impact notional must be > 0: " + impactNotional);
    }
    return new ImpactPrices(walk(book, true, impactNotional), walk(book, false, impactNotional));
  }

  private static long walk(BookDepthView book, boolean bids, long notional) {
    Walk w = new Walk(bids, notional);
    book.forEachLevel(bids, w);
    if (w.lastPrice == 0) {
      return 0; // not enough depth
    }
    // impact = N · p_last · 2^32 / (S · p_last + R)
    long nHi = Math.multiplyHigh(notional, w.lastPrice);
    long nLo = notional * w.lastPrice;
    nHi = (nHi << RiskMath.PRICE_FRACTION_BITS) | (nLo >>> (64 - RiskMath.PRICE_FRACTION_BITS));
    nLo = nLo << RiskMath.PRICE_FRACTION_BITS;
    long dHi = Math.multiplyHigh(w.wholeSize, w.lastPrice);
    long dLo = w.wholeSize * w.lastPrice;
    long sum = dLo + w.rest;
    if (Long.compareUnsigned(sum, dLo) < 0) {
      dHi++;
    }
    return Wide.divide(nHi, nLo, dHi, sum, !bids);
  }

  /** The level walk of one side. */
  private static final class Walk implements BookDepthView.LevelVisitor {
    final boolean bids;
    long left;
    long wholeSize;
    long lastPrice;
    long rest;
    long previous;

    Walk(boolean bids, long notional) {
      this.bids = bids;
      this.left = notional;
    }

    @Override
    public boolean visit(long price, long size) {
      if (price <= 0 || price > MAX_LEVEL_PRICE || size <= 0) {
        throw new IllegalArgumentException(
            "bad "
                + (bids ? "bid" : "ask")
                + " level: "
                + size
                + " @ "
                + price
                + " (price 1 to "
                + MAX_LEVEL_PRICE
                + ", size > 0)");
      }
      if (previous != 0 && (bids ? price >= previous : price <= previous)) {
        throw new IllegalArgumentException(
            (bids ? "bid" : "ask")
                + " levels are not strictly best first: "
                + price
                + " after "
                + previous);
      }
      previous = price;
      long hi = Math.multiplyHigh(price, size);
      long levelNotional = price * size;
      if (hi == 0 && levelNotional >= 0 && levelNotional < left) {
        left -= levelNotional;
        wholeSize += size; // Σ size ≤ Σ price · size < N: no overflow
        return true;
      }
      lastPrice = price;
      rest = left;
      return false;
    }
  }

  /**
   * The premium of this book against an index (oracle) price, in parts per million (dYdX v4):
   *
   * <pre>
   *   premium = (max(0, impactBid − index) − max(0, index − impactAsk)) / index
   *   premiumPpm = floor(max(0, bid − index) · 10^6 / index) − floor(max(0, index − ask) · 10^6 / index)
   * </pre>
   *
   * Each term is rounded toward zero, so the premium is rounded toward zero (in an uncrossed book
   * at most one term is non-zero). A missing side contributes 0. A term too large for a {@code
   * long} saturates at {@link Long#MAX_VALUE} (the sampler clamps every sample far below). Any
   * thread.
   *
   * @param index the oracle price, 32.32 (&gt; 0)
   * @return the premium, ppm (positive: the book trades above the index, longs pay)
   * @throws IllegalArgumentException if index ≤ 0
   */
  public long premiumPpm(long index) {
    if (index <= 0) {
      throw new IllegalArgumentException("index price must be > 0: " + index);
    }
    long up = hasBid() && bid > index ? ratioPpm(bid - index, index) : 0;
    long down = hasAsk() && ask < index ? ratioPpm(index - ask, index) : 0;
    return up - down;
  }

  private static long ratioPpm(long diff, long index) {
    try {
      return Wide.mulDivFloor(diff, RiskMath.PPM, index);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
