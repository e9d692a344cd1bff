package io.zkperp.node.v3;

import static io.zkperp.node.v3.Deployment.ACCOUNTS;
import static io.zkperp.node.v3.Deployment.BASE_PRICE;
import static io.zkperp.node.v3.Deployment.DOMAIN;
import static io.zkperp.node.v3.Deployment.MARKETS;

import io.zkperp.node.v3.DifferentialRun.Kind;
import io.zkperp.node.v3.EngineAgainstCircuitTest.Counts;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.util.ArrayList;
import java.util.List;

/**
 * A random engine run with price crashes, on a {@link DifferentialRun} (three markets, seven
 * accounts, signed orders and prices, every accepted command translated, settled and compared with
 * the engine by {@link EngineAgainstCircuitTest#settle}): the accounts start with 10,000 to 30,000
 * collateral, so that the run's orders take them close to their initial margin, and a market's
 * signed oracle price walks, by at most 2.8% per tick (the oracle's bound is 3%), toward a target
 * that crashes to 75–85% of the start price, spikes to 115–130% of it or returns to it. The crashes
 * liquidate accounts against resting orders, hand steps to the insurance fund and, when a gap makes
 * an account bankrupt beyond what the fund can pay, deleverage it. Confined to the test's thread.
 */
final class PriceCrashes {
  private PriceCrashes() {}

  /**
   * Deposits of 10,000 to 30,000 for every account, a first signed price per market, {@code build}
   * random orders around the start prices (positions of up to 300, many refused for margin), then
   * {@code cycles} price moves: each picks a market and a target (the first a crash; then crashes,
   * spikes and returns to the start price at random) and walks the market's price there by signed
   * ticks of at most 2.8%, with a {@code Tick} and {@code ordersPerTick} random orders, deposits or
   * withdrawals before each (resting liquidity for the liquidation orders). Each command is settled
   * and the tree compared with the engine; the run stops at the first unprovable command.
   *
   * @return what the run did
   */
  static Counts drive(DifferentialRun run, int build, int cycles, int ordersPerTick)
      throws Exception {
    Counts counts = new Counts();
    for (int a = 0; a < ACCOUNTS; a++) {
      EngineAgainstCircuitTest.settle(
          run, run.deposit(a, 10_000 + run.rnd.nextLong(20_000)), counts, "genesis");
    }
    for (int m : MARKETS) {
      SignedOraclePrices first = run.oracle(m);
      while (first == null || !EngineAgainstCircuitTest.settle(run, first, counts, "genesis")) {
        EngineAgainstCircuitTest.settle(run, run.tick(), counts, "genesis");
        first = run.oracle(m);
      }
    }
    for (int i = 0; i < build && counts.unprovable == 0; i++) {
      if (i % 4 == 0) {
        leveraged(run, counts, "build " + i);
      } else {
        EngineAgainstCircuitTest.settle(run, other(run), counts, "build " + i);
      }
    }
    for (int c = 0; c < cycles && counts.unprovable == 0; c++) {
      int m = c == 0 ? mostOpen(run) : MARKETS[run.rnd.nextInt(MARKETS.length)];
      long target = c == 0 ? crash(run, m) : nextTarget(run, m);
      for (int t = 0; t < 60 && price(run, m) != target && counts.unprovable == 0; t++) {
        String when = "cycle " + c + " tick " + t;
        EngineAgainstCircuitTest.settle(run, run.tick(), counts, when);
        EngineAgainstCircuitTest.settle(run, resting(run, m, target), counts, when);
        for (int k = 1; k < ordersPerTick && counts.unprovable == 0; k++) {
          EngineAgainstCircuitTest.settle(run, other(run), counts, when);
        }
        if (counts.unprovable == 0) {
          EngineAgainstCircuitTest.settle(run, towards(run, m, target), counts, when);
        }
      }
    }
    return counts;
  }

  /**
   * A leveraged pair: account b rests a sell at the market's price, account a buys it with an IOC,
   * the size about 90% of what the smaller free collateral of the two allows at the market's
   * initial margin (5% in markets 1 and 3, 10% in market 2), so that both end near their initial
   * margin (the engine refuses what exceeds it).
   */
  private static void leveraged(DifferentialRun run, Counts counts, String when) throws Exception {
    int m = MARKETS[run.rnd.nextInt(MARKETS.length)];
    int a = run.rnd.nextInt(ACCOUNTS);
    int b = (a + 1 + run.rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
    long p = price(run, m);
    long free = Math.min(run.engine.freeCollateral(a), run.engine.freeCollateral(b));
    long size = free * (m == 2 ? 9 : 18) / p;
    size =
        Math.min(
            size,
            300
                - Math.max(
                    Math.abs(run.engine.position(a, m)), Math.abs(run.engine.position(b, m))));
    if (size <= 0) {
      return;
    }
    if (EngineAgainstCircuitTest.settle(
        run, run.orderAt(b, m, Side.SELL, TimeInForce.GTC, size, p), counts, when)) {
      EngineAgainstCircuitTest.settle(
          run, run.orderAt(a, m, Side.BUY, TimeInForce.IOC, size, p), counts, when);
    }
  }

  /** The market with the largest open interest in collateral (the first crash's market). */
  private static int mostOpen(DifferentialRun run) {
    int best = MARKETS[0];
    for (int m : MARKETS) {
      if (run.engine.openInterest(m) * price(run, m)
          > run.engine.openInterest(best) * price(run, best)) {
        best = m;
      }
    }
    return best;
  }

  /**
   * A resting order of 1 to 20 on the side liquidation orders take during the move (a bid 0.1% to
   * 1% below the price in a crash, an ask above it in a spike) by a random account.
   */
  private static Command resting(DifferentialRun run, int m, long target) {
    long p = price(run, m);
    boolean down = target < p;
    long offset = Math.max(1, p * (1 + run.rnd.nextInt(10)) / 1_000);
    return run.orderAt(
        run.rnd.nextInt(ACCOUNTS),
        m,
        down ? Side.BUY : Side.SELL,
        TimeInForce.GTC,
        1 + run.rnd.nextInt(20),
        down ? p - offset : p + offset);
  }

  private static final Kind[] KINDS = {
    Kind.GTC,
    Kind.GTC,
    Kind.GTC,
    Kind.GTC,
    Kind.IOC,
    Kind.IOC,
    Kind.POST_ONLY,
    Kind.MARKET,
    Kind.REDUCE_ONLY
  };

  /** A random order (nine in ten), deposit or withdrawal. */
  private static Command other(DifferentialRun run) {
    int roll = run.rnd.nextInt(20);
    int a = run.rnd.nextInt(ACCOUNTS);
    if (roll == 0) {
      return run.deposit(a, 1 + run.rnd.nextLong(20_000));
    }
    if (roll == 1) {
      return run.withdrawal(a);
    }
    return run.order(KINDS[run.rnd.nextInt(KINDS.length)]);
  }

  /** The engine's oracle price of a market, whole quanta. */
  private static long price(DifferentialRun run, int m) {
    return run.engine.oracleFixed(m) >>> 32;
  }

  /** A crash to 75–85% of the start price. */
  private static long crash(DifferentialRun run, int m) {
    return BASE_PRICE[m] * (75 + run.rnd.nextInt(11)) / 100;
  }

  /** A crash to 75–85% of the start price, a spike to 115–130%, or the start price. */
  private static long nextTarget(DifferentialRun run, int m) {
    int roll = run.rnd.nextInt(100);
    if (roll < 45) {
      return crash(run, m);
    }
    if (roll < 70) {
      return BASE_PRICE[m] * (115 + run.rnd.nextInt(16)) / 100;
    }
    return BASE_PRICE[m];
  }

  /**
   * A signed price batch (2 or 3 signers, all at the core's time, which a {@code Tick} has just
   * moved past the market's last report) moving the market's price toward the target by at most
   * 2.8%.
   */
  private static SignedOraclePrices towards(DifferentialRun run, int m, long target) {
    long p = price(run, m);
    long step = Math.max(1, p * 28 / 1_000);
    long next = target < p ? Math.max(target, p - step) : Math.min(target, p + step);
    run.price[m] = next;
    int n = 2 + run.rnd.nextInt(2);
    List<PriceReport> reports = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      reports.add(
          PriceReportSigning.sign(
              DOMAIN, Deployment.ORACLE_SIGNERS.get(s), s, m, next << 32, run.now));
    }
    return new SignedOraclePrices(m, reports);
  }
}
