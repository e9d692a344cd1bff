package io.zkperp.gateway.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Order book and trade streams over WebSocket. All subscription state lives on one thread, {@code
 * gateway-feed}: the journal thread only hands each command's {@link ReadModel.BookDelta}s over
 * ({@link #publish}), and subscribing takes the snapshot on the same thread, so a subscriber gets
 * the snapshot at sequence s and then exactly the deltas with sequence &gt; s, in order. The stream
 * is held back until {@link #activate} (called once the subscribe result is queued), so it always
 * follows the result. Sending never waits: a connection whose outbound buffer is above its
 * high-water mark when a message is due is sent a close frame (1008, "slow consumer") and closed
 * within one second; it never slows the journal or the core. {@link #publish}, {@link #subscribe}
 * and {@link #unsubscribe} from any thread.
 */
public final class BookFeed implements AutoCloseable, SubscriptionControl {
  private static final Logger LOG = LoggerFactory.getLogger(BookFeed.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Feed thread only. Pending until {@link #activate}: messages are held back. */
  private static final class Subscription {
    final long id;
    final Channel channel;
    final int market;
    final long snapshotSequence;
    final boolean trades;
    List<ObjectNode> held = new ArrayList<>();

    Subscription(long id, Channel channel, int market, long snapshotSequence, boolean trades) {
      this.id = id;
      this.channel = channel;
      this.market = market;
      this.snapshotSequence = snapshotSequence;
      this.trades = trades;
    }

    long id() {
      return id;
    }

    Channel channel() {
      return channel;
    }

    int market() {
      return market;
    }

    long snapshotSequence() {
      return snapshotSequence;
    }
  }

  private static final io.netty.util.AttributeKey<Boolean> SLOW =
      io.netty.util.AttributeKey.valueOf("zkperp.slowConsumer");

  private final ReadModel readModel;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "gateway-feed");
            t.setDaemon(true);
            return t;
          });
  // feed thread only
  private final Map<Long, Subscription> byId = new HashMap<>();
  private final Map<Integer, List<Subscription>> byMarket = new HashMap<>();
  private final Map<Integer, List<Subscription>> tradesByMarket = new HashMap<>();
  private long nextId = 1;
  // Subscriptions alive or being set up (book and trades). The journal thread reads it to skip the
  // hand-off, and the feed thread's wake-up, for every command while nobody listens. The feed
  // thread counts a book subscription before it takes the snapshot, and the read model orders the
  // snapshot and each delta's apply, so no delta after a snapshot is ever skipped.
  private final java.util.concurrent.atomic.AtomicInteger live =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong slowConsumers =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * A feed over the read model.
   *
   * @param readModel where snapshots come from
   */
  public BookFeed(ReadModel readModel) {
    this.readModel = readModel;
  }

  /**
   * Hands one command's book changes to the feed thread. Called on the journal thread, in journal
   * order.
   *
   * @param deltas the changes
   */
  public void publish(List<ReadModel.BookDelta> deltas) {
    if (live.get() == 0) {
      return;
    }
    thread.execute(
        () -> {
          for (ReadModel.BookDelta d : deltas) {
            List<Subscription> subs = byMarket.get(d.market());
            if (subs == null) {
              continue;
            }
            for (Subscription s : List.copyOf(subs)) {
              if (d.sequence() > s.snapshotSequence()) {
                send(s, delta(s, d));
              }
            }
          }
        });
  }

  /**
   * Hands one command's fills to the feed thread for the trade streams. Called on the journal
   * thread, in journal order.
   *
   * @param journalSeq the command's journal sequence
   * @param fills its fills, in order
   */
  public void publishTrades(long journalSeq, List<SequencerEvent.Fill> fills) {
    if (live.get() == 0) {
      return;
    }
    thread.execute(
        () -> {
          for (int i = 0; i < fills.size(); i++) {
            SequencerEvent.Fill f = fills.get(i);
            List<Subscription> subs = tradesByMarket.get(f.market());
            if (subs == null) {
              continue;
            }
            for (Subscription s : List.copyOf(subs)) {
              ObjectNode n = notification(s, "trade", journalSeq);
              ((ObjectNode) n.get("params"))
                  .put("index", i)
                  .put("price", f.price())
                  .put("size", f.size())
                  .put("takerSide", f.takerSide().name())
                  .put("makerOrderId", f.makerOrderId())
                  .put("takerOrderId", f.takerOrderId());
              send(s, n);
            }
          }
        });
  }

  /**
   * Subscribes a connection to a market's trades: one {@code trade} notification per fill, with the
   * journal sequence of its command as {@code sequence} and its position in the command as {@code
   * index}. No snapshot.
   *
   * @param channel the WebSocket connection
   * @param market the market (listed)
   * @return the subscription id
   */
  public CompletableFuture<Long> subscribeTrades(Channel channel, int market) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    thread.execute(
        () -> {
          live.incrementAndGet();
          Subscription s = new Subscription(allocateId(), channel, market, 0, true);
          byId.put(s.id(), s);
          tradesByMarket.computeIfAbsent(market, m -> new ArrayList<>()).add(s);
          channel.closeFuture().addListener(f -> thread.execute(() -> remove(s.id())));
          result.complete(s.id());
        });
    return result;
  }

  /**
   * Subscribes a connection to a market's book; the snapshot is queued to the connection after the
   * returned future completes (so it follows the subscribe result).
   *
   * @param channel the WebSocket connection
   * @param market the market (listed)
   * @return the subscription id
   */
  public CompletableFuture<Long> subscribe(Channel channel, int market) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    thread.execute(
        () -> {
          live.incrementAndGet(); // before the snapshot: see the field
          ReadModel.BookSnapshot snap = readModel.book(market, Integer.MAX_VALUE);
          Subscription s = new Subscription(allocateId(), channel, market, snap.sequence(), false);
          byId.put(s.id(), s);
          byMarket.computeIfAbsent(market, m -> new ArrayList<>()).add(s);
          channel.closeFuture().addListener(f -> thread.execute(() -> remove(s.id())));
          s.held.add(snapshot(s, snap));
          result.complete(s.id());
        });
    return result;
  }

  /**
   * Starts sending a subscription's stream (its snapshot, then the deltas held since): called once
   * the subscribe result was queued on the connection, so the stream follows it.
   *
   * @param id the subscription id
   */
  @Override
  public void activate(long id) {
    thread.execute(
        () -> {
          Subscription s = byId.get(id);
          if (s == null || s.held == null) {
            return;
          }
          List<ObjectNode> held = s.held;
          s.held = null;
          for (ObjectNode m : held) {
            send(s, m);
          }
        });
  }

  /**
   * Ends a subscription if it belongs to the connection.
   *
   * @param channel the connection
   * @param id the subscription id
   * @return true if it was a live subscription of that connection
   */
  @Override
  public CompletableFuture<Boolean> unsubscribe(Channel channel, long id) {
    return CompletableFuture.supplyAsync(
        () -> {
          Subscription s = byId.get(id);
          if (s == null || s.channel() != channel) {
            return false;
          }
          remove(id);
          return true;
        },
        thread);
  }

  private void remove(long id) {
    Subscription s = byId.remove(id);
    if (s != null) {
      live.decrementAndGet();
      Map<Integer, List<Subscription>> index = s.trades ? tradesByMarket : byMarket;
      List<Subscription> subs = index.get(s.market());
      subs.remove(s);
      if (subs.isEmpty()) {
        index.remove(s.market());
      }
    }
  }

  private void send(Subscription s, ObjectNode message) {
    if (!byId.containsKey(s.id())) {
      return; // removed meanwhile (its connection was found slow)
    }
    if (s.held != null) {
      s.held.add(message);
      return;
    }
    if (!writeOrDisconnect(s.channel(), message)) {
      for (Long id : List.copyOf(byId.keySet())) {
        if (byId.get(id).channel() == s.channel()) {
          remove(id);
        }
      }
    }
  }

  /**
   * Writes one stream message unless the connection is above its write high-water mark; then it
   * sends the close frame 1008 "slow consumer" and closes the connection within one second. Feed
   * thread.
   *
   * @param c the connection
   * @param message the message
   * @return false if the connection was found slow (and is being closed)
   */
  boolean writeOrDisconnect(Channel c, ObjectNode message) {
    if (!c.isActive()) {
      return true;
    }
    if (c.hasAttr(SLOW) || !c.isWritable()) {
      if (!c.attr(SLOW).compareAndSet(null, Boolean.TRUE)) {
        return false; // already being closed
      }
      LOG.info("disconnecting slow subscriber {}", c.remoteAddress());
      slowConsumers.incrementAndGet();
      c.writeAndFlush(
              new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, "slow consumer"))
          .addListener(ChannelFutureListener.CLOSE);
      c.eventLoop().schedule(() -> c.close(), 1, TimeUnit.SECONDS);
      return false;
    }
    c.writeAndFlush(new TextWebSocketFrame(message.toString()));
    return true;
  }

  /**
   * How many subscriber connections were closed as slow consumers (1008) so far. Any thread.
   *
   * @return the count
   */
  public long slowConsumerDisconnects() {
    return slowConsumers.get();
  }

  /**
   * The feed thread, shared with {@link AccountFeed} so that all subscription state lives on one
   * thread.
   *
   * @return the executor
   */
  java.util.concurrent.Executor executor() {
    return thread;
  }

  /**
   * A new subscription id, unique across the feeds of this gateway. Feed thread only.
   *
   * @return the id
   */
  long allocateId() {
    return nextId++;
  }

  private static ObjectNode notification(Subscription s, String type, long sequence) {
    return SubscriptionNotification.of(
        s.id(), s.trades ? "trades" : "book", "market", s.market(), type, sequence);
  }

  private static ObjectNode snapshot(Subscription s, ReadModel.BookSnapshot snap) {
    ObjectNode n = notification(s, "snapshot", snap.sequence());
    ObjectNode p = (ObjectNode) n.get("params");
    p.set("bids", levels(snap.bids()));
    p.set("asks", levels(snap.asks()));
    return n;
  }

  private static ArrayNode levels(List<ReadModel.Level> levels) {
    ArrayNode a = NODES.arrayNode();
    for (ReadModel.Level l : levels) {
      a.addObject().put("price", l.price()).put("size", l.size()).put("orders", l.orders());
    }
    return a;
  }

  private static ObjectNode delta(Subscription s, ReadModel.BookDelta d) {
    ObjectNode n = notification(s, "delta", d.sequence());
    ArrayNode changes = ((ObjectNode) n.get("params")).putArray("changes");
    for (ReadModel.LevelChange c : d.changes()) {
      changes
          .addObject()
          .put("side", c.side().name())
          .put("price", c.price())
          .put("size", c.size())
          .put("orders", c.orders());
    }
    return n;
  }

  /** Stops the feed thread. Controlling thread. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
