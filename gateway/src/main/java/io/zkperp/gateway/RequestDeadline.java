package io.zkperp.gateway;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.zkperp.gateway.rpc.RpcError;
import java.util.concurrent.TimeUnit;

/**
 * One connection's time limits. <b>Request deadline:</b> every HTTP request must arrive whole
 * (headers and body) within {@code requestTimeoutMillis} of its first byte, and the first request
 * within that time of the connection's start; otherwise the connection is answered HTTP 408 with
 * the JSON-RPC error {@link RpcError#REQUEST_TIMEOUT} (closed silently if it sent nothing) and
 * closed, so slow senders cannot hold connections. <b>Idle timeout:</b> on the {@link
 * IdleStateEvent} of Netty's idle handler (no read and no write for {@code idleTimeoutMillis}) an
 * HTTP connection is closed. A WebSocket is sent a ping first; a live client answers it (a pong is
 * a read), so a quiet stream stays open, and one that is still silent one idle period later is
 * closed with a close frame 1001 "idle timeout". After a WebSocket upgrade only the idle timeout
 * applies. {@link #head()} goes before the HTTP codec (it sees the first bytes), {@link #tail()}
 * after the WebSocket protocol handler (it sees whole requests and the upgrade); event-loop thread
 * only.
 */
final class RequestDeadline {
  private final long timeoutMillis;
  private ScheduledFuture<?> timer;
  private boolean bytesSeen;
  private boolean webSocket;
  private boolean answered;
  private boolean pinged;

  RequestDeadline(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /** The handler before the HTTP codec. */
  ChannelInboundHandlerAdapter head() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        bytesSeen = true;
        pinged = false;
        arm(ctx);
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
      }

      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
          if (webSocket && !pinged) {
            // a live client answers with a pong (a read), which keeps a quiet stream open
            pinged = true;
            ctx.channel().writeAndFlush(new PingWebSocketFrame());
          } else if (webSocket) {
            ctx.channel()
                .writeAndFlush(
                    new CloseWebSocketFrame(
                        WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "idle timeout"))
                .addListener(ChannelFutureListener.CLOSE);
          } else {
            ctx.close();
          }
          return;
        }
        ctx.fireUserEventTriggered(evt);
      }
    };
  }

  /** The handler after the WebSocket protocol handler (it sees whole requests and the upgrade). */
  ChannelDuplexHandler tail() {
    return new ChannelDuplexHandler() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame) {
          webSocket = true;
        }
        if (msg instanceof FullHttpRequest || msg instanceof WebSocketFrame) {
          disarm();
          bytesSeen = false;
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
          upgraded();
        }
        ctx.fireUserEventTriggered(evt);
      }
    };
  }

  /**
   * The request in progress was answered early (HTTP 413) and the connection closes once its body
   * has arrived: the deadline then only closes it.
   */
  void answered() {
    answered = true;
  }

  /** Marks the connection as a WebSocket: from now on only the idle timeout applies. */
  private void upgraded() {
    webSocket = true;
    disarm();
  }

  private void arm(ChannelHandlerContext ctx) {
    if (timer == null && !webSocket) {
      timer = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (webSocket || !ctx.channel().isActive()) {
      return;
    }
    if (!bytesSeen || answered) {
      ctx.close();
      return;
    }
    ctx.channel()
        .writeAndFlush(
            HttpRpcHandler.refusal(
                HttpResponseStatus.REQUEST_TIMEOUT,
                RpcError.REQUEST_TIMEOUT,
                "the request did not arrive whole within " + timeoutMillis + " ms"))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
