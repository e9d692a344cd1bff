package io.zkperp.sequencer.core;

import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.command.PlaceOrder;

/**
 * Every check of a new order, in order: fields, market rules (tick, step, minimum size), flags,
 * trigger, expiry, nonce window, client order id, reduce-only, the risk pre-check, then the
 * post-only and FOK book checks. Reads the core through {@link OrderContext}, never changes it; a
 * failed check is a {@link Verdict.Rejected} whose message says what would be accepted. Core
 * thread.
 */
final class OrderValidator {
  private final OrderContext core;

  OrderValidator(OrderContext core) {
    this.core = core;
  }

  /** All checks of a new order: the first failure, or {@link Verdict#ACCEPTED}. No changes. */
  Verdict validate(PlaceOrder p, long excludeOrderId) {
    if (p.account() < 0) {
      return reject(
          RejectReason.FIELD_OUT_OF_RANGE,
          "account " + p.account() + " is negative; account ids are 0 to 2^31-1");
    }
    MarketState m = core.market(p.market());
    if (m == null) {
      return reject(RejectReason.UNKNOWN_MARKET, core.unknownMarket(p.market()));
    }
    if (p.size() <= 0) {
      return reject(RejectReason.FIELD_OUT_OF_RANGE, "size " + p.size() + " must be > 0");
    }
    if (p.price() <= 0) {
      return reject(RejectReason.FIELD_OUT_OF_RANGE, "price " + p.price() + " must be > 0");
    }
    if (p.feeCap() < 0) {
      return reject(RejectReason.FIELD_OUT_OF_RANGE, "fee cap " + p.feeCap() + " must be ≥ 0");
    }
    if (p.nonce() <= 0) {
      return reject(RejectReason.FIELD_OUT_OF_RANGE, "nonce " + p.nonce() + " must be ≥ 1");
    }
    if (p.price() % m.tickSize != 0) {
      long down = p.price() - p.price() % m.tickSize;
      return reject(
          RejectReason.PRICE_NOT_TICK_MULTIPLE,
          "price "
              + p.price()
              + " is not a multiple of tick size "
              + m.tickSize
              + "; nearest valid prices "
              + (down > 0 ? down + " or " : "")
              + (down + m.tickSize));
    }
    if (p.size() % m.stepSize != 0) {
      long down = p.size() - p.size() % m.stepSize;
      return reject(
          RejectReason.SIZE_NOT_STEP_MULTIPLE,
          "size "
              + p.size()
              + " is not a multiple of step size "
              + m.stepSize
              + "; nearest valid sizes "
              + (down >= m.minSize ? down + " or " : "")
              + Math.max(down + m.stepSize, m.minSize));
    }
    if (p.size() < m.minSize) {
      return reject(
          RejectReason.SIZE_BELOW_MINIMUM,
          "size "
              + p.size()
              + " is below the minimum size "
              + m.minSize
              + " of market "
              + m.id
              + "; the smallest valid size is "
              + m.minSize);
    }
    Verdict flags = checkFlags(p);
    if (!flags.accepted()) {
      return flags;
    }
    if (p.trigger() != TriggerType.NONE) {
      Verdict trigger = checkTrigger(p, m);
      if (!trigger.accepted()) {
        return trigger;
      }
    }
    if (p.expiry() <= core.time()) {
      return reject(
          RejectReason.EXPIRED,
          "good-til time "
              + p.expiry()
              + " is not after the current time "
              + core.time()
              + "; use an expiry > "
              + core.time());
    }
    Verdict nonce = checkNonce(p);
    if (!nonce.accepted()) {
      return nonce;
    }
    Order sameClientId = core.liveOrderByClientId(p.account(), p.clientOrderId());
    if (sameClientId != null && sameClientId.orderId != excludeOrderId) {
      return reject(
          RejectReason.DUPLICATE_CLIENT_ORDER_ID,
          "account "
              + p.account()
              + " already has live order "
              + sameClientId.orderId
              + " with client order id "
              + Integer.toUnsignedString(p.clientOrderId())
              + "; use another client order id, or cancel-replace that order");
    }
    long pos = core.position(p.account(), p.market());
    if (p.reduceOnly() && p.trigger() == TriggerType.NONE) {
      Verdict reduce = checkReduceOnly(p, pos);
      if (!reduce.accepted()) {
        return reduce;
      }
    }
    Verdict fee = core.risk().checkFeeCap(p.account(), p.feeCap());
    if (!fee.accepted()) {
      return fee;
    }
    Verdict risk =
        core.risk().preCheck(p.account(), p.market(), p.side(), p.size(), p.price(), pos);
    if (!risk.accepted() || p.trigger() != TriggerType.NONE) {
      return risk;
    }
    boolean buy = p.side() == Side.BUY;
    if (p.timeInForce() == TimeInForce.POST_ONLY
        && m.book.wouldCross(buy, p.price(), excludeOrderId)) {
      long best = buy ? m.book.bestAsk() : m.book.bestBid();
      return reject(
          RejectReason.POST_ONLY_WOULD_CROSS,
          "post-only "
              + p.side()
              + " at "
              + p.price()
              + " would cross the best "
              + (buy ? "ask " : "bid ")
              + best
              + "; post-only "
              + p.side()
              + " prices must be "
              + (buy ? "below " : "above ")
              + "the best "
              + (buy ? "ask" : "bid"));
    }
    if (p.timeInForce() == TimeInForce.FOK) {
      long can = core.fillable(m, buy, p.price(), p.account(), excludeOrderId, p.size());
      if (can < p.size()) {
        return reject(
            RejectReason.FOK_NOT_FILLABLE,
            "FOK "
                + p.side()
                + " of size "
                + p.size()
                + (p.type() == OrderType.MARKET ? " with worst price " : " at limit price ")
                + p.price()
                + " can fill only "
                + can
                + " now; a FOK order must fill its whole size at once");
      }
    }
    return Verdict.ACCEPTED;
  }

  private static Verdict reject(RejectReason reason, String message) {
    return new Verdict.Rejected(reason, message);
  }

  private Verdict checkFlags(PlaceOrder p) {
    TimeInForce tif = p.timeInForce();
    boolean immediate = tif == TimeInForce.IOC || tif == TimeInForce.FOK;
    if (p.type() == OrderType.MARKET && !immediate) {
      return reject(
          RejectReason.INVALID_ORDER_FLAGS,
          "a MARKET order must be IOC or FOK, got " + tif + "; use a LIMIT order to rest");
    }
    if (p.reduceOnly() && !immediate) {
      return reject(
          RejectReason.INVALID_ORDER_FLAGS,
          "a reduce-only order must be IOC or FOK (it may not rest), got " + tif);
    }
    if (p.trigger() == TriggerType.NONE && p.triggerPrice() != 0) {
      return reject(
          RejectReason.INVALID_TRIGGER,
          "trigger price " + p.triggerPrice() + " given for a non-conditional order; use 0");
    }
    return Verdict.ACCEPTED;
  }

  private Verdict checkTrigger(PlaceOrder p, MarketState m) {
    if (p.triggerPrice() <= 0 || p.triggerPrice() % m.tickSize != 0) {
      return reject(
          RejectReason.INVALID_TRIGGER,
          "trigger price "
              + p.triggerPrice()
              + " must be > 0 and a multiple of tick size "
              + m.tickSize);
    }
    if (m.oraclePrice != 0 && core.triggerReached(p.trigger(), p.side(), p.triggerPrice(), m)) {
      return reject(
          RejectReason.INVALID_TRIGGER,
          p.trigger()
              + " "
              + p.side()
              + " with trigger price "
              + p.triggerPrice()
              + " would trigger at once: the oracle price is "
              + m.oraclePrice
              + "; place a plain order instead, or choose a trigger not yet reached");
    }
    return Verdict.ACCEPTED;
  }

  private Verdict checkReduceOnly(PlaceOrder p, long pos) {
    boolean reduces = p.side() == Side.BUY ? pos < 0 : pos > 0;
    if (!reduces) {
      return reject(
          RejectReason.REDUCE_ONLY_WOULD_INCREASE,
          "reduce-only "
              + p.side()
              + " would open or increase the position: position is "
              + pos
              + "; a reduce-only "
              + p.side()
              + " needs a "
              + (p.side() == Side.BUY ? "short" : "long")
              + " position");
    }
    if (p.size() > Math.abs(pos)) {
      return reject(
          RejectReason.REDUCE_ONLY_EXCEEDS_POSITION,
          "reduce-only size "
              + p.size()
              + " exceeds the position "
              + pos
              + "; accepted sizes are ≤ "
              + Math.abs(pos));
    }
    return Verdict.ACCEPTED;
  }

  private Verdict checkNonce(PlaceOrder p) {
    int i = core.nonceSlots().find(p.account(), p.nonce());
    if (i < 0) {
      return Verdict.ACCEPTED;
    }
    long held = core.nonceSlots().nonceAt(p.account(), i);
    long slot = p.nonce() & (NonceSlots.WINDOW - 1);
    if (held < p.nonce()) {
      return Verdict.ACCEPTED;
    }
    if (held > p.nonce()) {
      return reject(
          RejectReason.NONCE_TOO_OLD,
          "nonce "
              + p.nonce()
              + " is too old: its slot "
              + slot
              + " (nonce mod "
              + NonceSlots.WINDOW
              + ") holds nonce "
              + held
              + "; use an unused nonce whose slot is empty or holds a smaller nonce");
    }
    long state = core.nonceSlots().stateAt(p.account(), i);
    if (state > 0) {
      return reject(
          RejectReason.NONCE_IN_USE,
          "nonce " + p.nonce() + " belongs to live order " + state + "; use a new nonce");
    }
    long filled = core.nonceSlots().filledAt(p.account(), i);
    if (state == NonceSlots.CLOSED || filled > 0) { // a resubmission would exceed its signed size
      return reject(
          RejectReason.NONCE_REPLAYED,
          "nonce "
              + p.nonce()
              + " was already used (filled "
              + filled
              + (state == NonceSlots.CLOSED ? ", closed" : "")
              + "); use a new nonce");
    }
    return Verdict.ACCEPTED;
  }
}
