package io.zkperp.sequencer.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.OrderBuilder;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.command.WithdrawCollateral;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import java.util.ArrayList;
import java.util.List;

/** A core with a risk engine, for tests: keeps the accepted commands for replays. */
final class RiskHarness {
  final RiskConfig config;
  final RiskEngine risk;
  final SequencerCore core;
  final EventCollector events = new EventCollector();
  final List<Command> accepted = new ArrayList<>();
  long nextNonce = 1;
  long oracleTime = 1;

  RiskHarness(RiskConfig config, OrderBookFactory books, int... markets) {
    this(config, LiquidationConfig.DEFAULT, books, markets);
  }

  RiskHarness(
      RiskConfig config, LiquidationConfig liquidation, OrderBookFactory books, int... markets) {
    this(new RiskEngine(config, liquidation), books, markets);
  }

  /** A harness around a given engine (e.g. with oracle and funding configurations). */
  RiskHarness(RiskEngine engine, OrderBookFactory books, int... markets) {
    this.config = engine.config();
    this.risk = engine;
    this.core = new SequencerCore(books, SelfTradePrevention.EXPIRE_MAKER, risk, events);
    for (int m : markets) {
      ok(new AddMarket(m, 1, 1, 1));
    }
    ok(new Tick(1_000));
  }

  boolean apply(Command c) {
    boolean ok = core.apply(c);
    if (ok) {
      accepted.add(c);
    }
    return ok;
  }

  /**
   * A fresh core with a default-liquidation engine of the same configuration that applied every
   * accepted command after a round trip through the journal codec (what a restart replays).
   */
  RiskHarness replayThroughCodec() {
    RiskHarness replay =
        new RiskHarness(
            new RiskEngine(config, LiquidationConfig.DEFAULT), OrderBookFactory.OPTIMISED);
    for (Command c : accepted) {
      replay.ok(CommandCodec.decode(CommandCodec.encode(c)));
    }
    return replay;
  }

  void ok(Command c) {
    assertThat(apply(c)).as("%s: %s", c, core.lastRejectMessage()).isTrue();
  }

  void deposit(int account, long amount) {
    ok(new DepositCollateral(account, amount));
  }

  void oracle(int market, long price) {
    ok(new OraclePrice(market, price, oracleTime++));
  }

  PlaceOrder build(OrderBuilder b) {
    if (!b.hasClientId()) {
      b.clientId((int) nextNonce);
    }
    return b.nonce(nextNonce++).build();
  }

  void place(OrderBuilder b) {
    ok(build(b));
  }

  /** Asserts the command is rejected with this reason and message and changes nothing. */
  void rejected(Command c, RejectReason reason, String message) {
    String before = CoreState.hashHex(core);
    assertThat(apply(c)).as("%s accepted", c).isFalse();
    assertThat(core.lastRejectReason()).isEqualTo(reason);
    if (message != null) {
      assertThat(core.lastRejectMessage()).isEqualTo(message);
    }
    assertThat(CoreState.hashHex(core)).isEqualTo(before);
  }

  void withdraw(int account, long amount) {
    ok(new WithdrawCollateral(account, amount));
  }

  /**
   * Invariant: an account with negative equity has had liquidation triggered; after an applied
   * price of {@code pricedMarket} (or −1 for none) a bankrupt account holds nothing in it.
   */
  void assertNegativeEquityOnlyIfTriggered(
      int accounts, java.util.Set<Integer> triggered, int pricedMarket, String when) {
    for (int a = 0; a < accounts; a++) {
      if (risk.equity(a) < 0) {
        assertThat(triggered)
            .as("account %d has equity %d %s", a, risk.equity(a), when)
            .contains(a);
        if (pricedMarket >= 0) {
          assertThat(risk.position(a, pricedMarket))
              .as("bankrupt account %d still holds market %d after its price", a, pricedMarket)
              .isZero();
        }
      }
    }
  }

  /**
   * Invariant: per market, Σ sizes (the insurance fund's included) is 0, the engine's and the
   * core's positions agree, and open interest is Σ long sizes.
   */
  void assertPositionsBalanced(int accounts, int[] markets, String when) {
    for (int m : markets) {
      long fundSize = risk.insuranceFund().position(m);
      assertThat(core.position(RiskEngine.INSURANCE_FUND, m)).isEqualTo(fundSize);
      long sum = fundSize;
      long longs = Math.max(0, fundSize);
      for (int a = 0; a < accounts; a++) {
        long s = risk.position(a, m);
        assertThat(s).isEqualTo(core.position(a, m));
        sum += s;
        longs += Math.max(0, s);
      }
      assertThat(sum).as("Σ sizes in market %d %s", m, when).isZero();
      assertThat(risk.openInterest(m)).isEqualTo(longs);
    }
  }

  /**
   * A random signed order of the randomized runs: a random account, side and market, size 1–40
   * (1–400 one time in ten), limit within ±3% of {@code price[market]}, IOC one time in three, else
   * GTC.
   */
  Command randomOrder(java.util.SplittableRandom rnd, int accounts, int[] markets, long[] price) {
    int m = markets[rnd.nextInt(markets.length)];
    long limit = Math.max(1, price[m] + price[m] * (rnd.nextInt(61) - 30) / 1000);
    OrderBuilder b =
        OrderBuilder.order(
                rnd.nextInt(accounts),
                rnd.nextBoolean() ? io.zkperp.sequencer.Side.BUY : io.zkperp.sequencer.Side.SELL,
                1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 400 : 40),
                limit)
            .market(m)
            .tif(
                rnd.nextInt(3) == 0
                    ? io.zkperp.sequencer.TimeInForce.IOC
                    : io.zkperp.sequencer.TimeInForce.GTC);
    return build(b);
  }
}
