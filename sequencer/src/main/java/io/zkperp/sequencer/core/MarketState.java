package io.zkperp.sequencer.core;

import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBook;
import java.util.ArrayList;
import java.util.List;

/** A listed market: parameters, book, oracle price and parked conditional orders. Core thread. */
final class MarketState {
  final int id;
  final long tickSize;
  final long stepSize;
  final long minSize;
  final OrderBook book;
  long oraclePrice;
  long oracleTimestamp;

  /** Untriggered conditional orders, in order id order. */
  final List<Order> parked = new ArrayList<>();

  MarketState(int id, long tickSize, long stepSize, long minSize, OrderBook book) {
    this.id = id;
    this.tickSize = tickSize;
    this.stepSize = stepSize;
    this.minSize = minSize;
    this.book = book;
  }
}
