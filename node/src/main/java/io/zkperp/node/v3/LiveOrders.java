package io.zkperp.node.v3;

import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * The signed orders of the engine's live orders, by order id: an order is kept from its {@code
 * OrderAccepted} (matched to the command that placed it: a {@link PlaceOrder}, or the replacement
 * of a {@link CancelReplace}) until its {@code OrderClosed}, so that a later fill against it (as
 * the maker, or as a triggered conditional order's taker) can carry its signature. It holds exactly
 * the orders the engine holds (resting, and conditional ones not yet triggered), so it is bounded
 * by the engine's own live-order count and released with them. Each is kept as the {@link
 * PlaceOrder} the journal holds (so a snapshot writes it in the journal's own encoding) and its
 * signed message built when a fill asks for it. Confined to the translator's thread.
 */
final class LiveOrders {
  private final Map<Long, PlaceOrder> orders = new HashMap<>();

  /**
   * Follows one event of a command: keeps an accepted order of the command, releases a closed one.
   *
   * @param command the command being translated
   * @param event one of its events, in order
   */
  void follow(Command command, SequencerEvent event) {
    switch (event) {
      case SequencerEvent.OrderAccepted a -> {
        PlaceOrder placed = placedBy(command);
        if (placed != null
            && placed.account() == a.account()
            && placed.nonce() == a.nonce()
            && placed.clientOrderId() == a.clientOrderId()) {
          orders.put(a.orderId(), placed);
        }
      }
      case SequencerEvent.OrderClosed c -> orders.remove(c.orderId());
      default -> {}
    }
  }

  /**
   * A live order's signed form.
   *
   * @param orderId the engine's order id
   * @return the order, or null when none is kept (e.g. a liquidation order, which has no signature)
   */
  SignedOrder get(long orderId) {
    PlaceOrder placed = orders.get(orderId);
    return placed == null
        ? null
        : new SignedOrder(OrderSigning.message(placed), placed.signature());
  }

  /**
   * The kept orders as journaled (the command that placed each, signature included), by order id.
   *
   * @return a sorted copy
   */
  java.util.SortedMap<Long, PlaceOrder> placed() {
    return new java.util.TreeMap<>(orders);
  }

  /**
   * Keeps an order as if its {@code OrderAccepted} had been followed (a restore from a snapshot).
   *
   * @param orderId the engine's order id
   * @param placed the command that placed it
   */
  void keep(long orderId, PlaceOrder placed) {
    orders.put(orderId, placed);
  }

  /**
   * How many orders are kept.
   *
   * @return the count (the engine's live orders, conditional ones included)
   */
  int size() {
    return orders.size();
  }

  private static PlaceOrder placedBy(Command command) {
    return switch (command) {
      case PlaceOrder p -> p;
      case CancelReplace r -> r.replacement();
      default -> null;
    };
  }
}
