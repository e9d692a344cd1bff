package io.zkperp.node.v3;

import io.zkperp.batcher.v3.TradeOrder;
import io.zkperp.batcher.v3.TradeTransaction;
import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.core.SequencerEvent;

/**
 * A fill as a trade step: the core's {@code Fill} event (order ids, the taker's side) and the
 * engine's {@code TradeSettled} record after it (fees, the state after) become a {@link
 * TradeTransaction} of the two orders' signed messages — the taker's and the maker's, both kept by
 * {@link LiveOrders} since they were placed — with the fill's price and size and each side's fee
 * rate, taken from the {@link FeeSchedule} and checked to give the record's fee amounts. Stateless;
 * the translator's thread.
 */
final class TradeSteps {
  private TradeSteps() {}

  /**
   * Builds the trade step of one fill.
   *
   * @param fill the {@code Fill} event right before the record, or null if there was none
   * @param r the record
   * @param live the live orders' signed forms
   * @param fees the fee rates
   * @return the step
   * @throws UnprovableRecordException the record has no matching fill, an order has no signature,
   *     or a fee is not the schedule's rate applied to the fill
   */
  static V3Step.Trade trade(
      SequencerEvent.Fill fill, SequencerEvent.TradeSettled r, LiveOrders live, FeeSchedule fees)
      throws UnprovableRecordException {
    if (fill == null
        || fill.market() != r.market()
        || fill.takerAccount() != r.takerAccount()
        || fill.makerAccount() != r.makerAccount()
        || fill.price() != r.price()
        || fill.size() != Math.abs(r.size())) {
      throw new UnprovableRecordException(
          "TradeSettled", "no Fill event of the same fill right before " + r + ": " + fill);
    }
    SignedOrder taker = signed(live, fill.takerOrderId(), "taker", r);
    SignedOrder maker = signed(live, fill.makerOrderId(), "maker", r);
    long notional;
    try {
      notional = Math.multiplyExact(fill.price(), fill.size());
    } catch (ArithmeticException e) {
      throw new UnprovableRecordException("TradeSettled", "notional leaves int64: " + r);
    }
    long takerPpm = fees.takerPpm(r.takerAccount());
    long makerPpm = fees.makerPpm(r.makerAccount());
    checkFee(notional, takerPpm, r.takerFee(), "taker", r);
    checkFee(notional, makerPpm, r.makerFee(), "maker", r);
    TradeOrder t = new TradeOrder(taker.message(), taker.signature(), takerPpm);
    TradeOrder m = new TradeOrder(maker.message(), maker.signature(), makerPpm);
    boolean takerBuys = fill.takerSide() == Side.BUY;
    return new V3Step.Trade(
        new TradeTransaction(
            r.market(), fill.price(), fill.size(), takerBuys ? t : m, takerBuys ? m : t),
        r);
  }

  private static SignedOrder signed(
      LiveOrders live, long orderId, String role, SequencerEvent.TradeSettled r)
      throws UnprovableRecordException {
    SignedOrder o = live.get(orderId);
    if (o == null) {
      throw new UnprovableRecordException(
          "TradeSettled",
          "the "
              + role
              + " order "
              + orderId
              + " has no signed order (not placed by a signed"
              + " PlaceOrder or CancelReplace): "
              + r);
    }
    return o;
  }

  private static void checkFee(
      long notional, long ppm, long recorded, String role, SequencerEvent.TradeSettled r)
      throws UnprovableRecordException {
    long fee = RiskMath.fee(notional, ppm);
    if (fee != recorded) {
      throw new UnprovableRecordException(
          "TradeSettled",
          "the "
              + role
              + " fee "
              + recorded
              + " is not fee("
              + notional
              + ", "
              + ppm
              + " ppm) = "
              + fee
              + " of the account's tier: "
              + r);
    }
  }
}
