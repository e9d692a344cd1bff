package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.SequencerEvent.Deleveraged;
import io.zkperp.sequencer.core.SequencerEvent.InsuranceTakeover;
import io.zkperp.sequencer.core.SequencerEvent.Liquidated;
import io.zkperp.sequencer.core.SequencerEvent.LiquidationTriggered;
import io.zkperp.sequencer.core.SequencerEvent.OrderClosed;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scenario tests of liquidation; every expected number is computed by hand in the comments, from
 * the formulas in {@code sequencer/README.md} ("Liquidation"), never copied from the engine's
 * output. Market 1: tick 1, step 1, IMF 5%, MMF 3% (20x), baseline 100, no fees. Liquidation: 10%
 * per step but at least 50,000 quanta of notional, limit halfway between oracle and bankruptcy
 * price, fee 1% to the insurance fund.
 */
class LiquidationScenarioTest {
  static final int M = 1;
  static final LiquidationConfig LIQ =
      new LiquidationConfig(true, 100_000, 50_000, 500_000, 10_000);

  RiskHarness h =
      new RiskHarness(RiskConfig.of(M, RiskMathTest.BTC), LIQ, OrderBookFactory.OPTIMISED, M);

  /**
   * Account 1 goes 20x long 100 at 1,000 with 5,000 deposited: collateral 5,000 − 100,000 =
   * −95,000; equity 5,000 = IMR 100,000 · 5%. Account 2 (100,000) is the seller.
   */
  void twentyTimesLong() {
    h.oracle(M, 1_000);
    h.deposit(1, 5_000);
    h.deposit(2, 100_000);
    h.deposit(3, 1_000_000);
    h.place(order(2, Side.SELL, 100, 1_000));
    h.place(order(1, Side.BUY, 100, 1_000).tif(TimeInForce.IOC));
    assertThat(h.risk.collateral(1)).isEqualTo(-95_000);
    assertThat(h.risk.equity(1)).isEqualTo(5_000);
  }

  List<SequencerEvent> priceTick(long price) {
    h.events.drain();
    h.oracle(M, price);
    return h.events.drain();
  }

  static <T> List<T> only(List<SequencerEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void twentyTimesLongThroughACrashIsLiquidatedPartiallyThenFully() {
    twentyTimesLong();
    // liquidity: account 3 bids 30 at 970, 30 at 962, 18 at 955; account 1 also rests an ask of 5
    // at 1,100 (cancelled by the liquidation)
    h.place(order(3, Side.BUY, 30, 970));
    h.place(order(3, Side.BUY, 30, 962));
    h.place(order(3, Side.BUY, 18, 955));
    h.place(order(1, Side.SELL, 5, 1_100).clientId(77));
    long ownOrder = h.core.orderByClientId(1, 77).orderId;

    // 975: equity −95,000 + 97,500 = 2,500 < MMR ceil(97,500 · 3%) = 2,925 → liquidatable.
    // step: max(ceil(100 · 10%) = 10, ceil(50,000 / 975) = 52) = 52 of 100.
    // bankruptcy price: MMR(48) = ceil(46,800 · 3%) = 1,404, closed part 2,925 − 1,404 = 1,521;
    // equity share floor(2,500 · 1,521 / 2,925) = 1,300; Δvalue 97,500 − 46,800 = 50,700;
    // b = ceil((50,700 − 1,300) / 52) = 49,400 / 52 = 950.
    // limit = 975 − floor((975 − 950) · 50%) = 975 − 12 = 963: the bid at 970 fills (30), the one
    // at
    // 962 does not.
    List<SequencerEvent> ev = priceTick(975);
    assertThat(only(ev, LiquidationTriggered.class))
        .containsExactly(new LiquidationTriggered(1, 2_500, 2_925, 4_875)); // IMR 97,500 · 5%
    // account 1's ask is cancelled first; account 3's bid at 970 (order 3) is then filled
    assertThat(only(ev, OrderClosed.class))
        .containsExactly(
            new OrderClosed(ownOrder, 1, M, 5, CloseReason.LIQUIDATION),
            new OrderClosed(3, 3, M, 0, CloseReason.FILLED));
    // fill 30 at 970: collateral −95,000 + 29,100 = −65,900; equity −65,900 + 70 · 975 = 2,350;
    // fee min(ceil(29,100 · 1%) = 291, 2,350) = 291 → collateral −66,191, fund 291
    assertThat(only(ev, Liquidated.class))
        .containsExactly(
            new Liquidated(
                1,
                3,
                M,
                -30,
                970,
                963,
                950,
                291,
                975L << 32,
                -95_000,
                -66_191,
                970_900,
                291,
                70,
                30));
    // (account 3, the maker: 1,000,000 − 30 · 970 = 970,900)
    // the fill lifted the account: equity 2,350 − 291 = 2,059 ≥ MMR(70) = ceil(68,250 · 3%) =
    // 2,048. The step ends here (docs/perp-circuit.md §11.3, difference 1): the takeover circuit
    // re-proves the account liquidatable on the state after the fill and would refuse a takeover of
    // the other 22 now, so the rest waits for the next tick that finds the account liquidatable.
    assertThat(only(ev, InsuranceTakeover.class)).isEmpty();
    assertThat(only(ev, Deleveraged.class)).isEmpty();
    assertThat(h.risk.position(1, M)).isEqualTo(70);
    assertThat(h.risk.equity(1)).isEqualTo(2_059);
    assertThat(h.risk.isLiquidatable(1)).isFalse();
    assertThat(h.risk.insuranceFund().collateral()).isEqualTo(291);
    assertThat(h.risk.insuranceFund().position(M)).isZero();

    // 960: equity −66,191 + 67,200 = 1,009 < MMR ceil(67,200 · 3%) = 2,016 (IMR 3,360). Step:
    // max(ceil(70 · 10%) = 7, ceil(50,000 / 960) = 53) = 53 of 70. Bankruptcy price: MMR(17) =
    // ceil(16,320 · 3%) = 490, closed part 2,016 − 490 = 1,526; share floor(1,009 · 1,526 / 2,016)
    // = floor(763.7) = 763; Δvalue 67,200 − 16,320 = 50,880; b = ceil((50,880 − 763) / 53) =
    // ceil(945.6) = 946; limit 960 − floor(14 · 50%) = 953. Fills: 30 at 962, then 18 at 955.
    ev = priceTick(960);
    assertThat(only(ev, LiquidationTriggered.class))
        .containsExactly(new LiquidationTriggered(1, 1_009, 2_016, 3_360));
    // fill 1: collateral −66,191 + 28,860 = −37,331; equity −37,331 + 40 · 960 = 1,069; fee
    // min(ceil(288.6) = 289, 1,069) = 289 → −37,620; fund 291 + 289 = 580. Before fill 2 the
    // account
    // is still liquidatable (equity −37,620 + 38,400 = 780 < MMR(40) = 1,152), so it fills.
    // fill 2: collateral −37,620 + 17,190 = −20,430; equity −20,430 + 22 · 960 = 690; fee
    // min(ceil(171.9) = 172, 690) = 172 → −20,602; fund 752.
    List<Liquidated> fills = only(ev, Liquidated.class);
    assertThat(fills).hasSize(2);
    assertThat(fills.get(0).size()).isEqualTo(-30);
    assertThat(fills.get(0).price()).isEqualTo(962);
    assertThat(fills.get(0).limitPrice()).isEqualTo(953);
    assertThat(fills.get(0).bankruptcyPrice()).isEqualTo(946);
    assertThat(fills.get(0).liquidationFee()).isEqualTo(289);
    assertThat(fills.get(0).collateralAfter()).isEqualTo(-37_620);
    assertThat(fills.get(1).size()).isEqualTo(-18);
    assertThat(fills.get(1).price()).isEqualTo(955);
    assertThat(fills.get(1).liquidationFee()).isEqualTo(172);
    assertThat(fills.get(1).collateralAfter()).isEqualTo(-20_602);
    assertThat(fills.get(1).insuranceFundAfter()).isEqualTo(752);
    // the rest, 5: the account is still liquidatable (equity −20,602 + 21,120 = 518 < MMR(22) =
    // ceil(633.6) = 634), so the fund takes it at the bankruptcy price recomputed now: MMR(17) =
    // 490, closed 144; share floor(518 · 144 / 634) = floor(117.6) = 117; Δvalue 21,120 − 16,320 =
    // 4,800; b = ceil((4,800 − 117) / 5) = ceil(936.6) = 937. Fund equity after 752 − 4,685 + 4,800
    // = 867 ≥ 0. Account 1: −20,602 + 4,685 = −15,917; fund 752 − 4,685 = −3,933.
    assertThat(only(ev, InsuranceTakeover.class))
        .containsExactly(
            new InsuranceTakeover(
                1, M, -5, 937, 960L << 32, -20_602, -15_917, 752, -3_933, 17, 5, 0));
    // equity −15,917 + 16,320 = 403 < MMR 490: still liquidatable, stepped again on the next tick
    assertThat(h.risk.position(1, M)).isEqualTo(17);
    assertThat(h.risk.isLiquidatable(1)).isTrue();

    // 955: equity −15,917 + 16,235 = 318 < MMR ceil(487.05) = 488. Step: 53 ≥ 17 → the whole
    // position; the book is empty (every bid of account 3 filled). Last position, share = all the
    // equity: b = ceil((16,235 − 318) / 17) = ceil(936.3) = 937. Fund equity −3,933 + 5 · 955 =
    // 842, after 842 − 17 · 937 + 17 · 955 = 1,148 ≥ 0 → takeover. Account 1: −15,917 + 15,929 =
    // 12; fund −3,933 − 15,929 = −19,862.
    ev = priceTick(955);
    assertThat(only(ev, Liquidated.class)).isEmpty();
    assertThat(only(ev, InsuranceTakeover.class))
        .containsExactly(
            new InsuranceTakeover(
                1, M, -17, 937, 955L << 32, -15_917, 12, -3_933, -19_862, 0, 22, 0));
    assertThat(h.risk.position(1, M)).isZero();
    assertThat(h.risk.collateral(1)).isEqualTo(12);
    assertThat(h.risk.insuranceFund().position(M)).isEqualTo(22);
    assertThat(h.core.position(RiskEngine.INSURANCE_FUND, M)).isEqualTo(22);
    assertThat(h.risk.insuranceFund().collateral()).isEqualTo(-19_862);
    // conservation: deposits 1,105,000 = Σ collateral + fund (no fees in this market)
    assertThat(h.risk.totalCollateral() + h.risk.insuranceFund().collateral()).isEqualTo(1_105_000);
    assertThat(h.risk.positionSum(M)).isZero();
    assertThat(h.core.positionSum(M)).isZero();
    assertReplayAndSnapshotEqual();
  }

  /**
   * A liquidation order fills only while its account is still below maintenance margin: the
   * liquidation fill's circuit re-proves it before every fill (docs/perp-circuit.md §11.3). At 975
   * the step's order (52 at limit 963) fills 30 at 970, which lifts the account (equity 2,059 ≥
   * MMR(70) 2,048, as in the test above); the bid of 22 at 965 is not filled and keeps resting.
   */
  @Test
  void aFillThatLiftsTheAccountAboveMaintenanceEndsTheLiquidationOrder() {
    twentyTimesLong();
    h.place(order(3, Side.BUY, 30, 970));
    h.place(order(3, Side.BUY, 22, 965).clientId(22));
    List<SequencerEvent> ev = priceTick(975);
    assertThat(only(ev, Liquidated.class)).hasSize(1);
    assertThat(only(ev, Liquidated.class).get(0).size()).isEqualTo(-30);
    assertThat(only(ev, InsuranceTakeover.class)).isEmpty();
    assertThat(h.risk.position(1, M)).isEqualTo(70);
    assertThat(h.risk.collateral(1)).isEqualTo(-66_191);
    assertThat(h.risk.isLiquidatable(1)).isFalse();
    assertThat(h.core.orderByClientId(3, 22)).isNotNull();
    assertThat(h.core.orderByClientId(3, 22).remaining).isEqualTo(22);
    assertThat(h.risk.position(3, M)).isEqualTo(30);
    assertReplayAndSnapshotEqual();
  }

  @Test
  void theInsuranceFundAbsorbsTheLoss() {
    twentyTimesLong();
    // bids below 970 (the test above: a fill at 970 lifts the account and ends the order)
    h.place(order(3, Side.BUY, 30, 964));
    h.place(order(3, Side.BUY, 22, 963));
    // 975: as above, step 52 at limit 963: fill 30 at 964: collateral −95,000 + 28,920 = −66,080;
    // equity −66,080 + 70 · 975 = 2,170; fee min(ceil(289.2) = 290, 2,170) = 290 → −66,370; equity
    // 1,880 < MMR(70) 2,048: still liquidatable, so 22 at 963: −66,370 + 21,186 = −45,184; equity
    // −45,184 + 48 · 975 = 1,616; fee min(ceil(211.86) = 212, 1,616) = 212 → −45,396; fund 290 +
    // 212 = 502
    List<SequencerEvent> ev = priceTick(975);
    assertThat(only(ev, Liquidated.class)).hasSize(2);
    assertThat(h.risk.collateral(1)).isEqualTo(-45_396);
    assertThat(h.risk.insuranceFund().collateral()).isEqualTo(502);
    // equity −45,396 + 46,800 = 1,404 ≥ MMR 1,404
    assertThat(h.risk.isLiquidatable(1)).isFalse();
    // a gap to 940: equity −45,396 + 45,120 = −276 < 0, bankrupt. Bankruptcy price of the whole 48:
    // b = ceil((45,120 + 276) / 48) = ceil(945.75) = 946. Fund equity after taking it over: 502 −
    // 48 · 946 + 48 · 940 = 214 ≥ 0 → the fund takes it: it pays 45,408 for a position worth
    // 45,120 (loss 288: the account's 276 plus 12 of rounding in the account's favour)
    ev = priceTick(940);
    assertThat(only(ev, LiquidationTriggered.class))
        .containsExactly(new LiquidationTriggered(1, -276, 1_354, 2_256));
    // (MMR ceil(45,120 · 3%) = ceil(1,353.6) = 1,354; IMR 45,120 · 5% = 2,256)
    assertThat(only(ev, InsuranceTakeover.class))
        .containsExactly(
            new InsuranceTakeover(
                1, M, -48, 946, 940L << 32, -45_396, 12, 502, 502 - 45_408, 0, 48, 0));
    assertThat(only(ev, Deleveraged.class)).isEmpty();
    assertThat(h.risk.collateral(1)).isEqualTo(12);
    assertThat(h.risk.equity(1)).isEqualTo(12);
    assertThat(h.risk.insuranceFund().position(M)).isEqualTo(48);
    assertThat(h.risk.insuranceFund().equity()).isEqualTo(214);
    assertThat(h.risk.totalCollateral() + h.risk.insuranceFund().collateral()).isEqualTo(1_105_000);
    assertReplayAndSnapshotEqual();
  }

  @Test
  void withTheFundEmptyDeleveragingClosesTheRightCounterpartyAtTheBankruptcyPrice() {
    h.oracle(M, 1_000);
    h.deposit(1, 2_000);
    h.deposit(2, 100_000);
    h.deposit(4, 5_000);
    h.deposit(5, 100_000);
    h.place(order(2, Side.SELL, 60, 1_000)); // first in time
    h.place(order(4, Side.SELL, 40, 1_000));
    h.place(order(5, Side.BUY, 60, 1_000).tif(TimeInForce.IOC)); // takes account 2's 60
    // account 1: 20x long 40: collateral 2,000 − 40,000 = −38,000, equity 2,000 = IMR 2,000
    h.place(order(1, Side.BUY, 40, 1_000).tif(TimeInForce.IOC)); // takes account 4's 40
    assertThat(h.risk.position(2, M)).isEqualTo(-60);
    assertThat(h.risk.position(4, M)).isEqualTo(-40);
    // a gap to 940 with an empty book and an empty fund: equity −38,000 + 37,600 = −400.
    // b = ceil((37,600 + 400) / 40) = 950; the fund would end at 0 − 38,000 + 37,600 = −400 < 0
    // → deleveraging. Ranking of the shorts at 940 (pnl = value − cost):
    //   account 2: pnl −56,400 + 60,000 = 3,600, equity 160,000 − 56,400 = 103,600, notional
    //     56,400: pnl% · leverage = 3,600 / 60,000 · 56,400 / 103,600 ≈ 0.0327
    //   account 4: pnl −37,600 + 40,000 = 2,400, equity 45,000 − 37,600 = 7,400, notional
    //     37,600: 2,400 / 40,000 · 37,600 / 7,400 ≈ 0.3049 → first
    // so account 4 (not the lower id 2, not the first in time) is closed: 40 at 950.
    List<SequencerEvent> ev = priceTick(940);
    assertThat(only(ev, InsuranceTakeover.class)).isEmpty();
    // account 1: −38,000 + 40 · 950 = 0; account 4: 45,000 − 38,000 = 7,000
    assertThat(only(ev, Deleveraged.class))
        .containsExactly(
            new Deleveraged(1, 4, M, -40, 950, 940L << 32, -38_000, 0, 45_000, 7_000, 0, 0, 0));
    assertThat(h.risk.position(1, M)).isZero();
    assertThat(h.risk.position(4, M)).isZero();
    assertThat(h.core.position(4, M)).isZero();
    assertThat(h.risk.position(2, M)).isEqualTo(-60);
    assertThat(h.risk.collateral(1)).isZero();
    assertThat(h.risk.collateral(4)).isEqualTo(7_000);
    assertThat(h.risk.insuranceFund().collateral()).isZero();
    assertThat(h.risk.totalCollateral()).isEqualTo(207_000);
    assertReplayAndSnapshotEqual();
  }

  /** The accepted commands replay to the same state hash, and a snapshot round trips. */
  void assertReplayAndSnapshotEqual() {
    String hash = CoreState.hashHex(h.core);
    SequencerCore replay =
        new SequencerCore(
            OrderBookFactory.NAIVE,
            SelfTradePrevention.EXPIRE_MAKER,
            new RiskEngine(h.config, LIQ),
            CoreListener.NONE);
    for (Command c : h.accepted) {
      assertThat(replay.apply(c)).as("replay of %s", c).isTrue();
    }
    assertThat(CoreState.hashHex(replay)).isEqualTo(hash);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CoreState.write(h.core, new DataOutputStream(bytes));
      RiskEngine copy = new RiskEngine(h.config, LIQ);
      SequencerCore restored =
          CoreState.read(
              new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
              OrderBookFactory.OPTIMISED,
              copy,
              CoreListener.NONE);
      assertThat(CoreState.hashHex(restored)).isEqualTo(hash);
      assertThat(copy.insuranceFund().collateral()).isEqualTo(h.risk.insuranceFund().collateral());
      assertThat(copy.insuranceFund().position(M)).isEqualTo(h.risk.insuranceFund().position(M));
      // other liquidation parameters refuse the snapshot
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  CoreState.read(
                      new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                      OrderBookFactory.OPTIMISED,
                      new RiskEngine(h.config, LiquidationConfig.DEFAULT),
                      CoreListener.NONE))
          .hasMessageContaining("other liquidation parameters");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
