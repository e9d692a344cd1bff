package io.zkperp.sequencer.core;

import io.zkperp.sequencer.book.Order;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The core's live orders (resting and parked): indexed by order id and by (account, client order
 * id), their expiry queue, the next order id, and the pool of order objects they are taken from and
 * returned to. Core thread.
 */
final class LiveOrders {
  final LongObjectHashMap<Order> byId = new LongObjectHashMap<>(4096);
  final LongObjectHashMap<Order> byClientId = new LongObjectHashMap<>(4096);
  final ExpiryQueue expiries = new ExpiryQueue();
  private final ArrayDeque<Order> pool = new ArrayDeque<>();
  long nextOrderId = 1;

  static long clientKey(int account, int clientOrderId) {
    return ((long) account << 32) | Integer.toUnsignedLong(clientOrderId);
  }

  /** A cleared order object with the next order id. */
  Order newOrder() {
    Order o = pool.pollLast();
    if (o == null) {
      o = new Order();
    }
    o.orderId = nextOrderId++;
    return o;
  }

  /** Clears an order that is no longer live and returns it to the pool. */
  void recycle(Order o) {
    o.clear();
    pool.addLast(o);
  }

  /** Indexes a live order by id and client order id. */
  void index(Order o) {
    byId.put(o.orderId, o);
    byClientId.put(clientKey(o.account, o.clientOrderId), o);
  }

  /** Removes an order from the indexes and the expiry queue. */
  void forget(Order o) {
    expiries.remove(o);
    byId.remove(o.orderId);
    long ck = clientKey(o.account, o.clientOrderId);
    if (byClientId.get(ck) == o) {
      byClientId.remove(ck);
    }
  }

  /** The account's live order with that client order id, or null. */
  Order byClientId(int account, int clientOrderId) {
    return byClientId.get(clientKey(account, clientOrderId));
  }

  /** The account's live order by order id or client order id, or null (also if not its own). */
  Order owned(int account, boolean byClientOrderId, long id) {
    Order o;
    if (byClientOrderId) {
      if (id < 0 || id > 0xFFFF_FFFFL) {
        return null;
      }
      o = byClientId(account, (int) id);
    } else {
      o = byId.get(id);
    }
    return o != null && o.account == account ? o : null;
  }

  /** The account's live orders in a market ({@code market < 0}: all markets), by order id. */
  List<Order> ofAccount(int account, int market) {
    List<Order> mine = new ArrayList<>();
    byId.forEachValue(
        o -> {
          if (o.account == account && (market < 0 || o.market == market)) {
            mine.add(o);
          }
        });
    mine.sort(Comparator.comparingLong(o -> o.orderId));
    return mine;
  }
}
