package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.SequencerEvent.LiquidationTriggered;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LiquidationPriceTest {
  /** IMF 10%, MMF 5%, no size steps. */
  static final MarketRisk M5 = new MarketRisk(100_000, 50_000, 1_000_000, 1, 0, 1_000_000, 0);

  /** IMF 5%, MMF 3%. */
  static final MarketRisk M3 = new MarketRisk(50_000, 30_000, 1_000_000, 1, 0, 1_000_000, 0);

  static final long ONE = 1L << 32;

  @Test
  void longWorkedExample() {
    // deposited 100, bought 10 at 100: collateral −900, long 10, MMF 5%. With v = 10 · P / 2^32:
    // equity = −900 + floor(v), MMR = ceil(ceil(v) / 20). For v in (947, 948): 47 < 48,
    // liquidatable; at v = 948 exactly: 48 < 48 is false; above: 48 < ceil(949/20) = 48 false.
    // So the highest liquidatable price is the last one below v = 948: floor(948 · 2^32 / 10)
    // = 407162899660 (948 · 2^32 / 10 = 407162899660.8), about 94.8 per quantum.
    OptionalLong p = LiquidationPrice.of(10, M5, -900, 0);
    assertThat(p).hasValue(407_162_899_660L);
    assertThat(LiquidationPrice.liquidatableAt(407_162_899_660L, 10, M5, -900, 0)).isTrue();
    assertThat(LiquidationPrice.liquidatableAt(407_162_899_661L, 10, M5, -900, 0)).isFalse();
  }

  @Test
  void shortWorkedExample() {
    // deposited 100, sold 10 at 100: collateral 1100, short 10, MMF 5%. With c = ceil(v):
    // equity = 1100 − c, MMR = ceil(c / 20). c = 1047: 53 < 53 false; c = 1048: 52 < 53 true.
    // So the lowest liquidatable price is the first with v > 1047: floor(1047 · 2^32 / 10) + 1
    // = 449683075892, about 104.7 per quantum.
    assertThat(LiquidationPrice.of(-10, M5, 1100, 0)).hasValue(449_683_075_892L);
    assertThat(LiquidationPrice.liquidatableAt(449_683_075_892L, -10, M5, 1100, 0)).isTrue();
    assertThat(LiquidationPrice.liquidatableAt(449_683_075_891L, -10, M5, 1100, 0)).isFalse();
  }

  @Test
  void otherPositionsAreHeldAtTheirMarks() {
    // the long of longWorkedExample plus a short of 5 at oracle 200 in a 3% market:
    // value −1000 (collateral +1000 from selling it: −900 + 1100 … here rest equity is
    // −900 + 1100 − 1000 = −800), requirement ceil(1000 · 3%) = 30. equity = −800 + floor(v),
    // MMR = 30 + ceil(ceil(v) / 20): v in (873, 874): 73 < 74 liquidatable; v = 874: 74 < 74 no.
    // Highest: floor(874 · 2^32 / 10) = 375380141670 (874 · 2^32 / 10 = 375380141670.4).
    long restEquity = -900 + 1100 + RiskMath.value(-5, 200 * ONE);
    long restMmr = RiskMath.maintenanceRequirement(-5, 200 * ONE, M3);
    assertThat(restEquity).isEqualTo(-800);
    assertThat(restMmr).isEqualTo(30);
    assertThat(LiquidationPrice.of(10, M5, restEquity, restMmr)).hasValue(375_380_141_670L);
  }

  @Test
  void noPriceLiquidatesAnUnleveredPosition() {
    // a long fully paid for with one quantum to spare (collateral 1) cannot go below maintenance
    // at any price ≥ 0: equity 1 + floor(v) ≥ ceil(v) ≥ ceil(ceil(v) · 5%). Without the spare
    // quantum the rounding alone liquidates it at tiny prices, as the engine would: for v in (0, 1)
    // equity 0 < requirement 1, so the highest such price is floor(2^32 / 10) = 429496729. A short
    // with collateral far above any price the search covers is never
    // liquidated either.
    assertThat(LiquidationPrice.of(10, M5, 0, 0)).hasValue(429_496_729L);
    assertThat(LiquidationPrice.of(10, M5, 1, 0)).isEmpty();
    assertThat(LiquidationPrice.of(-1, M5, Long.MAX_VALUE / 2, 0)).isEmpty();
    // an account already below maintenance: the long's price is at or above its mark
    OptionalLong p = LiquidationPrice.of(10, M5, -1000, 0);
    assertThat(p).isPresent();
    assertThat(p.getAsLong()).isGreaterThanOrEqualTo(100 * ONE);
  }

  @Test
  void boundaryIsExactOnRandomAccounts() {
    // the definition on random accounts: the account is liquidatable at the price and safe one
    // fixed-point unit on the safe side of it, and the other side of it is liquidatable
    SplittableRandom r = new SplittableRandom(22);
    for (int i = 0; i < 2_000; i++) {
      long size = r.nextLong(1, 1_000_000) * (r.nextBoolean() ? 1 : -1);
      long mark = r.nextLong(1, 100_000) * ONE + r.nextLong(ONE);
      long value = RiskMath.value(size, mark);
      // collateral that leaves 1% to 30% of the notional as equity
      long notional = RiskMath.notional(size, mark);
      long equityAtMark = notional * r.nextLong(10_000, 300_000) / 1_000_000;
      long restEquity = equityAtMark - value;
      long restMmr = r.nextLong(0, 1_000);
      MarketRisk m = r.nextBoolean() ? M5 : M3;
      OptionalLong p = LiquidationPrice.of(size, m, restEquity, restMmr);
      assertThat(p).as("case %d", i).isPresent();
      long b = p.getAsLong();
      assertThat(LiquidationPrice.liquidatableAt(b, size, m, restEquity, restMmr)).isTrue();
      long safer = size > 0 ? b + 1 : b - 1;
      assertThat(LiquidationPrice.liquidatableAt(safer, size, m, restEquity, restMmr))
          .as("case %d: one unit safer than %d", i, b)
          .isFalse();
      // further on the unsafe side, still liquidatable
      long worse = size > 0 ? b - ONE : b + ONE;
      if (worse >= 0) {
        assertThat(LiquidationPrice.liquidatableAt(worse, size, m, restEquity, restMmr)).isTrue();
      }
      // and the safe side of the mark agrees with the current state
      boolean now = LiquidationPrice.liquidatableAt(mark, size, m, restEquity, restMmr);
      assertThat(now).isEqualTo(size > 0 ? mark <= b : mark >= b);
    }
  }

  @Test
  void theEngineLiquidatesExactlyBeyondIt() {
    // LiquidationWorkedExamplesTest's accounts: long 100 and short 100 at 1,000 with 5,000 each
    // (20x), market IMF 5% / MMF 3%. The liquidation prices from the engine's own state, then the
    // engine's oracle ticks at whole prices on each side of them.
    RiskHarness h =
        new RiskHarness(
            RiskConfig.of(1, RiskMathTest.BTC),
            LiquidationConfig.DEFAULT,
            OrderBookFactory.OPTIMISED,
            1);
    h.oracle(1, 1_000);
    h.deposit(1, 5_000);
    h.deposit(2, 5_000);
    h.place(order(2, Side.SELL, 100, 1_000));
    h.place(order(1, Side.BUY, 100, 1_000).tif(TimeInForce.IOC));
    long mark = 1_000 * ONE;
    long pLong =
        LiquidationPrice.of(100, RiskMathTest.BTC, h.risk.equity(1) - RiskMath.value(100, mark), 0)
            .orElseThrow();
    long pShort =
        LiquidationPrice.of(
                -100, RiskMathTest.BTC, h.risk.equity(2) - RiskMath.value(-100, mark), 0)
            .orElseThrow();
    // long: (5,000 − 100,000) / (3 − 100) = 979.38…; short: 105,000 / 103 = 1,019.42…
    assertThat(pLong >> 32).isEqualTo(979);
    assertThat(Math.ceilDiv(pShort, ONE)).isEqualTo(1_020);
    // the engine: the short survives 1,019 and is liquidated at 1,020; the long survives 980 and
    // is liquidated at 979
    assertThat(triggered(h, 1_019)).isEmpty();
    assertThat(triggered(h, 1_020)).extracting(LiquidationTriggered::account).containsExactly(2);
    assertThat(triggered(h, 980)).extracting(LiquidationTriggered::account).doesNotContain(1);
    assertThat(triggered(h, 979)).extracting(LiquidationTriggered::account).contains(1);
  }

  private static List<LiquidationTriggered> triggered(RiskHarness h, long price) {
    h.events.drain();
    h.oracle(1, price);
    List<SequencerEvent> ev = h.events.drain();
    return ev.stream()
        .filter(LiquidationTriggered.class::isInstance)
        .map(LiquidationTriggered.class::cast)
        .toList();
  }
}
