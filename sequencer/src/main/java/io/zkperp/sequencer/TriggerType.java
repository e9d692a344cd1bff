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
}
