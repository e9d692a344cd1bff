package io.zkperp.gateway.rpc;

import io.zkperp.sequencer.RejectReason;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every error the gateway returns, with its stable JSON-RPC error code. Three groups:
 *
 * <ul>
 *   <li>JSON-RPC 2.0 protocol errors (-32700 to -32600);
 *   <li>gateway errors in the range the specification reserves for implementations (-32000 to
 *       -32099): request too large, batch too large, overloaded, timeout, shutting down, rate
 *       limited;
 *   <li>application errors: one per sequencer {@link RejectReason}, with the same name and the same
 *       positive code (so a client can switch on the code the core documents), plus the gateway's
 *       own checks of signed cancels (5000 and up).
 * </ul>
 *
 * <p>The error object's {@code message} is the precise message of the rejection (the core's, passed
 * through); {@link #title()} is the fixed one-line description used in the OpenRPC document.
 * Immutable; any thread.
 */
public enum RpcError {
  /** Invalid JSON was received (including duplicate keys, trailing data, too deep nesting). */
  PARSE_ERROR(-32700, "Parse error: the body is not valid JSON"),
  /** The JSON is not a valid JSON-RPC 2.0 request object (or the batch is empty). */
  INVALID_REQUEST(-32600, "Invalid request: not a JSON-RPC 2.0 request object"),
  /** The method does not exist. */
  METHOD_NOT_FOUND(-32601, "Method not found"),
  /** Invalid method parameters: unknown or missing names, wrong types, values out of range. */
  INVALID_PARAMS(-32602, "Invalid params"),
  /** An unexpected failure inside the gateway; the request had no effect unless stated. */
  INTERNAL_ERROR(-32603, "Internal error"),
  /** The HTTP body is larger than the configured limit (HTTP status 413). */
  REQUEST_TOO_LARGE(-32001, "Request too large"),
  /** A batch has more requests than the configured limit. */
  BATCH_TOO_LARGE(-32002, "Batch too large"),
  /**
   * The sequencer did not answer within the configured time: the command may still be applied
   * later.
   */
  TIMEOUT(-32003, "Timed out waiting for the sequencer; the command may still be applied"),
  /** The gateway is shutting down and accepts no new commands. */
  SHUTTING_DOWN(-32004, "Shutting down"),
  /** Too many commands are waiting for the sequencer; retry later. Nothing was submitted. */
  OVERLOADED(-32005, "Overloaded: too many commands in flight"),
  /**
   * The client's IP address or the account is over its rate limit; retry later. Nothing was
   * processed (for an IP) or submitted (for an account).
   */
  RATE_LIMITED(-32006, "Rate limited"),
  /** A subscription method called over HTTP: subscriptions need a WebSocket connection. */
  WEBSOCKET_REQUIRED(-32007, "This method needs a WebSocket connection"),
  /** perp_unsubscribe with an id that is not a live subscription of this connection. */
  UNKNOWN_SUBSCRIPTION(-32008, "Unknown subscription"),
  /** The bytes could not be decoded as a command. */
  MALFORMED_COMMAND(1000, "The bytes could not be decoded as a command"),
  /** The order's EdDSA signature does not verify against the account's key. */
  BAD_SIGNATURE(1001, "The order's EdDSA signature does not verify against the account's key"),
  /** No public key is registered for the account. */
  UNKNOWN_ACCOUNT(1002, "No public key is registered for the account"),
  /** The market id is not listed. */
  UNKNOWN_MARKET(1100, "The market id is not listed"),
  /** AddMarket for a market id that is already listed. */
  MARKET_EXISTS(1101, "AddMarket for a market id that is already listed"),
  /** AddMarket with a tick size, step size or minimum size that is not positive and consistent. */
  INVALID_MARKET_PARAMETERS(
      1102,
      "AddMarket with a tick size, step size or minimum size that is not positive and consistent"),
  /** The oracle price is not positive or its timestamp goes backwards. */
  INVALID_ORACLE_PRICE(1103, "The oracle price is not positive or its timestamp goes backwards"),
  /** A Tick command whose time is before the core's current time. */
  TIME_WENT_BACKWARDS(1104, "A Tick command whose time is before the core's current time"),
  /** A field is out of its range (negative size, price ≤ 0, nonce 0, account out of range...). */
  FIELD_OUT_OF_RANGE(
      1200,
      "A field is out of its range (negative size, price ≤ 0, nonce 0, account out of range...)"),
  /** The limit (or worst) price is not a multiple of the market's tick size. */
  PRICE_NOT_TICK_MULTIPLE(
      1201, "The limit (or worst) price is not a multiple of the market's tick size"),
  /** The size is not a multiple of the market's step size. */
  SIZE_NOT_STEP_MULTIPLE(1202, "The size is not a multiple of the market's step size"),
  /** The size is below the market's minimum order size. */
  SIZE_BELOW_MINIMUM(1203, "The size is below the market's minimum order size"),
  /** The order type, time in force and flags do not go together (e.g. a GTC market order). */
  INVALID_ORDER_FLAGS(
      1204, "The order type, time in force and flags do not go together (e.g. a GTC market order)"),
  /** The trigger price of a conditional order is invalid or already reached. */
  INVALID_TRIGGER(1205, "The trigger price of a conditional order is invalid or already reached"),
  /** The good-til time is not after the core's current time. */
  EXPIRED(1206, "The good-til time is not after the core's current time"),
  /** A post-only order would cross the book (take liquidity). */
  POST_ONLY_WOULD_CROSS(2003, "A post-only order would cross the book (take liquidity)"),
  /** A fill-or-kill order cannot be filled completely now. */
  FOK_NOT_FILLABLE(2000, "A fill-or-kill order cannot be filled completely now"),
  /** A reduce-only order would open or increase a position. */
  REDUCE_ONLY_WOULD_INCREASE(2001, "A reduce-only order would open or increase a position"),
  /** A reduce-only order is larger than the position it reduces. */
  REDUCE_ONLY_EXCEEDS_POSITION(2002, "A reduce-only order is larger than the position it reduces"),
  /** The nonce was used before (filled, cancelled or closed) and cannot be used again. */
  NONCE_REPLAYED(
      3000, "The nonce was used before (filled, cancelled or closed) and cannot be used again"),
  /** The nonce's slot (nonce mod 2^16) holds a newer nonce. */
  NONCE_TOO_OLD(3001, "The nonce's slot (nonce mod 2^16) holds a newer nonce"),
  /** The nonce belongs to an order that is still live. */
  NONCE_IN_USE(3002, "The nonce belongs to an order that is still live"),
  /** The account already has a live order with this client order id. */
  DUPLICATE_CLIENT_ORDER_ID(3003, "The account already has a live order with this client order id"),
  /** No live order of this account has that order id or client order id. */
  UNKNOWN_ORDER(3004, "No live order of this account has that order id or client order id"),
  /** The risk pre-check refused the order. */
  RISK_REJECTED(4000, "The risk pre-check refused the order"),
  /** The order, fully filled at its limit price, would leave free collateral below zero. */
  INSUFFICIENT_MARGIN(
      4001, "The order, fully filled at its limit price, would leave free collateral below zero"),
  /**
   * The account is below its initial margin and the order does not reduce its exposure without
   * worsening its equity-to-maintenance-requirement ratio.
   */
  ACCOUNT_UNDERCOLLATERALISED(
      4002,
      "The account is below its initial margin and the order does not reduce its exposure without worsening its equity-to-maintenance-requirement ratio"),
  /** The order would take the position above the market's maximum position size. */
  POSITION_SIZE_LIMIT(
      4003, "The order would take the position above the market's maximum position size"),
  /** The order could take the market's open interest above its cap. */
  OPEN_INTEREST_CAP(4004, "The order could take the market's open interest above its cap"),
  /** The market has no oracle price yet, so positions cannot be valued. */
  NO_ORACLE_PRICE(4005, "The market has no oracle price yet, so positions cannot be valued"),
  /** The market has no risk parameters in the risk engine's configuration. */
  MARKET_NOT_RISK_ENABLED(
      4006, "The market has no risk parameters in the risk engine's configuration"),
  /** A withdrawal larger than the account's free collateral. */
  INSUFFICIENT_FREE_COLLATERAL(4007, "A withdrawal larger than the account's free collateral"),
  /** A deposit or withdrawal amount that is not positive. */
  COLLATERAL_REJECTED(4008, "A deposit or withdrawal amount that is not positive"),
  /** An amount, notional or balance would leave the 64-bit range. */
  AMOUNT_OUT_OF_RANGE(4009, "An amount, notional or balance would leave the 64-bit range"),
  /** A collateral or funding command on a core without a risk engine. */
  NO_RISK_ENGINE(4010, "A collateral or funding command on a core without a risk engine"),
  /** A funding tick that is too large, goes back in time, or is for an unpriced market. */
  INVALID_FUNDING_TICK(
      4011, "A funding tick that is too large, goes back in time, or is for an unpriced market"),
  /**
   * Isolated margin: a position in an isolated market must be the only position of its account (an
   * isolated subaccount), and an account holding one cannot open another.
   */
  ISOLATED_MARKET_CONSTRAINT(
      4012,
      "Isolated margin: a position in an isolated market must be the only position of its account (an isolated subaccount), and an account holding one cannot open another"),
  /**
   * An unsigned OraclePrice for a market whose prices must come from a quorum of oracle signers
   * (SignedOraclePrices): the risk engine has an oracle configuration for it.
   */
  UNSIGNED_ORACLE_PRICE_REFUSED(
      4013,
      "An unsigned OraclePrice for a market whose prices must come from a quorum of oracle signers (SignedOraclePrices): the risk engine has an oracle configuration for it"),
  /**
   * An operator FundingTick for a market whose funding is derived from premium samples (the risk
   * engine has a funding configuration for it): its ticks come only from Tick.
   */
  OPERATOR_FUNDING_TICK_REFUSED(
      4014,
      "An operator FundingTick for a market whose funding is derived from premium samples (the risk engine has a funding configuration for it): its ticks come only from Tick"),
  /**
   * Signed oracle prices for a market without an oracle configuration (or without a risk engine).
   */
  ORACLE_MARKET_NOT_CONFIGURED(
      4101,
      "Signed oracle prices for a market without an oracle configuration (or without a risk engine)"),
  /** A price report for another market than its batch. */
  ORACLE_MARKET_MISMATCH(4102, "A price report for another market than its batch"),
  /** A price report names a signer index outside the market's signer set. */
  ORACLE_UNKNOWN_SIGNER(
      4103, "A price report names a signer index outside the market's signer set"),
  /** Two price reports of one batch come from the same signer. */
  ORACLE_DUPLICATE_SIGNER(4104, "Two price reports of one batch come from the same signer"),
  /** A price report's price is not positive. */
  ORACLE_NON_POSITIVE_PRICE(4105, "A price report's price is not positive"),
  /** A price report is older than the market's maximum age before the core's time. */
  ORACLE_STALE(
      4106, "A price report is older than the market's maximum age before the core's time"),
  /** A price report's timestamp is too far after the core's time. */
  ORACLE_FUTURE_TIMESTAMP(4107, "A price report's timestamp is too far after the core's time"),
  /** Fewer price reports (distinct signers) than the market's quorum. */
  ORACLE_QUORUM_NOT_MET(4108, "Fewer price reports (distinct signers) than the market's quorum"),
  /** The batch's oldest report is not newer than the market's current price. */
  ORACLE_NOT_NEWER(4109, "The batch's oldest report is not newer than the market's current price"),
  /** A price report's signature does not verify (rejected at intake, before journaling). */
  ORACLE_BAD_SIGNATURE(
      4110, "A price report's signature does not verify (rejected at intake, before journaling)"),
  /** The batch's median moves more than the market's bound from the current price. */
  ORACLE_MOVE_TOO_LARGE(
      4111, "The batch's median moves more than the market's bound from the current price"),
  /**
   * The account's fee tier charges a positive maker or taker fee rate above the order's signed fee
   * cap (ppm).
   */
  FEE_CAP_EXCEEDED(
      4015,
      "The account's fee tier charges a positive maker or taker fee rate above the order's signed fee cap (ppm)"),
  /**
   * A signed cancel's {@code validUntil} is not in the accepted window (after the gateway's clock,
   * at most {@code CancelMessages.MAX_VALIDITY_SECONDS} ahead).
   */
  CANCEL_VALIDITY_OUT_OF_WINDOW(5001, "The cancel's validUntil is outside the accepted window"),
  /** The same signed cancel message was already used (a replay). */
  CANCEL_REPLAYED(5002, "This signed cancel was already used");

  private static final Map<RejectReason, RpcError> BY_REASON = new EnumMap<>(RejectReason.class);

  static {
    for (RejectReason r : RejectReason.values()) {
      RpcError e = valueOf(r.name());
      if (e.code != r.code()) {
        throw new ExceptionInInitializerError("code mismatch for " + r);
      }
      BY_REASON.put(r, e);
    }
  }

  private final int code;
  private final String title;

  RpcError(int code, String title) {
    this.code = code;
    this.title = title;
  }

  /**
   * The JSON-RPC error code.
   *
   * @return the code
   */
  public int code() {
    return code;
  }

  /**
   * The fixed one-line description.
   *
   * @return the title
   */
  public String title() {
    return title;
  }

  /**
   * The application error of a sequencer rejection: same name, same code. Any thread.
   *
   * @param reason the sequencer's reason
   * @return the error
   */
  public static RpcError of(RejectReason reason) {
    return BY_REASON.get(reason);
  }
}
