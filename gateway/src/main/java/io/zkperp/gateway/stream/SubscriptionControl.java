package io.zkperp.gateway.stream;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * Starts and ends the subscriptions of one feed: a subscription's stream is held back until it is
 * activated (once the subscribe result is queued on the connection, so that the stream follows it),
 * and ends when unsubscribed. Any thread; both hop onto the feed's thread.
 */
public interface SubscriptionControl {
  /**
   * Starts sending a subscription's stream (what was held back, then the live messages); nothing if
   * the id is not one of this feed's live subscriptions.
   *
   * @param id the subscription id
   */
  void activate(long id);

  /**
   * Ends a subscription if it is one of this feed's and belongs to the connection.
   *
   * @param channel the connection
   * @param id the subscription id
   * @return true if it was a live subscription of that connection
   */
  CompletableFuture<Boolean> unsubscribe(Channel channel, long id);
}
