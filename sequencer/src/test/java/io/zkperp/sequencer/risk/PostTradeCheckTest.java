package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.SequencerEvent.Fill;
import io.zkperp.sequencer.core.SequencerEvent.OrderClosed;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The post-trade check on every fill: a resting order whose fill, after a price move, would leave
 * its account below initial margin (without reducing exposure) is cancelled instead of filled, and
 * matching goes on; FOK fillability counts only makers that pass. Numbers by hand in the comments.
 * Market 1: IMF 5%, MMF 3%, +1% IMF per started 50 above 100, no fees.
 */
class PostTradeCheckTest {
  static final int M = 1;

  RiskHarness h =
      new RiskHarness(RiskConfig.of(M, RiskMathTest.BTC), OrderBookFactory.OPTIMISED, M);

  void setUp() {
    h.oracle(M, 1_000);
    h.deposit(1, 10_000);
    h.deposit(2, 100_000);
    h.deposit(3, 1_000_000);
    // account 1 bids 150 at 1,000: worst case equity 10,000 − 150,000 + 150,000 = 10,000 ≥ IMR
    // 150,000 · 6% = 9,000 → accepted at the oracle price 1,000
    h.place(order(1, Side.BUY, 150, 1_000).clientId(11));
    h.place(order(3, Side.BUY, 100, 955));
    // the oracle falls to 960 (account 1 holds no position yet: nothing to liquidate)
    h.oracle(M, 960);
  }

  @Test
  void aMakerThatWouldFallBelowInitialMarginIsCancelledInsteadOfFilled() {
    setUp();
    long bid = h.core.orderByClientId(1, 11).orderId;
    // filling account 1's bid now: collateral 10,000 − 150,000 = −140,000; equity −140,000 +
    // 150 · 960 = 4,000 < IMR 144,000 · 6% = 8,640, and it increases exposure → cancelled.
    // account 2 sells 150 IOC at 950 (equity after ≥ 100,000 + 142,500 − 144,000 = 98,500): the
    // bid at 1,000 is skipped, account 3's 100 at 955 fills, the rest 50 is dropped
    h.events.drain();
    h.place(order(2, Side.SELL, 150, 950).tif(TimeInForce.IOC));
    List<SequencerEvent> ev = h.events.drain();
    List<OrderClosed> closed =
        ev.stream().filter(OrderClosed.class::isInstance).map(OrderClosed.class::cast).toList();
    assertThat(closed.get(0))
        .isEqualTo(new OrderClosed(bid, 1, M, 150, CloseReason.POST_TRADE_CHECK_FAILED));
    List<Fill> fills = ev.stream().filter(Fill.class::isInstance).map(Fill.class::cast).toList();
    assertThat(fills).hasSize(1);
    assertThat(fills.get(0).makerAccount()).isEqualTo(3);
    assertThat(fills.get(0).price()).isEqualTo(955);
    assertThat(fills.get(0).size()).isEqualTo(100);
    assertThat(h.risk.position(1, M)).isZero();
    assertThat(h.risk.collateral(1)).isEqualTo(10_000);
    assertThat(h.risk.position(2, M)).isEqualTo(-100);
    assertThat(h.core.order(bid)).isNull();
  }

  @Test
  void fokCountsOnlyMakersThatPassTheCheck() {
    setUp();
    long bid = h.core.orderByClientId(1, 11).orderId;
    // a FOK sell of 150 at 950 could take 150 + 100 by price, but account 1's 150 would be refused:
    // only 100 count → rejected, nothing changes (account 1's bid stays on the book)
    h.rejected(
        h.build(order(2, Side.SELL, 150, 950).tif(TimeInForce.FOK)),
        RejectReason.FOK_NOT_FILLABLE,
        "FOK SELL of size 150 at limit price 950 can fill only 100 now; a FOK order must fill its"
            + " whole size at once");
    assertThat(h.core.order(bid)).isNotNull();
    // a FOK of 100: account 1's bid passes at that size (collateral −90,000, equity −90,000 +
    // 96,000 = 6,000 ≥ IMR 96,000 · 5% = 4,800) and fills 100 at 1,000
    h.place(order(2, Side.SELL, 100, 950).tif(TimeInForce.FOK));
    assertThat(h.risk.position(1, M)).isEqualTo(100);
    assertThat(h.core.order(bid).remaining).isEqualTo(50);
    // a FOK of 50: account 1's remaining 50 would give collateral −140,000, equity 4,000 < IMR
    // 144,000 · 6% = 8,640 → refused and cancelled; account 3's bid at 955 fills the 50
    h.place(order(2, Side.SELL, 50, 950).tif(TimeInForce.FOK));
    assertThat(h.risk.position(1, M)).isEqualTo(100);
    assertThat(h.risk.position(3, M)).isEqualTo(50);
    assertThat(h.core.order(bid)).isNull();
  }

  @Test
  void aMakerThatStaysAboveInitialMarginIsFilled() {
    setUp();
    // a smaller fill passes: account 2 sells 50 IOC at 1,000 → account 1 buys 50 at 1,000:
    // collateral −40,000; equity −40,000 + 48,000 = 8,000 ≥ IMR 48,000 · 5% = 2,400
    h.place(order(2, Side.SELL, 50, 1_000).tif(TimeInForce.IOC));
    assertThat(h.risk.position(1, M)).isEqualTo(50);
    assertThat(h.risk.collateral(1)).isEqualTo(-40_000);
    // the rest of the bid (100 more: collateral −140,000, equity 4,000 < IMR 8,640) is refused
    h.place(order(2, Side.SELL, 100, 1_000).tif(TimeInForce.IOC));
    assertThat(h.risk.position(1, M)).isEqualTo(50);
    assertThat(h.core.orderByClientId(1, 11)).isNull();
  }
}
