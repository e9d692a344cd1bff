package io.zkperp.gateway.rpc;

import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Where a call came from, and what to do once its response is written. Any thread.
 *
 * @param client the client's rate-limit key (its IP address)
 * @param webSocket the WebSocket connection the call came on, or null for HTTP
 * @param afterResponse actions the WebSocket handler runs (on the connection's event loop) right
 *     after it queued the response of this message, e.g. starting a subscription's stream so that
 *     the stream follows the subscribe result
 * @param eventLoop the connection's event loop: commands' answers are completed there, so the
 *     response is built and written without a hand-off through another thread
 */
public record RpcContext(
    String client, Channel webSocket, List<Runnable> afterResponse, Executor eventLoop) {
  /**
   * A context with an empty action list.
   *
   * @param client the client's key
   * @param webSocket the WebSocket, or null
   * @param eventLoop the connection's event loop
   * @return the context
   */
  public static RpcContext of(String client, Channel webSocket, Executor eventLoop) {
    return new RpcContext(client, webSocket, new CopyOnWriteArrayList<>(), eventLoop);
  }
}
