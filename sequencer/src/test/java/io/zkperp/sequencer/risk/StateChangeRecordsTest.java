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
import io.zkperp.sequencer.core.SequencerEvent.Deposited;
import io.zkperp.sequencer.core.SequencerEvent.FundingTickApplied;
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

  @Test
  void everyCollateralAndMarketChangeHasItsRecord() {
    assertThat(record(new OraclePrice(M, 1_000, 7), PriceTickApplied.class))
        .isEqualTo(new PriceTickApplied(M, 1_000L << 32, 7));
    assertThat(record(new DepositCollateral(1, 10_000), Deposited.class))
        .isEqualTo(new Deposited(1, 10_000, 0, 10_000));
    h.deposit(2, 10_000);
    h.place(order(2, Side.SELL, 10, 1_000));
    // account 1 takes 10 at 1,000: notional 10,000; taker fee ceil(10,000 · 500 / 10^6) = 5; maker
    // rebate floor(10,000 · 100 / 10^6) = 1 → fee −1. Taker collateral 10,000 − 10,000 − 5 = −5;
    // maker 10,000 + 10,000 + 1 = 20,001; fee balance 5 − 1 = 4
    assertThat(
            record(h.build(order(1, Side.BUY, 10, 1_000).tif(TimeInForce.IOC)), TradeSettled.class))
        .isEqualTo(new TradeSettled(M, 1, 2, 10, 1_000, 5, -1, 0, 0, -5, 20_001, 4));
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
