package io.zkperp.gateway.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The settlement stream over WebSocket, channel {@code batches}: every status change of every batch
 * of a settling node, in the order the node makes them — {@code SEALED} → {@code PROVING} → {@code
 * PROVEN} → {@code COMMITTED} (with the L1 transaction and block) → {@code FINAL} (or {@code
 * FAILED}). A subscriber first gets one {@code snapshot} (the latest state of the newest {@value
 * #KEPT} batches the node published, and the stream's sequence), then one {@code update} per change
 * with sequence = previous + 1; a gap means resubscribe. The node publishes each change with {@link
 * #publish} (a node that settles nothing publishes none; its stream stays empty).
 *
 * <p>Lives on the {@link BookFeed}'s thread and shares its subscription ids and slow-consumer rule
 * (close 1008). {@link #publish}, {@link #subscribe} and {@link #subscriptions} (activate,
 * unsubscribe) from any thread; the state of one batch must be published in the order its changes
 * happen.
 */
public final class SettlementFeed {
  /** Batches whose latest state a snapshot carries. */
  public static final int KEPT = 256;

  /** Feed thread only. */
  private static final class Subscription extends HeldSubscriptions.Held {
    Subscription(long id, Channel channel) {
      super(id, channel);
    }
  }

  private final BookFeed bookFeed;
  private final Executor thread;
  // feed thread only
  private final HeldSubscriptions<Subscription> subs;
  private final TreeMap<Long, ObjectNode> latest = new TreeMap<>();
  private long sequence;

  /**
   * A settlement feed on the book feed's thread.
   *
   * @param bookFeed the book feed whose thread, ids and slow-consumer rule are shared
   */
  public SettlementFeed(BookFeed bookFeed) {
    this.bookFeed = bookFeed;
    this.thread = bookFeed.executor();
    this.subs = new HeldSubscriptions<>(bookFeed, s -> {});
  }

  /**
   * Publishes one batch's new state to every subscriber. Any thread; a batch's changes in the order
   * they happen.
   *
   * @param batch the batch number
   * @param state its state: {@code batch, status, firstJournalSeq, lastJournalSeq, transactions,
   *     priorityOps} and, once committed, {@code l1TxHash, l1Block} (copied)
   */
  public void publish(long batch, ObjectNode state) {
    ObjectNode copy = state.deepCopy();
    thread.execute(
        () -> {
          sequence++;
          latest.put(batch, copy);
          while (latest.size() > KEPT) {
            latest.pollFirstEntry();
          }
          for (Subscription s : subs.all()) {
            ObjectNode n = notification(s, "update", sequence);
            ((ObjectNode) n.get("params")).setAll(copy);
            subs.send(s, n);
          }
        });
  }

  /**
   * Subscribes a connection: its snapshot is taken now and held back until it is activated ({@link
   * #subscriptions}).
   *
   * @param channel the WebSocket connection
   * @return the subscription id
   */
  public CompletableFuture<Long> subscribe(Channel channel) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    thread.execute(
        () -> {
          Subscription s = new Subscription(bookFeed.allocateId(), channel);
          ObjectNode n = notification(s, "snapshot", sequence);
          ArrayNode a = ((ObjectNode) n.get("params")).putArray("batches");
          latest.values().forEach(b -> a.add(b.deepCopy()));
          result.complete(subs.open(s, n));
        });
    return result;
  }

  /**
   * Starts and ends this feed's subscriptions. Any thread.
   *
   * @return the control
   */
  public SubscriptionControl subscriptions() {
    return subs;
  }

  private static ObjectNode notification(Subscription s, String type, long sequence) {
    return SubscriptionNotification.of(s.id, "batches", type, sequence);
  }
}
