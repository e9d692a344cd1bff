package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.ParamSpec;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcContext;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.StreamFeeds;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_subscribe}: a book, trade, account, markets or batches (settlement) stream on this
 * WebSocket connection. The account stream is private: it needs the account's read grant ({@link
 * ReadGrants}) and ends, with a notification of type {@code end}, when the grant expires. Netty
 * thread.
 */
public final class SubscribeMethod implements RpcHandler {
  private final StreamFeeds feeds;
  private final ReadModel readModel;
  private final int maxPerConnection;
  private final ReadGrants grants;

  /**
   * The method.
   *
   * @param feeds the book, account and market, and batches (settlement) feeds
   * @param readModel to check the market is listed
   * @param maxPerConnection the most live subscriptions of one connection; one more is refused with
   *     {@link RpcError#TOO_MANY_SUBSCRIPTIONS}
   * @param grants checks the read grant of an account stream
   */
  public SubscribeMethod(
      StreamFeeds feeds, ReadModel readModel, int maxPerConnection, ReadGrants grants) {
    this.feeds = feeds;
    this.readModel = readModel;
    this.maxPerConnection = maxPerConnection;
    this.grants = grants;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.SUBSCRIBE;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    throw new RpcException(RpcError.WEBSOCKET_REQUIRED, "subscriptions need a WebSocket (/ws)");
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p, RpcContext context) {
    Channel channel = p.enumValue(Channel.class, "channel", null);
    boolean needsMarket = channel == Channel.book || channel == Channel.trades;
    int market =
        (int)
            (needsMarket ? p.longValue("market", 0, 65_535) : p.longValue("market", 0, 65_535, -1));
    int account =
        (int)
            (channel == Channel.account
                ? p.longValue("account", 0, Integer.MAX_VALUE)
                : p.longValue("account", 0, Integer.MAX_VALUE, -1));
    if (channel != Channel.account && account >= 0) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "parameter \"account\" is only for channel \"account\"");
    }
    if (channel == Channel.batches && market >= 0) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "parameter \"market\" is not for channel \"batches\"");
    }
    if (channel == Channel.account && market >= 0) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "parameter \"market\" is not for channel \"account\"");
    }
    if (channel != Channel.account && p.has(ParamSpec.AUTH)) {
      throw new RpcException(
          RpcError.INVALID_PARAMS,
          "parameter \"auth\" is only for channel \"account\" (the other channels are public)");
    }
    if (context.webSocket() == null) {
      return handle(p);
    }
    if (market >= 0) {
      HistoryPaging.listedMarket(readModel, market);
    }
    if (channel == Channel.account) {
      return grants
          .authorize(p, account)
          .thenCompose(validUntil -> subscribe(context, channel, market, account, validUntil));
    }
    return subscribe(context, channel, market, account, 0);
  }

  /** Counts and sets up a subscription whose parameters (and grant) were checked. Any thread. */
  private CompletableFuture<JsonNode> subscribe(
      RpcContext context, Channel channel, int market, int account, long validUntil) {
    boolean needsMarket = channel == Channel.book || channel == Channel.trades;
    SubscriptionCount.acquire(context.webSocket(), maxPerConnection);
    CompletableFuture<Long> subscribed;
    try {
      subscribed =
          switch (channel) {
            case book -> feeds.book().subscribe(context.webSocket(), market);
            case trades -> feeds.book().subscribeTrades(context.webSocket(), market);
            case account ->
                feeds
                    .accounts()
                    .subscribeAccount(
                        context.webSocket(),
                        account,
                        validUntil,
                        grants.secondsLeft(validUntil),
                        () -> SubscriptionCount.release(context.webSocket()));
            case markets -> feeds.accounts().subscribeMarkets(context.webSocket(), market);
            case batches -> feeds.batches().subscribe(context.webSocket());
          };
    } catch (RuntimeException e) {
      SubscriptionCount.release(context.webSocket());
      throw e;
    }
    subscribed.whenComplete(
        (id, failure) -> {
          if (failure != null) {
            SubscriptionCount.release(context.webSocket());
          }
        });
    boolean book = needsMarket;
    return subscribed.thenApply(
        id -> {
          // the snapshot and deltas start once the result is queued on the connection
          context
              .afterResponse()
              .add(
                  () -> {
                    if (book) {
                      feeds.book().activate(id);
                    } else if (channel == Channel.batches) {
                      feeds.batches().subscriptions().activate(id);
                    } else {
                      feeds.accounts().subscriptions().activate(id);
                    }
                  });
          return Json.NODES.numberNode(id);
        });
  }

  /** The streams that can be subscribed. */
  enum Channel {
    /** Order book: snapshot, then deltas. */
    book,
    /** Trades: one notification per fill. */
    trades,
    /** An account: snapshot, then one update per command that touched it. */
    account,
    /** Oracle prices and funding ticks of one market or all. */
    markets,
    /** Every batch's status changes (a settling node). */
    batches
  }
}
