package io.zkperp.sequencer.book;

/** Creates the book of a newly listed market. Called on the core thread. */
@FunctionalInterface
public interface OrderBookFactory {
  /** Factory of {@link OptimisedOrderBook}s. */
  OrderBookFactory OPTIMISED = OptimisedOrderBook::new;

  /** Factory of {@link NaiveOrderBook}s. */
  OrderBookFactory NAIVE = NaiveOrderBook::new;

  /**
   * Creates an empty book.
   *
   * @param market the market id
   * @return the book
   */
  OrderBook create(int market);
}
