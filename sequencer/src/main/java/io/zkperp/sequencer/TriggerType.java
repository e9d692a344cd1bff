package io.zkperp.sequencer;

/**
 * Conditional orders: parked off the book until the oracle price reaches the trigger price.
 * Immutable; any thread.
 */
public enum TriggerType {
  /** Not conditional: the order enters the book at once. */
  NONE,
  /**
   * Stop-loss: a SELL triggers when the oracle price falls to or below the trigger price, a BUY
   * when it rises to or above it.
   */
  STOP_LOSS,
  /**
   * Take-profit: a SELL triggers when the oracle price rises to or above the trigger price, a BUY
   * when it falls to or below it.
   */
  TAKE_PROFIT;

  /**
   * Whether a conditional order of this type on {@code side} triggers at {@code oraclePrice}.
   *
   * @param side the order's side
   * @param triggerPrice the order's trigger price
   * @param oraclePrice the oracle price
   * @return true if it triggers (always false for NONE)
   */
  public boolean triggers(Side side, long triggerPrice, long oraclePrice) {
    return switch (this) {
      case NONE -> false;
      case STOP_LOSS ->
          side == Side.SELL ? oraclePrice <= triggerPrice : oraclePrice >= triggerPrice;
      case TAKE_PROFIT ->
          side == Side.SELL ? oraclePrice >= triggerPrice : oraclePrice <= triggerPrice;
    };
  }

  /**
   * {@link #triggers} against an oracle price in 32.32 fixed point, exactly (no rounding): with
   * {@code floor = ⌊p / 2^32⌋} and {@code ceil = ⌈p / 2^32⌉}, "oracle ≤ trigger" is {@code ceil ≤
   * trigger} and "oracle ≥ trigger" is {@code floor ≥ trigger}, which for an integer trigger price
   * are exactly {@code p ≤ trigger · 2^32} and {@code p ≥ trigger · 2^32}.
   *
   * @param side the order's side
   * @param triggerPrice the order's trigger price, in order-price units
   * @param oracleFixed the oracle price, 32.32 (&gt; 0)
   * @return true if it triggers (always false for NONE)
   */
  public boolean triggersFixed(Side side, long triggerPrice, long oracleFixed) {
    long floor = oracleFixed >> 32;
    long ceil = floor + ((oracleFixed & 0xFFFF_FFFFL) != 0 ? 1 : 0);
    boolean atOrBelow = ceil <= triggerPrice;
    boolean atOrAbove = floor >= triggerPrice;
    return switch (this) {
      case NONE -> false;
      case STOP_LOSS -> side == Side.SELL ? atOrBelow : atOrAbove;
      case TAKE_PROFIT -> side == Side.SELL ? atOrAbove : atOrBelow;
    };
  }
}
