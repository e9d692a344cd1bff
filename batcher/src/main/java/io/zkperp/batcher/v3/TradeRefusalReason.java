package io.zkperp.batcher.v3;

/**
 * Why a trade was refused: one value per rule of the Go reference ({@code perp/reference/rules.go},
 * named by {@link #ruleName}) and one per other refusal of {@code perpstep.ApplyTrade}. Immutable;
 * any thread.
 */
public enum TradeRefusalReason {
  /** Rule "signature": an order's signature does not verify under its account's key and domain. */
  SIGNATURE("signature"),
  /** Rule "order-fields": an order's account, market or side does not match the trade. */
  ORDER_FIELDS("order-fields"),
  /**
   * Rule "limit": the buyer pays above its limit, the seller receives below its, or price &lt; 0.
   */
  LIMIT("limit"),
  /**
   * Rule "fill": nonce 0, a fill slot holding a larger nonce, a size ≤ 0, or a fill above the
   * signed size.
   */
  FILL("fill"),
  /** Rule "fee-cap": a fee rate above the signed cap or outside ±10^6 ppm. */
  FEE_CAP("fee-cap"),
  /** Rule "fee-balance": the buyer's and the seller's rates sum below 0 (rebate not covered). */
  FEE_BALANCE("fee-balance"),
  /** Rule "margin": post-trade equity below initial margin while the position does not reduce. */
  MARGIN("margin"),
  /** Rule "open-interest": the open interest grows above its cap. */
  OPEN_INTEREST("open-interest"),
  /** Rule "max-position-size": a position grows above the market's maximum size. */
  MAX_POSITION_SIZE("max-position-size"),
  /** Rule "reduce-only": a reduce-only order's fill does not shrink its position without flip. */
  REDUCE_ONLY("reduce-only"),
  /** Rule "positions": the market's entry is not the one the position-list rule gives. */
  POSITIONS("positions"),
  /** Rule "range": a figure of the trade leaves the int64 range. */
  RANGE("range"),
  /** Both orders belong to one account. */
  SELF_TRADE(null),
  /** The trade's market is not listed. */
  UNKNOWN_MARKET(null),
  /** An order's account does not exist. */
  UNKNOWN_ACCOUNT(null),
  /** An account would need a 9th position entry (all 8 are taken). */
  TOO_MANY_POSITIONS(null),
  /** A value of the state or of the result does not fit layout v2. */
  OUT_OF_RANGE(null);

  private final String ruleName;

  TradeRefusalReason(String ruleName) {
    this.ruleName = ruleName;
  }

  /**
   * The rule's name in the Go reference.
   *
   * @return the name, or null for a refusal that is not a rule break
   */
  public String ruleName() {
    return ruleName;
  }
}
