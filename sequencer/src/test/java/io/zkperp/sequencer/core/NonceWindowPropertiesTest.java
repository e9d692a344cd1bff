package io.zkperp.sequencer.core;

import static io.zkperp.sequencer.OrderBuilder.order;
import static io.zkperp.sequencer.core.PropertySteps.check;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.CancelOrder;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.SequencerEvent.OrderAccepted;
import io.zkperp.sequencer.core.SequencerEvent.OrderClosed;
import io.zkperp.sequencer.core.SequencerEvent.Rejected;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * The nonce window rule, through the core's commands, against a model of each account's slots
 * ({@code slot = nonce mod 2^12}; the slot keeps the newest nonce that used it, its fill and its
 * state). A nonce is accepted when its slot is empty or holds a smaller nonce (a live order there
 * is closed {@link CloseReason#NONCE_SLOT_TAKEN_OVER}); rejected {@link RejectReason#NONCE_TOO_OLD}
 * when the slot holds a larger one; for the same nonce, {@link RejectReason#NONCE_IN_USE} while its
 * order is live, {@link RejectReason#NONCE_REPLAYED} once it was cancelled, filled or partly
 * filled, and accepted again after an IOC remainder closed with nothing filled. Random orders use a
 * few nonces per slot (slot + k·2^12) so that every branch is hit; after every command the core's
 * slots of the traders equal the model's. A bug in {@link NonceSlots} or its use would show here.
 */
class NonceWindowPropertiesTest {
  private static final int M = 1;
  private static final int MAKER = 9;
  private static final long BID = 900;
  private static final long ASK = 1000;

  /** How a trader's buy order behaves. */
  enum Kind {
    /** GTC below every ask: rests, live. */
    REST,
    /** IOC below every ask: closes unfilled (IMMEDIATE_REMAINDER). */
    IOC_MISS,
    /** IOC at the ask: fills what the maker offers, the rest closes. */
    IOC_TAKE
  }

  /** One command. */
  sealed interface Op permits Place, Cancel, Offer {}

  /** A trader's buy. */
  record Place(int account, long nonce, long size, Kind kind) implements Op {}

  /** Cancels the {@code pick}-th (mod count) live trader order. */
  record Cancel(int pick) implements Op {}

  /** The maker offers {@code size} at the ask (its own fresh nonces). */
  record Offer(long size) implements Op {}

  /** A slot of the model. */
  private static final class Slot {
    long nonce;
    long filled;
    long state; // live order id, NonceSlots.OPEN or NonceSlots.CLOSED
  }

  @Property(tries = 100)
  void nonceWindowRule(@ForAll("runs") List<Op> ops) {
    EventCollector events = new EventCollector();
    SequencerCore core = SequencerCore.withDefaults(events);
    check(core.apply(new AddMarket(M, 10, 5, 10)) && core.apply(new Tick(1000)), 0, null, "setup");
    events.drain();
    Map<Long, Slot> slots = new HashMap<>();
    List<long[]> live = new ArrayList<>(); // {order id, account}
    long offered = 0;
    long makerNonce = 1;
    int clientId = 1;
    int step = 0;
    for (Op op : ops) {
      step++;
      switch (op) {
        case Offer o -> {
          Command c =
              order(MAKER, Side.SELL, o.size(), ASK)
                  .nonce(makerNonce++)
                  .clientId(clientId++)
                  .build();
          check(core.apply(c), step, op, "offer accepted");
          offered += o.size();
        }
        case Cancel c -> {
          if (!live.isEmpty()) {
            long[] l = live.remove(c.pick() % live.size());
            check(core.apply(new CancelOrder((int) l[1], false, l[0])), step, op, "cancel");
            for (Slot s : slots.values()) {
              if (s.state == l[0]) {
                s.state = NonceSlots.CLOSED;
              }
            }
          }
        }
        case Place p -> {
          long key = (long) p.account() << 16 | NonceSlots.slot(p.nonce());
          Slot s = slots.get(key);
          RejectReason expected = expectedRejection(s, p.nonce());
          long price = p.kind() == Kind.IOC_TAKE ? ASK : BID;
          TimeInForce tif = p.kind() == Kind.REST ? TimeInForce.GTC : TimeInForce.IOC;
          Command c =
              order(p.account(), Side.BUY, p.size(), price)
                  .tif(tif)
                  .nonce(p.nonce())
                  .clientId(clientId++)
                  .build();
          boolean accepted = core.apply(c);
          List<SequencerEvent> ev = events.drain();
          if (expected != null) {
            check(
                !accepted
                    && ev.size() == 1
                    && ev.get(0) instanceof Rejected r
                    && r.reason() == expected,
                step,
                op,
                "expected " + expected + ", got " + ev);
            break;
          }
          check(accepted, step, op, "expected acceptance, got " + ev);
          long orderId = -1;
          boolean tookOver = false;
          for (SequencerEvent e : ev) {
            if (e instanceof OrderAccepted a) {
              orderId = a.orderId();
            } else if (e instanceof OrderClosed x
                && x.reason() == CloseReason.NONCE_SLOT_TAKEN_OVER
                && s != null
                && x.orderId() == s.state) {
              tookOver = true;
            }
          }
          boolean heldLive = s != null && s.nonce < p.nonce() && s.state > 0;
          check(tookOver == heldLive, step, op, "slot take-over of a live order: " + ev);
          if (heldLive) {
            long gone = s.state;
            live.removeIf(l -> l[0] == gone);
          }
          if (s == null) {
            s = new Slot();
            slots.put(key, s);
          }
          if (s.nonce != p.nonce()) {
            s.filled = 0; // a newer nonce starts the slot afresh
          }
          s.nonce = p.nonce();
          switch (p.kind()) {
            case REST -> {
              s.state = orderId;
              live.add(new long[] {orderId, p.account()});
            }
            case IOC_MISS -> s.state = NonceSlots.OPEN;
            case IOC_TAKE -> {
              long fill = Math.min(p.size(), offered);
              offered -= fill;
              s.filled += fill;
              s.state = fill == p.size() ? NonceSlots.CLOSED : NonceSlots.OPEN;
            }
          }
        }
      }
      events.drain();
      assertSameSlots(core, slots, step, op);
    }
  }

  /** The model's rule: null when the nonce is accepted. */
  private static RejectReason expectedRejection(Slot s, long nonce) {
    if (s == null || s.nonce < nonce) {
      return null;
    }
    if (s.nonce > nonce) {
      return RejectReason.NONCE_TOO_OLD;
    }
    if (s.state > 0) {
      return RejectReason.NONCE_IN_USE;
    }
    if (s.state == NonceSlots.CLOSED || s.filled > 0) {
      return RejectReason.NONCE_REPLAYED;
    }
    return null;
  }

  private static void assertSameSlots(SequencerCore core, Map<Long, Slot> slots, int step, Op op) {
    int traderSlots = 0;
    for (int a = 1; a <= 3; a++) {
      for (int slot : new int[] {0, 1, 2, 3, 4_095}) {
        if (core.nonceSlots.find(a, slot) >= 0) {
          traderSlots++;
        }
      }
    }
    check(traderSlots == slots.size(), step, op, "used trader slots");
    for (Map.Entry<Long, Slot> e : slots.entrySet()) {
      int account = (int) (e.getKey() >>> 16);
      int slot = (int) (e.getKey() & 0xFFFF);
      Slot s = e.getValue();
      boolean ok =
          core.nonceSlots.find(account, s.nonce) == slot
              && core.nonceSlots.nonceAt(account, slot) == s.nonce
              && core.nonceSlots.filledAt(account, slot) == s.filled
              && core.nonceSlots.stateAt(account, slot) == s.state;
      check(
          ok,
          step,
          op,
          () ->
              PropertySteps.slotState(core.nonceSlots, account, slot)
                  + "; expected nonce "
                  + s.nonce
                  + " filled "
                  + s.filled
                  + " state "
                  + s.state);
    }
  }

  @Provide
  Arbitrary<List<Op>> runs() {
    // a few nonces per slot: slot + k·2^12 (k ≤ 2), and the slot 4,095 of Long.MAX_VALUE
    Arbitrary<Long> nonces =
        Arbitraries.frequencyOf(
            Tuple.of(
                20,
                Combinators.combine(
                        Arbitraries.integers().between(0, 3), Arbitraries.longs().between(0, 2))
                    .as((slot, k) -> slot + (k << 12))
                    .filter(n -> n > 0)),
            Tuple.of(1, Arbitraries.of(4_095L, 8_191L, Long.MAX_VALUE)));
    Arbitrary<Long> sizes = Arbitraries.of(10L, 15L, 20L, 25L);
    Arbitrary<Op> ops =
        Arbitraries.frequencyOf(
            Tuple.of(
                10,
                Combinators.combine(
                        Arbitraries.integers().between(1, 3),
                        nonces,
                        sizes,
                        Arbitraries.of(Kind.class))
                    .as(Place::new)),
            Tuple.of(
                2,
                Arbitraries.integers()
                    .between(0, Integer.MAX_VALUE)
                    .withDistribution(RandomDistribution.uniform())
                    .map(Cancel::new)),
            Tuple.of(2, sizes.map(Offer::new)));
    return Arbitraries.integers()
        .between(1, 400)
        .withDistribution(RandomDistribution.uniform())
        .flatMap(n -> ops.list().ofSize(n));
  }
}
