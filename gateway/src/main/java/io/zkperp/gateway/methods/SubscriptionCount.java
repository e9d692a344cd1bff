package io.zkperp.gateway.methods;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live subscriptions of each WebSocket connection, counted on the connection itself (a channel
 * attribute, gone with it), against a cap. Any thread.
 */
final class SubscriptionCount {
  private static final AttributeKey<AtomicInteger> COUNT =
      AttributeKey.valueOf(SubscriptionCount.class, "subscriptions");

  private SubscriptionCount() {}

  /**
   * Counts one more subscription of the connection, or refuses it.
   *
   * @param webSocket the connection
   * @param max the cap
   * @throws RpcException {@link RpcError#TOO_MANY_SUBSCRIPTIONS} if the connection has {@code max}
   */
  static void acquire(Channel webSocket, int max) {
    AtomicInteger n = webSocket.attr(COUNT).setIfAbsent(new AtomicInteger());
    if (n == null) {
      n = webSocket.attr(COUNT).get();
    }
    if (n.incrementAndGet() > max) {
      n.decrementAndGet();
      throw new RpcException(
          RpcError.TOO_MANY_SUBSCRIPTIONS,
          "this connection has "
              + max
              + " live subscriptions, the limit; unsubscribe from one first (perp_unsubscribe)");
    }
  }

  /**
   * Counts one subscription of the connection less (ended or never set up).
   *
   * @param webSocket the connection
   */
  static void release(Channel webSocket) {
    AtomicInteger n = webSocket.attr(COUNT).get();
    if (n != null) {
      n.decrementAndGet();
    }
  }
}
