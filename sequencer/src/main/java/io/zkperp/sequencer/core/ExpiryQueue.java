package io.zkperp.sequencer.core;

import io.zkperp.sequencer.book.Order;
import java.util.Arrays;

/**
 * Binary min-heap of live orders by (expiry, order id); each order knows its heap index, so removal
 * is O(log n) and nothing is left behind by cancels. Not thread-safe (core thread).
 */
final class ExpiryQueue {
  private Order[] heap = new Order[1024];
  private int size;

  int size() {
    return size;
  }

  Order peek() {
    return size == 0 ? null : heap[0];
  }

  void add(Order order) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    heap[size] = order;
    order.heapIndex = size;
    size++;
    siftUp(size - 1);
  }

  void remove(Order order) {
    int i = order.heapIndex;
    if (i < 0) {
      return;
    }
    order.heapIndex = -1;
    size--;
    if (i == size) {
      heap[size] = null;
      return;
    }
    Order last = heap[size];
    heap[size] = null;
    heap[i] = last;
    last.heapIndex = i;
    siftDown(i);
    siftUp(last.heapIndex);
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      heap[i].heapIndex = -1;
      heap[i] = null;
    }
    size = 0;
  }

  private static boolean before(Order a, Order b) {
    return a.expiry < b.expiry || (a.expiry == b.expiry && a.orderId < b.orderId);
  }

  private void siftUp(int i) {
    Order o = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Order p = heap[parent];
      if (!before(o, p)) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = o;
    o.heapIndex = i;
  }

  private void siftDown(int i) {
    Order o = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && before(heap[right], heap[child])) {
        child = right;
      }
      if (!before(heap[child], o)) {
        break;
      }
      heap[i] = heap[child];
      heap[i].heapIndex = i;
      i = child;
    }
    heap[i] = o;
    o.heapIndex = i;
  }
}
