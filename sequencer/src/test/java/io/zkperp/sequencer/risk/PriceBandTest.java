package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-market price band (fat-finger protection): with a band of 5% (50,000 ppm) around an
 * oracle price of 1,000, buys are accepted up to 1,050 and sells down to 950; beyond, the order is
 * refused {@link RejectReason#PRICE_OUTSIDE_BAND} and nothing changes. Market 2 has no band.
 */
class PriceBandTest {
  static final int M = 1;
  static final int FREE = 2;
  static final RiskConfig CONFIG =
      new RiskConfig(
              Map.of(M, RiskMathTest.BTC, FREE, RiskMathTest.BTC),
              List.of(new FeeTier(0, 0)),
              Map.of())
          .withPriceBands(Map.of(M, 50_000L));

  RiskHarness h = new RiskHarness(CONFIG, OrderBookFactory.OPTIMISED, M, FREE);

  @Test
  void ordersBeyondTheBandAreRefusedWithTheBoundTheBandAllows() {
    h.oracle(M, 1_000);
    h.oracle(FREE, 1_000);
    h.deposit(1, 1_000_000);
    h.place(order(1, Side.BUY, 10, 1_050)); // exactly at the band: accepted
    h.place(order(1, Side.SELL, 10, 950).tif(TimeInForce.IOC)); // fills the buy at 1,050
    h.rejected(
        h.build(order(1, Side.BUY, 10, 1_051)),
        RejectReason.PRICE_OUTSIDE_BAND,
        "buy limit 1,051 is more than 50,000 ppm above the oracle price 1000 of market 1; the band"
            + " allows buys up to 1,050");
    h.rejected(
        h.build(order(1, Side.SELL, 10, 949)),
        RejectReason.PRICE_OUTSIDE_BAND,
        "sell limit 949 is more than 50,000 ppm below the oracle price 1000 of market 1; the band"
            + " allows sells down to 950");
    // a market order's worst price is banded too
    h.rejected(
        h.build(order(1, Side.SELL, 10, 900).marketOrder().tif(TimeInForce.IOC)),
        RejectReason.PRICE_OUTSIDE_BAND,
        null);
    // a market without a band takes a limit 20% above the oracle price
    h.place(order(1, Side.BUY, 10, 1_200).market(FREE));
    assertThat(h.core.book(FREE).bestBid()).isEqualTo(1_200);
  }

  @Test
  void theBandMovesWithTheOraclePriceAndRoundsInTheTradersDisfavour() {
    h.oracle(M, 2_001); // 2,001 · 1.05 = 2,101.05 → buys up to 2,101; · 0.95 = 1,900.95 → ≥ 1,901
    h.deposit(1, 1_000_000);
    h.place(order(1, Side.BUY, 1, 2_101));
    h.rejected(h.build(order(1, Side.BUY, 1, 2_102)), RejectReason.PRICE_OUTSIDE_BAND, null);
    h.place(order(1, Side.SELL, 1, 2_101)); // crosses the buy: within the band
    h.rejected(h.build(order(1, Side.SELL, 1, 1_900)), RejectReason.PRICE_OUTSIDE_BAND, null);
    h.place(order(1, Side.SELL, 1, 1_901));
  }

  @Test
  void bandsArePartOfTheConfigurationAndOfTheState() throws Exception {
    assertThatThrownBy(() -> CONFIG.withPriceBands(Map.of(M, 0L)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CONFIG.withPriceBands(Map.of(7, 10_000L)))
        .isInstanceOf(IllegalArgumentException.class);
    h.oracle(M, 1_000);
    h.deposit(1, 1_000);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CoreState.write(h.core, new DataOutputStream(bytes));
    byte[] state = bytes.toByteArray();
    // the state loads into an engine with the same bands, not into one with other bands
    SequencerCore same = read(state, new RiskEngine(CONFIG));
    assertThat(CoreState.hashHex(same)).isEqualTo(CoreState.hashHex(h.core));
    assertThatThrownBy(() -> read(state, new RiskEngine(CONFIG.withPriceBands(Map.of(M, 60_000L)))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("price bands");
  }

  private static SequencerCore read(byte[] state, RiskEngine engine) throws IOException {
    return CoreState.read(
        new DataInputStream(new ByteArrayInputStream(state)),
        OrderBookFactory.OPTIMISED,
        engine,
        CoreListener.NONE);
  }
}
