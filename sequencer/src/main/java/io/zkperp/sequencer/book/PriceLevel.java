package io.zkperp.sequencer.book;

/** One price level of {@link OptimisedOrderBook}: an intrusive FIFO of orders. Core thread. */
final class PriceLevel {
  long price;
  Order head;
  Order tail;

  void append(Order order) {
    order.level = this;
    order.prev = tail;
    order.next = null;
    if (tail == null) {
      head = order;
    } else {
      tail.next = order;
    }
    tail = order;
  }

  void unlink(Order order) {
    if (order.prev == null) {
      head = order.next;
    } else {
      order.prev.next = order.next;
    }
    if (order.next == null) {
      tail = order.prev;
    } else {
      order.next.prev = order.prev;
    }
    order.prev = null;
    order.next = null;
    order.level = null;
  }

  boolean isEmpty() {
    return head == null;
  }
}
