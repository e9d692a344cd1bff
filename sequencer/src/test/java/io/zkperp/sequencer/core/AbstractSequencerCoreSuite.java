package io.zkperp.sequencer.core;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.CancelAll;
import io.zkperp.sequencer.command.CancelOrder;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.SequencerEvent.Fill;
import io.zkperp.sequencer.core.SequencerEvent.OrderAccepted;
import io.zkperp.sequencer.core.SequencerEvent.OrderClosed;
import io.zkperp.sequencer.core.SequencerEvent.OrderTriggered;
import io.zkperp.sequencer.core.SequencerEvent.Rejected;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one behavioural suite of the core, run against every book implementation: every order type
 * and flag, every rejection, through the public command API.
 */
abstract class AbstractSequencerCoreSuite extends CoreSuiteSupport {
  // ------------------------------------------------------------------ limit orders, priority

  @Test
  void limitOrdersRestAndSetTheTopOfBook() {
    long bid = placeId(order(1, Side.BUY, 10, 990));
    long ask = placeId(order(2, Side.SELL, 10, 1010));
    assertThat(core.book(M).bestBid()).isEqualTo(990);
    assertThat(core.book(M).bestAsk()).isEqualTo(1010);
    assertThat(book()).containsExactly(bid + ":BUY:10@990", ask + ":SELL:10@1010");
  }

  @Test
  void priceThenTimePriority() {
    long a1 = placeId(order(1, Side.SELL, 10, 1010));
    long a2 = placeId(order(2, Side.SELL, 10, 1000));
    long a3 = placeId(order(3, Side.SELL, 10, 1000));
    List<SequencerEvent> ev = place(order(4, Side.BUY, 25, 1010));
    List<Fill> f = fills(ev);
    assertThat(f).extracting(Fill::makerOrderId).containsExactly(a2, a3, a1);
    assertThat(f).extracting(Fill::price).containsExactly(1000L, 1000L, 1010L);
    assertThat(f).extracting(Fill::size).containsExactly(10L, 10L, 5L);
    assertThat(book()).containsExactly(a1 + ":SELL:5@1010");
    assertThat(core.position(4, M)).isEqualTo(25);
    assertThat(core.position(2, M) + core.position(3, M) + core.position(1, M)).isEqualTo(-25);
    assertThat(core.positionSum(M)).isZero();
  }

  @Test
  void partiallyFilledTakerRestsItsRest() {
    long ask = placeId(order(1, Side.SELL, 10, 1000));
    List<SequencerEvent> ev = place(order(2, Side.BUY, 30, 1000));
    long taker = ((OrderAccepted) ev.get(0)).orderId();
    assertThat(closes(ev))
        .extracting(OrderClosed::orderId, OrderClosed::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ask, CloseReason.FILLED));
    assertThat(book()).containsExactly(taker + ":BUY:20@1000");
  }

  @Test
  void fillsAtTheMakersPriceNeverWorseThanTheTakersLimit() {
    placeId(order(1, Side.BUY, 10, 1000));
    List<Fill> f = fills(place(order(2, Side.SELL, 10, 900)));
    assertThat(f).extracting(Fill::price).containsExactly(1000L);
    assertThat(f.get(0).takerSide()).isEqualTo(Side.SELL);
  }

  // ------------------------------------------------------------------ market, IOC, FOK, post-only

  @Test
  void marketOrderFillsUpToItsWorstPriceThenCancelsTheRest() {
    long a1 = placeId(order(1, Side.SELL, 10, 1000));
    placeId(order(1, Side.SELL, 10, 1100));
    List<SequencerEvent> ev = place(order(2, Side.BUY, 30, 1050).marketOrder());
    assertThat(fills(ev)).extracting(Fill::makerOrderId).containsExactly(a1);
    OrderClosed last = closes(ev).get(closes(ev).size() - 1);
    assertThat(last.reason()).isEqualTo(CloseReason.IMMEDIATE_REMAINDER);
    assertThat(last.remaining()).isEqualTo(20);
    assertThat(core.book(M).bestBid()).isZero();
  }

  @Test
  void marketOrderMustBeImmediate() {
    Rejected r =
        assertPlaceRejected(
            order(2, Side.BUY, 10, 1000).marketOrder().tif(TimeInForce.GTC),
            RejectReason.INVALID_ORDER_FLAGS);
    assertThat(r.message()).contains("MARKET order must be IOC or FOK");
  }

  @Test
  void iocNeverRests() {
    placeId(order(1, Side.SELL, 10, 1000));
    List<SequencerEvent> ev = place(order(2, Side.BUY, 15, 1000).tif(TimeInForce.IOC));
    assertThat(fills(ev)).hasSize(1);
    assertThat(closes(ev).get(1).reason()).isEqualTo(CloseReason.IMMEDIATE_REMAINDER);
    assertThat(core.book(M).orderCount()).isZero();
  }

  @Test
  void fokRejectedWhenNotFullyFillable() {
    placeId(order(1, Side.SELL, 10, 1000));
    placeId(order(1, Side.SELL, 10, 1020));
    Rejected r =
        assertPlaceRejected(
            order(2, Side.BUY, 25, 1010).tif(TimeInForce.FOK), RejectReason.FOK_NOT_FILLABLE);
    assertThat(r.message()).contains("can fill only 10");
    List<SequencerEvent> ev = place(order(2, Side.BUY, 15, 1020).tif(TimeInForce.FOK));
    assertThat(fills(ev)).extracting(Fill::size).containsExactly(10L, 5L);
  }

  @Test
  void fokCountsOwnOrdersAsUnavailable() {
    placeId(order(2, Side.SELL, 10, 1000));
    placeId(order(1, Side.SELL, 10, 1000));
    assertPlaceRejected(
        order(2, Side.BUY, 15, 1000).tif(TimeInForce.FOK), RejectReason.FOK_NOT_FILLABLE);
  }

  @Test
  void postOnlyRejectedIfItWouldCross() {
    placeId(order(1, Side.SELL, 10, 1000));
    Rejected r =
        assertPlaceRejected(
            order(2, Side.BUY, 10, 1000).tif(TimeInForce.POST_ONLY),
            RejectReason.POST_ONLY_WOULD_CROSS);
    assertThat(r.message()).contains("would cross the best ask 1000");
    long id = placeId(order(2, Side.BUY, 10, 990).tif(TimeInForce.POST_ONLY));
    assertThat(core.order(id).remaining).isEqualTo(10);
  }

  // ------------------------------------------------------------------ reduce-only

  @Test
  void reduceOnlyNeedsAnOppositePositionAndMayNotExceedIt() {
    assertPlaceRejected(
        order(2, Side.SELL, 10, 1000).tif(TimeInForce.IOC).reduceOnly(),
        RejectReason.REDUCE_ONLY_WOULD_INCREASE);
    placeId(order(1, Side.SELL, 20, 1000));
    place(order(2, Side.BUY, 20, 1000));
    assertThat(core.position(2, M)).isEqualTo(20);
    assertPlaceRejected(
        order(2, Side.BUY, 10, 1000).tif(TimeInForce.IOC).reduceOnly(),
        RejectReason.REDUCE_ONLY_WOULD_INCREASE);
    Rejected r =
        assertPlaceRejected(
            order(2, Side.SELL, 30, 1000).tif(TimeInForce.IOC).reduceOnly(),
            RejectReason.REDUCE_ONLY_EXCEEDS_POSITION);
    assertThat(r.message()).contains("accepted sizes are ≤ 20");
    assertPlaceRejected(
        order(2, Side.SELL, 10, 1000).reduceOnly(), RejectReason.INVALID_ORDER_FLAGS);
    placeId(order(3, Side.BUY, 20, 1000));
    List<SequencerEvent> ev =
        place(order(2, Side.SELL, 20, 1000).tif(TimeInForce.IOC).reduceOnly());
    assertThat(fills(ev)).extracting(Fill::size).containsExactly(20L);
    assertThat(core.position(2, M)).isZero();
  }

  // ------------------------------------------------------------------ expiry

  @Test
  void goodTilTimeIsAGuaranteedCancel() {
    long id = placeId(order(1, Side.BUY, 10, 1000).expiry(2000));
    long other = placeId(order(1, Side.BUY, 10, 990).expiry(3000));
    assertThat(run(new Tick(1999))).isEmpty();
    assertThat(core.order(id)).isNotNull();
    List<SequencerEvent> ev = run(new Tick(2000));
    assertThat(closes(ev))
        .extracting(OrderClosed::orderId, OrderClosed::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(id, CloseReason.EXPIRED));
    assertThat(book()).containsExactly(other + ":BUY:10@990");
    // an expired order can never fill
    List<SequencerEvent> sell = place(order(2, Side.SELL, 10, 1000));
    assertThat(fills(sell)).isEmpty();
  }

  @Test
  void expiredOrTimeTravellingCommandsAreRejected() {
    Rejected r =
        assertPlaceRejected(order(1, Side.BUY, 10, 1000).expiry(1000), RejectReason.EXPIRED);
    assertThat(r.message()).contains("use an expiry > 1000");
    assertRejected(new Tick(999), RejectReason.TIME_WENT_BACKWARDS);
  }

  // ------------------------------------------------------------------ conditional orders

  @Test
  void stopLossTriggersOnTheOraclePrice() {
    // account 2 goes long 10
    placeId(order(1, Side.SELL, 10, 1000));
    place(order(2, Side.BUY, 10, 1000));
    run(new OraclePrice(M, 1000, 1));
    long stop =
        placeId(
            order(2, Side.SELL, 10, 800)
                .marketOrder()
                .reduceOnly()
                .trigger(TriggerType.STOP_LOSS, 900));
    placeId(order(3, Side.BUY, 10, 850));
    assertThat(run(new OraclePrice(M, 950, 2))).isEmpty();
    assertThat(core.order(stop).parked).isTrue();
    List<SequencerEvent> ev = run(new OraclePrice(M, 900, 3));
    assertThat(ev.get(0)).isEqualTo(new OrderTriggered(stop, 2, M));
    assertThat(fills(ev))
        .extracting(Fill::takerOrderId, Fill::price, Fill::size)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(stop, 850L, 10L));
    assertThat(core.position(2, M)).isZero();
  }

  @Test
  void takeProfitBuyTriggersWhenThePriceFalls() {
    run(new OraclePrice(M, 1000, 1));
    long tp = placeId(order(2, Side.BUY, 10, 900).trigger(TriggerType.TAKE_PROFIT, 900));
    assertThat(run(new OraclePrice(M, 910, 2))).isEmpty();
    List<SequencerEvent> ev = run(new OraclePrice(M, 890, 3));
    assertThat(ev.get(0)).isEqualTo(new OrderTriggered(tp, 2, M));
    // a GTC limit rests once triggered
    assertThat(book()).containsExactly(tp + ":BUY:10@900");
  }

  @Test
  void triggeredReduceOnlyWithoutPositionIsClosed() {
    run(new OraclePrice(M, 1000, 1));
    long stop =
        placeId(
            order(2, Side.SELL, 10, 800)
                .marketOrder()
                .reduceOnly()
                .trigger(TriggerType.STOP_LOSS, 900));
    List<SequencerEvent> ev = run(new OraclePrice(M, 880, 2));
    assertThat(closes(ev))
        .extracting(OrderClosed::orderId, OrderClosed::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(stop, CloseReason.TRIGGER_NOT_EXECUTABLE));
  }

  @Test
  void triggerAlreadyReachedIsRejected() {
    run(new OraclePrice(M, 1000, 1));
    Rejected r =
        assertPlaceRejected(
            order(2, Side.SELL, 10, 800).trigger(TriggerType.STOP_LOSS, 1000),
            RejectReason.INVALID_TRIGGER);
    assertThat(r.message()).contains("would trigger at once");
    assertPlaceRejected(
        order(2, Side.SELL, 10, 800).trigger(TriggerType.STOP_LOSS, 905),
        RejectReason.INVALID_TRIGGER);
  }

  // ------------------------------------------------------------------ client ids, cancels

  @Test
  void clientOrderIdsAreUniquePerAccountAmongLiveOrders() {
    long id = placeId(order(1, Side.BUY, 10, 900).clientId(7));
    Rejected r =
        assertPlaceRejected(
            order(1, Side.BUY, 10, 900).clientId(7), RejectReason.DUPLICATE_CLIENT_ORDER_ID);
    assertThat(r.message()).contains("already has live order " + id);
    placeId(order(2, Side.BUY, 10, 900).clientId(7));
    assertThat(core.orderByClientId(1, 7).orderId).isEqualTo(id);
    run(new CancelOrder(1, true, 7));
    placeId(order(1, Side.BUY, 10, 900).clientId(7));
  }

  @Test
  void cancelByIdAndByClientId() {
    long a = placeId(order(1, Side.BUY, 10, 900).clientId(1));
    long b = placeId(order(1, Side.BUY, 10, 910).clientId(2));
    List<SequencerEvent> ev = run(new CancelOrder(1, false, a));
    assertThat(closes(ev).get(0).reason()).isEqualTo(CloseReason.CANCELLED);
    ev = run(new CancelOrder(1, true, 2));
    assertThat(closes(ev).get(0).orderId()).isEqualTo(b);
    assertThat(core.book(M).orderCount()).isZero();
    assertThat(core.liveOrderCount()).isZero();
  }

  @Test
  void cancelOfUnknownOrForeignOrderIsRejected() {
    long a = placeId(order(1, Side.BUY, 10, 900).clientId(1));
    Rejected r = assertRejected(new CancelOrder(2, false, a), RejectReason.UNKNOWN_ORDER);
    assertThat(r.message()).isEqualTo("account 2 has no live order with order id " + a);
    assertRejected(new CancelOrder(1, true, 99), RejectReason.UNKNOWN_ORDER);
    assertRejected(new CancelOrder(1, false, 12345), RejectReason.UNKNOWN_ORDER);
  }

  @Test
  void cancelReplaceIsAtomic() {
    long old = placeId(order(1, Side.BUY, 10, 900).clientId(5));
    placeId(order(2, Side.BUY, 10, 900));
    // rejected replacement: the old order keeps its place
    assertRejected(
        new CancelReplace(1, true, 5, order(1, Side.BUY, 10, 905).clientId(5).nonce(100).build()),
        RejectReason.PRICE_NOT_TICK_MULTIPLE);
    assertThat(core.order(old)).isNotNull();
    List<SequencerEvent> ev =
        run(
            new CancelReplace(
                1, true, 5, order(1, Side.BUY, 20, 920).clientId(5).nonce(101).build()));
    assertThat(closes(ev).get(0)).isEqualTo(new OrderClosed(old, 1, M, 10, CloseReason.REPLACED));
    long fresh = ((OrderAccepted) ev.get(1)).orderId();
    assertThat(core.orderByClientId(1, 5).orderId).isEqualTo(fresh);
    assertThat(core.book(M).bestBid()).isEqualTo(920);
  }

  @Test
  void cancelReplaceOfAnUnknownOrderIsRejected() {
    assertRejected(
        new CancelReplace(1, false, 77, order(1, Side.BUY, 10, 900).nonce(5).build()),
        RejectReason.UNKNOWN_ORDER);
  }

  @Test
  void cancelReplacePostOnlyIgnoresTheOrderItReplaces() {
    long ask = placeId(order(1, Side.SELL, 10, 1000).clientId(1));
    // moving the own ask below the old price is fine: the old ask is gone first
    List<SequencerEvent> ev =
        run(
            new CancelReplace(
                1,
                false,
                ask,
                order(1, Side.SELL, 10, 990)
                    .tif(TimeInForce.POST_ONLY)
                    .clientId(1)
                    .nonce(50)
                    .build()));
    assertThat(closes(ev).get(0).reason()).isEqualTo(CloseReason.REPLACED);
    assertThat(core.book(M).bestAsk()).isEqualTo(990);
  }

  @Test
  void cancelAllPerAccountAndPerMarket() {
    assertThat(core.apply(new AddMarket(2, 1, 1, 1))).isTrue();
    placeId(order(1, Side.BUY, 10, 900));
    placeId(order(1, Side.BUY, 10, 900).market(2));
    long other = placeId(order(2, Side.BUY, 10, 900));
    List<SequencerEvent> ev = run(new CancelAll(1, M));
    assertThat(closes(ev)).hasSize(1);
    assertThat(core.liveOrderCount()).isEqualTo(2);
    run(new CancelAll(1, CancelAll.ALL_MARKETS));
    assertThat(core.liveOrderCount()).isEqualTo(1);
    assertThat(core.order(other)).isNotNull();
    assertRejected(new CancelAll(1, 9), RejectReason.UNKNOWN_MARKET);
  }

  // ------------------------------------------------------------------ self-trade prevention

  @Test
  void selfTradeExpiresTheMakerByDefaultAndMatchingContinues() {
    long own = placeId(order(1, Side.SELL, 10, 1000));
    long other = placeId(order(2, Side.SELL, 10, 1000));
    List<SequencerEvent> ev = place(order(1, Side.BUY, 10, 1000));
    assertThat(closes(ev).get(0)).isEqualTo(new OrderClosed(own, 1, M, 10, CloseReason.SELF_TRADE));
    assertThat(fills(ev)).extracting(Fill::makerOrderId).containsExactly(other);
  }

  @Test
  void selfTradeExpireTaker() {
    core = newCore(SelfTradePrevention.EXPIRE_TAKER);
    long other = placeId(order(2, Side.SELL, 10, 1000));
    long own = placeId(order(1, Side.SELL, 10, 1000));
    List<SequencerEvent> ev = place(order(1, Side.BUY, 20, 1000));
    assertThat(fills(ev)).extracting(Fill::makerOrderId).containsExactly(other);
    OrderClosed c = closes(ev).get(1);
    assertThat(c.reason()).isEqualTo(CloseReason.SELF_TRADE);
    assertThat(c.remaining()).isEqualTo(10);
    assertThat(core.order(own)).isNotNull();
  }

  @Test
  void selfTradeExpireBoth() {
    core = newCore(SelfTradePrevention.EXPIRE_BOTH);
    long own = placeId(order(1, Side.SELL, 10, 1000));
    placeId(order(2, Side.SELL, 10, 1000));
    List<SequencerEvent> ev = place(order(1, Side.BUY, 20, 1000));
    assertThat(fills(ev)).isEmpty();
    assertThat(closes(ev))
        .extracting(OrderClosed::orderId, OrderClosed::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(own, CloseReason.SELF_TRADE),
            org.assertj.core.groups.Tuple.tuple(
                ((OrderAccepted) ev.get(0)).orderId(), CloseReason.SELF_TRADE));
    assertThat(core.book(M).orderCount()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ market rules

  @Test
  void tickStepAndMinimumSizeMessagesSayWhatWouldBeAccepted() {
    assertThat(
            assertPlaceRejected(
                    order(1, Side.BUY, 10, 100005), RejectReason.PRICE_NOT_TICK_MULTIPLE)
                .message())
        .isEqualTo(
            "price 100005 is not a multiple of tick size 10; nearest valid prices 100000 or 100010");
    assertThat(
            assertPlaceRejected(order(1, Side.BUY, 12, 1000), RejectReason.SIZE_NOT_STEP_MULTIPLE)
                .message())
        .isEqualTo("size 12 is not a multiple of step size 5; nearest valid sizes 10 or 15");
    assertThat(
            assertPlaceRejected(order(1, Side.BUY, 5, 1000), RejectReason.SIZE_BELOW_MINIMUM)
                .message())
        .isEqualTo(
            "size 5 is below the minimum size 10 of market 1; the smallest valid size is 10");
    assertPlaceRejected(order(1, Side.BUY, 10, 1000).market(3), RejectReason.UNKNOWN_MARKET);
    assertPlaceRejected(order(1, Side.BUY, 0, 1000), RejectReason.FIELD_OUT_OF_RANGE);
    assertPlaceRejected(order(1, Side.BUY, 10, -10), RejectReason.FIELD_OUT_OF_RANGE);
    assertRejected(new AddMarket(M, 10, 5, 10), RejectReason.MARKET_EXISTS);
    assertRejected(new AddMarket(4, 10, 5, 7), RejectReason.INVALID_MARKET_PARAMETERS);
    assertRejected(new OraclePrice(M, 0, 5), RejectReason.INVALID_ORACLE_PRICE);
  }

  // ------------------------------------------------------------------ nonce window

  @Test
  void replayOfAUsedNonceIsRejected() {
    placeId(order(1, Side.SELL, 10, 1000));
    place(order(2, Side.BUY, 10, 1000).nonce(42));
    Rejected r =
        assertPlaceRejected(order(2, Side.BUY, 10, 1000).nonce(42), RejectReason.NONCE_REPLAYED);
    assertThat(r.message()).contains("nonce 42 was already used");
    long c = placeId(order(2, Side.BUY, 10, 900).nonce(43));
    run(new CancelOrder(2, false, c));
    assertPlaceRejected(order(2, Side.BUY, 10, 900).nonce(43), RejectReason.NONCE_REPLAYED);
  }

  @Test
  void liveNonceIsInUseAndOlderNonceInTheSlotIsTooOld() {
    long live = placeId(order(2, Side.BUY, 10, 900).nonce(5));
    assertPlaceRejected(order(2, Side.BUY, 10, 900).nonce(5), RejectReason.NONCE_IN_USE);
    // nonce 5 + 2^12 takes the slot over and cancels the older live order
    List<SequencerEvent> ev = place(order(2, Side.BUY, 10, 900).nonce(5 + 4096));
    assertThat(closes(ev).get(0))
        .isEqualTo(new OrderClosed(live, 2, M, 10, CloseReason.NONCE_SLOT_TAKEN_OVER));
    Rejected r =
        assertPlaceRejected(order(2, Side.BUY, 10, 900).nonce(5), RejectReason.NONCE_TOO_OLD);
    assertThat(r.message()).contains("holds nonce 4101");
    // nonces may arrive in any order within the window
    placeId(order(2, Side.BUY, 10, 900).nonce(3));
    placeId(order(2, Side.BUY, 10, 900).nonce(2));
  }

  @Test
  void unfilledImmediateOrderMayBeResubmittedButNotAPartlyFilledOne() {
    place(order(2, Side.BUY, 10, 900).tif(TimeInForce.IOC).nonce(9));
    // nothing filled: filled 0 + size ≤ signed size
    placeId(order(2, Side.BUY, 10, 900).tif(TimeInForce.IOC).nonce(9));
    placeId(order(1, Side.SELL, 10, 900));
    place(order(2, Side.BUY, 20, 900).tif(TimeInForce.IOC).nonce(11));
    assertPlaceRejected(
        order(2, Side.BUY, 20, 900).tif(TimeInForce.IOC).nonce(11), RejectReason.NONCE_REPLAYED);
  }

  @Test
  void nonceSlotsTrackPartialFillsAgainstTheSignedSize() {
    long ask = placeId(order(1, Side.SELL, 30, 1000).nonce(7));
    place(order(2, Side.BUY, 10, 1000));
    place(order(3, Side.BUY, 10, 1000));
    Order o = core.order(ask);
    assertThat(o.remaining).isEqualTo(10);
    assertThat(o.signedSize).isEqualTo(30);
    int slot = core.nonceSlots.find(1, 7);
    assertThat(slot).isEqualTo(7);
    assertThat(core.nonceSlots.filledAt(1, slot)).isEqualTo(20);
    assertThat(core.nonceSlots.stateAt(1, slot)).isEqualTo(ask);
  }

  // ------------------------------------------------------------------ risk hook, state

  @Test
  void riskHookRunsBeforeTheBookAndSettlesEachFill() {
    List<Long> settled = new ArrayList<>();
    RiskHook hook =
        new RiskHook() {
          @Override
          public Verdict preCheck(
              int account, int market, Side side, long size, long price, long position) {
            return size > 50
                ? Verdict.reject(
                    RejectReason.RISK_REJECTED, "size %d exceeds the test limit 50", size)
                : Verdict.ACCEPTED;
          }

          @Override
          public void settle(Order maker, Order taker, long price, long size) {
            settled.add(size);
          }
        };
    events = new EventCollector();
    core = new SequencerCore(books(), SelfTradePrevention.EXPIRE_MAKER, hook, events);
    core.apply(new AddMarket(M, 10, 5, 10));
    core.apply(new Tick(1000));
    assertPlaceRejected(order(1, Side.SELL, 60, 1000), RejectReason.RISK_REJECTED);
    placeId(order(1, Side.SELL, 20, 1000));
    place(order(2, Side.BUY, 20, 1000));
    assertThat(settled).containsExactly(20L);
  }

  @Test
  void stateSerialisationRoundTripsToTheSameHash() throws Exception {
    run(new OraclePrice(M, 1000, 1));
    placeId(order(1, Side.SELL, 20, 1000).clientId(3));
    placeId(order(1, Side.SELL, 20, 1010));
    placeId(order(2, Side.BUY, 10, 980).expiry(5000));
    place(order(3, Side.BUY, 15, 1000));
    placeId(order(3, Side.SELL, 10, 800).marketOrder().trigger(TriggerType.STOP_LOSS, 900));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CoreState.write(core, new DataOutputStream(bytes));
    SequencerCore copy =
        CoreState.read(
            new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
            books(),
            RiskHook.PERMISSIVE,
            CoreListener.NONE);
    assertThat(CoreState.hashHex(copy)).isEqualTo(CoreState.hashHex(core));
    // and the copy behaves the same
    EventCollector copyEvents = new EventCollector();
    copy.setListener(copyEvents);
    Command next = order(4, Side.BUY, 40, 1010).nonce(999).build();
    core.apply(next);
    copy.apply(next);
    assertThat(CoreState.hashHex(copy)).isEqualTo(CoreState.hashHex(core));
    assertThat(copy.orderByClientId(1, 3)).isNull();
  }
}
