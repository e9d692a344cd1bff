package io.zkperp.sequencer.core;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;

/**
 * An immutable copy of a core event, for the gateway's streams and the batcher. Records; any
 * thread.
 */
public sealed interface SequencerEvent {
  /**
   * An order was accepted and got its id.
   *
   * @param orderId the order id
   * @param account the owner
   * @param market the market
   * @param clientOrderId the client order id
   * @param side the side
   * @param price the limit price
   * @param size the signed size
   * @param nonce the nonce
   */
  record OrderAccepted(
      long orderId,
      int account,
      int market,
      int clientOrderId,
      Side side,
      long price,
      long size,
      long nonce)
      implements SequencerEvent {}

  /**
   * A conditional order was triggered.
   *
   * @param orderId the order id
   * @param account the owner
   * @param market the market
   */
  record OrderTriggered(long orderId, int account, int market) implements SequencerEvent {}

  /**
   * A fill.
   *
   * @param market the market
   * @param makerOrderId the resting order
   * @param makerAccount its owner
   * @param makerNonce its nonce (the batcher's fill-tree slot)
   * @param takerOrderId the incoming order
   * @param takerAccount its owner
   * @param takerNonce its nonce
   * @param takerSide the taker's side
   * @param price the fill price
   * @param size the fill size
   */
  record Fill(
      int market,
      long makerOrderId,
      int makerAccount,
      long makerNonce,
      long takerOrderId,
      int takerAccount,
      long takerNonce,
      Side takerSide,
      long price,
      long size)
      implements SequencerEvent {}

  /**
   * An order is no longer live.
   *
   * @param orderId the order id
   * @param account the owner
   * @param market the market
   * @param remaining its unfilled size
   * @param reason why
   */
  record OrderClosed(long orderId, int account, int market, long remaining, CloseReason reason)
      implements SequencerEvent {}

  /**
   * The command was rejected.
   *
   * @param reason the typed reason
   * @param message what was wrong and what would be accepted
   */
  record Rejected(RejectReason reason, String message) implements SequencerEvent {}
}
