package io.zkperp.sequencer.core;

import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.Order;

/** The core as its {@link OrderValidator} sees it: read only. Core thread. */
final class CoreOrderContext extends CorePart implements OrderContext {
  CoreOrderContext(SequencerCore core) {
    super(core);
  }

  @Override
  public MarketState market(int id) {
    return core.market(id);
  }

  @Override
  public String unknownMarket(int id) {
    return core.unknownMarket(id);
  }

  @Override
  public long time() {
    return core.time;
  }

  @Override
  public Order liveOrderByClientId(int account, int clientOrderId) {
    return core.live.byClientId(account, clientOrderId);
  }

  @Override
  public long position(int account, int market) {
    return core.position(account, market);
  }

  @Override
  public NonceSlots nonceSlots() {
    return core.nonceSlots;
  }

  @Override
  public RiskHook risk() {
    return core.risk;
  }

  @Override
  public boolean triggerReached(TriggerType trigger, Side side, long price, MarketState m) {
    return core.triggers.reached(trigger, side, price, m);
  }

  @Override
  public long fillable(
      MarketState m, boolean buy, long price, int account, long excludeOrderId, long size) {
    return m.book.fillable(
        buy, price, account, core.selfTradePrevention(), excludeOrderId, size, core.fills);
  }
}
