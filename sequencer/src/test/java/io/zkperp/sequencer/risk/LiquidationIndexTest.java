package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.WithdrawCollateral;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The liquidation-price index against the full scan: one market, so that most accounts hold one
 * position (the index's thresholds, not its several-positions set, decide who is examined), high
 * leverage, a price path with crashes and rallies (longs and shorts liquidated), funding ticks,
 * withdrawals and deposits moving the thresholds. The indexed engine and an engine examining every
 * holder must give identical events and state hashes after every command, and liquidations must
 * happen on both sides.
 */
class LiquidationIndexTest {
  static final int M = 1;
  static final int ACCOUNTS = 30;

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14})
  void theIndexFindsExactlyWhatTheFullScanFinds(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    RiskConfig config = RiskConfig.of(M, RiskMathTest.BTC);
    RiskHarness h = new RiskHarness(config, OrderBookFactory.OPTIMISED, M);
    long price = 1_000;
    h.oracle(M, price);
    EventCollector scanEvents = new EventCollector();
    SequencerCore scan =
        new SequencerCore(
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            new RiskEngine(config, LiquidationConfig.DEFAULT, false),
            scanEvents);
    for (Command c : h.accepted) {
      assertThat(scan.apply(c)).isTrue();
    }
    int longsLiquidated = 0;
    int shortsLiquidated = 0;
    long fundingTime = 0;
    int trend = 0;
    for (int i = 0; i < 4_000; i++) {
      if (i % 500 == 0) {
        trend = rnd.nextInt(3) - 1; // falling, flat or rising stretch
      }
      Command c;
      int r = rnd.nextInt(100);
      if (r < 12) {
        price = Math.max(100, price + price * (rnd.nextInt(31) - 15 + 10 * trend) / 1_000);
        c = new OraclePrice(M, price, h.oracleTime++);
      } else if (r < 14) {
        long delta = (price << 32) / 1_000 * (rnd.nextInt(11) - 5);
        c = new FundingTick(M, delta, ++fundingTime);
      } else if (r < 20) {
        c = new DepositCollateral(rnd.nextInt(ACCOUNTS), 1 + rnd.nextLong(20_000));
      } else if (r < 24) {
        int a = rnd.nextInt(ACCOUNTS);
        c = new WithdrawCollateral(a, 1 + rnd.nextLong(Math.max(1, h.risk.freeCollateral(a))));
      } else {
        long limit = Math.max(1, price + price * (rnd.nextInt(41) - 20) / 1_000);
        c =
            h.build(
                order(
                        rnd.nextInt(ACCOUNTS),
                        rnd.nextBoolean() ? Side.BUY : Side.SELL,
                        1 + rnd.nextInt(60),
                        limit)
                    .tif(rnd.nextInt(3) == 0 ? TimeInForce.IOC : TimeInForce.GTC));
      }
      h.events.drain();
      scanEvents.drain();
      boolean applied = h.apply(c);
      assertThat(scan.apply(c)).as("full scan on %s", c).isEqualTo(applied);
      assertThat(scanEvents.events()).as("events of %s", c).isEqualTo(h.events.events());
      assertThat(CoreState.hashHex(scan))
          .as("state after %s", c)
          .isEqualTo(CoreState.hashHex(h.core));
      for (SequencerEvent e : h.events.events()) {
        if (e instanceof SequencerEvent.LiquidationTriggered t) {
          // the account's side: a long sells in its step, a short buys
          if (h.risk.position(t.account(), M) > 0 || wasLong(h, t.account())) {
            longsLiquidated++;
          } else {
            shortsLiquidated++;
          }
        }
      }
    }
    System.out.printf(
        "seed %d: liquidations triggered on longs %d, shorts %d%n",
        seed, longsLiquidated, shortsLiquidated);
    assertThat(longsLiquidated).isPositive();
    assertThat(shortsLiquidated).isPositive();
  }

  /** Whether the account's last liquidation record in this command reduced a long. */
  private static boolean wasLong(RiskHarness h, int account) {
    for (SequencerEvent e : h.events.events()) {
      long size =
          switch (e) {
            case SequencerEvent.Liquidated l when l.account() == account -> l.size();
            case SequencerEvent.InsuranceTakeover t when t.account() == account -> t.size();
            case SequencerEvent.Deleveraged d when d.account() == account -> d.size();
            default -> 0;
          };
      if (size != 0) {
        return size < 0;
      }
    }
    return false;
  }
}
