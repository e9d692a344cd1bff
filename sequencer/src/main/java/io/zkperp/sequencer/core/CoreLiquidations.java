package io.zkperp.sequencer.core;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.command.CancelAll;

/**
 * What the core lets its risk hook do while it liquidates ({@link LiquidationActions}): cancel an
 * account's orders, run a liquidation IOC against the book, move positions outside the book, emit
 * records. Core thread.
 */
final class CoreLiquidations extends CorePart implements LiquidationActions {
  CoreLiquidations(SequencerCore core) {
    super(core);
  }

  @Override
  public void cancelOrders(int account) {
    for (Order o : core.live.ofAccount(account, CancelAll.ALL_MARKETS)) {
      core.removeLive(o, CloseReason.LIQUIDATION);
    }
  }

  @Override
  public long liquidationOrder(
      int account, int market, Side side, long size, long limitPrice, long bankruptcyPrice) {
    MarketState m = core.markets[market];
    Order o = core.live.newOrder();
    o.account = account;
    o.market = market;
    o.side = side;
    o.type = OrderType.LIMIT;
    o.timeInForce = TimeInForce.IOC;
    o.price = limitPrice;
    o.signedSize = size;
    o.remaining = size;
    o.trigger = TriggerType.NONE;
    o.liquidation = true;
    o.bankruptcyPrice = bankruptcyPrice;
    m.book.match(o, core.selfTradePrevention(), core.fills);
    long filled = size - o.remaining;
    core.live.recycle(o);
    return filled;
  }

  @Override
  public void movePosition(int account, int counterparty, int market, long delta) {
    core.positions.add(SequencerCore.positionKey(account, market), delta);
    core.positions.add(SequencerCore.positionKey(counterparty, market), -delta);
  }

  @Override
  public long stepSize(int market) {
    return core.markets[market].stepSize;
  }

  @Override
  public void emit(SequencerEvent event) {
    core.listener().onRiskEvent(event);
  }
}
