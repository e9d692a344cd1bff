package io.zkperp.sequencer.core;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBook;
import io.zkperp.sequencer.command.AddMarket;
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

  /**
   * The rules of an {@code AddMarket}: an id of 16 bits not yet listed, tick, step and minimum size
   * positive, and the minimum size a multiple of the step.
   */
  static Verdict checkListing(AddMarket m, boolean listed) {
    if (m.market() < 0 || m.market() > 0xFFFF) {
      return new Verdict.Rejected(
          RejectReason.FIELD_OUT_OF_RANGE,
          "market id " + m.market() + " is out of range; market ids are 0 to 65535");
    }
    if (listed) {
      return new Verdict.Rejected(
          RejectReason.MARKET_EXISTS, "market " + m.market() + " is already listed");
    }
    if (m.tickSize() <= 0 || m.stepSize() <= 0 || m.minSize() <= 0) {
      return new Verdict.Rejected(
          RejectReason.INVALID_MARKET_PARAMETERS,
          "tick size "
              + m.tickSize()
              + ", step size "
              + m.stepSize()
              + " and minimum size "
              + m.minSize()
              + " must all be > 0");
    }
    if (m.minSize() % m.stepSize() != 0) {
      return new Verdict.Rejected(
          RejectReason.INVALID_MARKET_PARAMETERS,
          "minimum size "
              + m.minSize()
              + " is not a multiple of step size "
              + m.stepSize()
              + "; use "
              + (m.minSize() + m.stepSize() - 1) / m.stepSize() * m.stepSize());
    }
    return Verdict.ACCEPTED;
  }

  MarketState(int id, long tickSize, long stepSize, long minSize, OrderBook book) {
    this.id = id;
    this.tickSize = tickSize;
    this.stepSize = stepSize;
    this.minSize = minSize;
    this.book = book;
  }
}
