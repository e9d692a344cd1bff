package io.zkperp.sequencer.core;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.core.SequencerEvent.Fill;
import io.zkperp.sequencer.core.SequencerEvent.OrderClosed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the core routes the taker's post-trade check ({@link RiskHook#admitTakerFill}), with a hook
 * that refuses every taker fill: an ordinary taker is stopped before its first fill and its
 * remainder cancelled ({@code POST_TRADE_CHECK_FAILED}, never rests, the maker stays), with the
 * hook asked the fill's exact terms; a liquidation order is never asked and fills.
 */
class TakerCheckRoutingTest {
  static final int M = 1;

  /** Refuses every taker fill; on each oracle price liquidates account 9 by selling 2 at ≥ 90. */
  static final class RefusingHook extends RiskHook.Permissive {
    final List<String> asked = new ArrayList<>();
    long liquidationFilled = -1;

    @Override
    public boolean admitTakerFill(int account, int market, Side takerSide, long size, long price) {
      asked.add(account + " " + takerSide + " " + size + "@" + price);
      return false;
    }

    @Override
    public void liquidate(int market, LiquidationActions actions) {
      liquidationFilled = actions.liquidationOrder(9, market, Side.SELL, 2, 90, 80);
    }
  }

  final RefusingHook hook = new RefusingHook();
  final EventCollector events = new EventCollector();
  final SequencerCore core =
      new SequencerCore(OrderBookFactory.OPTIMISED, SelfTradePrevention.EXPIRE_MAKER, hook, events);

  void ok(Command c) {
    assertThat(core.apply(c)).as("%s: %s", c, core.lastRejectMessage()).isTrue();
  }

  @Test
  void anOrdinaryTakerRefusedAtItsFirstFillIsCancelledAndNeverRests() {
    ok(new AddMarket(M, 1, 1, 1));
    ok(order(2, Side.SELL, 3, 100).nonce(1).clientId(1).build());
    events.drain();
    ok(order(1, Side.BUY, 5, 100).nonce(1).clientId(1).build()); // GTC
    List<SequencerEvent> ev = events.drain();
    assertThat(hook.asked).containsExactly("1 BUY 3@100");
    assertThat(ev).noneMatch(Fill.class::isInstance);
    OrderClosed closed =
        ev.stream()
            .filter(OrderClosed.class::isInstance)
            .map(OrderClosed.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(closed.account()).isEqualTo(1);
    assertThat(closed.remaining()).isEqualTo(5);
    assertThat(closed.reason()).isEqualTo(CloseReason.POST_TRADE_CHECK_FAILED);
    assertThat(core.orderByClientId(1, 1)).isNull();
    assertThat(core.orderByClientId(2, 1)).isNotNull();
    assertThat(core.book(M).orderCount()).isEqualTo(1);
    assertThat(core.position(1, M)).isZero();
  }

  @Test
  void aLiquidationOrderIsNotAskedAndFills() {
    ok(new AddMarket(M, 1, 1, 1));
    ok(order(3, Side.BUY, 5, 95).nonce(1).clientId(1).build());
    ok(new OraclePrice(M, 100, 1));
    assertThat(hook.asked).isEmpty();
    assertThat(hook.liquidationFilled).isEqualTo(2);
    assertThat(core.position(9, M)).isEqualTo(-2);
    assertThat(core.position(3, M)).isEqualTo(2);
  }
}
