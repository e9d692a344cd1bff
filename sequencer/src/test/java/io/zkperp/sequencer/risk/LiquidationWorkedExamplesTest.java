package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.SequencerEvent.InsuranceTakeover;
import io.zkperp.sequencer.core.SequencerEvent.LiquidationTriggered;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Worked examples of liquidation prices and partial liquidation steps with the default liquidation
 * parameters (10% per step, minimum step notional 1,000, limit halfway, fee 1%); every expected
 * number is computed by hand in the comments. Market 1: IMF 5%, MMF 3%, no fees, step 1. The book
 * is empty, so each step's size goes to the insurance fund at the bankruptcy price. (The partial
 * liquidation by the book, with fees, is worked through in {@link LiquidationScenarioTest}.)
 */
class LiquidationWorkedExamplesTest {
  static final int M = 1;

  RiskHarness h =
      new RiskHarness(
          RiskConfig.of(M, RiskMathTest.BTC),
          LiquidationConfig.DEFAULT,
          OrderBookFactory.OPTIMISED,
          M);

  /** Account 1 long 100 at 1,000 and account 2 short 100 at 1,000, each with 5,000 (20x). */
  void longAndShortAt20x() {
    h.oracle(M, 1_000);
    h.deposit(1, 5_000);
    h.deposit(2, 5_000);
    h.place(order(2, Side.SELL, 100, 1_000));
    h.place(order(1, Side.BUY, 100, 1_000).tif(TimeInForce.IOC));
  }

  List<SequencerEvent> oracle(long price) {
    h.events.drain();
    h.oracle(M, price);
    return h.events.drain();
  }

  static <T> List<T> only(List<SequencerEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void liquidationPricesAndOneStepEachSide() {
    longAndShortAt20x();
    // Long: isolated liquidation price p' = (e − s·p) / (|s|·MMF − s) = (5,000 − 100,000) / (3 −
    // 100) = 979.38. At 980: equity −95,000 + 98,000 = 3,000 ≥ MMR 98,000 · 3% = 2,940 → nothing.
    assertThat(oracle(980))
        .containsExactly(
            new SequencerEvent.PriceTickApplied(M, 980L << 32, h.oracleTime - 1, 1_000));
    // At 979: equity 2,900 < MMR ceil(97,900 · 3%) = 2,937 → liquidated (IMR 97,900 · 5% = 4,895).
    // Step: max(ceil(100 · 10%) = 10, ceil(1,000 / 979) = 2) = 10. Bankruptcy price of the 10:
    // MMR(90) = ceil(88,110 · 3%) = ceil(2,643.3) = 2,644, closed part 2,937 − 2,644 = 293;
    // equity share floor(2,900 · 293 / 2,937) = floor(289.3) = 289; Δvalue 97,900 − 88,110 =
    // 9,790; b = ceil((9,790 − 289) / 10) = ceil(950.1) = 951. Limit 979 − floor(28 / 2) = 965;
    // the book is empty, so the fund takes the 10 at 951: its equity 0 − 9,510 + 9,790 = 280 ≥ 0.
    List<SequencerEvent> ev = oracle(979);
    assertThat(only(ev, LiquidationTriggered.class))
        .containsExactly(new LiquidationTriggered(1, 2_900, 2_937, 4_895));
    assertThat(only(ev, InsuranceTakeover.class))
        .containsExactly(
            new InsuranceTakeover(
                1, M, -10, 951, 979L << 32, -95_000, -85_490, 0, -9_510, 90, 10, 0));
    // one step only (a bounded fraction): equity −85,490 + 88,110 = 2,620 < MMR 2,644, still
    // liquidatable at the next price or funding tick
    assertThat(h.risk.position(1, M)).isEqualTo(90);
    assertThat(h.risk.equity(1)).isEqualTo(2_620);
    assertThat(h.risk.isLiquidatable(1)).isTrue();
    assertThat(h.risk.insuranceFund().equity()).isEqualTo(280);

    // Short: p' = (5,000 + 100,000) / (3 + 100) = 1,019.42. At 1,019: account 2's equity 105,000 −
    // 101,900 = 3,100 ≥ MMR ceil(3,057) = 3,057 → not liquidated. (Account 1, long 90 with
    // −85,490, is above maintenance from 980 up: at 1,019 equity 6,220 ≥ MMR ceil(2,751.3).)
    ev = oracle(1_019);
    assertThat(only(ev, LiquidationTriggered.class)).isEmpty();
    // At 1,020: equity 105,000 − 102,000 = 3,000 < MMR 102,000 · 3% = 3,060 (IMR 5,100). Step 10;
    // MMR(−90) = 91,800 · 3% = 2,754, closed 306; share floor(3,000 · 306 / 3,060) = 300;
    // Δvalue = value(−100) − value(−90) = −102,000 + 91,800 = −10,200; buying back c = −10:
    // b = floor((−10,200 − 300) / −10) = 1,050. Limit 1,020 + floor(30 / 2) = 1,035. The fund
    // (long 10 from the first step, collateral −9,510) takes the −10 at 1,050: its equity
    // before −9,510 + 10,200 = 690, after 690 + 10,500 − 10,200 = 990 ≥ 0; its position nets to 0.
    ev = oracle(1_020);
    assertThat(only(ev, LiquidationTriggered.class))
        .containsExactly(new LiquidationTriggered(2, 3_000, 3_060, 5_100));
    assertThat(only(ev, InsuranceTakeover.class))
        .containsExactly(
            new InsuranceTakeover(
                2, M, 10, 1_050, 1_020L << 32, 105_000, 94_500, -9_510, 990, -90, 0, 0));
    assertThat(h.risk.position(2, M)).isEqualTo(-90);
    assertThat(h.risk.insuranceFund().position(M)).isZero();
    assertThat(h.risk.insuranceFund().collateral()).isEqualTo(990);
    // 94,500 − 91,800 = 2,700 < 2,754: still liquidatable
    assertThat(h.risk.equity(2)).isEqualTo(2_700);
    assertThat(h.risk.isLiquidatable(2)).isTrue();
    // conservation: 10,000 deposited = Σ collateral + fund: −85,490 + 94,500 + 990 = 10,000
    assertThat(h.risk.totalCollateral() + h.risk.insuranceFund().collateral()).isEqualTo(10_000);
  }

  @Test
  void aFundingTickCanTriggerLiquidation() {
    longAndShortAt20x();
    // at 980 account 1 is just above maintenance: equity 3,000 ≥ MMR 2,940
    assertThat(oracle(980))
        .containsExactly(
            new SequencerEvent.PriceTickApplied(M, 980L << 32, h.oracleTime - 1, 1_000));
    // longs pay 1 quantum per unit (index +2^32; bound floor(980 · 2^32 · 1%) is larger): pending
    // funding −100, equity 2,900 < 2,940 → the funding tick liquidates. Funding is settled first:
    // collateral −95,100. Step 10: MMR(90) = 88,200 · 3% = 2,646, closed 294; share floor(2,900 ·
    // 294 / 2,940) = 290; Δvalue 98,000 − 88,200 = 9,800; b = ceil((9,800 − 290) / 10) = 951;
    // the fund takes the 10 at 951 (equity 9,800 − 9,510 = 290 ≥ 0): collateral −95,100 + 9,510 =
    // −85,590.
    h.events.drain();
    h.ok(new FundingTick(M, 1L << 32, 1));
    List<SequencerEvent> ev = h.events.drain();
    assertThat(only(ev, LiquidationTriggered.class))
        .containsExactly(new LiquidationTriggered(1, 2_900, 2_940, 4_900));
    assertThat(only(ev, InsuranceTakeover.class))
        .containsExactly(
            new InsuranceTakeover(
                1, M, -10, 951, 980L << 32, -95_100, -85_590, 0, -9_510, 90, 10, 1L << 32));
    // the short's +100 is still pending (not touched): Σ collateral + fund + pending = 10,000
    assertThat(h.risk.pendingFunding(2)).isEqualTo(100);
    assertThat(
            h.risk.totalCollateral()
                + h.risk.insuranceFund().collateral()
                + h.risk.totalPendingFunding())
        .isEqualTo(10_000);
  }
}
