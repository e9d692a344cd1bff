package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.CancelReplace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The order's signed fee cap is a fee rate in ppm: an order is refused {@link
 * RejectReason#FEE_CAP_EXCEEDED} unless max(maker rate, taker rate, 0) of its account's tier is at
 * most the cap. Tier 0: maker −100 (rebate), taker 500 → the cap must be ≥ 500. Tier 1 (account 7):
 * maker 200, taker 100 → the cap must be ≥ 200 (the maker rate: the order may rest and fill as
 * maker).
 */
class FeeCapTest {
  static final int M = 1;
  RiskHarness h =
      new RiskHarness(
          new RiskConfig(
              Map.of(M, RiskMathTest.BTC),
              List.of(new FeeTier(-100, 500), new FeeTier(200, 100)),
              Map.of(7, 1)),
          OrderBookFactory.OPTIMISED,
          M);

  @Test
  void capBelowTheTierRateIsRefusedAndTheRateItselfPasses() {
    h.oracle(M, 1_000);
    h.deposit(1, 100_000);
    h.deposit(7, 100_000);
    h.rejected(
        h.build(order(1, Side.BUY, 10, 1_000).feeCap(499)),
        RejectReason.FEE_CAP_EXCEEDED,
        "fee cap 499 ppm is below account 1's fee rate 500 ppm (tier maker -100, taker 500 ppm);"
            + " sign a fee cap ≥ 500");
    h.place(order(1, Side.BUY, 10, 1_000).feeCap(500).clientId(1));
    h.rejected(
        h.build(order(7, Side.SELL, 10, 1_000).feeCap(199)),
        RejectReason.FEE_CAP_EXCEEDED,
        "fee cap 199 ppm is below account 7's fee rate 200 ppm (tier maker 200, taker 100 ppm);"
            + " sign a fee cap ≥ 200");
    // a cancel-replace checks its replacement's cap too, and leaves the old order on rejection
    h.rejected(
        new CancelReplace(1, true, 1, h.build(order(1, Side.BUY, 10, 999).feeCap(0))),
        RejectReason.FEE_CAP_EXCEEDED,
        null);
    // cap 200 passes for tier 1; the fill charges the taker 100 ppm of 10 · 1,000 = 1 and the
    // maker (tier 0) rebate floor(10,000 · 100 / 10^6) = 1
    h.place(order(7, Side.SELL, 10, 1_000).feeCap(200).tif(TimeInForce.IOC));
    assertThat(h.risk.position(7, M)).isEqualTo(-10);
    assertThat(h.risk.collateral(7)).isEqualTo(100_000 + 10_000 - 1);
    assertThat(h.risk.collateral(1)).isEqualTo(100_000 - 10_000 + 1);
  }
}
