package io.zkperp.protocol.risk;

import io.zkperp.protocol.state.MarketRisk;
import java.math.BigInteger;

/**
 * The engine's bankruptcy price (moved here from the sequencer's {@code Liquidator} unchanged, so
 * that the engine and the batcher share one definition): the price of closing {@code c} (signed
 * like the position s) at which the closed part takes its share of the account's equity, {@code
 * share = floor(equity · (MMR(s) − MMR(s − c)) / Σ MMR)} (0 when Σ MMR = 0; all the equity when c =
 * s is the account's only position), so that equity / maintenance requirement is unchanged. Closing
 * c at price b changes equity by {@code c · b − Δ}, Δ = value(s) − value(s − c); b is the bound of
 * {@code c · b − Δ ≥ −share} rounded in the account's favour (up when selling a long, down when
 * buying back a short), then clamped to [1, {@value #MAX_PRICE}]. Stateless; any thread.
 */
public final class BankruptcyPrice {
  /** The largest bankruptcy price: 2^31 − 1, the order price range. */
  public static final long MAX_PRICE = (1L << 31) - 1;

  private BankruptcyPrice() {}

  /**
   * The bankruptcy price of closing {@code c} of a position.
   *
   * @param equity the account's equity before the close (funding counted)
   * @param maintenance the account's Σ maintenance requirements before the close
   * @param onlyPosition whether c is the whole position and the account holds no other
   * @param size the position s (signed)
   * @param c the part closed, signed like s, not 0
   * @param price the market's oracle price (fixed point)
   * @param risk the market's parameters
   * @return the price, in [1, {@value #MAX_PRICE}]
   * @throws ArithmeticException if a figure leaves the {@code long} range
   */
  public static long of(
      long equity,
      long maintenance,
      boolean onlyPosition,
      long size,
      long c,
      long price,
      MarketRisk risk) {
    long share;
    if (onlyPosition) {
      share = equity;
    } else {
      long closed =
          Math.subtractExact(
              RiskMath.maintenanceRequirement(size, price, risk),
              RiskMath.maintenanceRequirement(size - c, price, risk));
      share = maintenance == 0 ? 0 : mulDivFloor(equity, closed, maintenance);
    }
    long x =
        Math.subtractExact(RiskMath.value(size, price) - RiskMath.value(size - c, price), share);
    long b = c > 0 ? Math.ceilDiv(x, c) : Math.floorDiv(x, c);
    return Math.max(1, Math.min(MAX_PRICE, b));
  }

  private static long mulDivFloor(long a, long b, long c) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
      return Math.floorDiv(lo, c);
    }
    BigInteger[] qr =
        BigInteger.valueOf(a)
            .multiply(BigInteger.valueOf(b))
            .divideAndRemainder(BigInteger.valueOf(c));
    BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    return q.longValueExact();
  }
}
