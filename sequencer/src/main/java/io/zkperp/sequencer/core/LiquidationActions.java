package io.zkperp.sequencer.core;

import io.zkperp.sequencer.Side;

/**
 * What the core lets a risk hook do while it liquidates ({@link RiskHook#liquidate}): cancel an
 * account's orders, run a liquidation IOC against the book, move positions that change hands
 * outside the book (insurance takeover, deleveraging) and emit risk events. Implemented by the
 * core, handed to the hook once through {@link RiskHook#attach} and again with each {@link
 * RiskHook#liquidate} call. {@link #emit} may be called from any hook method; the other methods
 * only during {@link RiskHook#liquidate}. Core thread.
 */
public interface LiquidationActions {
  /**
   * Cancels every live order (resting and parked) of the account, in order id order, each closed
   * with {@link io.zkperp.sequencer.CloseReason#LIQUIDATION}. Core thread.
   *
   * @param account the account
   */
  void cancelOrders(int account);

  /**
   * Runs an IOC liquidation order for the account against the book: it takes resting orders at
   * prices no worse than {@code limitPrice} (price-time priority, fills at the makers' prices),
   * each fill going through {@link RiskHook#settle} with an order whose {@code liquidation} flag is
   * set; the unfilled rest is dropped. The order gets an order id but no nonce, is never on a book,
   * and emits Fill events only (no OrderAccepted / OrderClosed). Core thread.
   *
   * @param account the liquidated account
   * @param market the market
   * @param side the side (SELL reduces a long)
   * @param size the size
   * @param limitPrice the worst price
   * @param bankruptcyPrice the step's bankruptcy price, carried by the order ({@link
   *     io.zkperp.sequencer.book.Order#bankruptcyPrice}) to its fills' settlement
   * @return the filled size
   */
  long liquidationOrder(
      int account, int market, Side side, long size, long limitPrice, long bankruptcyPrice);

  /**
   * Records a position transfer outside the book in the core's positions: {@code account} += delta,
   * {@code counterparty} −= delta. Core thread.
   *
   * @param account the account
   * @param counterparty the other side
   * @param market the market
   * @param delta the signed change of {@code account}'s position
   */
  void movePosition(int account, int counterparty, int market, long delta);

  /**
   * The market's step size (liquidation sizes are rounded up to it). Core thread.
   *
   * @param market a listed market
   * @return the step size
   */
  long stepSize(int market);

  /**
   * Emits a risk event to the core's listener. Core thread.
   *
   * @param event the event
   */
  void emit(SequencerEvent event);
}
