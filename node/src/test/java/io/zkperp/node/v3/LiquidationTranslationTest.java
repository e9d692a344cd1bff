package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * engine sequence the deleveraging step refuses by itself (a part split across two counterparties
 * at one price, docs/perp-circuit.md §11.3 difference 3) a typed {@link V3Translation.Unprovable}.
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

  @Test
  void aPartDeleveragedAgainstTwoCounterpartiesAtOnePriceIsUnprovable(@TempDir Path dir)
      throws Exception {
    try (LiquidationRun run = new LiquidationRun(dir)) {
      open(run, 50, 50); // accounts 1 and 3 short 50 each
      settle(run, priceAfterTick(run, 9_500));
      settle(run, priceAfterTick(run, 9_450));
      var before = run.store.roots();
      LiquidationRun.Applied split = priceAfterTick(run, 9_300);
      List<SequencerEvent.Deleveraged> d = records(split, SequencerEvent.Deleveraged.class);
      assertThat(d).as("one part, two counterparties").hasSize(2);
      assertThat(d.get(0).price()).isEqualTo(d.get(1).price());
      assertThat(split.translation())
          .isInstanceOfSatisfying(
              V3Translation.Unprovable.class,
              u -> {
                assertThat(u.command()).isEqualTo("SignedOraclePrices");
                assertThat(u.record()).isEqualTo("Deleveraged");
                assertThat(u.reason()).contains("§11.3, difference 3");
              });
      assertThat(run.store.roots()).as("nothing settled").isEqualTo(before);
    }
  }

  /**
   * docs/perp-circuit.md §11.3, difference 1: the engine takes over the rest of a step after its
   * fill lifted the account to equity ≥ Σ MMR (a bid of 5 far above the oracle price); the takeover
   * step re-proves the account liquidatable on the state after the fill and refuses it, so the
   * settler stops the command with a typed refusal and writes nothing of it.
   */
  @Test
  void aTakeoverAfterAFillLiftedTheAccountIsRefusedByItsStep(@TempDir Path dir) throws Exception {
    try (LiquidationRun run = new LiquidationRun(dir)) {
      openWithBid(run, 5, 12_400, 100);
      settle(run, run.apply(new Tick(run.now + 10)));
      var before = run.store.roots();
      long version = run.store.version();
      LiquidationRun.Applied step = run.apply(run.price(9_500));
      assertThat(records(step, SequencerEvent.Liquidated.class)).hasSize(1);
      assertThat(records(step, SequencerEvent.InsuranceTakeover.class)).hasSize(1);
      assertThat(run.engine.isLiquidatable(0)).as("lifted by the fill").isFalse();
      V3Translation.Steps steps = (V3Translation.Steps) step.translation();
      int takeover = -1;
      for (int i = 0; i < steps.steps().size(); i++) {
        if (steps.steps().get(i) instanceof V3Step.Liquidation l
            && l.tx() instanceof InsuranceTakeover) {
          takeover = i;
        }
      }
      int at = takeover;
      assertThatThrownBy(() -> run.settler.settle(steps))
          .isInstanceOfSatisfying(
              StepRefusedException.class,
              e -> {
                assertThat(e.reasons()).containsExactly("NOT_LIQUIDATABLE");
                assertThat(e.step()).isEqualTo(at);
              });
      assertThat(run.store.roots()).isEqualTo(before);
      assertThat(run.store.version()).isEqualTo(version);
    }
  }
}
