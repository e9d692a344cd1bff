package io.zkperp.sequencer.risk;

import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.sequencer.core.SequencerEvent;

/**
 * The wide state-change records, built from small named value types instead of fifteen positional
 * numbers: a {@link Leg} per account a change touches, and the {@link Exchange} of a position
 * between two accounts. Stateless; core thread.
 */
final class StateRecords {
  private StateRecords() {}

  /**
   * One account's side of a change.
   *
   * @param account the account id
   * @param collateralBefore its collateral before (funding settled)
   * @param collateralAfter its collateral after
   * @param positionAfter its signed position in the market after
   */
  record Leg(int account, long collateralBefore, long collateralAfter, long positionAfter) {
    static Leg of(Account a, long collateralBefore, int market) {
      return new Leg(a.id, collateralBefore, a.collateral, a.size(market));
    }
  }

  /**
   * A position changing hands: {@code first} trades {@code size} at {@code price} with {@code
   * second}, at oracle price {@code oracle} and funding index {@code fundingIndex}.
   *
   * @param market the market
   * @param size the signed change of {@code first}'s position
   * @param price the price
   * @param oracle the market's oracle price, 32.32
   * @param fundingIndex the market's funding index after
   * @param first the account whose change {@code size} is
   * @param second its counterparty
   */
  record Exchange(
      int market, long size, long price, long oracle, long fundingIndex, Leg first, Leg second) {
    /** The same exchange with another first leg (its collateral after a fee). */
    Exchange withFirst(Leg leg) {
      return new Exchange(market, size, price, oracle, fundingIndex, leg, second);
    }
  }

  /** The settlement of one fill; {@code first} is the taker, {@code second} the maker. */
  static SequencerEvent.TradeSettled tradeSettled(
      Exchange e,
      long takerFee,
      long makerFee,
      long takerFunding,
      long makerFunding,
      long feeBalanceAfter) {
    return new SequencerEvent.TradeSettled(
        e.market(),
        e.first().account(),
        e.second().account(),
        e.size(),
        e.price(),
        takerFee,
        makerFee,
        takerFunding,
        makerFunding,
        e.first().collateralAfter(),
        e.second().collateralAfter(),
        feeBalanceAfter,
        e.first().positionAfter(),
        e.second().positionAfter(),
        e.fundingIndex());
  }

  /**
   * One fill of a liquidation order; {@code first} is the liquidated account (collateral after the
   * fee), {@code second} the maker.
   */
  static SequencerEvent.Liquidated liquidated(
      Exchange e, long limitPrice, long bankruptcyPrice, long fee, long insuranceFundAfter) {
    return new SequencerEvent.Liquidated(
        e.first().account(),
        e.second().account(),
        e.market(),
        e.size(),
        e.price(),
        limitPrice,
        bankruptcyPrice,
        fee,
        e.oracle(),
        e.first().collateralBefore(),
        e.first().collateralAfter(),
        e.second().collateralAfter(),
        insuranceFundAfter,
        e.first().positionAfter(),
        e.second().positionAfter());
  }

  /** The insurance fund ({@code second}) took over part of {@code first}'s position. */
  static SequencerEvent.InsuranceTakeover insuranceTakeover(Exchange e) {
    return new SequencerEvent.InsuranceTakeover(
        e.first().account(),
        e.market(),
        e.size(),
        e.price(),
        e.oracle(),
        e.first().collateralBefore(),
        e.first().collateralAfter(),
        e.second().collateralBefore(),
        e.second().collateralAfter(),
        e.first().positionAfter(),
        e.second().positionAfter(),
        e.fundingIndex());
  }

  /** The bankrupt {@code first} was deleveraged against {@code second}. */
  static SequencerEvent.Deleveraged deleveraged(Exchange e) {
    return new SequencerEvent.Deleveraged(
        e.first().account(),
        e.second().account(),
        e.market(),
        e.size(),
        e.price(),
        e.oracle(),
        e.first().collateralBefore(),
        e.first().collateralAfter(),
        e.second().collateralBefore(),
        e.second().collateralAfter(),
        e.first().positionAfter(),
        e.second().positionAfter(),
        e.fundingIndex());
  }

  /** A forced trade's record; {@code e} is the exchange ({@code first} is A), null if invalid. */
  static SequencerEvent.ForcedTradeServed forcedTradeServed(
      long priorityIndex, ForcedTradeRequest r, ForcedTradeReason reason, Exchange e) {
    if (e == null) {
      return new SequencerEvent.ForcedTradeServed(
          priorityIndex, r, reason, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    return new SequencerEvent.ForcedTradeServed(
        priorityIndex,
        r,
        reason,
        e.price(),
        e.oracle(),
        e.fundingIndex(),
        e.first().collateralBefore(),
        e.first().collateralAfter(),
        e.first().positionAfter(),
        e.second().collateralBefore(),
        e.second().collateralAfter(),
        e.second().positionAfter());
  }
}
