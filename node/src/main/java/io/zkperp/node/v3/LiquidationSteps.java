package io.zkperp.node.v3;

import io.zkperp.batcher.v3.TradeOrder;
import io.zkperp.batcher.v3.liquidation.Deleveraging;
import io.zkperp.batcher.v3.liquidation.InsuranceTakeover;
import io.zkperp.batcher.v3.liquidation.LiquidationFill;
import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.sequencer.core.SequencerEvent;

/**
 * The engine's liquidation records as liquidation steps (docs/perp-circuit.md §11.5): a {@code
 * Liquidated} fill — its {@code Fill} (the liquidation order is the taker, unsigned: nonce 0) and
 * {@code TradeSettled} right before it — a {@link LiquidationFill} of the maker's signed resting
 * order (kept by {@link LiveOrders}) at the fill's price and size, the maker's fee rate from the
 * {@link FeeSchedule} (checked to give the record's maker fee) and the record's liquidation fee; an
 * {@code InsuranceTakeover} an {@link InsuranceTakeover} of the record's signed size at its price;
 * a {@code Deleveraged} a {@link Deleveraging} against the record's counterparty. Stateless; the
 * translator's thread.
 */
final class LiquidationSteps {
  private LiquidationSteps() {}

  /**
   * Whether a fill is one of the engine's liquidation orders (the unsigned taker, nonce 0).
   *
   * @param fill the core's {@code Fill}
   * @return true for a liquidation order's fill
   */
  static boolean isLiquidationFill(SequencerEvent.Fill fill) {
    return fill != null && fill.takerNonce() == 0;
  }

  /**
   * The liquidation fill of a {@code Liquidated} record.
   *
   * @param fill the liquidation order's {@code Fill}
   * @param trade its {@code TradeSettled}
   * @param maker the maker's signed order, looked up when the fill settled (null if it had none)
   * @param r the record
   * @param fees the fee rates
   * @return the step
   * @throws UnprovableRecordException the record does not follow its fill and settlement, the maker
   *     order has no signature, or the maker's fee is not its tier's rate applied to the fill (a
   *     rebate counted as 0: no rebate on a liquidation fill)
   */
  static V3Step.Liquidation fill(
      SequencerEvent.Fill fill,
      SequencerEvent.TradeSettled trade,
      SignedOrder maker,
      SequencerEvent.Liquidated r,
      FeeSchedule fees)
      throws UnprovableRecordException {
    if (fill == null
        || trade == null
        || fill.takerAccount() != r.account()
        || fill.makerAccount() != r.counterparty()
        || fill.market() != r.market()
        || fill.price() != r.price()
        || fill.size() != Math.abs(r.size())
        || trade.takerAccount() != r.account()) {
      throw new UnprovableRecordException(
          "Liquidated", "no Fill and TradeSettled of the same fill right before " + r);
    }
    if (maker == null) {
      throw new UnprovableRecordException(
          "Liquidated",
          "the maker order "
              + fill.makerOrderId()
              + " has no signed order (not placed by a signed PlaceOrder or CancelReplace): "
              + r);
    }
    long makerPpm = fees.makerPpm(r.counterparty());
    long notional;
    try {
      notional = Math.multiplyExact(fill.price(), fill.size());
    } catch (ArithmeticException e) {
      throw new UnprovableRecordException("Liquidated", "notional leaves int64: " + r);
    }
    // no rebate on a liquidation fill: the maker pays max(0, fee) (Settlement.settle, and the
    // liquidation step's Fee gadget); a rebate tier's maker pays 0
    long makerFee = Math.max(0, RiskMath.fee(notional, makerPpm));
    if (makerFee != trade.makerFee()) {
      throw new UnprovableRecordException(
          "Liquidated",
          "the maker fee "
              + trade.makerFee()
              + " is not max(0, fee("
              + notional
              + ", "
              + makerPpm
              + " ppm)) = "
              + makerFee
              + " of the account's tier: "
              + r);
    }
    TradeOrder order = new TradeOrder(maker.message(), maker.signature(), makerPpm);
    return new V3Step.Liquidation(
        new LiquidationFill(
            r.market(), fill.price(), fill.size(), r.account(), order, r.liquidationFee()),
        r,
        trade);
  }

  /**
   * The takeover of an {@code InsuranceTakeover} record.
   *
   * @param r the record
   * @return the step
   */
  static V3Step.Liquidation takeover(SequencerEvent.InsuranceTakeover r) {
    return new V3Step.Liquidation(
        new InsuranceTakeover(r.account(), r.market(), r.size(), r.price()), r, null);
  }

  /**
   * The deleveraging of a {@code Deleveraged} record: the record's size at the record's price, the
   * engine's bankruptcy price of that share on the state before it (each counterparty's share
   * priced on its own state, as the step does; the step refuses any other price, {@code
   * BANKRUPTCY_PRICE}).
   *
   * @param r the record
   * @return the step
   */
  static V3Step.Liquidation deleveraging(SequencerEvent.Deleveraged r) {
    return new V3Step.Liquidation(
        new Deleveraging(r.account(), r.counterparty(), r.market(), r.size(), r.price()), r, null);
  }
}
