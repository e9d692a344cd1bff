package io.zkperp.gateway.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.zkperp.gateway.bridge.ReadModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Account and market streams over WebSocket, on the same {@code gateway-feed} thread as the {@link
 * BookFeed} (whose thread and subscription ids it shares). The journal thread only hands each
 * command's {@link ReadModel.StreamUpdates} over ({@link #publish}); the read model computes an
 * account's state after a command only for accounts with a subscriber ({@link ReadModel#watch}).
 *
 * <ul>
 *   <li>Channel {@code account}: a {@code snapshot} (the account as {@code perp_getAccount} gives
 *       it, plus its open orders) at the account's sequence s, then one {@code update} per accepted
 *       command that touched the account, with sequence s+1, s+2, …: the orders the command changed
 *       (with status {@code OPEN}, {@code PARKED} or the close reason), its fills, and the account
 *       after the command (collateral, every position, margin figures).
 *   <li>Channel {@code markets} (one market or all): a {@code snapshot} of each market's oracle
 *       price and funding index with the market's sequence, then {@code price} and {@code funding}
 *       messages, each with the market's sequence + 1.
 * </ul>
 *
 * <p>An account stream lasts as long as the read grant it was opened with: at the grant's
 * validUntil it ends with one notification of type {@code end} ({@code code} 5102
 * READ_GRANT_EXPIRED, {@code validUntil}, {@code message}) and is removed, as if unsubscribed.
 *
 * <p>As for the book, the stream is held back until it is activated ({@link #subscriptions}), and a
 * subscriber above the write high-water mark is closed with 1008 "slow consumer". {@link #publish},
 * {@code subscribe*} and {@link #subscriptions} from any thread.
 */
public final class AccountFeed {
  /** Feed thread only. */
  private static final class Subscription extends HeldSubscriptions.Held {
    final boolean account;
    final int key; // the account, or the market (-1 = all markets)
    final Map<Integer, Long> snapshotSequence = new HashMap<>();
    ScheduledFuture<?> end; // an account stream's end at its grant's expiry

    Subscription(long id, Channel channel, boolean account, int key) {
      super(id, channel);
      this.account = account;
      this.key = key;
    }
  }

  private final ReadModel readModel;
  private final BookFeed bookFeed;
  private final Executor thread;
  // feed thread only
  private final HeldSubscriptions<Subscription> subs;
  private final Map<Integer, List<Subscription>> byAccount = new HashMap<>();
  private final List<Subscription> marketSubs = new ArrayList<>();

  /**
   * A feed over the read model, on the book feed's thread.
   *
   * @param readModel where snapshots come from
   * @param bookFeed the book feed whose thread and ids are shared
   */
  public AccountFeed(ReadModel readModel, BookFeed bookFeed) {
    this.readModel = readModel;
    this.bookFeed = bookFeed;
    this.thread = bookFeed.executor();
    this.subs = new HeldSubscriptions<>(bookFeed, this::removed);
  }

  /**
   * Hands one command's updates to the feed thread. Journal thread, in journal order.
   *
   * @param updates the updates
   */
  public void publish(ReadModel.StreamUpdates updates) {
    thread.execute(
        () -> {
          for (ReadModel.AccountUpdate u : updates.accounts()) {
            List<Subscription> watching = byAccount.get(u.account().account());
            if (watching == null) {
              continue;
            }
            for (Subscription s : List.copyOf(watching)) {
              if (u.account().sequence() > s.snapshotSequence.get(s.key)) {
                subs.send(s, update(s, u));
              }
            }
          }
          for (ReadModel.MarketUpdate u : updates.markets()) {
            for (Subscription s : List.copyOf(marketSubs)) {
              if (s.key >= 0 && s.key != u.market()) {
                continue;
              }
              Long after = s.snapshotSequence.get(u.market());
              if (after == null || u.sequence() > after) {
                subs.send(s, market(s, u));
              }
            }
          }
        });
  }

  /**
   * Subscribes a connection to an account; the snapshot is queued once it is activated ({@link
   * #subscriptions}). The stream ends after {@code secondsLeft}, when its read grant expires: a
   * notification of type {@code end}, the subscription removed, then {@code onEnd} run (on the feed
   * thread).
   *
   * @param channel the WebSocket connection
   * @param account the account
   * @param validUntil the read grant's validUntil, unix seconds (reported in the end notification);
   *     {@link Long#MAX_VALUE} for a public account, whose stream does not end
   * @param secondsLeft seconds until the grant expires
   * @param onEnd what to run when the stream ends at expiry (releasing the connection's count)
   * @return the subscription id
   */
  public CompletableFuture<Long> subscribeAccount(
      Channel channel, int account, long validUntil, long secondsLeft, Runnable onEnd) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    thread.execute(
        () -> {
          readModel.watch(account, +1); // before the snapshot: every later command is published
          ReadModel.AccountSnapshot snap = readModel.accountSnapshot(account);
          Subscription s = new Subscription(bookFeed.allocateId(), channel, true, account);
          s.snapshotSequence.put(account, snap.account().sequence());
          byAccount.computeIfAbsent(account, k -> new ArrayList<>()).add(s);
          ObjectNode n = notification(s, "snapshot", snap.account().sequence());
          ObjectNode p = (ObjectNode) n.get("params");
          AccountJson.write(p, snap.account());
          ArrayNode orders = p.putArray("openOrders");
          for (ReadModel.OpenOrder o : snap.openOrders()) {
            AccountJson.order(orders.addObject(), o);
          }
          s.end =
              validUntil == Long.MAX_VALUE
                  ? null // a public account's stream (the insurance fund): no grant to expire
                  : channel
                      .eventLoop()
                      .schedule(
                          () -> thread.execute(() -> end(s.id, validUntil, onEnd)),
                          secondsLeft,
                          TimeUnit.SECONDS);
          result.complete(subs.open(s, n));
        });
    return result;
  }

  /** Ends an account stream whose read grant expired. Feed thread. */
  private void end(long id, long validUntil, Runnable onEnd) {
    Subscription s = subs.get(id);
    if (s == null) {
      return; // unsubscribed or disconnected first
    }
    ObjectNode n = notification(s, "end", -1);
    ObjectNode p = (ObjectNode) n.get("params");
    p.remove("sequence");
    p.put("code", 5102);
    p.put("reason", "READ_GRANT_EXPIRED");
    p.put("validUntil", validUntil);
    p.put(
        "message",
        "the read grant expired at "
            + validUntil
            + "; the stream ended: subscribe again with a new grant");
    subs.send(s, n);
    subs.remove(id);
    onEnd.run();
  }

  /**
   * Subscribes a connection to the oracle prices and funding ticks of one market or all.
   *
   * @param channel the WebSocket connection
   * @param market the market, or -1 for every market
   * @return the subscription id
   */
  public CompletableFuture<Long> subscribeMarkets(Channel channel, int market) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    thread.execute(
        () -> {
          List<ReadModel.MarketState> states = readModel.marketStates(market);
          Subscription s = new Subscription(bookFeed.allocateId(), channel, false, market);
          ObjectNode n = notification(s, "snapshot", -1);
          ObjectNode p = (ObjectNode) n.get("params");
          p.remove("sequence");
          ArrayNode a = p.putArray("markets");
          for (ReadModel.MarketState m : states) {
            s.snapshotSequence.put(m.market(), m.sequence());
            a.addObject()
                .put("market", m.market())
                .put("sequence", m.sequence())
                .put("oraclePrice", m.oraclePrice())
                .put("oracleTimestamp", m.oracleTimestamp())
                .put("fundingIndex", m.fundingIndex())
                .put("fundingTimestamp", m.fundingTimestamp());
          }
          marketSubs.add(s);
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

  /** The feed's clean-up of a removed subscription. Feed thread. */
  private void removed(Subscription s) {
    if (s.end != null) {
      s.end.cancel(false);
    }
    if (s.account) {
      List<Subscription> watching = byAccount.get(s.key);
      watching.remove(s);
      if (watching.isEmpty()) {
        byAccount.remove(s.key);
      }
      readModel.watch(s.key, -1);
    } else {
      marketSubs.remove(s);
    }
  }

  private static ObjectNode notification(Subscription s, String type, long sequence) {
    return s.account
        ? SubscriptionNotification.of(s.id, "account", "account", s.key, type, sequence)
        : SubscriptionNotification.of(s.id, "markets", type, sequence);
  }

  private static ObjectNode update(Subscription s, ReadModel.AccountUpdate u) {
    ObjectNode n = notification(s, "update", u.account().sequence());
    ObjectNode p = (ObjectNode) n.get("params");
    ArrayNode orders = p.putArray("orders");
    for (ReadModel.OrderChange c : u.orders()) {
      AccountJson.order(orders.addObject(), c.order()).put("status", c.status());
    }
    ArrayNode fills = p.putArray("fills");
    for (ReadModel.FillView f : u.fills()) {
      AccountJson.fill(fills.addObject(), f);
    }
    AccountJson.write(p, u.account());
    return n;
  }

  private static ObjectNode market(Subscription s, ReadModel.MarketUpdate u) {
    ObjectNode n = notification(s, u.funding() == null ? "price" : "funding", u.sequence());
    ObjectNode p = (ObjectNode) n.get("params");
    p.put("market", u.market());
    p.put("journalSeq", u.journalSeq());
    if (u.funding() == null) {
      p.put("oraclePrice", u.oraclePrice()).put("timestamp", u.timestamp());
    } else {
      AccountJson.funding(p, u.funding());
    }
    return n;
  }
}
