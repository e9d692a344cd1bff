package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.WithdrawCollateral;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Worked examples; every expected number is computed by hand in the comments. Market 1: tick 1,
 * step 1; IMF 5%, MMF 3%, baseline 100, +1% IMF per started 50 above it, max position 1,000, open
 * interest cap 10,000. Prices in collateral quanta per synthetic quantum.
 */
class RiskEngineWorkedExamplesTest {
  static final int M = 1;
  static final MarketRisk PARAMS = RiskMathTest.BTC;

  RiskHarness h = new RiskHarness(RiskConfig.of(M, PARAMS), OrderBookFactory.OPTIMISED, M);

  /** Account 1 long 150 at 1,000 with 10,000 deposited; account 2 short 150. */
  void long150() {
    h.oracle(M, 1_000);
    h.deposit(1, 10_000);
    h.deposit(2, 100_000);
    // account 2 rests a sell of 150 at 1,000: equity after = 100,000 + 150,000 − 150,000 = 100,000
    // ≥ IMR 150,000 · 6% = 9,000
    h.place(order(2, Side.SELL, 150, 1_000));
    // account 1 buys 150 at 1,000: collateral 10,000 − 150,000 = −140,000, equity −140,000 +
    // 150 · 1,000 = 10,000 ≥ IMR 9,000
    h.place(order(1, Side.BUY, 150, 1_000).tif(TimeInForce.IOC));
  }

  @Test
  void initialMarginGrowsWithSize() {
    long150();
    assertThat(h.risk.collateral(1)).isEqualTo(-140_000);
    assertThat(h.risk.position(1, M)).isEqualTo(150);
    assertThat(h.risk.equity(1)).isEqualTo(10_000);
    // |s| = 150: ceil((150 − 100) / 50) = 1 step → IMF 6%; 150,000 · 6% = 9,000
    assertThat(h.risk.initialRequirement(1)).isEqualTo(9_000);
    assertThat(h.risk.freeCollateral(1)).isEqualTo(1_000);
    // a position of 100 would need only 100,000 · 5% = 5,000 (at the baseline); 1,000 would need
    // 1,000,000 · (5% + ceil(900 / 50) · 1%) = 1,000,000 · 23% = 230,000
    assertThat(h.risk.maintenanceRequirement(1)).isEqualTo(4_500); // 150,000 · 3%
    // the counterparty: short 150, collateral 100,000 + 150,000 = 250,000, equity 250,000 −
    // 150,000 = 100,000
    assertThat(h.risk.equity(2)).isEqualTo(100_000);
    assertThat(h.risk.position(2, M)).isEqualTo(-150);
    assertThat(h.risk.openInterest(M)).isEqualTo(150);
  }

  @Test
  void orderRejectedForInsufficientMargin() {
    long150();
    h.deposit(3, 100_000);
    h.place(order(3, Side.SELL, 10, 1_000));
    h.rejected(
        h.build(order(1, Side.BUY, 1, 1_000)),
        RejectReason.INSUFFICIENT_MARGIN,
        "insufficient margin: requires 1,570 free collateral, account has 1,000 (buy 1 at"
            + " 1,000 fully filled: equity 10,000 → 10,000, initial margin 9,000 → 10,570)");
    // an account with no collateral: buying 1 at 1,000 needs IMR 1,000 · 5% = 50
    h.rejected(
        h.build(order(4, Side.BUY, 1, 1_000)),
        RejectReason.INSUFFICIENT_MARGIN,
        "insufficient margin: requires 50 free collateral, account has 0 (buy 1 at 1,000"
            + " fully filled: equity 0 → 0, initial margin 0 → 50)");
  }

  @Test
  void worstCaseIsTheLimitPrice() {
    h.oracle(M, 1_000);
    h.deposit(1, 10_000);
    // bid 100 at 1,050 with the oracle at 1,000: equity after = 10,000 − 105,000 + 100,000 =
    // 5,000; IMR = 100,000 · 5% = 5,000 → exactly enough
    h.place(order(1, Side.BUY, 100, 1_050));
    // at 1,051: equity after = 10,000 − 105,100 + 100,000 = 4,900 < 5,000: requires
    // (5,000 − 0) + (10,000 − 4,900) = 10,100, account has 10,000
    h.deposit(6, 10_000);
    h.rejected(
        h.build(order(6, Side.BUY, 100, 1_051)),
        RejectReason.INSUFFICIENT_MARGIN,
        "insufficient margin: requires 10,100 free collateral, account has 10,000 (buy 100 at"
            + " 1,051 fully filled: equity 10,000 → 4,900, initial margin 0 → 5,000)");
  }

  @Test
  void equityAfterAPriceMoveAndTheUndercollateralisedRule() {
    // liquidation off: this example studies the margin rules on an account that stays below
    // maintenance margin (with liquidation on, the fall to 960 liquidates it: see
    // LiquidationWorkedExamplesTest)
    h =
        new RiskHarness(
            RiskConfig.of(M, PARAMS), LiquidationConfig.DISABLED, OrderBookFactory.OPTIMISED, M);
    long150();
    // the oracle falls 4% to 960: equity = −140,000 + 150 · 960 = 4,000; notional 144,000;
    // IMR 144,000 · 6% = 8,640; MMR 144,000 · 3% = 4,320 > equity (liquidatable: a later slice)
    h.oracle(M, 960);
    assertThat(h.risk.equity(1)).isEqualTo(4_000);
    assertThat(h.risk.initialRequirement(1)).isEqualTo(8_640);
    assertThat(h.risk.maintenanceRequirement(1)).isEqualTo(4_320);
    assertThat(h.risk.freeCollateral(1)).isEqualTo(-4_640);
    h.deposit(3, 1_000_000);
    h.place(order(3, Side.BUY, 50, 960));
    // increasing is refused: buying 1 at 960 leaves equity at 4,000 and gives MMR
    // ceil(151 · 960 · 3%) = ceil(4,348.8) = 4,349
    h.rejected(
        h.build(order(1, Side.BUY, 1, 960)),
        RejectReason.ACCOUNT_UNDERCOLLATERALISED,
        "account 1 is below its initial margin (equity 4,000, initial margin 8,640, maintenance"
            + " margin 4,320): only orders that reduce a position without lowering equity /"
            + " maintenance margin are accepted; this one gives equity 4,000, maintenance margin"
            + " 4,349 and does not reduce the position");
    // selling 50 at 900 (worst case): collateral −140,000 + 45,000 = −95,000; equity −95,000 +
    // 100 · 960 = 1,000; MMR 96,000 · 3% = 2,880; ratio 1,000 / 2,880 < 4,000 / 4,320 → refused
    h.rejected(
        h.build(order(1, Side.SELL, 50, 900).tif(TimeInForce.IOC)),
        RejectReason.ACCOUNT_UNDERCOLLATERALISED,
        "account 1 is below its initial margin (equity 4,000, initial margin 8,640, maintenance"
            + " margin 4,320): only orders that reduce a position without lowering equity /"
            + " maintenance margin are accepted; this one gives equity 1,000, maintenance margin"
            + " 2,880");
    // selling 50 at 960: collateral −92,000; equity −92,000 + 96,000 = 4,000; MMR 2,880;
    // 4,000 / 2,880 ≥ 4,000 / 4,320 → accepted although IMR 96,000 · 5% = 4,800 > 4,000
    h.place(order(1, Side.SELL, 50, 960).tif(TimeInForce.IOC));
    assertThat(h.risk.collateral(1)).isEqualTo(-92_000);
    assertThat(h.risk.position(1, M)).isEqualTo(100);
    assertThat(h.risk.equity(1)).isEqualTo(4_000);
    assertThat(h.risk.initialRequirement(1)).isEqualTo(4_800);
    // no withdrawal while free collateral (4,000 − 4,800) is negative
    h.rejected(
        new WithdrawCollateral(1, 1),
        RejectReason.INSUFFICIENT_FREE_COLLATERAL,
        "insufficient free collateral: withdrawal requires 1, account 1 has 0");
    // a 40% fall from 1,000 to 600: equity −92,000 + 60,000 = −32,000 (bankrupt; liquidation
    // and deleveraging are later slices)
    h.oracle(M, 600);
    assertThat(h.risk.equity(1)).isEqualTo(-32_000);
    // closing the whole position leaves MMR = 0, which needs equity ≥ 0 afterwards: selling 100
    // at 600 gives −92,000 + 60,000 = −32,000, refused (a bankrupt account is liquidation's job)
    h.deposit(3, 1_000_000);
    h.place(order(3, Side.BUY, 100, 600));
    h.rejected(
        h.build(order(1, Side.SELL, 100, 600).tif(TimeInForce.IOC)),
        RejectReason.ACCOUNT_UNDERCOLLATERALISED,
        "account 1 is below its initial margin (equity -32,000, initial margin 3,000, maintenance"
            + " margin 1,800): only orders that reduce a position without lowering equity /"
            + " maintenance margin are accepted; this one gives equity -32,000, maintenance margin"
            + " 0");
    // account 2 (short 150 at 1,000 with 100,000): collateral 250,000, equity 250,000 − 90,000
    // = 160,000; IMR 90,000 · 6% = 5,400; free 154,600
    assertThat(h.risk.equity(2)).isEqualTo(160_000);
    assertThat(h.risk.freeCollateral(2)).isEqualTo(154_600);
    h.withdraw(2, 154_600);
    h.rejected(
        new WithdrawCollateral(2, 1),
        RejectReason.INSUFFICIENT_FREE_COLLATERAL,
        "insufficient free collateral: withdrawal requires 1, account 2 has 0");
  }

  @Test
  void triggeredOrderIsCheckedAgainAtTheTriggerPrice() {
    h.oracle(M, 1_000);
    h.deposit(1, 10_000);
    h.deposit(2, 1_000_000);
    h.place(order(2, Side.SELL, 100, 1_045));
    // stop buy 100 at limit 1,050, trigger 1,040; at placement (oracle 1,000): equity after =
    // 10,000 − 105,000 + 100,000 = 5,000 ≥ IMR 100,000 · 5% = 5,000
    h.place(
        order(1, Side.BUY, 100, 1_050)
            .tif(TimeInForce.IOC)
            .trigger(io.zkperp.sequencer.TriggerType.STOP_LOSS, 1_040));
    // parked orders hold no margin: free collateral is still 10,000, 5,000 may be withdrawn
    h.withdraw(1, 5_000);
    // at 1,040 the check fails: 5,000 − 105,000 + 104,000 = 4,000 < IMR 104,000 · 5% = 5,200,
    // so the triggered order is closed without a fill
    h.events.drain();
    h.oracle(M, 1_040);
    assertThat(h.events.drain())
        .anyMatch(
            e ->
                e instanceof io.zkperp.sequencer.core.SequencerEvent.OrderClosed c
                    && c.reason() == io.zkperp.sequencer.CloseReason.TRIGGER_NOT_EXECUTABLE
                    && c.account() == 1)
        .noneMatch(e -> e instanceof io.zkperp.sequencer.core.SequencerEvent.Fill);
    assertThat(h.risk.position(1, M)).isZero();
    assertThat(h.risk.collateral(1)).isEqualTo(5_000);
  }

  @Test
  void fundingPaymentSettledOnTouchNeverCreatesCollateral() {
    long150(); // account 1 long 150 (collateral −140,000), account 2 short 150 (250,000)
    // tick 1: the index rises by 0.5 per quantum (2^31 in 32.32): longs pay 150 · 0.5 = 75
    h.ok(new FundingTick(M, 1L << 31, 100));
    assertThat(h.risk.pendingFunding(1)).isEqualTo(-75);
    assertThat(h.risk.pendingFunding(2)).isEqualTo(75);
    assertThat(h.risk.equity(1)).isEqualTo(10_000 - 75);
    assertThat(h.risk.collateral(1)).isEqualTo(-140_000); // not settled until touched
    // tick 2: + floor(2^32 / 3) = 1,431,655,765 (just under 1/3); index 3,579,139,413;
    // exact funding since the snapshot: 150 · 3,579,139,413 / 2^32 = 124.99999996…
    // account 1 pays ceil = 125, account 2 receives floor = 124 (1 quantum is destroyed)
    h.ok(new FundingTick(M, 1_431_655_765, 200));
    assertThat(h.risk.fundingIndex(M)).isEqualTo(3_579_139_413L);
    assertThat(h.risk.pendingFunding(1)).isEqualTo(-125);
    assertThat(h.risk.pendingFunding(2)).isEqualTo(124);
    // touching settles: a withdrawal by account 2 (free: 100,124 − 9,000 = 91,124), a deposit
    // by account 1
    h.withdraw(2, 1_000);
    assertThat(h.risk.collateral(2)).isEqualTo(250_000 + 124 - 1_000);
    assertThat(h.risk.fundingSnapshot(2, M)).isEqualTo(3_579_139_413L);
    h.deposit(1, 1);
    assertThat(h.risk.collateral(1)).isEqualTo(-140_000 - 125 + 1);
    assertThat(h.risk.pendingFunding(1)).isZero();
    // deposits 110,001 − withdrawals 1,000 = 109,001; collateral −140,124 + 249,124 = 109,000:
    // funding destroyed 1 quantum and created none
    assertThat(h.risk.totalCollateral()).isEqualTo(109_000);
    // bounds: 1% of the oracle price 1,000 = 10 per quantum = 42,949,672,960 in 32.32
    h.rejected(
        new FundingTick(M, 42_949_672_961L, 300),
        RejectReason.INVALID_FUNDING_TICK,
        "funding index change 42,949,672,961 exceeds the bound 42,949,672,960 (10000 ppm of the"
            + " oracle price 4,294,967,296,000, 32.32)");
    h.rejected(
        new FundingTick(M, -1, 200),
        RejectReason.INVALID_FUNDING_TICK,
        "funding timestamp 200 is not after the market's last one 200; use > 200");
  }

  @Test
  void feeChargeAndRebateRounding() {
    // tier 0: maker rebate 100 ppm (0.01%), taker fee 500 ppm (0.05%)
    h =
        new RiskHarness(
            new RiskConfig(Map.of(M, PARAMS), List.of(new FeeTier(-100, 500)), Map.of()),
            OrderBookFactory.OPTIMISED,
            M);
    h.oracle(M, 1_000);
    h.deposit(1, 1_000_000);
    h.deposit(2, 1_000_000);
    h.place(order(1, Side.SELL, 80, 1_001));
    // fill 3 at 1,001: notional 3,003; taker fee ceil(1.5015) = 2; maker rebate floor(0.3003) = 0
    h.place(order(2, Side.BUY, 3, 1_001).tif(TimeInForce.IOC));
    assertThat(h.risk.feeBalance()).isEqualTo(2);
    assertThat(h.risk.collateral(2)).isEqualTo(1_000_000 - 3_003 - 2);
    assertThat(h.risk.collateral(1)).isEqualTo(1_000_000 + 3_003);
    // fill 77 at 1,001: notional 77,077; taker ceil(38.5385) = 39; maker rebate floor(7.7077) = 7
    h.place(order(2, Side.BUY, 77, 1_001).tif(TimeInForce.IOC));
    assertThat(h.risk.feeBalance()).isEqualTo(2 + 39 - 7); // 34
    assertThat(h.risk.collateral(2)).isEqualTo(919_879); // 1,000,000 − 80,080 − 41
    assertThat(h.risk.collateral(1)).isEqualTo(1_080_087); // 1,000,000 + 80,080 + 7
    // conservation: 919,879 + 1,080,087 + 34 = 2,000,000
    assertThat(h.risk.totalCollateral() + h.risk.feeBalance()).isEqualTo(2_000_000);
    assertThat(h.risk.openInterest(M)).isEqualTo(80);
  }

  @Test
  void positionSizeAndOpenInterestLimits() {
    h.oracle(M, 1_000);
    h.deposit(1, 10_000_000);
    // 1,001 > max 1,000
    h.rejected(
        h.build(order(1, Side.BUY, 1_001, 1_000)),
        RejectReason.POSITION_SIZE_LIMIT,
        "position would be 1,001, above the maximum position size 1,000; an order on this side"
            + " may be at most 1,000");
    // open interest cap: a market with cap 100
    h =
        new RiskHarness(
            RiskConfig.of(M, new MarketRisk(50_000, 30_000, 100, 50, 10_000, 1_000, 100)),
            OrderBookFactory.OPTIMISED,
            M);
    h.oracle(M, 1_000);
    h.deposit(1, 10_000_000);
    h.deposit(2, 10_000_000);
    h.place(order(1, Side.SELL, 60, 1_000));
    h.place(order(2, Side.BUY, 60, 1_000).tif(TimeInForce.IOC)); // OI 60
    assertThat(h.risk.openInterest(M)).isEqualTo(60);
    // account 2 buying 41 more could take OI to 101
    h.rejected(
        h.build(order(2, Side.BUY, 41, 1_000)),
        RejectReason.OPEN_INTEREST_CAP,
        "open interest could reach 101, above the cap 100 (now 60); the order may increase the"
            + " position by at most 40");
    // account 1 (short 60) buying 20 only reduces its |position|: no open-interest check
    h.place(order(1, Side.BUY, 20, 1_000));
  }

  @Test
  void collateralCommandsAreTyped() {
    h.rejected(
        new DepositCollateral(1, 0),
        RejectReason.COLLATERAL_REJECTED,
        "deposit amount 0 must be > 0");
    h.rejected(
        new DepositCollateral(-1, 5),
        RejectReason.FIELD_OUT_OF_RANGE,
        "account -1 is negative; accounts are ≥ 0");
    h.deposit(1, Long.MAX_VALUE);
    h.rejected(
        new DepositCollateral(1, 1),
        RejectReason.AMOUNT_OUT_OF_RANGE,
        "deposit of 1 would take account 1's collateral 9,223,372,036,854,775,807 out of the"
            + " 64-bit range");
    h.rejected(
        new WithdrawCollateral(2, 5),
        RejectReason.INSUFFICIENT_FREE_COLLATERAL,
        "insufficient free collateral: withdrawal requires 5, account 2 has 0");
    h.rejected(
        h.build(order(1, Side.BUY, 1, 1_000)),
        RejectReason.NO_ORACLE_PRICE,
        "market 1 has no oracle price yet; orders are accepted after its first price");
    h.rejected(
        new OraclePrice(M, 1L << 31, 5),
        RejectReason.INVALID_ORACLE_PRICE,
        "oracle price 2,147,483,648 is too large for the 32.32 fixed point; use < 2,147,483,648");
    // without a risk engine collateral commands are refused
    SequencerCore plain = SequencerCore.withDefaults(CoreListener.NONE);
    assertThat(plain.apply(new DepositCollateral(1, 5))).isFalse();
    assertThat(plain.lastRejectReason()).isEqualTo(RejectReason.NO_RISK_ENGINE);
    assertThat(plain.lastRejectMessage())
        .isEqualTo("collateral commands need a risk engine; this core runs without one");
  }

  @Test
  void stateRoundTripsAndReplaysToTheSameHash() throws Exception {
    // liquidation off: the account stays at its numbers below maintenance margin (the liquidation
    // state's round trip is in LiquidationScenarioTest)
    h =
        new RiskHarness(
            RiskConfig.of(M, PARAMS), LiquidationConfig.DISABLED, OrderBookFactory.OPTIMISED, M);
    long150();
    h.oracle(M, 960);
    h.deposit(3, 500_000);
    h.place(order(3, Side.BUY, 20, 955));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    CoreState.write(h.core, new java.io.DataOutputStream(bytes));
    RiskEngine copyRisk = new RiskEngine(h.config, LiquidationConfig.DISABLED);
    SequencerCore copy =
        CoreState.read(
            new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())),
            OrderBookFactory.NAIVE,
            copyRisk,
            CoreListener.NONE);
    assertThat(CoreState.hashHex(copy)).isEqualTo(CoreState.hashHex(h.core));
    assertThat(copyRisk.collateral(1)).isEqualTo(-140_000);
    // replay of the accepted commands into a fresh core gives the same hash
    SequencerCore replay =
        new SequencerCore(
            OrderBookFactory.NAIVE,
            SelfTradePrevention.EXPIRE_MAKER,
            new RiskEngine(h.config, LiquidationConfig.DISABLED),
            CoreListener.NONE);
    h.accepted.forEach(c -> assertThat(replay.apply(c)).isTrue());
    assertThat(CoreState.hashHex(replay)).isEqualTo(CoreState.hashHex(h.core));
    // another configuration refuses the snapshot
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                CoreState.read(
                    new java.io.DataInputStream(
                        new java.io.ByteArrayInputStream(bytes.toByteArray())),
                    OrderBookFactory.NAIVE,
                    new RiskEngine(
                        RiskConfig.of(
                            M, new MarketRisk(60_000, 30_000, 100, 50, 10_000, 1_000, 100))),
                    CoreListener.NONE))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("other risk parameters");
  }
}
