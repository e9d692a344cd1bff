package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.WithdrawCollateral;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.SequencerEvent.Deposited;
import io.zkperp.sequencer.core.SequencerEvent.FundingTickApplied;
import io.zkperp.sequencer.core.SequencerEvent.Liquidated;
import io.zkperp.sequencer.core.SequencerEvent.PriceTickApplied;
import io.zkperp.sequencer.core.SequencerEvent.TradeSettled;
import io.zkperp.sequencer.core.SequencerEvent.Withdrawn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The risk engine's state-change records for the batcher: price tick, deposit, trade settlement,
 * funding tick, withdrawal; numbers by hand in the comments. Market 1 (IMF 5%), fee tier maker −100
 * ppm (rebate), taker 500 ppm.
 */
class StateChangeRecordsTest {
  static final int M = 1;

  RiskHarness h =
      new RiskHarness(
          new RiskConfig(Map.of(M, RiskMathTest.BTC), List.of(new FeeTier(-100, 500)), Map.of()),
          OrderBookFactory.OPTIMISED,
          M);

  <T> T record(Command c, Class<T> type) {
    h.events.drain();
    h.ok(c);
    List<T> found = h.events.drain().stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  /** Applies the command and feeds its records to the model, which must equal the engine. */
  List<SequencerEvent> step(RecordModel model, Command c) {
    h.events.drain();
    h.ok(c);
    List<SequencerEvent> ev = h.events.drain();
    model.applyAll(ev);
    model.assertMatches(h.risk, 4, new int[] {M}, "after " + c);
    return ev;
  }

  @Test
  void aLiquidationFillSettlesPendingFundingInItsRecordAndTheRecordsRebuildTheState() {
    RecordModel model = new RecordModel();
    model.applyAll(h.events.drain());
    step(model, new OraclePrice(M, 1_000, 7));
    step(model, new DepositCollateral(1, 6_000));
    step(model, new DepositCollateral(2, 100_000));
    step(model, new DepositCollateral(3, 100_000));
    step(model, h.build(order(2, Side.SELL, 100, 1_000)));
    // account 1 buys 100 at 1,000: taker fee 50 → −94,050; maker 100,000 + 100,000 + rebate 10 =
    // 200,010; fee
    // balance 40
    assertThat(
            only(
                step(model, h.build(order(1, Side.BUY, 100, 1_000).tif(TimeInForce.IOC))),
                TradeSettled.class))
        .containsExactly(
            new TradeSettled(
                M, 1, 2, 100, 1_000, 50, -10, 0, 0, -94_050, 200_010, 40, 100, -100, 0));
    step(model, h.build(order(3, Side.BUY, 100, 990)));
    // longs pay 1 per unit: account 1 owes 100 (pending), equity at 1,000 5,850 ≥ MMR 3,000
    step(model, new FundingTick(M, 1L << 32, 1));
    assertThat(h.risk.pendingFunding(1)).isEqualTo(-100);
    // at 970: equity −94,050 − 100 + 97,000 = 2,850 < MMR ceil(97,000 · 3%) = 2,910. Step
    // max(ceil(100 · 10%), ceil(1,000 / 970)) = 10, sold into account 3's bid at 990 (≥ the limit,
    // which is ≤ the oracle price). The fill settles the pending −100 in its TradeSettled:
    // −94,050 − 100 + 9,900 = −84,250; no taker fee, no rebate for the maker (rebate 0 on a
    // liquidation fill); maker 100,000 − 9,900 = 90,100; positions 90 / 10, snapshots at 2^32.
    // Liquidation fee min(ceil(9,900 · 1%) = 99, equity) = 99 → −84,349, insurance fund 99.
    List<SequencerEvent> ev = step(model, new OraclePrice(M, 970, 8));
    assertThat(only(ev, TradeSettled.class))
        .containsExactly(
            new TradeSettled(
                M, 1, 3, -10, 990, 0, 0, -100, 0, -84_250, 90_100, 40, 90, 10, 1L << 32));
    List<Liquidated> liq = only(ev, Liquidated.class);
    assertThat(liq).hasSize(1);
    Liquidated l = liq.get(0);
    assertThat(List.of(l.liquidationFee(), l.collateralBefore(), l.collateralAfter()))
        .containsExactly(99L, -94_150L, -84_349L);
    assertThat(List.of(l.insuranceFundAfter(), l.positionAfter(), l.counterpartyPositionAfter()))
        .containsExactly(99L, 90L, 10L);
    assertThat(h.risk.fundingSnapshot(1, M)).isEqualTo(1L << 32);
    assertThat(h.risk.fundingSnapshot(3, M)).isEqualTo(1L << 32);
    // account 2 (short, not touched) keeps its pending +100 and its old snapshot
    assertThat(h.risk.fundingSnapshot(2, M)).isZero();
    assertThat(model.fundingSettled).isEqualTo(-100);
  }

  static <T> List<T> only(List<SequencerEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void everyCollateralAndMarketChangeHasItsRecord() {
    assertThat(record(new OraclePrice(M, 1_000, 7), PriceTickApplied.class))
        .isEqualTo(
            new PriceTickApplied(M, 1_000L << 32, 7, 1_000)); // now: the harness's Tick(1,000)
    assertThat(record(new DepositCollateral(1, 10_000), Deposited.class))
        .isEqualTo(new Deposited(1, 10_000, 0, 10_000));
    h.deposit(2, 10_000);
    h.place(order(2, Side.SELL, 10, 1_000));
    // account 1 takes 10 at 1,000: notional 10,000; taker fee ceil(10,000 · 500 / 10^6) = 5; maker
    // rebate floor(10,000 · 100 / 10^6) = 1 → fee −1. Taker collateral 10,000 − 10,000 − 5 = −5;
    // maker 10,000 + 10,000 + 1 = 20,001; fee balance 5 − 1 = 4
    assertThat(
            record(h.build(order(1, Side.BUY, 10, 1_000).tif(TimeInForce.IOC)), TradeSettled.class))
        .isEqualTo(new TradeSettled(M, 1, 2, 10, 1_000, 5, -1, 0, 0, -5, 20_001, 4, 10, -10, 0));
    // funding +0.5 per unit (2^31 in 32.32): the long owes 5, the short is owed 5
    assertThat(record(new FundingTick(M, 1L << 31, 3), FundingTickApplied.class))
        .isEqualTo(new FundingTickApplied(M, 1L << 31, 1L << 31, 3, 1_000L << 32));
    // the short withdraws 100: funding +5 settled first, 20,001 + 5 − 100 = 19,906
    assertThat(record(new WithdrawCollateral(2, 100), Withdrawn.class))
        .isEqualTo(new Withdrawn(2, 100, 5, 19_906));
    // the long deposits 50: funding −5 settled first, −5 − 5 + 50 = 40
    assertThat(record(new DepositCollateral(1, 50), Deposited.class))
        .isEqualTo(new Deposited(1, 50, -5, 40));
    // a rejected command emits no record
    h.events.drain();
    h.rejected(
        new WithdrawCollateral(1, 1_000_000), RejectReason.INSUFFICIENT_FREE_COLLATERAL, null);
    assertThat(h.events.drain()).noneMatch(e -> e instanceof Withdrawn);
  }
}
