package io.zkperp.sequencer;

/**
 * Why a command was rejected. A rejected command changes no state and is not journaled; the
 * accompanying message says exactly what was wrong and what would be accepted. Codes are stable
 * (they appear in gateway responses). Immutable; any thread.
 */
public enum RejectReason {
  /** The bytes could not be decoded as a command. */
  MALFORMED_COMMAND(1000),
  /** The order's EdDSA signature does not verify against the account's key. */
  BAD_SIGNATURE(1001),
  /** No public key is registered for the account. */
  UNKNOWN_ACCOUNT(1002),
  /** The market id is not listed. */
  UNKNOWN_MARKET(1100),
  /** AddMarket for a market id that is already listed. */
  MARKET_EXISTS(1101),
  /** AddMarket with a tick size, step size or minimum size that is not positive and consistent. */
  INVALID_MARKET_PARAMETERS(1102),
  /** The oracle price is not positive or its timestamp goes backwards. */
  INVALID_ORACLE_PRICE(1103),
  /** A Tick command whose time is before the core's current time. */
  TIME_WENT_BACKWARDS(1104),
  /** A field is out of its range (negative size, price ≤ 0, nonce 0, account out of range...). */
  FIELD_OUT_OF_RANGE(1200),
  /** The limit (or worst) price is not a multiple of the market's tick size. */
  PRICE_NOT_TICK_MULTIPLE(1201),
  /** The size is not a multiple of the market's step size. */
  SIZE_NOT_STEP_MULTIPLE(1202),
  /** The size is below the market's minimum order size. */
  SIZE_BELOW_MINIMUM(1203),
  /** The order type, time in force and flags do not go together (e.g. a GTC market order). */
  INVALID_ORDER_FLAGS(1204),
  /** The trigger price of a conditional order is invalid or already reached. */
  INVALID_TRIGGER(1205),
  /** The good-til time is not after the core's current time. */
  EXPIRED(1206),
  /** A post-only order would cross the book (take liquidity). */
  POST_ONLY_WOULD_CROSS(2003),
  /** A fill-or-kill order cannot be filled completely now. */
  FOK_NOT_FILLABLE(2000),
  /** A reduce-only order would open or increase a position. */
  REDUCE_ONLY_WOULD_INCREASE(2001),
  /** A reduce-only order is larger than the position it reduces. */
  REDUCE_ONLY_EXCEEDS_POSITION(2002),
  /** The nonce was used before (filled, cancelled or closed) and cannot be used again. */
  NONCE_REPLAYED(3000),
  /** The nonce's slot (nonce mod 2^12) holds a newer nonce. */
  NONCE_TOO_OLD(3001),
  /** The nonce belongs to an order that is still live. */
  NONCE_IN_USE(3002),
  /** The account already has a live order with this client order id. */
  DUPLICATE_CLIENT_ORDER_ID(3003),
  /** No live order of this account has that order id or client order id. */
  UNKNOWN_ORDER(3004),
  /** The risk pre-check refused the order. */
  RISK_REJECTED(4000),
  /** The order, fully filled at its limit price, would leave free collateral below zero. */
  INSUFFICIENT_MARGIN(4001),
  /**
   * The account is below its initial margin and the order does not reduce its exposure without
   * worsening its equity-to-maintenance-requirement ratio.
   */
  ACCOUNT_UNDERCOLLATERALISED(4002),
  /** The order would take the position above the market's maximum position size. */
  POSITION_SIZE_LIMIT(4003),
  /** The order could take the market's open interest above its cap. */
  OPEN_INTEREST_CAP(4004),
  /** The market has no oracle price yet, so positions cannot be valued. */
  NO_ORACLE_PRICE(4005),
  /** The market has no risk parameters in the risk engine's configuration. */
  MARKET_NOT_RISK_ENABLED(4006),
  /** A withdrawal larger than the account's free collateral. */
  INSUFFICIENT_FREE_COLLATERAL(4007),
  /** A deposit or withdrawal amount that is not positive. */
  COLLATERAL_REJECTED(4008),
  /** An amount, notional or balance would leave the 64-bit range. */
  AMOUNT_OUT_OF_RANGE(4009),
  /** A collateral or funding command on a core without a risk engine. */
  NO_RISK_ENGINE(4010),
  /** A funding tick that is too large, goes back in time, or is for an unpriced market. */
  INVALID_FUNDING_TICK(4011),
  /**
   * Isolated margin: a position in an isolated market must be the only position of its account (an
   * isolated subaccount), and an account holding one cannot open another.
   */
  ISOLATED_MARKET_CONSTRAINT(4012),
  /**
   * An unsigned {@code OraclePrice} for a market whose prices must come from a quorum of oracle
   * signers ({@code SignedOraclePrices}): the risk engine has an oracle configuration for it.
   */
  UNSIGNED_ORACLE_PRICE_REFUSED(4013),
  /**
   * An operator {@code FundingTick} for a market whose funding is derived from premium samples (the
   * risk engine has a funding configuration for it): its ticks come only from {@code Tick}.
   */
  OPERATOR_FUNDING_TICK_REFUSED(4014),
  /**
   * Signed oracle prices for a market without an oracle configuration (or without a risk engine).
   */
  ORACLE_MARKET_NOT_CONFIGURED(4101),
  /** A price report for another market than its batch. */
  ORACLE_MARKET_MISMATCH(4102),
  /** A price report names a signer index outside the market's signer set. */
  ORACLE_UNKNOWN_SIGNER(4103),
  /** Two price reports of one batch come from the same signer. */
  ORACLE_DUPLICATE_SIGNER(4104),
  /** A price report's price is not positive. */
  ORACLE_NON_POSITIVE_PRICE(4105),
  /** A price report is older than the market's maximum age before the core's time. */
  ORACLE_STALE(4106),
  /** A price report's timestamp is too far after the core's time. */
  ORACLE_FUTURE_TIMESTAMP(4107),
  /** Fewer price reports (distinct signers) than the market's quorum. */
  ORACLE_QUORUM_NOT_MET(4108),
  /** The batch's oldest report is not newer than the market's current price. */
  ORACLE_NOT_NEWER(4109),
  /** A price report's signature does not verify (rejected at intake, before journaling). */
  ORACLE_BAD_SIGNATURE(4110),
  /** The batch's median moves more than the market's bound from the current price. */
  ORACLE_MOVE_TOO_LARGE(4111),
  /**
   * The account's fee tier charges a positive maker or taker fee rate above the order's signed fee
   * cap (ppm).
   */
  FEE_CAP_EXCEEDED(4015),
  /**
   * A limit (or worst) price further from the oracle price than the market's price band allows:
   * above {@code oracle · (1 + band)} for a buy, below {@code oracle · (1 − band)} for a sell.
   */
  PRICE_OUTSIDE_BAND(4016),
  /**
   * An L1 priority operation (a deposit or a forced withdrawal from the rollup's queue) that is not
   * the next one the core expects: already consumed, or one skipped before it.
   */
  PRIORITY_OP_OUT_OF_ORDER(4017),
  /**
   * The order or fill would open a position in a new market for an account that already holds the
   * most open positions state layout v2 can represent ({@code LayoutV2.MAX_POSITIONS}, 8).
   */
  TOO_MANY_POSITIONS(4018);

  private final int code;

  RejectReason(int code) {
    this.code = code;
  }

  /**
   * The stable numeric code of this reason.
   *
   * @return the code
   */
  public int code() {
    return code;
  }
}
