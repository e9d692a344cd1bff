package io.zkperp.gateway.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The subscriptions of a feed that shares the book feed's thread, ids and slow-consumer rule: each
 * stream is held back (snapshot first) until {@link #activate}, ends on unsubscribe or when its
 * connection closes, and a connection too slow to take a message loses all its subscriptions of
 * this feed. Feed thread only, except {@link #activate} and {@link #unsubscribe}, which hop onto
 * it.
 *
 * @param <S> the feed's subscription type
 */
final class HeldSubscriptions<S extends HeldSubscriptions.Held> implements SubscriptionControl {
  /** A subscription: its id, its connection and, until activated, its held-back messages. */
  static class Held {
    final long id;
    final Channel channel;
    List<ObjectNode> held = new ArrayList<>();

    Held(long id, Channel channel) {
      this.id = id;
      this.channel = channel;
    }
  }

  private final BookFeed bookFeed;
  private final Executor thread;
  private final Consumer<S> onRemoved;
  private final Map<Long, S> byId = new HashMap<>();

  /**
   * The subscriptions of one feed.
   *
   * @param bookFeed the book feed whose thread and slow-consumer rule are shared
   * @param onRemoved the feed's own clean-up of a removed subscription (feed thread)
   */
  HeldSubscriptions(BookFeed bookFeed, Consumer<S> onRemoved) {
    this.bookFeed = bookFeed;
    this.thread = bookFeed.executor();
    this.onRemoved = onRemoved;
  }

  /**
   * Adds a subscription with its snapshot as the first held-back message (sent on {@link
   * #activate}); it is removed when its connection closes.
   *
   * @param s the subscription, not yet activated
   * @param snapshot its first message
   * @return the subscription id
   */
  long open(S s, ObjectNode snapshot) {
    byId.put(s.id, s);
    s.channel.closeFuture().addListener(f -> thread.execute(() -> remove(s.id)));
    s.held.add(snapshot);
    return s.id;
  }

  /** The live subscription with this id, or null. */
  S get(long id) {
    return byId.get(id);
  }

  /** Whether the id is a live subscription. */
  boolean contains(long id) {
    return byId.containsKey(id);
  }

  /** A copy of the live subscriptions (safe to send to while iterating). */
  List<S> all() {
    return List.copyOf(byId.values());
  }

  /** Removes a subscription and runs the feed's clean-up; nothing if it is not live. */
  void remove(long id) {
    S s = byId.remove(id);
    if (s != null) {
      onRemoved.accept(s);
    }
  }

  /** Sends a subscription's held-back messages and then its stream. Any thread. */
  @Override
  public void activate(long id) {
    thread.execute(
        () -> {
          S s = byId.get(id);
          if (s == null || s.held == null) {
            return;
          }
          List<ObjectNode> held = s.held;
          s.held = null;
          for (ObjectNode m : held) {
            if (!send(s, m)) {
              return;
            }
          }
        });
  }

  /** Ends a subscription if it is live and belongs to the connection. Any thread. */
  @Override
  public CompletableFuture<Boolean> unsubscribe(Channel channel, long id) {
    return CompletableFuture.supplyAsync(
        () -> {
          S s = byId.get(id);
          if (s == null || s.channel != channel) {
            return false;
          }
          remove(id);
          return true;
        },
        thread);
  }

  /**
   * Sends (or holds back, before activation) one message; a connection that cannot take it is
   * disconnected and loses every subscription here.
   *
   * @return false if the subscription is gone
   */
  boolean send(S s, ObjectNode message) {
    if (!byId.containsKey(s.id)) {
      return false; // removed meanwhile (its connection was found slow)
    }
    if (s.held != null) {
      s.held.add(message);
      return true;
    }
    if (bookFeed.writeOrDisconnect(s.channel, message)) {
      return true;
    }
    for (S other : all()) {
      if (other.channel == s.channel) {
        remove(other.id);
      }
    }
    return false;
  }
}
