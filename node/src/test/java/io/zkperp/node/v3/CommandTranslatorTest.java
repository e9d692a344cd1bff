package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.batcher.v3.DepositTransaction;
import io.zkperp.batcher.v3.ForcedWithdrawalTransaction;
import io.zkperp.node.SettlementInput;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.ServeL1ForcedTrade;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.FeeTier;
import io.zkperp.sequencer.risk.ForcedTradeRequest;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The translator on a real engine (market 1 of {@link Deployment} without an oracle or funding
 * configuration, so that unsigned prices and operator deposits are accepted): what each command
 * becomes, and the records no step proves named in a typed {@link V3Translation.Unprovable}.
 */
class CommandTranslatorTest {
  private static final RiskConfig CONFIG =
      new RiskConfig(
          Map.of(1, new MarketRisk(50_000, 30_000, 100, 50, 10_000, 5_000, 50_000)),
          List.of(new FeeTier(200, 500)),
          Map.of());

  private final EventCollector events = new EventCollector();
  private final SequencerCore core =
      new SequencerCore(
          OrderBookFactory.OPTIMISED,
          SelfTradePrevention.EXPIRE_MAKER,
          new RiskEngine(CONFIG, LiquidationConfig.DEFAULT),
          events);
  private final CommandTranslator translator = new CommandTranslator(FeeSchedule.of(CONFIG), 1_000);
  private long seq;
  private long priority;

  private V3Translation apply(Command c) {
    assertThat(core.apply(c)).as("%s: %s", c, core.lastRejectMessage()).isTrue();
    return translator.translate(new SettlementInput(++seq, c, events.drain()));
  }

  private CreditL1Deposit deposit(int account, long amount) {
    var k = Deployment.TRADERS.get(account).publicKey().point();
    return new CreditL1Deposit(
        priority++, account, Deployment.owner(account), k.x(), k.y(), amount);
  }

  private V3Translation order(int account, Side side, long size, long price, long nonce) {
    return apply(
        OrderSigner.sign(
            Deployment.TRADERS.get(account),
            account,
            1,
            side,
            nonce,
            OrderType.LIMIT,
            TimeInForce.GTC,
            size,
            price));
  }

  /** Market 1 with an (unprovable) oracle price; accounts 0 and 1 funded from L1. */
  private void pricedMarketWithTwoFundedAccounts() {
    apply(new AddMarket(1, 1, 1, 1));
    apply(new OraclePrice(1, 1_000, 1)); // unprovable, but the engine needs a price
    apply(deposit(0, 1_000_000));
    apply(deposit(1, 1_000_000));
  }

  @Test
  void commandsWithoutStateChangesHaveNoSteps() {
    assertThat(apply(new AddMarket(1, 1, 1, 1))).isEqualTo(new V3Translation.Steps(1, List.of()));
    assertThat(apply(new Tick(1_000))).isEqualTo(new V3Translation.Steps(2, List.of()));
  }

  @Test
  void anL1DepositIsADepositStepAndAnOperatorDepositIsUnprovable() {
    apply(new AddMarket(1, 1, 1, 1));
    CreditL1Deposit d = deposit(0, 500);
    V3Translation.Steps s = (V3Translation.Steps) apply(d);
    assertThat(s.steps()).hasSize(1);
    V3Step.Collateral c = (V3Step.Collateral) s.steps().get(0);
    assertThat(c.tx()).isEqualTo(new DepositTransaction(0, d.owner(), d.keyX(), d.keyY(), 500));
    assertThat(c.record()).isEqualTo(new SequencerEvent.Deposited(0, 500, 0, 500));

    V3Translation u = apply(new DepositCollateral(0, 7));
    assertThat(u).isInstanceOf(V3Translation.Unprovable.class);
    V3Translation.Unprovable un = (V3Translation.Unprovable) u;
    assertThat(un.seq()).isEqualTo(3);
    assertThat(un.command()).isEqualTo("DepositCollateral");
    assertThat(un.record()).isEqualTo("Deposited");
  }

  @Test
  void aForcedWithdrawalTheEngineDoesNotPayIsAStepWithoutRecord() {
    apply(new AddMarket(1, 1, 1, 1));
    apply(deposit(0, 500));
    ServeL1ForcedWithdrawal f =
        new ServeL1ForcedWithdrawal(priority++, 0, Deployment.owner(0), 501);
    V3Translation.Steps s = (V3Translation.Steps) apply(f);
    assertThat(s.steps())
        .containsExactly(
            new V3Step.Collateral(new ForcedWithdrawalTransaction(0, f.owner(), 501), null));
  }

  /** No step proves an insurance fund top-up: it is typed unprovable (the settlement pauses). */
  @Test
  void anInsuranceFundTopUpIsUnprovableNamingItsRecord() {
    apply(new AddMarket(1, 1, 1, 1));
    V3Translation u = apply(new io.zkperp.sequencer.command.TopUpInsuranceFund(1_000));
    assertThat(u)
        .isInstanceOfSatisfying(
            V3Translation.Unprovable.class,
            x -> {
              assertThat(x.command()).isEqualTo("TopUpInsuranceFund");
              assertThat(x.record()).isEqualTo("InsuranceFundToppedUp");
            });
  }

  /**
   * No step proves a forced trade until the forced-trade group's Java encoder exists: executed or
   * invalid, it is typed unprovable naming its record, never skipped.
   */
  @Test
  void aForcedTradeIsUnprovableNamingItsRecordWhateverItsOutcome() {
    pricedMarketWithTwoFundedAccounts();
    for (boolean signatureValid : new boolean[] {true, false}) {
      ServeL1ForcedTrade f =
          new ServeL1ForcedTrade(
              priority++, new ForcedTradeRequest(0, 1, 1, true, 5, 5_000, 7), signatureValid);
      assertThat(apply(f))
          .isInstanceOfSatisfying(
              V3Translation.Unprovable.class,
              x -> {
                assertThat(x.command()).isEqualTo("ServeL1ForcedTrade");
                assertThat(x.record()).isEqualTo("ForcedTradeServed");
              });
    }
    assertThat(core.position(0, 1)).isEqualTo(5); // the first executed, the second did not
  }

  @Test
  void anUnsignedOraclePriceIsUnprovableNamingItsRecord() {
    apply(new AddMarket(1, 1, 1, 1));
    V3Translation u = apply(new OraclePrice(1, 1_000, 1));
    assertThat(u)
        .isInstanceOfSatisfying(
            V3Translation.Unprovable.class,
            x -> {
              assertThat(x.record()).isEqualTo("PriceTickApplied");
              assertThat(x.reason()).contains("SignedOraclePrices");
            });
  }

  @Test
  void aFillIsATradeOfBothSignedOrdersAndTheMakersOrderIsReleasedWhenFilled() {
    pricedMarketWithTwoFundedAccounts();
    assertThat(order(0, Side.SELL, 10, 1_000, 1))
        .isEqualTo(new V3Translation.Steps(seq, List.of()));
    assertThat(translator.liveOrders()).isEqualTo(1);
    V3Translation.Steps s = (V3Translation.Steps) order(1, Side.BUY, 4, 1_001, 1);
    assertThat(s.steps()).hasSize(1);
    V3Step.Trade t = (V3Step.Trade) s.steps().get(0);
    assertThat(t.tx().price()).isEqualTo(1_000);
    assertThat(t.tx().size()).isEqualTo(4);
    assertThat(t.tx().buyer().order().account()).isEqualTo(1);
    assertThat(t.tx().buyer().feePpm()).isEqualTo(500); // the taker's rate
    assertThat(t.tx().seller().order().account()).isEqualTo(0);
    assertThat(t.tx().seller().feePpm()).isEqualTo(200); // the maker's rate
    assertThat(t.record().takerFee()).isEqualTo(2); // ⌈4,000 · 500 / 10^6⌉
    assertThat(t.record().makerFee()).isEqualTo(1); // ⌈4,000 · 200 / 10^6⌉
    assertThat(translator.liveOrders()).isEqualTo(1); // the maker rests with 6
    order(1, Side.BUY, 6, 1_000, 2);
    assertThat(translator.liveOrders()).isZero(); // filled: released
  }

  @Test
  void aFeeThatIsNotTheScheduleRateIsUnprovable() {
    CommandTranslator other =
        new CommandTranslator(
            FeeSchedule.of(
                new RiskConfig(CONFIG.markets(), List.of(new FeeTier(0, 500)), Map.of())),
            1_000);
    List<V3Translation> out = new java.util.ArrayList<>();
    for (Command c :
        List.of(
            new AddMarket(1, 1, 1, 1),
            new OraclePrice(1, 1_000, 1),
            deposit(0, 1_000_000),
            deposit(1, 1_000_000),
            OrderSigner.sign(
                Deployment.TRADERS.get(0),
                0,
                1,
                Side.SELL,
                1,
                OrderType.LIMIT,
                TimeInForce.GTC,
                10,
                1_000),
            OrderSigner.sign(
                Deployment.TRADERS.get(1),
                1,
                1,
                Side.BUY,
                1,
                OrderType.LIMIT,
                TimeInForce.IOC,
                10,
                1_000))) {
      assertThat(core.apply(c)).isTrue();
      out.add(other.translate(new SettlementInput(++seq, c, events.drain())));
    }
    // the engine charged the maker ⌈10,000 · 200 / 10^6⌉ = 2; the schedule says 0 ppm
    assertThat(out.get(5))
        .isInstanceOfSatisfying(
            V3Translation.Unprovable.class,
            x -> {
              assertThat(x.record()).isEqualTo("TradeSettled");
              assertThat(x.reason()).contains("maker fee 2 is not fee(10000, 0 ppm) = 0");
            });
  }

  @Test
  void aLiquidationUnderAnUnsignedPriceIsUnprovableNamingThePrice() {
    apply(new AddMarket(1, 1, 1, 1));
    apply(new OraclePrice(1, 1_000, 1));
    apply(deposit(0, 1_000_000));
    apply(deposit(1, 6_000)); // 100 at 1,000 needs 5,000 of initial margin
    order(0, Side.SELL, 100, 1_000, 1);
    order(1, Side.BUY, 100, 1_000, 1);
    order(0, Side.BUY, 50, 950, 2); // a bid for the liquidation order
    // equity 6,000 − 50 (fee) − 100 · 40 = 1,950 < MMR ⌈96,000 · 3%⌉ = 2,880
    assertThat(core.apply(new OraclePrice(1, 960, 2))).isTrue();
    List<SequencerEvent> produced = events.drain();
    assertThat(produced)
        .anyMatch(
            e ->
                e instanceof SequencerEvent.Liquidated
                    || e instanceof SequencerEvent.InsuranceTakeover
                    || e instanceof SequencerEvent.Deleveraged);
    V3Translation u =
        translator.translate(new SettlementInput(++seq, new OraclePrice(1, 960, 2), produced));
    // the liquidation fill has its step (LiquidationTranslationTest); the unsigned price has none
    assertThat(u)
        .isInstanceOfSatisfying(
            V3Translation.Unprovable.class,
            x -> {
              assertThat(x.command()).isEqualTo("OraclePrice");
              assertThat(x.record()).isEqualTo("PriceTickApplied");
            });
  }
}
