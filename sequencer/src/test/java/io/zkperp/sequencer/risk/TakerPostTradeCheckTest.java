package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.SequencerEvent.Fill;
import io.zkperp.sequencer.core.SequencerEvent.OrderAccepted;
import io.zkperp.sequencer.core.SequencerEvent.OrderClosed;
import io.zkperp.sequencer.core.SequencerEvent.TradeSettled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The taker's post-trade check at every fill (the maker's rule, applied to the taker's side with
 * its taker fee rate): a fill that would leave the taker below initial margin without reducing its
 * position does not happen, matching stops, and the remainder is cancelled ({@code
 * POST_TRADE_CHECK_FAILED}); earlier fills stand. The found case itself is in {@link
 * PerpArithmeticVectorsTest}. Market 1 of the hand-computed tests: IMF 5%, MMF 3%, flat, fees 500
 * ppm on both sides.
 */
class TakerPostTradeCheckTest {
  static final int M = 1;

  static RiskHarness flatMarket() {
    return new RiskHarness(
        new RiskConfig(
            Map.of(M, new MarketRisk(50_000, 30_000, 1_000_000, 1, 0, 1_000_000, 1_000_000_000)),
            List.of(new FeeTier(500, 500)),
            Map.of()),
        OrderBookFactory.OPTIMISED,
        M);
  }

  /**
   * The flat market at oracle 1,000 with the taker (account 1) holding {@code takerCollateral} and
   * two well-funded makers (accounts 2 and 3).
   */
  private static RiskHarness takerAgainstTwoMakers(long takerCollateral) {
    RiskHarness h = flatMarket();
    h.oracle(M, 1_000);
    h.deposit(1, takerCollateral);
    h.deposit(2, 100_000);
    h.deposit(3, 100_000);
    return h;
  }

  /** Accounts 2 and 3 each offer 1 at 1,000 (two fills for a taker buying 2); events drained. */
  private static void offerOneEach(RiskHarness h) {
    h.place(order(2, Side.SELL, 1, 1_000));
    h.place(order(3, Side.SELL, 1, 1_000));
    h.events.drain();
  }

  @Test
  void aTakerThatPassesEveryFillIsUnaffected() {
    // one quantum more than the found case: fill 2 ends at equity 102 − 2,000 − 2 + 2,000 = 100 =
    // IMR 100 (the boundary passes) → both fills, the order closes FILLED
    RiskHarness h = takerAgainstTwoMakers(102);
    offerOneEach(h);
    h.place(order(1, Side.BUY, 2, 1_000).clientId(11));
    List<SequencerEvent> ev = h.events.drain();
    assertThat(ev.stream().filter(Fill.class::isInstance).count()).isEqualTo(2);
    assertThat(takerClose(ev, 1).reason()).isEqualTo(CloseReason.FILLED);
    assertThat(takerClose(ev, 1).remaining()).isZero();
    assertThat(h.risk.position(1, M)).isEqualTo(2);
    assertThat(h.risk.collateral(1)).isEqualTo(102 - 2_000 - 2);
    assertThat(h.risk.equity(1)).isEqualTo(100);
    assertThat(h.risk.initialRequirement(1)).isEqualTo(100);
  }

  @Test
  void anIocTakerStoppedByTheCheckIsClosedForTheCheckNotAsAnImmediateRemainder() {
    // the found case as IOC: fill 2 would end at equity 99 < IMR 100
    RiskHarness h = takerAgainstTwoMakers(101);
    offerOneEach(h);
    h.place(order(1, Side.BUY, 2, 1_000).tif(TimeInForce.IOC));
    List<SequencerEvent> ev = h.events.drain();
    assertThat(ev.stream().filter(Fill.class::isInstance).count()).isEqualTo(1);
    assertThat(takerClose(ev, 1))
        .extracting(OrderClosed::remaining, OrderClosed::reason)
        .containsExactly(1L, CloseReason.POST_TRADE_CHECK_FAILED);
    assertThat(h.risk.position(1, M)).isEqualTo(1);
    assertThat(h.core.book(M).orderCount()).isEqualTo(1); // account 3's sell still rests
  }

  @Test
  void aReducingTakerBelowInitialMarginIsNeverBlocked() {
    RiskHarness h = takerAgainstTwoMakers(101);
    // account 1 buys 2 at 1,000 in one fill (fee ceil(2,000 · 0.05%) = 1): collateral −1,900
    h.place(order(2, Side.SELL, 2, 1_000));
    h.place(order(1, Side.BUY, 2, 1_000));
    // oracle 990: equity −1,900 + 1,980 = 80 < IMR 99, ≥ MMR ceil(59.4) = 60: not liquidated
    h.oracle(M, 990);
    assertThat(h.risk.equity(1)).isEqualTo(80);
    assertThat(h.risk.initialRequirement(1)).isEqualTo(99);
    h.place(order(2, Side.BUY, 1, 960));
    h.place(order(3, Side.BUY, 1, 960));
    h.events.drain();
    // account 1 sells 2 at 960 against the two bids. Fill 1: collateral −1,900 + 960 − 1 = −941,
    // equity 49 < IMR ceil(49.5) = 50, but it reduces 2 → 1 and equity / MMR does not fall:
    // 49 · 60 = 2,940 ≥ 80 · ceil(29.7) = 2,400 → filled. Fill 2: collateral 18, nothing held.
    h.place(order(1, Side.SELL, 2, 960).tif(TimeInForce.IOC).clientId(99));
    List<SequencerEvent> ev = h.events.drain();
    assertThat(ev.stream().filter(Fill.class::isInstance).count()).isEqualTo(2);
    assertThat(takerClose(ev, 1).reason()).isEqualTo(CloseReason.FILLED);
    assertThat(h.risk.position(1, M)).isZero();
    assertThat(h.risk.collateral(1)).isEqualTo(18);
  }

  /** The close event of the account's order among the events. */
  private static OrderClosed takerClose(List<SequencerEvent> ev, int account) {
    return ev.stream()
        .filter(OrderClosed.class::isInstance)
        .map(OrderClosed.class::cast)
        .filter(c -> c.account() == account)
        .findFirst()
        .orElseThrow();
  }

  /**
   * Random thin takers (small collateral; half of their orders at the largest size (≤ 40) the
   * pre-check allows, split across makers of size 1–3) against random books, with random fee tiers
   * (rebates included) and a moving oracle, in both books in lockstep (same acceptances, same state
   * hash after every command). After every fill of an ordinary order (liquidation fills excluded),
   * each side whose position did not shrink without flipping holds equity ≥ initial requirement —
   * the rule the trade circuit checks on both sides of every fill — computed from the fill's own
   * settlement record; and a taker stopped by the check never rests. The run must stop some takers
   * and fill others.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void everyFillLeavesAGrowingSideAtOrAboveInitialMargin(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<FeeTier> tiers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      tiers.add(new FeeTier(rnd.nextLong(-200, 801), rnd.nextLong(200, 1_001)));
    }
    int makers = 4;
    int accounts = 800;
    Map<Integer, Integer> accountTiers = new HashMap<>();
    for (int a = 0; a < accounts; a++) {
      accountTiers.put(a, rnd.nextInt(3));
    }
    MarketRisk params =
        new MarketRisk(
            rnd.nextLong(20_000, 100_001), 10_000, 4, 2, rnd.nextLong(0, 20_001), 200, 100_000);
    RiskConfig config = new RiskConfig(Map.of(M, params), tiers, accountTiers);
    Run run = new Run(config);
    RiskHarness h = run.h;
    long oracle = 100; // small notionals: a fee rounded up per fill is a large share of them
    run.apply(new OraclePrice(M, oracle, h.oracleTime++));
    for (int a = 0; a < makers; a++) {
      run.apply(new DepositCollateral(a, 10_000_000));
    }
    int thin = makers; // the next fresh thin account
    while (thin < accounts) {
      int r = rnd.nextInt(100);
      if (r < 60) {
        // makers bid below and offer above the oracle (mostly one tick away): deep levels
        Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        long away = rnd.nextInt(4) == 0 ? 2 : 1;
        long price = side == Side.BUY ? oracle - away : oracle + away;
        long size = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0);
        run.apply(h.build(order(rnd.nextInt(makers), side, size, price)));
      } else if (r < 93) {
        // a thin taker at the best opposite price (the fills split at exactly its limit): half of
        // them a fresh account with small collateral taking the largest size the pre-check allows,
        // at most what rests at that price (≤ 40) — at the margin edge, split across that level's
        // makers; the others an earlier thin account with a random size
        Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        long best = side == Side.BUY ? h.core.book(M).bestAsk() : h.core.book(M).bestBid();
        long price = best != 0 ? best : oracle;
        int taker;
        long size;
        if (rnd.nextBoolean() || thin == makers) {
          taker = thin++;
          run.apply(new DepositCollateral(taker, rnd.nextLong(5, 300)));
          size =
              h.core
                  .book(M)
                  .fillable(
                      side == Side.BUY,
                      price,
                      taker,
                      SelfTradePrevention.EXPIRE_MAKER,
                      0,
                      40,
                      null);
          while (size > 1 && !h.risk.preCheck(taker, M, side, size, price, 0).accepted()) {
            size--;
          }
          size = Math.max(1, size);
        } else {
          taker = makers + rnd.nextInt(thin - makers);
          size = 1 + rnd.nextInt(8);
        }
        TimeInForce tif = rnd.nextBoolean() ? TimeInForce.IOC : TimeInForce.GTC;
        run.apply(h.build(order(taker, side, size, price).tif(tif)));
      } else {
        oracle = Math.max(90, Math.min(110, oracle + rnd.nextLong(-1, 2)));
        run.apply(new OraclePrice(M, oracle, h.oracleTime++));
      }
    }
    assertThat(CoreState.hashHex(run.naive.core)).isEqualTo(CoreState.hashHex(h.core));
    assertThat(run.stopped).as("takers stopped by the check").isGreaterThan(10);
    assertThat(run.grew).as("fills that grew a taker's position").isGreaterThan(1_000);
  }

  /**
   * The optimised and the naive book in lockstep, with the fill invariant checked on every
   * command's events.
   */
  private static final class Run {
    final RiskHarness h;
    final RiskHarness naive;
    int stopped;
    int grew;
    int commands;

    Run(RiskConfig config) {
      this.h = new RiskHarness(config, OrderBookFactory.OPTIMISED, M);
      this.naive = new RiskHarness(config, OrderBookFactory.NAIVE, M);
    }

    void apply(Command c) {
      boolean ok = h.apply(c);
      assertThat(naive.apply(c)).as("%s", c).isEqualTo(ok);
      if (++commands % 64 == 0) {
        assertThat(CoreState.hashHex(naive.core)).isEqualTo(CoreState.hashHex(h.core));
      }
      List<SequencerEvent> ev = h.events.drain();
      naive.events.drain();
      Set<Long> accepted = new HashSet<>();
      Fill fill = null;
      for (SequencerEvent e : ev) {
        if (e instanceof OrderAccepted a) {
          accepted.add(a.orderId());
        } else if (e instanceof Fill f) {
          fill = f;
        } else if (e instanceof TradeSettled t && fill != null && fill.takerNonce() != 0) {
          long signed = t.size(); // the taker's signed position change
          assertThat(signed).isEqualTo(fill.takerSide() == Side.BUY ? fill.size() : -fill.size());
          grew += assertSide(h, t.takerAccount(), t.takerPositionAfter() - signed, t, true) ? 1 : 0;
          assertSide(h, t.makerAccount(), t.makerPositionAfter() + signed, t, false);
        } else if (e instanceof OrderClosed cl
            && cl.reason() == CloseReason.POST_TRADE_CHECK_FAILED
            && accepted.contains(cl.orderId())) {
          stopped++;
          assertThat(cl.remaining()).isPositive();
          assertThat(h.core.order(cl.orderId())).as("a stopped taker rests").isNull();
        }
      }
    }
  }

  /**
   * Asserts the circuit's post-trade rule on one side of a settled fill: equity after (collateral
   * after + value at the oracle; no funding in this run) ≥ initial requirement after, unless the
   * position shrank without flipping. Returns whether the rule's growing case applied.
   */
  private static boolean assertSide(
      RiskHarness h, int account, long before, TradeSettled t, boolean taker) {
    long after = taker ? t.takerPositionAfter() : t.makerPositionAfter();
    boolean reduces =
        Math.abs(after) < Math.abs(before)
            && (after == 0 || Long.signum(after) == Long.signum(before));
    if (reduces) {
      return false;
    }
    long collateral = taker ? t.takerCollateralAfter() : t.makerCollateralAfter();
    long px = h.risk.oracleFixed(M);
    long equity = collateral + RiskMath.value(after, px);
    long imr = RiskMath.initialRequirement(after, px, h.config.markets().get(M));
    assertThat(equity)
        .as(
            "%s account %d after %s: position %d → %d, equity %d < IMR %d",
            taker ? "taker" : "maker", account, t, before, after, equity, imr)
        .isGreaterThanOrEqualTo(imr);
    return taker && Math.abs(after) > Math.abs(before);
  }
}
