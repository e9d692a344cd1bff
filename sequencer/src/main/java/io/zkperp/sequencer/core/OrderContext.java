package io.zkperp.sequencer.core;

import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.Order;

/**
 * What {@link OrderValidator} may read of the core: markets, time, live orders by client id,
 * positions, the nonce window, the risk hook, trigger and fillability queries. Read only;
 * implemented by the core. Core thread.
 */
interface OrderContext {
  /** The listed market, or null. */
  MarketState market(int id);

  /** The message for an unlisted market (lists the listed ones). */
  String unknownMarket(int id);

  /** The core's time, seconds. */
  long time();

  /** The account's live order with that client order id, or null. */
  Order liveOrderByClientId(int account, int clientOrderId);

  /** The account's signed position in the market. */
  long position(int account, int market);

  /** The nonce window (read only). */
  NonceSlots nonceSlots();

  /** The risk stages. */
  RiskHook risk();

  /** Whether a conditional order's trigger is reached at the market's current oracle price. */
  boolean triggerReached(TriggerType trigger, Side side, long triggerPrice, MarketState m);

  /**
   * How much of an order could fill now against the market's book (self-trade prevention and maker
   * admission applied), ignoring the order {@code excludeOrderId}.
   */
  long fillable(
      MarketState m, boolean buy, long price, int account, long excludeOrderId, long size);
}
