package io.zkperp.sequencer.core;

import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.Order;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of conditional (stop / take-profit) orders once placed: when a trigger is reached (the
 * risk hook's exact 32.32 oracle price when it keeps one, else the core's integer price), and
 * whether a triggered order can still run (reduce-only still reduces, capped at the position; the
 * risk pre-check again at the new price; post-only does not cross; FOK fills whole). Core thread.
 */
final class ConditionalOrders extends CorePart {
  ConditionalOrders(SequencerCore core) {
    super(core);
  }

  /** Whether a conditional order's trigger is reached at the market's oracle price. */
  boolean reached(TriggerType trigger, Side side, long triggerPrice, MarketState m) {
    long fixed = core.risk.oraclePriceFixed(m.id);
    return fixed > 0
        ? trigger.triggersFixed(side, triggerPrice, fixed)
        : trigger.triggers(side, triggerPrice, m.oraclePrice);
  }

  /**
   * Takes the parked orders of the market whose trigger is reached off its parked list, in order id
   * order (the caller clears their {@code parked} flag one by one as it runs them).
   */
  List<Order> takeTriggered(MarketState m) {
    List<Order> triggered = new ArrayList<>();
    if (m.parked.isEmpty()) {
      return triggered;
    }
    m.parked.removeIf(
        o -> {
          if (reached(o.trigger, o.side, o.triggerPrice, m)) {
            triggered.add(o);
            return true;
          }
          return false;
        });
    return triggered;
  }

  /**
   * Whether a triggered order may execute now; a reduce-only order's remaining size is capped at
   * the position it reduces. False: the core closes it TRIGGER_NOT_EXECUTABLE.
   */
  boolean executable(MarketState m, Order o) {
    if (o.reduceOnly) {
      long pos = core.position(o.account, o.market);
      boolean reduces = o.side == Side.BUY ? pos < 0 : pos > 0;
      if (!reduces) {
        return false;
      }
      o.remaining = Math.min(o.remaining, Math.abs(pos));
    }
    // the risk pre-check again, at the trigger's oracle price (placement was checked at the then
    // price): a triggered order that would now fail it is closed unexecuted
    if (!core.risk
        .preCheck(
            o.account, o.market, o.side, o.remaining, o.price, core.position(o.account, o.market))
        .accepted()) {
      return false;
    }
    if (o.timeInForce == TimeInForce.POST_ONLY && m.book.wouldCross(o.isBuy(), o.price, 0)) {
      return false;
    }
    return o.timeInForce != TimeInForce.FOK
        || m.book.fillable(
                o.isBuy(),
                o.price,
                o.account,
                core.selfTradePrevention(),
                0,
                o.remaining,
                core.fills)
            >= o.remaining;
  }
}
