package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * State layout v2 bounds: at most 8 open positions per account ({@code TOO_MANY_POSITIONS}, at
 * placement and at fill time), {@code maxPositionSize} below 2^55, and the insurance fund as
 * account 2^24 − 1. Ten markets with the BTC parameters of {@link RiskMathTest}, no fees.
 */
class TooManyPositionsTest {
  static final int[] MARKETS = IntStream.rangeClosed(1, 10).toArray();

  static RiskConfig config() {
    Map<Integer, MarketRisk> markets = new HashMap<>();
    for (int m : MARKETS) {
      markets.put(m, RiskMathTest.BTC);
    }
    return new RiskConfig(markets, List.of(new FeeTier(0, 0)), Map.of(), java.util.Set.of());
  }

  RiskHarness h = new RiskHarness(config(), OrderBookFactory.OPTIMISED, MARKETS);

  void pricesAndMoney(int... accounts) {
    for (int m : MARKETS) {
      h.oracle(m, 1_000);
    }
    for (int a : accounts) {
      h.deposit(a, 1_000_000);
    }
  }

  /** Account {@code a} buys 1 in market m from account 2. */
  void open(int a, int m) {
    h.place(order(2, Side.SELL, 1, 1_000).market(m));
    h.place(order(a, Side.BUY, 1, 1_000).market(m).tif(TimeInForce.IOC));
    assertThat(h.risk.position(a, m)).isEqualTo(1);
  }

  @Test
  void aNinthPositionIsRejectedAndAnEighthOrAHeldMarketIsNot() {
    pricesAndMoney(1, 2);
    for (int m = 1; m <= LayoutV2.MAX_POSITIONS; m++) {
      open(1, m);
    }
    assertThat(RiskEngine.MAX_POSITIONS).isEqualTo(8);
    h.rejected(
        h.build(order(1, Side.BUY, 1, 1_000).market(9)),
        RejectReason.TOO_MANY_POSITIONS,
        "account 1 holds 8 open positions (markets [1, 2, 3, 4, 5, 6, 7, 8]), the most an account"
            + " can hold; close one or open market 9 in a subaccount funded by"
            + " TransferCollateral");
    // growing a held market is fine
    h.place(order(2, Side.SELL, 1, 1_000).market(3));
    h.place(order(1, Side.BUY, 1, 1_000).market(3).tif(TimeInForce.IOC));
    assertThat(h.risk.position(1, 3)).isEqualTo(2);
    // closing one frees an entry for market 9
    h.place(order(2, Side.BUY, 1, 1_000).market(4));
    h.place(order(1, Side.SELL, 1, 1_000).market(4).tif(TimeInForce.IOC));
    assertThat(h.risk.position(1, 4)).isZero();
    open(1, 9);
  }

  @Test
  void aRestingOrderThatWouldOpenANinthPositionIsCancelledAtFillTime() {
    pricesAndMoney(5, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    // account 5 rests bids in 9 markets while it holds nothing (each passes the pre-check)
    for (int m = 1; m <= 9; m++) {
      h.place(order(5, Side.BUY, 1, 1_000).market(m).clientId(100 + m));
    }
    long ninth = h.core.orderByClientId(5, 109).orderId;
    // one seller per market, so only account 5 reaches the bound
    for (int m = 1; m <= 8; m++) {
      h.place(order(10 + m, Side.SELL, 1, 1_000).market(m).tif(TimeInForce.IOC));
      assertThat(h.risk.position(5, m)).isEqualTo(1);
    }
    h.events.drain();
    h.place(order(19, Side.SELL, 1, 1_000).market(9).tif(TimeInForce.IOC));
    assertThat(h.events.drain())
        .contains(
            new SequencerEvent.OrderClosed(ninth, 5, 9, 1, CloseReason.POST_TRADE_CHECK_FAILED));
    assertThat(h.risk.position(5, 9)).isZero();
    assertThat(h.risk.position(19, 9)).isZero();
  }

  @Test
  void aTakeoverThatWouldGiveTheFundANinthMarketDeleveragesInstead() {
    h.ok(new io.zkperp.sequencer.command.TopUpInsuranceFund(10_000_000));
    for (int m = 1; m <= 9; m++) {
      h.oracle(m, 1_000);
      // account 100 + m buys 50 at 1,000 from 200 + m: collateral 3,000 − 50,000 = −47,000,
      // equity 3,000 ≥ IMR 2,500
      h.deposit(100 + m, 3_000);
      h.deposit(200 + m, 1_000_000);
      h.place(order(200 + m, Side.SELL, 50, 1_000).market(m));
      h.place(order(100 + m, Side.BUY, 50, 1_000).market(m).tif(TimeInForce.IOC));
    }
    // markets 1 … 8 fall to 930: each buyer's equity −47,000 + 46,500 = −500 < 0, bankrupt, no bid
    // in the book: the (topped-up) fund takes each long over at the bankruptcy price 940
    for (int m = 1; m <= 8; m++) {
      h.events.drain();
      h.oracle(m, 930);
      assertThat(h.events.drain())
          .filteredOn(SequencerEvent.InsuranceTakeover.class::isInstance)
          .hasSize(1);
      assertThat(h.risk.insuranceFund().position(m)).isEqualTo(50);
    }
    // market 9 falls too: the fund holds 8 markets, not 9, so the long is deleveraged against the
    // short of account 209 instead
    h.events.drain();
    h.oracle(9, 930);
    List<SequencerEvent> events = h.events.drain();
    assertThat(events).noneMatch(SequencerEvent.InsuranceTakeover.class::isInstance);
    assertThat(events)
        .filteredOn(SequencerEvent.Deleveraged.class::isInstance)
        .map(e -> (SequencerEvent.Deleveraged) e)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.account()).isEqualTo(109);
              assertThat(d.counterparty()).isEqualTo(209);
              assertThat(d.market()).isEqualTo(9);
            });
    assertThat(h.risk.insuranceFund().position(9)).isZero();
    assertThat(h.risk.position(109, 9)).isZero();
    assertThat(h.risk.position(209, 9)).isZero();
  }

  /** Open positions of an account (the fund for {@link RiskEngine#INSURANCE_FUND}). */
  int openPositions(int account) {
    int n = 0;
    for (int m : MARKETS) {
      long s =
          account == RiskEngine.INSURANCE_FUND
              ? h.risk.insuranceFund().position(m)
              : h.risk.position(account, m);
      n += s != 0 ? 1 : 0;
    }
    return n;
  }

  @Test
  void randomTradingInTenMarketsNeverGivesAnAccountMoreThanEightPositions() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(16);
    int accounts = 6;
    long[] price = new long[MARKETS.length + 1];
    for (int m : MARKETS) {
      price[m] = 1_000;
      h.oracle(m, price[m]);
    }
    for (int a = 0; a < accounts; a++) {
      h.deposit(a, a == 0 ? 60_000 : 5_000_000); // account 0 thin, so it gets liquidated
    }
    int rejected = 0;
    int mostHeld = 0;
    for (int i = 0; i < 4_000; i++) {
      io.zkperp.sequencer.command.Command c;
      if (rnd.nextInt(20) == 0) {
        int m = MARKETS[rnd.nextInt(MARKETS.length)];
        price[m] = Math.max(100, price[m] + price[m] * (rnd.nextInt(121) - 60) / 1000); // ±6%
        c = new io.zkperp.sequencer.command.OraclePrice(m, price[m], h.oracleTime++);
      } else {
        c = h.randomOrder(rnd, accounts, MARKETS, price);
      }
      if (!h.apply(c) && h.core.lastRejectReason() == RejectReason.TOO_MANY_POSITIONS) {
        rejected++;
      }
      for (int a = 0; a < accounts; a++) {
        int n = openPositions(a);
        assertThat(n).as("account %d after command %d %s", a, i, c).isLessThanOrEqualTo(8);
        mostHeld = Math.max(mostHeld, n);
      }
      assertThat(openPositions(RiskEngine.INSURANCE_FUND)).isLessThanOrEqualTo(8);
    }
    // not vacuous: accounts reached the bound and orders were refused for it
    assertThat(mostHeld).isEqualTo(8);
    assertThat(rejected).isPositive();
  }

  @Test
  void maxPositionSizeMustBeBelow2To55() {
    MarketRisk ok = new MarketRisk(50_000, 30_000, 100, 50, 10_000, (1L << 55) - 1, 10_000);
    MarketRisk tooLarge = new MarketRisk(50_000, 30_000, 100, 50, 10_000, 1L << 55, 10_000);
    MarketRisk unsignedHuge = new MarketRisk(50_000, 30_000, 100, 50, 10_000, -1, 10_000);
    new RiskConfig(Map.of(1, ok), List.of(new FeeTier(0, 0)), Map.of(), java.util.Set.of());
    for (MarketRisk r : List.of(tooLarge, unsignedHuge)) {
      assertThatThrownBy(
              () ->
                  new RiskConfig(
                      Map.of(1, r), List.of(new FeeTier(0, 0)), Map.of(), java.util.Set.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be below 2^55");
    }
  }

  @Test
  void theInsuranceFundIsTheLastAccountOfTheTree() {
    assertThat(RiskEngine.INSURANCE_FUND)
        .isEqualTo(LayoutV2.INSURANCE_FUND_ACCOUNT)
        .isEqualTo(16_777_215);
    assertThat(RiskEngine.MAX_ACCOUNTS).isEqualTo(16_777_215);
    h.deposit(16_777_214, 5);
    h.rejected(
        new DepositCollateral(RiskEngine.INSURANCE_FUND, 5),
        RejectReason.FIELD_OUT_OF_RANGE,
        "account 16777215 is above the risk engine's range; accounts are 0 to 16777214");
  }
}
