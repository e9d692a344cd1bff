package io.zkperp.gateway.stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The envelope every stream's messages share: {@code {"jsonrpc": "2.0", "method":
 * "perp_subscription", "params": {subscription, channel, [market | account], type, sequence}}};
 * each feed adds its own members to {@code params}. Any thread (a fresh object each call).
 */
final class SubscriptionNotification {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SubscriptionNotification() {}

  /**
   * A notification without a key member (the {@code batches} and {@code markets} channels).
   *
   * @param subscription the subscription id
   * @param channel the channel name
   * @param type the message type ({@code snapshot}, {@code update}, …)
   * @param sequence the stream's sequence number
   * @return the notification
   */
  static ObjectNode of(long subscription, String channel, String type, long sequence) {
    return of(subscription, channel, null, 0, type, sequence);
  }

  /**
   * A notification whose {@code params} name what the channel is about ({@code market} of a book or
   * trades stream, {@code account} of an account stream) right after the channel.
   *
   * @param subscription the subscription id
   * @param channel the channel name
   * @param keyName the member naming the market or account, or null for none
   * @param key its value
   * @param type the message type
   * @param sequence the stream's sequence number
   * @return the notification
   */
  static ObjectNode of(
      long subscription, String channel, String keyName, int key, String type, long sequence) {
    ObjectNode n = NODES.objectNode();
    n.put("jsonrpc", "2.0");
    n.put("method", "perp_subscription");
    ObjectNode p = n.putObject("params");
    p.put("subscription", subscription);
    p.put("channel", channel);
    if (keyName != null) {
      p.put(keyName, key);
    }
    p.put("type", type);
    p.put("sequence", sequence);
    return n;
  }
}
