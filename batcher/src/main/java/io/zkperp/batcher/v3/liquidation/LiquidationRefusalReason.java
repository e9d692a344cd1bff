package io.zkperp.batcher.v3.liquidation;

/**
 * Why a liquidation fill, insurance takeover or deleveraging was refused: one value per rule of the
 * Go reference ({@code perp/reference/liquidation.go} and the trade rules it reuses for the
 * liquidator, named by {@link #ruleName}) and one per typed error of {@code liqstep}. Immutable;
 * any thread.
 */
public enum LiquidationRefusalReason {
  /** Rule "signature": the liquidator's order signature does not verify. */
  SIGNATURE("signature"),
  /** Rule "order-fields": the liquidator's order is for another market. */
  ORDER_FIELDS("order-fields"),
  /** Rule "limit": the fill price is worse than the liquidator's limit, or negative. */
  LIMIT("limit"),
  /** Rule "fill": nonce 0, a fill slot holding a larger nonce, a size ≤ 0, or an overfill. */
  FILL("fill"),
  /** Rule "fee-cap": the liquidator's fee rate above its signed cap or outside ±10^6 ppm. */
  FEE_CAP("fee-cap"),
  /** Rule "margin": the liquidator is below initial margin after the fill and not reducing. */
  MARGIN("margin"),
  /** Rule "open-interest": the open interest grows above its cap. */
  OPEN_INTEREST("open-interest"),
  /** Rule "max-position-size": the liquidator's position grows above the maximum size. */
  MAX_POSITION_SIZE("max-position-size"),
  /** Rule "reduce-only": the liquidator's reduce-only order does not shrink its position. */
  REDUCE_ONLY("reduce-only"),
  /** Rule "positions": an entry is not the one the position-list rule gives. */
  POSITIONS("positions"),
  /** Rule "range": a figure leaves the int64 range. */
  RANGE("range"),
  /** Rule "not-liquidatable": equity ≥ Σ maintenance requirements (fill or takeover). */
  NOT_LIQUIDATABLE("not-liquidatable"),
  /** Rule "position-shrinks": the liquidated (deleveraged) position grows or flips. */
  POSITION_SHRINKS("position-shrinks"),
  /** Rule "liquidation-fee": the fee outside [0, min(⌈N·feePpm/10^6⌉, equity left)]. */
  LIQUIDATION_FEE("liquidation-fee"),
  /** Rule "bankruptcy-price": a takeover or deleveraging at another price. */
  BANKRUPTCY_PRICE("bankruptcy-price"),
  /** Rule "fund-equity": a takeover leaving the insurance fund's equity below 0. */
  FUND_EQUITY("fund-equity"),
  /** Rule "not-bankrupt": deleveraging an account whose equity is ≥ 0. */
  NOT_BANKRUPT("not-bankrupt"),
  /** Rule "deleverager-shrinks": the deleverager's position grows or flips. */
  DELEVERAGER_SHRINKS("deleverager-shrinks"),
  /** The market is not listed ({@code liqstep.ErrUnknownMarket}). */
  UNKNOWN_MARKET(null),
  /** An account of the transaction does not exist ({@code ErrNoAccount}). */
  UNKNOWN_ACCOUNT(null),
  /** Both sides are one account ({@code ErrSameAccount}). */
  SAME_ACCOUNT(null),
  /** The insurance fund on a side it cannot take ({@code ErrFundAccount}). */
  FUND_ACCOUNT(null),
  /** The counterparty would need a 9th position entry ({@code ErrTooManyPositions}). */
  TOO_MANY_POSITIONS(null),
  /** A value does not fit layout v2 or the public data ({@code ErrOutOfRange}). */
  OUT_OF_RANGE(null);

  private final String ruleName;

  LiquidationRefusalReason(String ruleName) {
    this.ruleName = ruleName;
  }

  /**
   * The rule's name in the Go reference.
   *
   * @return the name, or null for a typed error that is not a rule break
   */
  public String ruleName() {
    return ruleName;
  }
}
