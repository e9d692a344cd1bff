package io.zkperp.batcher.v3.liquidation;

import io.zkperp.batcher.v3.TradeOrder;
import java.util.Objects;

/**
 * One fill of the engine's liquidation order (record {@code Liquidated}): the liquidated account
 * (taker, unsigned, no trading fee) against a resting signed order (the liquidator, maker) at its
 * price, the liquidation fee paid to the insurance fund. Immutable; any thread.
 *
 * @param market the market id
 * @param price the fill price (collateral quanta per synthetic quantum)
 * @param size the fill size (synthetic quanta)
 * @param account the liquidated account
 * @param liquidator the maker's signed order with its fee rate on this fill
 * @param fee the liquidation fee charged to the liquidated account
 */
public record LiquidationFill(
    int market, long price, long size, long account, TradeOrder liquidator, long fee)
    implements LiquidationTransaction {
  /** Validates that the order is present. */
  public LiquidationFill {
    Objects.requireNonNull(liquidator, "liquidator");
  }
}
