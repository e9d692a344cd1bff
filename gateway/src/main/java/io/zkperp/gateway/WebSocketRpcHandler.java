package io.zkperp.gateway;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.zkperp.gateway.rpc.JsonRpcProcessor;
import io.zkperp.gateway.rpc.RpcContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC over WebSocket ({@code /ws}): each text frame is one request or batch, answered with one
 * text frame (notifications: none). Answers may come in any order (clients correlate by id). Binary
 * frames close the connection (1003); messages above the size limit are closed 1009 (Netty's
 * protocol handler for one frame, {@link WebSocketMessageAggregator} for fragments). A client that
 * does not read its answers (the channel's outbound buffer passes its high-water mark, {@code
 * writeBufferHighBytes}, 1 MiB by default) is disconnected: a close frame with status 1008 and the
 * reason "slow consumer" is queued and the connection is closed at most one second later; the
 * gateway never buffers without bound and never waits for a client. Runs on the connection's event
 * loop.
 */
final class WebSocketRpcHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketRpcHandler.class);

  private final JsonRpcProcessor processor;
  private boolean closing;

  WebSocketRpcHandler(JsonRpcProcessor processor) {
    this.processor = processor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (!(frame instanceof TextWebSocketFrame text)) {
      ctx.writeAndFlush(
              new CloseWebSocketFrame(
                  WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "send JSON-RPC as text frames"))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    byte[] body = ByteBufUtil.getBytes(text.content());
    RpcContext context =
        RpcContext.of(HttpRpcHandler.clientKey(ctx), ctx.channel(), ctx.executor());
    processor
        .process(body, context)
        .whenCompleteAsync(
            (bytes, failure) -> {
              if (failure != null) {
                LOG.error("internal error", failure);
                return;
              }
              if (closing || !ctx.channel().isActive()) {
                return;
              }
              if (bytes == null) { // notifications only: nothing to answer
                context.afterResponse().forEach(Runnable::run);
                return;
              }
              if (!ctx.channel().isWritable()) {
                slowConsumer(ctx);
                return;
              }
              ctx.writeAndFlush(new TextWebSocketFrame(new String(bytes, StandardCharsets.UTF_8)));
              context.afterResponse().forEach(Runnable::run);
            },
            ctx.executor());
  }

  /**
   * Disconnects a client that does not read: the close frame (1008, "slow consumer") is queued
   * behind what is already buffered, and the connection is closed after at most one second whether
   * or not the client read up to it.
   */
  private void slowConsumer(ChannelHandlerContext ctx) {
    if (closing) {
      return;
    }
    closing = true;
    LOG.info("disconnecting slow WebSocket consumer {}", ctx.channel().remoteAddress());
    ctx.writeAndFlush(
            new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, "slow consumer"))
        .addListener(ChannelFutureListener.CLOSE);
    ctx.executor().schedule(() -> ctx.close(), 1, TimeUnit.SECONDS);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("websocket error, closing", cause);
    ctx.close();
  }
}
