package io.zkperp.batcher.v3.liquidation;

/**
 * One of the three transactions of a liquidation step (the engine's records {@code Liquidated},
 * {@code InsuranceTakeover}, {@code Deleveraged}). Implementations are immutable records; any
 * thread.
 */
public sealed interface LiquidationTransaction
    permits LiquidationFill, InsuranceTakeover, Deleveraging {
  /**
   * The market of the transaction.
   *
   * @return its id
   */
  int market();

  /**
   * The liquidated, taken-over or deleveraged account.
   *
   * @return its id
   */
  long account();
}
