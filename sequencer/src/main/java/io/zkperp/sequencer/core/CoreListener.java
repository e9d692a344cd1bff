package io.zkperp.sequencer.core;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.book.Order;

/**
 * Receives the core's events in order, on the core thread. {@link Order} objects are pooled: copy
 * what you need, never keep the reference. Implementations must not call back into the core.
 */
public interface CoreListener {
  /** A listener that ignores everything. */
  CoreListener NONE = new CoreListener() {};

  /**
   * An order passed every check and got its order id (before it matches).
   *
   * @param order the order
   */
  default void onOrderAccepted(Order order) {}

  /**
   * A conditional order was triggered by the oracle price and now executes.
   *
   * @param order the order
   */
  default void onOrderTriggered(Order order) {}

  /**
   * A fill; both orders' remaining sizes are already reduced.
   *
   * @param maker the resting order
   * @param taker the incoming order
   * @param price the fill price
   * @param size the fill size
   */
  default void onFill(Order maker, Order taker, long price, long size) {}

  /**
   * An accepted order is no longer live.
   *
   * @param order the order ({@code remaining} is its unfilled size)
   * @param reason why
   */
  default void onOrderClosed(Order order, CloseReason reason) {}

  /**
   * The command was rejected; no state changed.
   *
   * @param reason the typed reason
   * @param message what was wrong and what would be accepted
   */
  default void onRejected(RejectReason reason, String message) {}

  /**
   * A risk event: a state-change record of the risk engine ({@link
   * SequencerEvent.PriceTickApplied}, {@link SequencerEvent.FundingPeriodStarted}, {@link
   * SequencerEvent.FundingTickApplied}, {@link SequencerEvent.FundingTickDerived}, {@link
   * SequencerEvent.Deposited}, {@link SequencerEvent.Withdrawn}, {@link
   * SequencerEvent.Transferred}, {@link SequencerEvent.InsuranceFundToppedUp}, {@link
   * SequencerEvent.TradeSettled}, {@link SequencerEvent.Liquidated}, {@link
   * SequencerEvent.InsuranceTakeover}, {@link SequencerEvent.Deleveraged}) or {@link
   * SequencerEvent.LiquidationTriggered} (records: may be kept).
   *
   * @param event the event
   */
  default void onRiskEvent(SequencerEvent event) {}
}
