package io.zkperp.sequencer.core;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.book.Order;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CoreListener} that copies every event into a list of {@link SequencerEvent}s. Used by
 * the pipeline (one collector per command) and by tests. Core thread; read the list after the
 * command.
 */
public final class EventCollector implements CoreListener {
  private List<SequencerEvent> events = new ArrayList<>();

  /** Creates an empty collector. */
  public EventCollector() {}

  /**
   * The events collected so far.
   *
   * @return the live list
   */
  public List<SequencerEvent> events() {
    return events;
  }

  /**
   * Returns the events collected so far and starts a new list.
   *
   * @return the events
   */
  public List<SequencerEvent> drain() {
    List<SequencerEvent> out = events;
    events = new ArrayList<>();
    return out;
  }

  @Override
  public void onOrderAccepted(Order o) {
    events.add(
        new SequencerEvent.OrderAccepted(
            o.orderId,
            o.account,
            o.market,
            o.clientOrderId,
            o.side,
            o.price,
            o.signedSize,
            o.nonce));
  }

  @Override
  public void onOrderTriggered(Order o) {
    events.add(new SequencerEvent.OrderTriggered(o.orderId, o.account, o.market));
  }

  @Override
  public void onFill(Order maker, Order taker, long price, long size) {
    events.add(
        new SequencerEvent.Fill(
            taker.market,
            maker.orderId,
            maker.account,
            maker.nonce,
            taker.orderId,
            taker.account,
            taker.nonce,
            taker.side,
            price,
            size));
  }

  @Override
  public void onOrderClosed(Order o, CloseReason reason) {
    events.add(new SequencerEvent.OrderClosed(o.orderId, o.account, o.market, o.remaining, reason));
  }

  @Override
  public void onRejected(RejectReason reason, String message) {
    events.add(new SequencerEvent.Rejected(reason, message));
  }

  @Override
  public void onRiskEvent(SequencerEvent event) {
    events.add(event);
  }
}
