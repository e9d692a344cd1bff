package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcContext;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.BookFeed;
import java.util.concurrent.CompletableFuture;

/** {@code perp_subscribe}: a book or trade stream on this WebSocket connection. Netty thread. */
public final class SubscribeMethod implements RpcHandler {
  private final BookFeed feed;
  private final ReadModel readModel;

  /**
   * The method.
   *
   * @param feed the book feed
   * @param readModel to check the market is listed
   */
  public SubscribeMethod(BookFeed feed, ReadModel readModel) {
    this.feed = feed;
    this.readModel = readModel;
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
    int market = (int) p.longValue("market", 0, 65_535);
    if (context.webSocket() == null) {
      return handle(p);
    }
    if (!readModel.hasMarket(market)) {
      throw new RpcException(RpcError.UNKNOWN_MARKET, "market " + market + " is not listed");
    }
    CompletableFuture<Long> subscribed =
        channel == Channel.book
            ? feed.subscribe(context.webSocket(), market)
            : feed.subscribeTrades(context.webSocket(), market);
    return subscribed.thenApply(
        id -> {
          // the snapshot and deltas start once the result is queued on the connection
          context.afterResponse().add(() -> feed.activate(id));
          return Json.NODES.numberNode(id);
        });
  }

  /** The streams that can be subscribed. */
  enum Channel {
    /** Order book: snapshot, then deltas. */
    book,
    /** Trades: one notification per fill. */
    trades
  }
}
