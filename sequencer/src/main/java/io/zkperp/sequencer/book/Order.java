package io.zkperp.sequencer.book;

import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;

/**
 * A live order: mutable and pooled by the core. Confined to the core thread; listeners must not
 * keep a reference after the callback returns (the object is reused).
 */
public final class Order {
  /** The core-assigned order id (&gt; 0, increasing). */
  public long orderId;

  /** The owner. */
  public int account;

  /** The market. */
  public int market;

  /** Buy or sell. */
  public Side side;

  /** LIMIT or MARKET. */
  public OrderType type;

  /** Time in force. */
  public TimeInForce timeInForce;

  /** Reduce-only flag. */
  public boolean reduceOnly;

  /** The client order id. */
  public int clientOrderId;

  /** Limit (or worst) price. */
  public long price;

  /** The size signed by the trader. */
  public long signedSize;

  /** Size not yet filled or cancelled. */
  public long remaining;

  /** Fee cap from the signed order: the highest fee rate accepted, ppm. */
  public long feeCap;

  /** Good-til time in seconds. */
  public long expiry;

  /** The order nonce. */
  public long nonce;

  /** Trigger type of a conditional order. */
  public TriggerType trigger;

  /** Trigger price of a conditional order. */
  public long triggerPrice;

  /** Whether the order is parked (conditional, not yet triggered) rather than on the book. */
  public boolean parked;

  /**
   * Whether this is a liquidation order: an IOC the core builds for the risk engine, with no nonce
   * and no signature; it is never on a book and never in the core's order indexes.
   */
  public boolean liquidation;

  /**
   * For a liquidation order: the bankruptcy price of its liquidation step, which its fills' {@code
   * Liquidated} records carry beside its limit {@link #price} (0 for any other order).
   */
  public long bankruptcyPrice;

  /** Position in the core's expiry heap (-1 when not in it); maintained by the core. */
  public int heapIndex = -1;

  // intrusive links, used by OptimisedOrderBook only
  Order prev;
  Order next;
  PriceLevel level;

  /** Creates an empty order for a pool. */
  public Order() {}

  /**
   * Whether this order is a buy.
   *
   * @return side == BUY
   */
  public boolean isBuy() {
    return side == Side.BUY;
  }

  /** Clears every field so the object can return to a pool. */
  public void clear() {
    orderId = 0;
    account = 0;
    market = 0;
    side = null;
    type = null;
    timeInForce = null;
    reduceOnly = false;
    clientOrderId = 0;
    price = 0;
    signedSize = 0;
    remaining = 0;
    feeCap = 0;
    expiry = 0;
    nonce = 0;
    trigger = null;
    triggerPrice = 0;
    parked = false;
    liquidation = false;
    bankruptcyPrice = 0;
    heapIndex = -1;
    prev = null;
    next = null;
    level = null;
  }

  @Override
  public String toString() {
    return "Order#"
        + orderId
        + "[account="
        + account
        + " "
        + side
        + " "
        + remaining
        + "/"
        + signedSize
        + " @ "
        + price
        + "]";
  }
}
