package io.zkperp.sequencer.book;

import io.zkperp.sequencer.SelfTradePrevention;
import java.util.function.Consumer;

/**
 * One market's central limit order book with price-time priority: better prices first, then earlier
 * arrival. The book only holds and matches resting orders; validation, nonces, positions and events
 * belong to the core. Confined to the core thread.
 */
public interface OrderBook {
  /** Result of {@link #match}: the taker was stopped by self-trade prevention. */
  int STOPPED_BY_SELF_TRADE = 1;

  /**
   * Result of {@link #match}: the taker's post-trade check ({@link MatchListener#admitTaker})
   * refused its next fill; matching stopped before that fill.
   */
  int STOPPED_BY_TAKER_CHECK = 2;

  /** Result of {@link #match}: matching ended normally (filled, or no more crossing liquidity). */
  int MATCHED = 0;

  /**
   * Matches an incoming order against the opposite side while prices cross {@code taker.price} and
   * {@code taker.remaining > 0}; fills at the makers' prices, in priority order.
   *
   * @param taker the incoming order (not on the book)
   * @param stp what to do when the taker meets a maker of its own account
   * @param listener receives fills and removed makers
   * @return {@link #MATCHED}, {@link #STOPPED_BY_SELF_TRADE} or {@link #STOPPED_BY_TAKER_CHECK}
   */
  int match(Order taker, SelfTradePrevention stp, MatchListener listener);

  /**
   * Rests an order at the back of its price level. It must not cross the opposite side.
   *
   * @param order the order, with remaining &gt; 0
   */
  void add(Order order);

  /**
   * Removes a resting order.
   *
   * @param order an order that rests on this book
   */
  void remove(Order order);

  /**
   * How much a taker could fill right now, counting at most up to {@code wanted}.
   *
   * @param takerIsBuy the taker's side
   * @param limitPrice the taker's limit price
   * @param account the taker's account
   * @param stp the self-trade mode: EXPIRE_MAKER skips own orders, the others stop at them
   * @param excludeOrderId an order to ignore (the one a cancel-replace removes), or 0
   * @param wanted stop counting once this much is found
   * @param admit the post-trade check ({@link MatchListener#admitMaker}): makers it refuses are not
   *     counted; null counts every maker
   * @return the fillable size, at most {@code wanted}
   */
  long fillable(
      boolean takerIsBuy,
      long limitPrice,
      int account,
      SelfTradePrevention stp,
      long excludeOrderId,
      long wanted,
      MatchListener admit);

  /**
   * Whether an order at this price would cross (take liquidity) on arrival.
   *
   * @param isBuy the order's side
   * @param price its price
   * @param excludeOrderId an order to ignore, or 0
   * @return true if a resting order of the other side (other than the excluded one) crosses it
   */
  boolean wouldCross(boolean isBuy, long price, long excludeOrderId);

  /**
   * The best bid price.
   *
   * @return the highest bid, or 0 if there are no bids
   */
  long bestBid();

  /**
   * The best ask price.
   *
   * @return the lowest ask, or 0 if there are no asks
   */
  long bestAsk();

  /**
   * Number of resting orders.
   *
   * @return the count
   */
  int orderCount();

  /**
   * Visits every resting order in priority order: bids best first, then asks best first.
   *
   * @param visitor called once per order; must not modify the book
   */
  void forEach(Consumer<Order> visitor);
}
