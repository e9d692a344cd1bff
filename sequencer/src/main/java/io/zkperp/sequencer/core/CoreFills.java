package io.zkperp.sequencer.core;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.book.MatchListener;
import io.zkperp.sequencer.book.Order;

/**
 * The core's match callbacks: each fill moves both positions and the orders' nonce-slot fills, is
 * reported to the listener (the Fill event first), then settled by the risk hook; removed and
 * refused makers are finished. Before each fill the risk hook's post-trade check is asked for the
 * maker ({@link RiskHook#admitMakerFill}) and then for the taker ({@link RiskHook#admitTakerFill};
 * for a liquidation order {@link RiskHook#admitLiquidationFill}). Core thread.
 */
final class CoreFills extends CorePart implements MatchListener {
  CoreFills(SequencerCore core) {
    super(core);
  }

  @Override
  public void onFill(Order maker, Order taker, long price, long size) {
    long signed = taker.isBuy() ? size : -size;
    core.positions.add(SequencerCore.positionKey(taker.account, taker.market), signed);
    core.positions.add(SequencerCore.positionKey(maker.account, maker.market), -signed);
    addFilled(maker, size);
    if (!taker.liquidation) {
      addFilled(taker, size);
    }
    core.listener()
        .onFill(maker, taker, price, size); // the Fill event first, then the risk records
    core.risk.settle(maker, taker, price, size);
  }

  @Override
  public void onMakerRemoved(Order maker, boolean selfTrade) {
    core.finish(maker, selfTrade ? CloseReason.SELF_TRADE : CloseReason.FILLED);
  }

  @Override
  public boolean admitMaker(Order maker, long price, long size) {
    return core.risk.admitMakerFill(maker.account, maker.market, maker.side, size, price);
  }

  /**
   * The taker's post-trade check, for every fill of an ordinary order (the rules of {@link
   * #admitMaker} with the taker's fee rate). A liquidation order gets no post-trade check (it only
   * reduces the liquidated account's position, at the step's price limit, and pays the liquidation
   * fee capped by its equity instead of a taker fee); it fills only while its account is still
   * below maintenance margin ({@link RiskHook#admitLiquidationFill}), as the liquidation fill's
   * circuit requires of every fill.
   */
  @Override
  public boolean admitTaker(Order taker, long price, long size) {
    return taker.liquidation
        ? core.risk.admitLiquidationFill(taker.account)
        : core.risk.admitTakerFill(taker.account, taker.market, taker.side, size, price);
  }

  @Override
  public void onMakerRejected(Order maker) {
    core.finish(maker, CloseReason.POST_TRADE_CHECK_FAILED);
  }

  private void addFilled(Order o, long size) {
    core.nonceSlots.addFilled(o.account, core.nonceSlots.find(o.account, o.nonce), size);
  }
}
