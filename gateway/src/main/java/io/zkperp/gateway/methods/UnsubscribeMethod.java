package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcContext;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.StreamFeeds;
import io.zkperp.gateway.stream.SubscriptionControl;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code perp_unsubscribe}: ends a subscription of this connection. Netty thread. */
public final class UnsubscribeMethod implements RpcHandler {
  private final List<SubscriptionControl> feeds;

  /**
   * The method.
   *
   * @param feeds the feeds whose subscriptions it ends
   */
  public UnsubscribeMethod(StreamFeeds feeds) {
    this.feeds = feeds.controls();
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.UNSUBSCRIBE;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    throw new RpcException(RpcError.WEBSOCKET_REQUIRED, "subscriptions need a WebSocket (/ws)");
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p, RpcContext context) {
    long id = p.longValue("subscription", 1, Long.MAX_VALUE);
    if (context.webSocket() == null) {
      return handle(p);
    }
    // each feed in turn until one held the subscription
    CompletableFuture<Boolean> found = CompletableFuture.completedFuture(false);
    for (SubscriptionControl f : feeds) {
      found =
          found.thenCompose(
              ok ->
                  ok
                      ? CompletableFuture.completedFuture(true)
                      : f.unsubscribe(context.webSocket(), id));
    }
    return found.thenApply(
        ok -> {
          if (!ok) {
            throw new RpcException(
                RpcError.UNKNOWN_SUBSCRIPTION,
                "subscription " + id + " is not a live subscription of this connection");
          }
          SubscriptionCount.release(context.webSocket());
          return Json.NODES.booleanNode(true);
        });
  }
}
