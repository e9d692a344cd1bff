package io.zkperp.batcher.v3;

import java.util.Objects;

/**
 * A trade transaction: one fill of a buy order against a sell order in a market at an integer price
 * (collateral quanta per synthetic quantum, as the core's order prices). Immutable; any thread.
 *
 * @param market the market id
 * @param price the fill price
 * @param size the fill size in synthetic quanta
 * @param buyer the buy order
 * @param seller the sell order
 */
public record TradeTransaction(
    int market, long price, long size, TradeOrder buyer, TradeOrder seller) {
  /** Validates that both orders are present. */
  public TradeTransaction {
    Objects.requireNonNull(buyer, "buyer");
    Objects.requireNonNull(seller, "seller");
  }
}
