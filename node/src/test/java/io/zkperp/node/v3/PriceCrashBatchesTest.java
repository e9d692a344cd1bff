package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.batcher.v3.liquidation.LiquidationExecution;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.prover.BatchProver;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.sequencer.risk.RiskConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #20's first acceptance point: engine runs in which signed oracle prices crash and recover,
 * so that accounts are liquidated against the book, taken over by the insurance fund and
 * deleveraged, with every command translated and settled ({@link CommandTranslator}, {@link
 * V3Settler}: the tree compared with the engine after every command) and sealed into batches of the
 * check-only shape {@code v3-check} (which has a liquidation, a takeover and a deleveraging slot),
 * every batch checked by the real gnark solver over JNI ({@link BatchProver#openForCheck}): random
 * runs ({@link PriceCrashes}; CI runs seed 1: 30 orders, then one crash of a market with 2 orders
 * and a {@code Tick} before each price; {@code ZKPERP_V3_CRASH_FULL=1} seeds 1 to 5: 100 orders,
 * then 8 crashes, spikes or recoveries with 3 orders before each price) and the scenario of the
 * engine's {@code LiquidationScenarioTest} (a 20x long through a crash: a fill that lifts the
 * account, two fills and a takeover, a last takeover).
 */
class PriceCrashBatchesTest {
  /** CI: orders before the crash, price cycles (the first a crash), orders per tick. */
  static final int[] CI = {30, 1, 2};

  /** {@code ZKPERP_V3_CRASH_FULL=1}: the same for each of seeds 1 to 5. */
  static final int[] FULL_RUN = {100, 8, 3};

  static final boolean FULL = "1".equals(System.getenv("ZKPERP_V3_CRASH_FULL"));
  static BatchProver checker;

  @BeforeAll
  static void open() {
    checker = BatchProver.openForCheck(DifferentialBatches.SHAPE_NAME, Deployment.DOMAIN);
  }

  @AfterAll
  static void close() {
    if (checker != null) {
      checker.close();
    }
  }

  static LongStream seeds() {
    return FULL ? LongStream.rangeClosed(1, 5) : LongStream.of(1);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyStepOfARandomRunWithPriceCrashesIsBatchedAndSatisfiesTheCircuit(
      long seed, @TempDir Path dir) throws Exception {
    long start = System.nanoTime();
    EngineAgainstCircuitTest.Counts counts;
    DifferentialBatches batches;
    try (DifferentialRun run = new DifferentialRun(seed, dir)) {
      batches = new DifferentialBatches(checker, run.store.roots().stateRoot());
      run.batches = batches;
      int[] p = FULL ? FULL_RUN : CI;
      counts = PriceCrashes.drive(run, p[0], p[1], p[2]);
      batches.finish(run.now);
    }
    System.out.printf(
        "crash seed %d: %d batches checked over JNI in %d ms (%s), run and checks in %d ms;"
            + " run: %s%n",
        seed,
        batches.batches,
        batches.checkNanos / 1_000_000,
        batches.checkedSteps,
        (System.nanoTime() - start) / 1_000_000,
        counts);
    assertThat(counts.unprovable).as("commands no step proves (stopped the run)").isZero();
    assertThat(counts.steps.get(" LiquidationFill")).as("liquidation fills").isPositive();
    assertThat(counts.steps.get(" InsuranceTakeover")).as("takeovers").isPositive();
    assertThat(counts.steps.get(" Deleveraging")).as("deleveragings").isPositive();
    int settled =
        counts.steps.entrySet().stream()
            .filter(e -> !e.getKey().startsWith(" "))
            .mapToInt(e -> e.getValue())
            .sum();
    int checked = batches.checkedSteps.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(batches.gaps).as("commands the shape has no slot for").isZero();
    assertThat(checked).as("every settled step batched and checked").isEqualTo(settled);
    assertThat(batches.checkedSteps.get("Liquidation")).isEqualTo(counts.steps.get("Liquidation"));
  }

  /** {@code RiskMathTest.BTC}: IMF 5%, MMF 3%, baseline 100, +1% per 50 above, max 1,000. */
  static final MarketRisk BTC = new MarketRisk(50_000, 30_000, 100, 50, 10_000, 1_000, 10_000);

  /** {@code LiquidationScenarioTest.LIQ}: 10% steps, at least 50,000 notional, fee 1%. */
  static final LiquidationConfig LIQ =
      new LiquidationConfig(true, 100_000, 50_000, 500_000, 10_000);

  /**
   * The engine's {@code LiquidationScenarioTest.twentyTimesLongThroughACrashIsLiquidatedPartially
   * ThenFully} (same market, fees, liquidation parameters, orders and prices, the prices signed):
   * the same records, each command settled, every step sealed into v3-check batches the solver
   * accepts — the fill at 975 that lifts the account (no takeover after it), the two fills and the
   * takeover of 5 at 937 at 960, the takeover of 17 at 937 at 955.
   */
  @Test
  void theLiquidationScenarioRunsThroughTheTranslatorAndTheSolver(@TempDir Path dir)
      throws Exception {
    try (LiquidationRun run =
        new LiquidationRun(dir, RiskConfig.of(LiquidationRun.MARKET, BTC), LIQ, 1)) {
      DifferentialBatches batches = new DifferentialBatches(checker, run.store.roots().stateRoot());
      Scenario s = new Scenario(run, batches);
      s.apply(run.price(1_000));
      s.apply(run.deposit(1, 5_000));
      s.apply(run.deposit(2, 100_000));
      s.apply(run.deposit(3, 1_000_000));
      s.apply(run.order(2, Side.SELL, TimeInForce.GTC, 100, 1_000));
      s.apply(run.order(1, Side.BUY, TimeInForce.IOC, 100, 1_000));
      assertThat(run.engine.collateral(1)).isEqualTo(-95_000);
      s.apply(run.order(3, Side.BUY, TimeInForce.GTC, 30, 970));
      s.apply(run.order(3, Side.BUY, TimeInForce.GTC, 30, 962));
      s.apply(run.order(3, Side.BUY, TimeInForce.GTC, 18, 955));
      s.apply(run.order(1, Side.SELL, TimeInForce.GTC, 5, 1_100));

      s.apply(new Tick(run.now + 10));
      List<SequencerEvent> ev = s.apply(run.price(975));
      List<SequencerEvent.Liquidated> fills = only(ev, SequencerEvent.Liquidated.class);
      assertThat(fills).hasSize(1);
      assertThat(fills.get(0).price()).isEqualTo(970);
      assertThat(fills.get(0).liquidationFee()).isEqualTo(291);
      assertThat(only(ev, SequencerEvent.InsuranceTakeover.class)).isEmpty();
      assertThat(run.engine.isLiquidatable(1)).isFalse();

      s.apply(new Tick(run.now + 10));
      ev = s.apply(run.price(960));
      assertThat(only(ev, SequencerEvent.Liquidated.class))
          .extracting(SequencerEvent.Liquidated::price)
          .containsExactly(962L, 955L);
      assertThat(only(ev, SequencerEvent.InsuranceTakeover.class))
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.size()).isEqualTo(-5);
                assertThat(t.price()).isEqualTo(937);
              });

      s.apply(new Tick(run.now + 10));
      ev = s.apply(run.price(955));
      assertThat(only(ev, SequencerEvent.InsuranceTakeover.class))
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.size()).isEqualTo(-17);
                assertThat(t.price()).isEqualTo(937);
              });
      batches.finish(run.now);
      assertThat(run.engine.collateral(1)).isEqualTo(12);
      assertThat(run.engine.insuranceFund().collateral()).isEqualTo(-19_862);
      assertThat(batches.gaps).isZero();
      assertThat(batches.checkedSteps.get("Liquidation")).as("3 fills, 2 takeovers").isEqualTo(5);
      try (var v = run.store.view()) {
        AccountV2 fund = v.account(LiquidationExecution.FUND_ACCOUNT);
        assertThat(fund.collateral()).isEqualTo(-19_862);
        assertThat(v.account(1).collateral()).isEqualTo(12);
      }
    }
  }

  /** The scenario's commands applied, settled for a batch and sealed. */
  private record Scenario(LiquidationRun run, DifferentialBatches batches) {
    List<SequencerEvent> apply(Command c) throws Exception {
      LiquidationRun.Applied a = run.apply(c);
      assertThat(a.translation())
          .as("%s: %s", c, a.translation())
          .isInstanceOf(V3Translation.Steps.class);
      batches.add(run.settler.settleForBatch((V3Translation.Steps) a.translation()));
      return a.events();
    }
  }

  private static <T> List<T> only(List<SequencerEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
