package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.batcher.v3.liquidation.Deleveraging;
import io.zkperp.batcher.v3.liquidation.InsuranceTakeover;
import io.zkperp.batcher.v3.liquidation.LiquidationExecution;
import io.zkperp.batcher.v3.liquidation.LiquidationFill;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.SequencerEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's liquidation records through the translator and the settler ({@link LiquidationRun}:
 * a real engine, signed oracle prices, a real RocksDB store): account 0, long 100 at 10,000, is
 * driven by signed prices into a liquidation fill against account 2's resting bid, then a takeover
 * by the insurance fund, then (bankrupt) a deleveraging against account 1's short — each command
 * settled with no disagreement, the tree holding the engine's collaterals and positions — and the
 * three engine sequences the steps used to refuse (docs/perp-circuit.md §11.3, differences 1–3),
 * which the engine now decides transaction by transaction as the steps do: each settles with no
 * stop.
 */
class LiquidationTranslationTest {
  private static final long FUND = LiquidationExecution.FUND_ACCOUNT;

  /** Settles a translation that must be steps; returns them. */
  private static List<V3Step> settle(LiquidationRun run, LiquidationRun.Applied a)
      throws Exception {
    assertThat(a.translation())
        .as("%s: %s", a.command(), a.translation())
        .isInstanceOf(V3Translation.Steps.class);
    V3Translation.Steps s = (V3Translation.Steps) a.translation();
    run.settler.settle(s);
    return s.steps();
  }

  /** Deposits, account 0 buys 100 at 10,000 from the shorts, account 2 bids 10 at 9,800. */
  private static void open(LiquidationRun run, long... shorts) throws Exception {
    openWithBid(run, 10, 9_800, shorts);
  }

  /** Deposits, account 0 buys 100 at 10,000 from the shorts, account 2 bids as given. */
  private static void openWithBid(LiquidationRun run, long bidSize, long bid, long... shorts)
      throws Exception {
    settle(run, run.apply(run.deposit(0, 55_000)));
    settle(run, run.apply(run.deposit(2, 1_000_000)));
    for (int i = 0; i < shorts.length; i++) {
      settle(run, run.apply(run.deposit(1 + 2 * i, 1_000_000)));
    }
    settle(run, run.apply(run.price(10_000)));
    for (int i = 0; i < shorts.length; i++) {
      settle(run, run.apply(run.order(1 + 2 * i, Side.SELL, TimeInForce.GTC, shorts[i], 10_000)));
    }
    settle(run, run.apply(run.order(0, Side.BUY, TimeInForce.IOC, 100, 10_000)));
    assertThat(run.engine.position(0, LiquidationRun.MARKET)).isEqualTo(100);
    settle(run, run.apply(run.order(2, Side.BUY, TimeInForce.GTC, bidSize, bid)));
    settle(run, run.apply(new Tick(run.now + 10)));
    settle(run, run.apply(run.price(9_710)));
    assertThat(run.engine.isLiquidatable(0)).as("healthy at 9,710").isFalse();
  }

  /** Moves the time and applies a price; returns the price command's translation. */
  private static LiquidationRun.Applied priceAfterTick(LiquidationRun run, long price)
      throws Exception {
    settle(run, run.apply(new Tick(run.now + 10)));
    return run.apply(run.price(price));
  }

  private static <T> List<T> records(LiquidationRun.Applied a, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (SequencerEvent e : a.events()) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  private static void treeHoldsTheEngines(LiquidationRun run, long... accounts) {
    try (var v = run.store.view()) {
      for (long id : accounts) {
        AccountV2 a = v.account(id);
        int i = a.positions().find(LiquidationRun.MARKET);
        long size = i < 0 ? 0 : a.positions().entries().get(i).size();
        boolean fund = id == FUND;
        long collateral =
            fund ? run.engine.insuranceFund().collateral() : run.engine.collateral((int) id);
        long position =
            fund
                ? run.engine.insuranceFund().position(LiquidationRun.MARKET)
                : run.engine.position((int) id, LiquidationRun.MARKET);
        assertThat(a.collateral()).as("account %d's collateral", id).isEqualTo(collateral);
        assertThat(size).as("account %d's position", id).isEqualTo(position);
      }
    }
  }

  @Test
  void aFillATakeoverAndADeleveragingSettleWithNoDisagreement(@TempDir Path dir) throws Exception {
    try (LiquidationRun run = new LiquidationRun(dir)) {
      open(run, 100);

      // 9,500: equity 4,500 < MMR 19,000, not bankrupt: one step, 10 sold to account 2's bid
      LiquidationRun.Applied fill = priceAfterTick(run, 9_500);
      List<V3Step> steps = settle(run, fill);
      List<SequencerEvent.Liquidated> liquidated = records(fill, SequencerEvent.Liquidated.class);
      assertThat(liquidated).hasSize(1);
      assertThat(liquidated.get(0).counterparty()).isEqualTo(2);
      assertThat(liquidated.get(0).price()).isEqualTo(9_800);
      assertThat(steps)
          .filteredOn(s -> s instanceof V3Step.Liquidation)
          .singleElement()
          .satisfies(
              s -> assertThat(((V3Step.Liquidation) s).tx()).isInstanceOf(LiquidationFill.class));
      assertThat(steps).noneMatch(s -> s instanceof V3Step.Trade);
      treeHoldsTheEngines(run, 0, 1, 2, FUND);

      // 9,450: still below maintenance, no bid left: the fund takes the step over
      LiquidationRun.Applied takeover = priceAfterTick(run, 9_450);
      steps = settle(run, takeover);
      assertThat(records(takeover, SequencerEvent.InsuranceTakeover.class)).hasSize(1);
      assertThat(steps)
          .filteredOn(s -> s instanceof V3Step.Liquidation)
          .singleElement()
          .satisfies(
              s -> assertThat(((V3Step.Liquidation) s).tx()).isInstanceOf(InsuranceTakeover.class));
      treeHoldsTheEngines(run, 0, 2, FUND);

      // 9,300: bankrupt beyond what the fund can pay: deleveraged against account 1's short
      LiquidationRun.Applied deleveraging = priceAfterTick(run, 9_300);
      steps = settle(run, deleveraging);
      List<SequencerEvent.Deleveraged> d = records(deleveraging, SequencerEvent.Deleveraged.class);
      assertThat(d).hasSize(1);
      assertThat(d.get(0).counterparty()).isEqualTo(1);
      assertThat(steps)
          .filteredOn(s -> s instanceof V3Step.Liquidation)
          .singleElement()
          .satisfies(
              s -> assertThat(((V3Step.Liquidation) s).tx()).isInstanceOf(Deleveraging.class));
      assertThat(run.engine.position(0, LiquidationRun.MARKET)).isZero();
      treeHoldsTheEngines(run, 0, 1, 2, FUND);
      assertThat(run.settler.stepsSettled()).isPositive();
    }
  }

  /**
   * docs/perp-circuit.md §11.3, difference 3, through the node: a bankrupt part split across two
   * counterparties (accounts 1 and 3 short 50 each). The engine used to price both shares at the
   * part's bankruptcy price, which the translator had to refuse as a typed {@code Unprovable}; it
   * now prices each share at its own bankruptcy price on the state the previous share left, so both
   * deleveraging steps settle with no refusal and the tree holds the engine's state.
   */
  @Test
  void aPartDeleveragedAgainstTwoCounterpartiesSettlesShareByShare(@TempDir Path dir)
      throws Exception {
    try (LiquidationRun run = new LiquidationRun(dir)) {
      open(run, 50, 50); // accounts 1 and 3 short 50 each
      settle(run, priceAfterTick(run, 9_500));
      settle(run, priceAfterTick(run, 9_450));
      LiquidationRun.Applied split = priceAfterTick(run, 9_300);
      List<SequencerEvent.Deleveraged> d = records(split, SequencerEvent.Deleveraged.class);
      assertThat(d).as("one part, two counterparties").hasSize(2);
      assertThat(d.get(0).account()).isEqualTo(d.get(1).account());
      assertThat(d.get(0).counterparty()).isNotEqualTo(d.get(1).counterparty());
      List<V3Step> steps = settle(run, split);
      assertThat(steps)
          .filteredOn(s -> s instanceof V3Step.Liquidation l && l.tx() instanceof Deleveraging)
          .hasSize(2);
      assertThat(run.engine.position(0, LiquidationRun.MARKET)).isZero();
      treeHoldsTheEngines(run, 0, 1, 2, 3, FUND);
    }
  }

  /**
   * docs/perp-circuit.md §11.3, difference 1, through the node: a step's fill (account 2's bid of 5
   * far above the oracle) lifts account 0 to equity ≥ Σ MMR. The engine used to hand the rest of
   * the step to the fund, a takeover the step refused ({@code NOT_LIQUIDATABLE}) so that the
   * settler stopped the command; it now ends the step after the fill, so the command settles, and
   * the rest waits for the next tick that finds the account liquidatable, which settles too.
   */
  @Test
  void aFillThatLiftsTheAccountEndsTheStepAndEverythingSettles(@TempDir Path dir) throws Exception {
    try (LiquidationRun run = new LiquidationRun(dir)) {
      openWithBid(run, 5, 12_400, 100);
      settle(run, run.apply(new Tick(run.now + 10)));
      LiquidationRun.Applied step = run.apply(run.price(9_500));
      assertThat(records(step, SequencerEvent.Liquidated.class)).hasSize(1);
      assertThat(records(step, SequencerEvent.InsuranceTakeover.class)).isEmpty();
      assertThat(records(step, SequencerEvent.Deleveraged.class)).isEmpty();
      assertThat(run.engine.isLiquidatable(0)).as("lifted by the fill").isFalse();
      assertThat(run.engine.position(0, LiquidationRun.MARKET)).isEqualTo(95);
      settle(run, step);
      treeHoldsTheEngines(run, 0, 1, 2, FUND);

      // 9,300: liquidatable again; no bid left, so the fund takes the step over
      LiquidationRun.Applied next = priceAfterTick(run, 9_300);
      assertThat(records(next, SequencerEvent.LiquidationTriggered.class)).hasSize(1);
      List<V3Step> steps = settle(run, next);
      assertThat(steps).anyMatch(s -> s instanceof V3Step.Liquidation);
      assertThat(run.engine.position(0, LiquidationRun.MARKET)).isLessThan(95);
      treeHoldsTheEngines(run, 0, 1, 2, FUND);
    }
  }

  /**
   * docs/perp-circuit.md §11.3, difference 2, through the node: account 4 (long 100 at 10,000 with
   * 85,000) is below maintenance but of positive equity at 9,200, and the insurance fund cannot
   * take its step over (the fund holds account 0's long 19 taken over at 9,455 and 9,456, worth
   * less now). The engine used to deleverage account 4's rest, a deleveraging of a non-negative
   * account the step refused ({@code NOT_BANKRUPT}); it now deleverages only while equity &lt; 0,
   * so account 4's position stays open, the command settles (account 0, bankrupt, is deleveraged in
   * it), and the next tick retries: with a bid in the book, account 4's step sells to it and
   * settles.
   */
  @Test
  void aNonBankruptRestTheFundCannotTakeStaysOpenAndEverythingSettles(@TempDir Path dir)
      throws Exception {
    try (LiquidationRun run = new LiquidationRun(dir)) {
      settle(run, run.apply(run.deposit(0, 55_000)));
      settle(run, run.apply(run.deposit(4, 85_000)));
      settle(run, run.apply(run.deposit(1, 1_000_000)));
      settle(run, run.apply(run.deposit(3, 1_000_000)));
      settle(run, run.apply(run.deposit(2, 1_000_000)));
      settle(run, run.apply(run.price(10_000)));
      settle(run, run.apply(run.order(1, Side.SELL, TimeInForce.GTC, 100, 10_000)));
      settle(run, run.apply(run.order(3, Side.SELL, TimeInForce.GTC, 100, 10_000)));
      settle(run, run.apply(run.order(0, Side.BUY, TimeInForce.IOC, 100, 10_000)));
      settle(run, run.apply(run.order(4, Side.BUY, TimeInForce.IOC, 100, 10_000)));
      settle(run, priceAfterTick(run, 9_710));
      // 9,500 and 9,470: account 0 below maintenance (not bankrupt), no bids: the fund takes its
      // step over each time (10, then 9 of 90)
      settle(run, priceAfterTick(run, 9_500));
      settle(run, priceAfterTick(run, 9_470));
      assertThat(run.engine.insuranceFund().position(LiquidationRun.MARKET)).isEqualTo(19);
      assertThat(run.engine.isLiquidatable(4)).isFalse();

      long collateral4 = run.engine.collateral(4);
      LiquidationRun.Applied tick = priceAfterTick(run, 9_200);
      assertThat(run.engine.insuranceFund().equity()).as("the fund cannot pay").isNegative();
      assertThat(records(tick, SequencerEvent.LiquidationTriggered.class))
          .extracting(SequencerEvent.LiquidationTriggered::account)
          .containsExactly(0, 4);
      assertThat(records(tick, SequencerEvent.Deleveraged.class))
          .isNotEmpty()
          .allMatch(r -> r.account() == 0);
      assertThat(records(tick, SequencerEvent.InsuranceTakeover.class)).isEmpty();
      assertThat(run.engine.position(4, LiquidationRun.MARKET)).isEqualTo(100);
      assertThat(run.engine.isLiquidatable(4)).as("waits for the next tick").isTrue();
      assertThat(run.engine.collateral(4)).isEqualTo(collateral4);
      settle(run, tick);
      treeHoldsTheEngines(run, 0, 1, 2, 3, 4, FUND);

      // the next tick retries: account 2 bids, and account 4's step sells to it
      settle(run, run.apply(run.order(2, Side.BUY, TimeInForce.GTC, 10, 9_190)));
      LiquidationRun.Applied retry = priceAfterTick(run, 9_200);
      assertThat(records(retry, SequencerEvent.Liquidated.class))
          .singleElement()
          .satisfies(r -> assertThat(r.account()).isEqualTo(4));
      settle(run, retry);
      assertThat(run.engine.position(4, LiquidationRun.MARKET)).isEqualTo(90);
      treeHoldsTheEngines(run, 0, 1, 2, 3, 4, FUND);
    }
  }
}
