package io.zkperp.node.v3;

import static io.zkperp.node.v3.Deployment.ACCOUNTS;
import static io.zkperp.node.v3.Deployment.MARKETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.zkperp.node.v3.DifferentialRun.Kind;
import io.zkperp.node.v3.DifferentialRun.Outcome;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.RiskEngine;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateViewV2;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The differential run of issue #16's acceptance, engine against the circuit's rules: seeded random
 * runs of the real engine ({@code SequencerCore} + {@code RiskEngine}: three markets with
 * quorum-signed prices and funding derived from premium samples, seven accounts holding positions
 * in several markets, two fee tiers one with a maker rebate) — GTC, IOC, FOK, post-only, market and
 * reduce-only orders, partial fills across makers, signed cancels, L1 deposits, signed withdrawals
 * and transfers, L1 forced withdrawals (some not covered: consumed, paying nothing), signed oracle
 * ticks by a quorum of signers, funding period starts and ticks — and orders and price batches
 * broken on purpose (a forged order signature and a forged report, which the intake refuses;
 * over-leveraged orders, which the engine refuses). Every accepted command is translated ({@link
 * CommandTranslator}) and executed by the batcher's layout v2 executions on a real RocksDB store
 * ({@link V3Settler}: every step must pass and the tree must agree with each record); after every
 * command the whole tree is compared with the engine (every account's collateral, positions and
 * funding snapshots, the insurance fund, the fee balance, every market's oracle price and
 * timestamp, funding index and timestamp, open interest). A refused command must produce no
 * state-change record and leave the roots unchanged. Prices stay within ±10% of their start and
 * positions within 300, which keeps every account far from liquidation; a liquidation would be a
 * typed {@code Unprovable} that stops the run (counted, and required to be none).
 */
class EngineAgainstCircuitTest {
  static final int COMMANDS = 600;

  /** What one run did. */
  static final class Counts {
    final Map<String, Integer> steps = new TreeMap<>();
    final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
    int accepted;
    int intakeRefused;
    int unprovable;
    int fills;
    int boundaries;
    int marginBoundaries;
    int exactMargin;
    final Map<String, Integer> events = new TreeMap<>();

    /** Per account, the most positions it held at once. */
    final int[] mostPositions = new int[ACCOUNTS];

    @Override
    public String toString() {
      return "accepted "
          + accepted
          + ", steps "
          + steps
          + ", fills "
          + fills
          + ", intake refused "
          + intakeRefused
          + ", engine rejected "
          + rejected
          + ", unprovable "
          + unprovable
          + ", boundary debits "
          + boundaries
          + ", takers at their margin "
          + marginBoundaries
          + " (free collateral exactly 0 after: "
          + exactMargin
          + ")"
          + ", order events "
          + events
          + ", most positions held per account "
          + Arrays.toString(mostPositions);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void everyAcceptedCommandIsExecutedByTheBatcherAndTheTreeAgreesWithTheEngine(
      long seed, @TempDir Path dir) throws Exception {
    Counts counts;
    try (DifferentialRun run = new DifferentialRun(seed, dir)) {
      counts = drive(run, COMMANDS);
    }
    System.out.printf("seed %d: %s%n", seed, counts);
    assertThat(counts.unprovable).as("liquidations (stopped the run)").isZero();
    assertThat(counts.steps.getOrDefault("Trade", 0)).isGreaterThan(100);
    assertThat(counts.fills).isEqualTo(counts.steps.get("Trade"));
    assertThat(counts.steps.getOrDefault("Oracle", 0)).isGreaterThan(20);
    assertThat(counts.steps.getOrDefault("Funding", 0)).isGreaterThanOrEqualTo(2 * MARKETS.length);
    assertThat(counts.steps.getOrDefault("PeriodStart", 0)).isEqualTo(MARKETS.length);
    assertThat(counts.steps.getOrDefault("Collateral", 0)).isGreaterThan(ACCOUNTS + 10);
    assertThat(counts.intakeRefused).isPositive();
    assertThat(counts.rejected).containsKey(RejectReason.INSUFFICIENT_MARGIN);
    assertThat(counts.boundaries).isPositive();
    assertThat(Arrays.stream(counts.mostPositions).filter(n -> n >= 2).count())
        .as("accounts that held several positions at once")
        .isGreaterThanOrEqualTo(6);
    assertThat(counts.exactMargin).isPositive();
  }

  /**
   * The run's commands: deposits for every account, a first signed price per market, then {@code
   * commands} generated commands (boundary debits and margin-boundary trades among them), each
   * settled and the tree compared with the engine; stops at the first unprovable command.
   *
   * @return what the run did
   */
  static Counts drive(DifferentialRun run, int commands) throws Exception {
    Counts counts = new Counts();
    for (int a = 0; a < ACCOUNTS; a++) {
      settle(run, run.deposit(a, 3_000_000 + run.rnd.nextLong(2_000_000)), counts, "genesis");
    }
    for (int m : MARKETS) {
      SignedOraclePrices first = run.oracle(m);
      while (first == null || !settle(run, first, counts, "genesis")) {
        settle(run, run.tick(), counts, "genesis");
        first = run.oracle(m);
      }
    }
    for (int i = 0; i < commands; i++) {
      if (run.rnd.nextInt(100) == 0) {
        boundary(run, counts, "command " + i);
        continue;
      }
      if (run.rnd.nextInt(40) == 0) {
        marginBoundaryTrade(run, counts, "command " + i);
        continue;
      }
      Command c = next(run);
      if (c == null) {
        continue;
      }
      settle(run, c, counts, "command " + i);
      if (counts.unprovable > 0) {
        break;
      }
    }
    return counts;
  }

  private static Command next(DifferentialRun run) {
    int roll = run.rnd.nextInt(100);
    int a = run.rnd.nextInt(ACCOUNTS);
    if (roll < 12) {
      return run.tick();
    }
    if (roll < 22) {
      Command c = run.oracle(MARKETS[run.rnd.nextInt(MARKETS.length)]);
      return c == null ? run.tick() : c;
    }
    if (roll < 24) {
      return run.deposit(a, 1 + run.rnd.nextLong(200_000));
    }
    if (roll < 27) {
      return run.withdrawal(a);
    }
    if (roll < 29) {
      return run.transfer(a);
    }
    if (roll < 30) {
      return run.forcedWithdrawal(a);
    }
    if (roll < 32) {
      return run.cancel(a);
    }
    if (roll < 37) {
      return run.conditional();
    }
    if (roll < 39) {
      return run.cancelReplace(a);
    }
    if (roll < 41) {
      return run.order(run.rnd.nextBoolean() ? Kind.BAD_SIGNATURE : Kind.OVER_LEVERAGED);
    }
    Kind[] kinds = {
      Kind.GTC,
      Kind.GTC,
      Kind.GTC,
      Kind.GTC,
      Kind.IOC,
      Kind.IOC,
      Kind.POST_ONLY,
      Kind.POST_ONLY,
      Kind.FOK,
      Kind.MARKET,
      Kind.REDUCE_ONLY,
      Kind.REDUCE_ONLY
    };
    return run.order(kinds[run.rnd.nextInt(kinds.length)]);
  }

  /**
   * A debit at exactly the free collateral of an account (positions with pending funding included):
   * one quantum more first (a withdrawal or transfer the engine refuses, a forced withdrawal it
   * serves paying nothing), then exactly the free collateral (paid), then an L1 deposit of the same
   * amount back so the account stays far from liquidation.
   */
  private static void boundary(DifferentialRun run, Counts counts, String when) throws Exception {
    int a = run.rnd.nextInt(ACCOUNTS);
    long free = run.engine.freeCollateral(a);
    if (free <= 1) {
      return;
    }
    int to = (a + 1) % ACCOUNTS;
    switch (run.rnd.nextInt(3)) {
      case 0 -> {
        assertThat(settle(run, run.withdrawal(a, free + 1), counts, when)).isFalse();
        assertThat(settle(run, run.withdrawal(a, free), counts, when)).isTrue();
      }
      case 1 -> {
        assertThat(settle(run, run.transfer(a, to, free + 1), counts, when)).isFalse();
        assertThat(settle(run, run.transfer(a, to, free), counts, when)).isTrue();
      }
      default -> {
        assertThat(settle(run, run.forcedWithdrawal(a, free + 1), counts, when)).isTrue();
        assertThat(settle(run, run.forcedWithdrawal(a, free), counts, when)).isTrue();
      }
    }
    assertThat(run.engine.freeCollateral(a))
        .as("free collateral after the boundary debit")
        .isZero();
    counts.boundaries++;
    assertThat(settle(run, run.deposit(a, free), counts, when)).isTrue();
  }

  private static final Pattern REQUIRES =
      Pattern.compile("requires ([0-9,]+) free collateral, account has ([0-9,-]+)");

  /**
   * A taker filled exactly at its initial margin: the account's free collateral is lowered with a
   * signed withdrawal, an IOC at the best opposite price (with a maker added at that price so that
   * it fills there) is refused {@code INSUFFICIENT_MARGIN} "requires X, has Y", an L1 deposit of X
   * − Y follows, and the same signed order is accepted: filled at its limit with the taker rate
   * (the pre-check's rate for both tiers), it leaves equity = Σ initial requirements, unless the
   * taker post-trade check stopped a split fill. Then a deposit puts the account far from
   * liquidation again.
   */
  private static void marginBoundaryTrade(DifferentialRun run, Counts counts, String when)
      throws Exception {
    int a = run.rnd.nextInt(ACCOUNTS);
    int b = (a + 1) % ACCOUNTS;
    int m = MARKETS[run.rnd.nextInt(MARKETS.length)];
    long pos = run.engine.position(a, m);
    Side side =
        pos > 0 ? Side.BUY : pos < 0 ? Side.SELL : run.rnd.nextBoolean() ? Side.BUY : Side.SELL;
    long size = 10 + run.rnd.nextInt(20);
    if (Math.abs(pos) + size > 300) {
      return;
    }
    long best = side == Side.BUY ? run.core.book(m).bestAsk() : run.core.book(m).bestBid();
    long level = best == 0 ? run.price[m] : best;
    Side makerSide = side == Side.BUY ? Side.SELL : Side.BUY;
    if (!settle(
        run, run.orderAt(b, m, makerSide, TimeInForce.POST_ONLY, size, level), counts, when)) {
      return;
    }
    long free = run.engine.freeCollateral(a);
    long withdrawn = free > 1_000 ? free - 1_000 : 0;
    if (withdrawn > 0) {
      assertThat(settle(run, run.withdrawal(a, withdrawn), counts, when)).isTrue();
    }
    PlaceOrder taker = run.orderAt(a, m, side, TimeInForce.IOC, size, level);
    if (!settle(run, taker, counts, when)) {
      Matcher x = REQUIRES.matcher(run.core.lastRejectMessage());
      if (run.core.lastRejectReason() == RejectReason.INSUFFICIENT_MARGIN && x.find()) {
        long requires = Long.parseLong(x.group(1).replace(",", ""));
        long has = Long.parseLong(x.group(2).replace(",", ""));
        assertThat(settle(run, run.deposit(a, requires - has), counts, when)).isTrue();
        assertThat(settle(run, taker, counts, when))
            .as("the order at exactly its margin: %s", run.core.lastRejectMessage())
            .isTrue();
        counts.marginBoundaries++;
        if (run.engine.freeCollateral(a) == 0) {
          counts.exactMargin++;
        }
      }
    }
    assertThat(settle(run, run.deposit(a, withdrawn + 1_000_000), counts, when)).isTrue();
  }

  /**
   * Submits one command; an accepted one is settled and the tree compared with the engine.
   *
   * @return whether the engine accepted it
   */
  static boolean settle(DifferentialRun run, Command c, Counts counts, String when)
      throws Exception {
    StateRootsV2 before = run.store.roots();
    Outcome out = run.submit(c);
    if (!out.accepted()) {
      if (out.events().isEmpty()) {
        counts.intakeRefused++;
      } else {
        counts.rejected.merge(run.core.lastRejectReason(), 1, Integer::sum);
      }
      assertThat(out.events().stream().filter(EngineAgainstCircuitTest::changesState).toList())
          .as("records of the refused %s", c)
          .isEmpty();
      if (c instanceof PlaceOrder p && p.size() >= 4_000) {
        assertThat(run.core.lastRejectReason())
            .isIn(
                RejectReason.INSUFFICIENT_MARGIN,
                RejectReason.POSITION_SIZE_LIMIT,
                RejectReason.OPEN_INTEREST_CAP);
      }
      assertThat(run.store.roots()).isEqualTo(before);
      return false;
    }
    run.accepted(c);
    counts.accepted++;
    for (SequencerEvent e : out.events()) {
      switch (e) {
        case SequencerEvent.Fill f -> counts.fills++;
        case SequencerEvent.OrderTriggered t -> counts.events.merge("triggered", 1, Integer::sum);
        case SequencerEvent.OrderClosed x ->
            counts.events.merge(x.reason().name(), 1, Integer::sum);
        default -> {}
      }
    }
    switch (out.t()) {
      case V3Translation.Unprovable u -> {
        counts.unprovable++;
        System.out.printf("%s: unprovable %s, the run stops%n", when, u);
        return true;
      }
      case V3Translation.Steps s -> {
        try {
          SettledCommand settled = run.settler.settleForBatch(s);
          if (run.batches != null) {
            run.batches.add(settled);
          }
        } catch (SettlementStoppedException e) {
          fail("%s (%s): %s", when, c, e.getMessage(), e);
        }
        for (V3Step step : s.steps()) {
          counts.steps.merge(step.getClass().getSimpleName(), 1, Integer::sum);
          if (step instanceof V3Step.Collateral col) {
            String kind = col.tx().getClass().getSimpleName();
            counts.steps.merge(
                " " + kind + (col.record() == null ? " (paid 0)" : ""), 1, Integer::sum);
          }
          if (step instanceof V3Step.Liquidation l) {
            counts.steps.merge(" " + l.tx().getClass().getSimpleName(), 1, Integer::sum);
          }
        }
      }
    }
    assertTreeEqualsEngine(run, when + " (" + c + ")", counts.mostPositions);
    assertThat(run.translator.liveOrders())
        .as("live orders kept")
        .isEqualTo(run.core.liveOrderCount());
    return true;
  }

  static boolean changesState(SequencerEvent e) {
    return switch (e) {
      case SequencerEvent.OrderAccepted x -> false;
      case SequencerEvent.OrderTriggered x -> false;
      case SequencerEvent.OrderClosed x -> false;
      case SequencerEvent.Rejected x -> false;
      case SequencerEvent.LiquidationTriggered x -> false;
      default -> true;
    };
  }

  /** Every account, the fund, the fee balance and every market: the tree equals the engine. */
  static void assertTreeEqualsEngine(DifferentialRun run, String when, int[] mostPositions) {
    RiskEngine e = run.engine;
    try (StateViewV2 v = run.store.view()) {
      for (int a = 0; a < ACCOUNTS; a++) {
        AccountV2 acc = v.account(a);
        if (acc == null) {
          assertThat(e.collateral(a)).as("account %d absent from the tree %s", a, when).isZero();
          continue;
        }
        assertThat(acc.collateral()).as("collateral of %d %s", a, when).isEqualTo(e.collateral(a));
        int open = 0;
        for (int m : MARKETS) {
          int i = acc.positions().find(m);
          long size = i < 0 ? 0 : acc.positions().entries().get(i).size();
          assertThat(size).as("position of %d in %d %s", a, m, when).isEqualTo(e.position(a, m));
          if (i >= 0) {
            open++;
            PositionEntry p = acc.positions().entries().get(i);
            assertThat(p.fundingSnapshot())
                .as("snapshot of %d in %d %s", a, m, when)
                .isEqualTo(e.fundingSnapshot(a, m));
          }
        }
        assertThat(acc.positions().openPositions()).isEqualTo(open);
        mostPositions[a] = Math.max(mostPositions[a], open);
      }
      AccountV2 fund = v.account(LayoutV2.INSURANCE_FUND_ACCOUNT);
      assertThat(fund.collateral()).isEqualTo(e.insuranceFund().collateral());
      assertThat(v.global().feeBalance()).as("fee balance %s", when).isEqualTo(e.feeBalance());
      for (int m : MARKETS) {
        MarketV2 mk = v.market(m);
        assertThat(mk.oraclePrice()).as("price of %d %s", m, when).isEqualTo(e.oracleFixed(m));
        assertThat(mk.oracleTimestamp()).isEqualTo(e.oracleTimestamp(m));
        assertThat(mk.fundingIndex()).as("index of %d %s", m, when).isEqualTo(e.fundingIndex(m));
        assertThat(mk.fundingTimestamp()).isEqualTo(e.fundingTimestamp(m));
        assertThat(mk.openInterest()).as("OI of %d %s", m, when).isEqualTo(e.openInterest(m));
      }
    }
  }
}
