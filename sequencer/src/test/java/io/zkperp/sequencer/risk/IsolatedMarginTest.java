package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.TransferCollateral;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.SequencerEvent.Deleveraged;
import io.zkperp.sequencer.core.SequencerEvent.Transferred;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Isolated margin through subaccounts: market 2 is isolated, so a position in it must be the only
 * position of its account; the owner funds such a subaccount with {@link TransferCollateral}, and a
 * crash of the isolated market costs at most the subaccount's collateral. Markets 1 and 2: IMF 5%,
 * MMF 3%, no fees. Numbers by hand in the comments.
 */
class IsolatedMarginTest {
  static final RiskConfig CONFIG =
      new RiskConfig(
          Map.of(1, RiskMathTest.BTC, 2, RiskMathTest.BTC),
          List.of(new FeeTier(0, 0)),
          Map.of(),
          Set.of(2));

  RiskHarness h = new RiskHarness(CONFIG, OrderBookFactory.OPTIMISED, 1, 2);

  <T> List<T> run(Command c, Class<T> type) {
    h.events.drain();
    h.ok(c);
    return h.events.drain().stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void anIsolatedPositionLivesInItsOwnSubaccountAndLosesOnlyItsCollateral() {
    h.oracle(1, 1_000);
    h.oracle(2, 1_000);
    h.deposit(1, 10_000);
    h.deposit(2, 100_000);
    h.deposit(3, 100_000);
    // account 1 funds its subaccount 11 with 3,000
    assertThat(run(new TransferCollateral(1, 11, 3_000), Transferred.class))
        .containsExactly(new Transferred(1, 11, 3_000, 0, 0, 7_000, 3_000));
    // account 1 (cross) buys 10 in market 1: collateral −3,000, equity 7,000
    h.place(order(3, Side.SELL, 10, 1_000).market(1));
    h.place(order(1, Side.BUY, 10, 1_000).market(1).tif(TimeInForce.IOC));
    // subaccount 11 buys 50 in isolated market 2: collateral 3,000 − 50,000 = −47,000, equity
    // 3,000 ≥ IMR 50,000 · 5% = 2,500
    h.place(order(2, Side.SELL, 50, 1_000).market(2));
    h.place(order(11, Side.BUY, 50, 1_000).market(2).tif(TimeInForce.IOC));
    assertThat(h.risk.position(11, 2)).isEqualTo(50);

    h.rejected(
        h.build(order(11, Side.BUY, 1, 1_000).market(1)),
        RejectReason.ISOLATED_MARKET_CONSTRAINT,
        "account 11 holds positions in markets [2] (isolated); an account with an isolated"
            + " position holds no other: open it in a separate subaccount funded by"
            + " TransferCollateral");
    h.rejected(
        h.build(order(1, Side.BUY, 1, 1_000).market(2)),
        RejectReason.ISOLATED_MARKET_CONSTRAINT,
        "account 1 holds positions in markets [1]; market 2 is isolated and must be its account's"
            + " only position: open it in a separate subaccount funded by TransferCollateral");
    // transfers only within free collateral: subaccount 11 has 3,000 − 2,500 = 500
    h.rejected(
        new TransferCollateral(11, 1, 600),
        RejectReason.INSUFFICIENT_FREE_COLLATERAL,
        "insufficient free collateral: transfer requires 600, account 11 has 500");
    h.rejected(
        new TransferCollateral(1, 1, 5),
        RejectReason.FIELD_OUT_OF_RANGE,
        "transfer from account 1 to account 1: accounts must be ≥ 0 and different");
    h.rejected(
        new TransferCollateral(1, 11, 0),
        RejectReason.COLLATERAL_REJECTED,
        "transfer amount 0 must be > 0");
    assertThat(run(new TransferCollateral(11, 1, 500), Transferred.class))
        .containsExactly(new Transferred(11, 1, 500, 0, 0, -47_500, -2_500));

    // market 2 crashes to 940: subaccount 11's equity −47,500 + 47,000 = −500 → bankrupt;
    // b = ceil((47,000 + 500) / 50) = 950; the empty fund would end at −47,500 + 47,000 < 0 →
    // deleveraged against account 2 (the only short) at 950: 11 ends at −47,500 + 47,500 = 0;
    // account 2: 150,000 − 47,500 = 102,500
    h.events.drain();
    h.oracle(2, 940);
    List<Deleveraged> adl =
        h.events.drain().stream()
            .filter(Deleveraged.class::isInstance)
            .map(Deleveraged.class::cast)
            .toList();
    assertThat(adl)
        .containsExactly(
            new Deleveraged(11, 2, 2, -50, 950, 940L << 32, -47_500, 0, 150_000, 102_500, 0, 0, 0));
    assertThat(h.risk.collateral(11)).isZero();
    // the owner's cross account is untouched: collateral −2,500, equity −2,500 + 10,000 = 7,500
    assertThat(h.risk.collateral(1)).isEqualTo(-2_500);
    assertThat(h.risk.equity(1)).isEqualTo(7_500);
    assertThat(h.risk.isLiquidatable(1)).isFalse();
    // conservation: 210,000 deposited, transfers move collateral only
    assertThat(h.risk.totalCollateral() + h.risk.insuranceFund().collateral()).isEqualTo(210_000);
    // with its position gone, the subaccount may trade market 1
    h.deposit(11, 1_000);
    h.place(order(11, Side.BUY, 1, 1_000).market(1).tif(TimeInForce.IOC));

    // replay and snapshot give the same state; another isolated set refuses the snapshot
    SequencerCore replay =
        new SequencerCore(
            OrderBookFactory.NAIVE,
            SelfTradePrevention.EXPIRE_MAKER,
            new RiskEngine(CONFIG),
            CoreListener.NONE);
    h.accepted.forEach(c -> assertThat(replay.apply(c)).isTrue());
    assertThat(CoreState.hashHex(replay)).isEqualTo(CoreState.hashHex(h.core));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try {
      CoreState.write(h.core, new java.io.DataOutputStream(bytes));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                CoreState.read(
                    new java.io.DataInputStream(
                        new java.io.ByteArrayInputStream(bytes.toByteArray())),
                    OrderBookFactory.NAIVE,
                    new RiskEngine(
                        new RiskConfig(
                            CONFIG.markets(), CONFIG.tiers(), CONFIG.accountTiers(), Set.of())),
                    CoreListener.NONE))
        .hasMessageContaining("other risk parameters");
  }

  @Test
  void aRestingOrderThatWouldBreakIsolationIsCancelledAtFillTime() {
    h.oracle(1, 1_000);
    h.oracle(2, 1_000);
    h.deposit(5, 100_000);
    h.deposit(6, 100_000);
    h.deposit(7, 100_000);
    // account 5 rests bids in both markets (no position yet, so both pass the pre-check)
    h.place(order(5, Side.BUY, 10, 1_000).market(2).clientId(1));
    h.place(order(5, Side.BUY, 10, 1_000).market(1).clientId(2));
    long marketOneBid = h.core.orderByClientId(5, 2).orderId;
    // its market-2 bid fills: it now holds an isolated position
    h.place(order(6, Side.SELL, 10, 1_000).market(2).tif(TimeInForce.IOC));
    assertThat(h.risk.position(5, 2)).isEqualTo(10);
    // its market-1 bid would now give it a second position: cancelled instead of filled
    h.events.drain();
    h.place(order(7, Side.SELL, 10, 1_000).market(1).tif(TimeInForce.IOC));
    assertThat(h.events.drain())
        .contains(
            new SequencerEvent.OrderClosed(
                marketOneBid, 5, 1, 10, io.zkperp.sequencer.CloseReason.POST_TRADE_CHECK_FAILED));
    assertThat(h.risk.position(5, 1)).isZero();
    assertThat(h.risk.position(7, 1)).isZero();
  }

  @Test
  void withoutARiskEngineTransfersAreRejected() {
    io.zkperp.sequencer.core.EventCollector events = new io.zkperp.sequencer.core.EventCollector();
    SequencerCore core = SequencerCore.withDefaults(events);
    String before = CoreState.hashHex(core);
    assertThat(core.apply(new TransferCollateral(1, 2, 10))).isFalse();
    assertThat(core.lastRejectReason()).isEqualTo(RejectReason.NO_RISK_ENGINE);
    assertThat(CoreState.hashHex(core)).isEqualTo(before);
    // the codec's layout: type 11, from i32, to i32, amount i64, little-endian
    byte[] bytes =
        io.zkperp.sequencer.command.CommandCodec.encode(new TransferCollateral(1, 2, 258));
    assertThat(bytes).containsExactly(11, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0);
  }
}
