package io.zkperp.gateway;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

/**
 * Reassembles a fragmented WebSocket message (a text frame without FIN, then continuation frames)
 * into one frame of at most {@code maxBytes}, so a legal fragmented request is parsed whole. A
 * message above the limit, whatever its fragments, is closed with status 1009 (message too big).
 * HTTP messages pass through untouched. Event-loop thread of its connection.
 */
final class WebSocketMessageAggregator extends WebSocketFrameAggregator {
  private final int maxBytes;

  WebSocketMessageAggregator(int maxBytes) {
    super(maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, WebSocketFrame oversized) {
    ctx.writeAndFlush(
            new CloseWebSocketFrame(
                WebSocketCloseStatus.MESSAGE_TOO_BIG,
                "message larger than the limit of " + maxBytes + " bytes"))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
