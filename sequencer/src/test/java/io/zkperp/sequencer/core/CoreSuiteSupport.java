package io.zkperp.sequencer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.OrderBuilder;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.SequencerEvent.Fill;
import io.zkperp.sequencer.core.SequencerEvent.OrderAccepted;
import io.zkperp.sequencer.core.SequencerEvent.OrderClosed;
import io.zkperp.sequencer.core.SequencerEvent.Rejected;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every behavioural suite of the core shares: a fresh core per test on the subclass's book,
 * and helpers that run commands and read back their events.
 */
abstract class CoreSuiteSupport {
  static final int M = 1;
  EventCollector events;
  SequencerCore core;
  long nextNonce = 1;

  abstract OrderBookFactory books();

  @BeforeEach
  void setUp() {
    core = newCore(SelfTradePrevention.EXPIRE_MAKER);
  }

  SequencerCore newCore(SelfTradePrevention stp) {
    events = new EventCollector();
    SequencerCore c = new SequencerCore(books(), stp, RiskHook.PERMISSIVE, events);
    assertThat(c.apply(new AddMarket(M, 10, 5, 10))).isTrue();
    assertThat(c.apply(new Tick(1000))).isTrue();
    events.drain();
    return c;
  }

  // ------------------------------------------------------------------ helpers

  List<SequencerEvent> run(Command c) {
    events.drain();
    core.apply(c);
    return events.drain();
  }

  List<SequencerEvent> place(OrderBuilder b) {
    if (!b.hasNonce()) {
      b.nonce(nextNonce++);
    }
    if (!b.hasClientId()) {
      b.clientId((int) (1_000_000 + nextNonce++));
    }
    return run(b.build());
  }

  long placeId(OrderBuilder b) {
    List<SequencerEvent> ev = place(b);
    assertThat(ev.get(0)).as("accepted: %s", ev).isInstanceOf(OrderAccepted.class);
    return ((OrderAccepted) ev.get(0)).orderId();
  }

  Rejected rejected(List<SequencerEvent> ev) {
    assertThat(ev).hasSize(1);
    assertThat(ev.get(0)).isInstanceOf(Rejected.class);
    return (Rejected) ev.get(0);
  }

  /** Applies a command that must be rejected with the reason, and checks no state changed. */
  Rejected assertRejected(Command c, RejectReason reason) {
    String before = CoreState.hashHex(core);
    List<SequencerEvent> ev = run(c);
    Rejected r = rejected(ev);
    assertThat(r.reason()).as(r.message()).isEqualTo(reason);
    assertThat(CoreState.hashHex(core)).as("a rejected command changes no state").isEqualTo(before);
    return r;
  }

  Rejected assertPlaceRejected(OrderBuilder b, RejectReason reason) {
    if (!b.hasNonce()) {
      b.nonce(nextNonce++);
    }
    if (!b.hasClientId()) {
      b.clientId((int) (1_000_000 + nextNonce++));
    }
    return assertRejected(b.build(), reason);
  }

  static List<Fill> fills(List<SequencerEvent> ev) {
    return ofType(ev, Fill.class);
  }

  static List<OrderClosed> closes(List<SequencerEvent> ev) {
    return ofType(ev, OrderClosed.class);
  }

  /** The events of one type, in order. */
  static <T extends SequencerEvent> List<T> ofType(List<SequencerEvent> ev, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (SequencerEvent e : ev) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  /** (orderId, side, remaining, price) of every resting order, in priority order. */
  List<String> book() {
    List<String> out = new ArrayList<>();
    core.book(M)
        .forEach(o -> out.add(o.orderId + ":" + o.side + ":" + o.remaining + "@" + o.price));
    return out;
  }
}
