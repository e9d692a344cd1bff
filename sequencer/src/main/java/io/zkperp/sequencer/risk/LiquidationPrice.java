package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

/**
 * The liquidation price of one position: the oracle price of its market at which the account
 * becomes liquidatable by the engine's own rule ({@code AccountBook.liquidatable}: equity &lt; Σ
 * maintenance requirements), every other position held at its current oracle price and the pending
 * funding unchanged. Computed only with {@link RiskMath}'s functions, so it agrees with the engine
 * to the last fixed-point unit.
 *
 * <p>Definition (prices in the engine's 32.32 fixed point):
 *
 * <ul>
 *   <li>a long: the <em>highest</em> price P at which the account is liquidatable (at P + 1 it is
 *       not), or none when it is not liquidatable even at price 0;
 *   <li>a short: the <em>lowest</em> price P at which the account is liquidatable (at P − 1 it is
 *       not), or none when it is not liquidatable at any price up to {@link #MAX_PRICE}.
 * </ul>
 *
 * <p>Both sides are the safe side for the trader: the boundary price itself already liquidates.
 * Rounding: equity rounds down (floor of size · price) and the requirement up, exactly as in the
 * engine. These make the account's margin a step function that is monotone in the price except
 * that, for a long, the price where size · P / 2^32 is an exact integer can be one quantum safer
 * than the price just above it (and the mirror for a short). The search therefore looks for the
 * boundary of "liquidatable at P or at its neighbour away from safety", which is monotone, and the
 * result is exact for |size| &lt; 2^32 (neighbouring fixed-point prices then never both land on
 * exact integers). A price whose values leave the {@code long} range counts as safe for a long and
 * liquidatable for a short. Stateless; any thread.
 */
public final class LiquidationPrice {
  /** The highest price searched: the fixed-point form of the largest order price, 2^31 − 1. */
  public static final long MAX_PRICE = ((1L << 31) - 1) << RiskMath.PRICE_FRACTION_BITS;

  private LiquidationPrice() {}

  /**
   * The liquidation price of a position.
   *
   * @param size the position's signed size (synthetic quanta, not 0)
   * @param params its market's risk parameters
   * @param restEquity the account's equity without this position's value: collateral + pending
   *     funding of every position + Σ floor(size · oracle / 2^32) of the other positions
   * @param restMaintenance Σ maintenance requirements of the other positions at their oracle prices
   * @return the fixed-point oracle price as defined above, or empty if no price liquidates it
   * @throws IllegalArgumentException if size is 0
   */
  public static OptionalLong of(
      long size, MarketRisk params, long restEquity, long restMaintenance) {
    if (size == 0) {
      throw new IllegalArgumentException("no position");
    }
    if (size > 0) {
      if (!unsafeLong(0, size, params, restEquity, restMaintenance)) {
        return OptionalLong.empty();
      }
      if (unsafeLong(MAX_PRICE, size, params, restEquity, restMaintenance)) {
        return OptionalLong.of(MAX_PRICE);
      }
      // unsafe at 0, safe at MAX_PRICE: the highest unsafe price is one below the first safe one
      return OptionalLong.of(
          firstFalse(p -> unsafeLong(p, size, params, restEquity, restMaintenance)) - 1);
    }
    if (!unsafeShort(MAX_PRICE, size, params, restEquity, restMaintenance)) {
      return OptionalLong.empty();
    }
    if (unsafeShort(0, size, params, restEquity, restMaintenance)) {
      return OptionalLong.of(0);
    }
    // safe at 0, unsafe at MAX_PRICE: the lowest unsafe price is the first that is not safe
    return OptionalLong.of(
        firstFalse(p -> !unsafeShort(p, size, params, restEquity, restMaintenance)));
  }

  /**
   * Bisection over (0, {@link #MAX_PRICE}]: the lowest price at which {@code holds} is false, for a
   * predicate that is true at 0, false at {@link #MAX_PRICE} and monotone (true up to a boundary,
   * then false).
   */
  private static long firstFalse(LongPredicate holds) {
    long lo = 0; // holds
    long hi = MAX_PRICE; // does not hold
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (holds.test(mid)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  /**
   * Whether the account is liquidatable with this position's market at {@code price}: equity &lt; Σ
   * maintenance requirements, as {@code AccountBook.liquidatable}.
   *
   * @param price fixed-point oracle price (≥ 0)
   * @param size the position's signed size
   * @param params its market's risk parameters
   * @param restEquity as in {@link #of}
   * @param restMaintenance as in {@link #of}
   * @return true if the engine would liquidate the account at that price
   * @throws ArithmeticException if a value leaves the {@code long} range
   */
  public static boolean liquidatableAt(
      long price, long size, MarketRisk params, long restEquity, long restMaintenance) {
    long equity = Math.addExact(restEquity, RiskMath.value(size, price));
    long mmr = Math.addExact(restMaintenance, RiskMath.maintenanceRequirement(size, price, params));
    return equity < mmr;
  }

  /** A long: liquidatable at P or at P + 1 (monotone: true up to the boundary, then false). */
  private static boolean unsafeLong(long p, long size, MarketRisk params, long e, long m) {
    return safeEval(p, size, params, e, m, false)
        || (p < MAX_PRICE && safeEval(p + 1, size, params, e, m, false));
  }

  /** A short: liquidatable at P or at P − 1 (monotone: false up to the boundary, then true). */
  private static boolean unsafeShort(long p, long size, MarketRisk params, long e, long m) {
    return safeEval(p, size, params, e, m, true)
        || (p > 0 && safeEval(p - 1, size, params, e, m, true));
  }

  private static boolean safeEval(
      long p, long size, MarketRisk params, long e, long m, boolean onOverflow) {
    try {
      return liquidatableAt(p, size, params, e, m);
    } catch (ArithmeticException overflow) {
      return onOverflow;
    }
  }
}
