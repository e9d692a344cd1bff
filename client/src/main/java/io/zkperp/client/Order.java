package io.zkperp.client;

import io.zkperp.protocol.message.OrderMessage.Side;
import io.zkperp.protocol.message.OrderMessage.TimeInForce;
import io.zkperp.protocol.message.OrderMessage.Type;

/**
 * An order to place with {@link ZkPerpClient#placeOrder}. Prices are in quote quanta per synthetic
 * quantum, sizes in synthetic quanta (integers, as the gateway). Fields the caller leaves unset are
 * chosen by the client: {@code nonce} = the account's next nonce from {@code perp_getNonces},
 * {@code clientOrderId} = the nonce's low 32 bits, {@code expiry} = now + 30 days. Immutable; any
 * thread.
 *
 * @param account the account
 * @param market the market
 * @param side BUY or SELL
 * @param size the size, &gt; 0
 * @param price the limit price (the worst price for MARKET)
 * @param feeCap the signed fee cap, ppm of the notional (default 1,000 = 0.1%)
 * @param expiry good-til time, unix seconds; 0 = now + 30 days
 * @param nonce the nonce, or null for the next one
 * @param clientOrderId the client order id (u32), or null for the nonce's low 32 bits
 * @param type LIMIT or MARKET
 * @param timeInForce GTC, IOC, FOK or POST_ONLY
 * @param reduceOnly reduce-only (IOC or FOK only)
 */
public record Order(
    int account,
    int market,
    Side side,
    long size,
    long price,
    long feeCap,
    long expiry,
    Long nonce,
    Integer clientOrderId,
    Type type,
    TimeInForce timeInForce,
    boolean reduceOnly) {
  /** The default signed fee cap, ppm. */
  public static final long DEFAULT_FEE_CAP_PPM = 1_000;

  /** The default lifetime of an order when no expiry is given, seconds (30 days). */
  public static final long DEFAULT_LIFETIME_SECONDS = 30L * 24 * 3600;

  /**
   * A GTC limit order with the defaults above.
   *
   * @param account the account
   * @param market the market
   * @param side BUY or SELL
   * @param size the size
   * @param price the limit price
   * @return the order
   */
  public static Order limit(int account, int market, Side side, long size, long price) {
    return new Order(
        account,
        market,
        side,
        size,
        price,
        DEFAULT_FEE_CAP_PPM,
        0,
        null,
        null,
        Type.LIMIT,
        TimeInForce.GTC,
        false);
  }

  /**
   * This order with another nonce.
   *
   * @param n the nonce
   * @return the copy
   */
  public Order withNonce(long n) {
    return new Order(
        account,
        market,
        side,
        size,
        price,
        feeCap,
        expiry,
        n,
        clientOrderId,
        type,
        timeInForce,
        reduceOnly);
  }

  /**
   * This order with another client order id.
   *
   * @param id the client order id (u32 bits)
   * @return the copy
   */
  public Order withClientOrderId(int id) {
    return new Order(
        account,
        market,
        side,
        size,
        price,
        feeCap,
        expiry,
        nonce,
        id,
        type,
        timeInForce,
        reduceOnly);
  }

  /**
   * This order with another fee cap.
   *
   * @param ppm the fee cap
   * @return the copy
   */
  public Order withFeeCap(long ppm) {
    return new Order(
        account,
        market,
        side,
        size,
        price,
        ppm,
        expiry,
        nonce,
        clientOrderId,
        type,
        timeInForce,
        reduceOnly);
  }

  /**
   * This order with another expiry.
   *
   * @param unixSeconds the good-til time, 0 = now + 30 days
   * @return the copy
   */
  public Order withExpiry(long unixSeconds) {
    return new Order(
        account,
        market,
        side,
        size,
        price,
        feeCap,
        unixSeconds,
        nonce,
        clientOrderId,
        type,
        timeInForce,
        reduceOnly);
  }

  /**
   * This order with another type, time in force and reduce-only flag.
   *
   * @param t LIMIT or MARKET
   * @param tif the time in force
   * @param reduce reduce-only
   * @return the copy
   */
  public Order withExecution(Type t, TimeInForce tif, boolean reduce) {
    return new Order(
        account, market, side, size, price, feeCap, expiry, nonce, clientOrderId, t, tif, reduce);
  }
}
