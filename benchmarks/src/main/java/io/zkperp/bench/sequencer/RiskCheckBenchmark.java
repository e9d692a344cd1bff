package io.zkperp.bench.sequencer;

import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.Verdict;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cost of one risk pre-check ({@link RiskEngine#preCheck}) for an account holding 1, 4 or 8 open
 * positions (one per market, cross margin): the check values every position at its oracle price and
 * sums the initial margin requirements, with 128-bit products. Called directly in a loop (no core,
 * no book), the order varying in size and price so that nothing is constant; every check passes
 * (the account is well funded), which is the path that walks all positions.
 */
final class RiskCheckBenchmark {
  static final int MARKETS = 32;
  static final long MID = 1_000_000;

  private RiskCheckBenchmark() {}

  static RiskConfig config(int markets, long maxPosition) {
    Map<Integer, MarketRisk> params = new TreeMap<>();
    for (int m = 0; m < markets; m++) {
      params.put(
          m,
          new MarketRisk(50_000, 30_000, 1_000_000, 100_000, 10_000, maxPosition, Long.MAX_VALUE));
    }
    return new RiskConfig(
        params, List.of(new io.zkperp.sequencer.risk.FeeTier(-100, 500)), Map.of());
  }

  /**
   * Measures the pre-check.
   *
   * @param checks checks per run
   * @param runs measured runs (after as many warm-up runs)
   * @return rows: positions, median ns/check, min, max
   */
  static List<double[]> run(int checks, int runs) {
    List<double[]> rows = new ArrayList<>();
    for (int positions : new int[] {1, 4, 8}) {
      RiskEngine engine = new RiskEngine(config(MARKETS, 1L << 40));
      SequencerCore core =
          new SequencerCore(
              OrderBookFactory.OPTIMISED,
              SelfTradePrevention.EXPIRE_MAKER,
              engine,
              CoreListener.NONE);
      long nonce = 1;
      List<Command> setup = new ArrayList<>();
      setup.add(new DepositCollateral(1, 1_000_000_000_000_000L));
      setup.add(new DepositCollateral(2, 1_000_000_000_000_000L));
      for (int m = 0; m < MARKETS; m++) {
        setup.add(new AddMarket(m, 1, 1, 1));
        setup.add(new OraclePrice(m, MID, 1));
      }
      for (int m = 0; m < positions; m++) {
        setup.add(order(2, m, Side.SELL, TimeInForce.GTC, nonce++));
        setup.add(order(1, m, Side.BUY, TimeInForce.IOC, nonce++));
      }
      for (Command c : setup) {
        if (!core.apply(c)) {
          throw new IllegalStateException(c + ": " + core.lastRejectMessage());
        }
      }
      for (int m = 0; m < positions; m++) {
        if (engine.position(1, m) != 10) {
          throw new IllegalStateException("setup failed: position in market " + m);
        }
      }
      double[] ns = new double[runs];
      for (int run = 0; run < 2 * runs; run++) {
        long accepted = 0;
        Verdict last = Verdict.ACCEPTED;
        long start = System.nanoTime();
        for (int i = 0; i < checks; i++) {
          int market = i & (positions - 1);
          Verdict r =
              engine.preCheck(
                  1, market, (i & 1) == 0 ? Side.BUY : Side.SELL, 1 + (i & 7), MID + (i & 15), 10);
          if (r.accepted()) {
            accepted++;
          } else {
            last = r;
          }
        }
        long elapsed = System.nanoTime() - start;
        if (accepted != checks) {
          throw new IllegalStateException("a check failed: " + last);
        }
        if (run >= runs) {
          ns[run - runs] = elapsed / (double) checks;
        }
      }
      Arrays.sort(ns);
      rows.add(new double[] {positions, ns[runs / 2], ns[0], ns[runs - 1]});
    }
    return rows;
  }

  private static PlaceOrder order(int account, int market, Side side, TimeInForce tif, long nonce) {
    return new PlaceOrder(
        account,
        market,
        side,
        (int) nonce,
        OrderType.LIMIT,
        tif,
        false,
        10,
        MID,
        ExchangeWorkload.FEE_CAP_PPM,
        ExchangeWorkload.FAR_FUTURE,
        nonce,
        TriggerType.NONE,
        0,
        new byte[PlaceOrder.SIGNATURE_BYTES]);
  }
}
