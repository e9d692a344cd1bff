package io.zkperp.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.zkperp.gateway.rpc.JsonRpcProcessor;
import io.zkperp.gateway.rpc.RpcError;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps open connections, in all and per client IP address. A connection over a cap is answered HTTP
 * 503 with the JSON-RPC error {@link RpcError#TOO_MANY_CONNECTIONS} and closed: its output is shut
 * down after the answer, what it sends is discarded, and it is closed when the client closes or
 * after one second; it never reaches the HTTP codec and holds no slot. The first handler of every
 * connection, shared by all; any event-loop thread.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<Boolean> COUNTED =
      AttributeKey.valueOf(ConnectionLimiter.class, "counted");

  private final int maxTotal;
  private final int maxPerIp;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> byIp = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

  ConnectionLimiter(int maxTotal, int maxPerIp) {
    this.maxTotal = maxTotal;
    this.maxPerIp = maxPerIp;
  }

  /** Connections open and counted now. Any thread. */
  int open() {
    return open.get();
  }

  /**
   * Bytes of replies queued on the open connections and not yet taken by the OS (what unread
   * replies cost the node's memory). Any thread.
   */
  long unsentBytes() {
    long sum = 0;
    for (Channel c : channels) {
      ChannelOutboundBuffer b = c.unsafe().outboundBuffer();
      sum += b == null ? 0 : b.totalPendingWriteBytes();
    }
    return sum;
  }

  /** Connections refused since the start. Any thread. */
  long refused() {
    return refused.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress ip = ip(ctx);
    String refusal = admit(ip);
    if (refusal == null) {
      ctx.channel().attr(COUNTED).set(Boolean.TRUE);
      channels.add(ctx.channel());
      ctx.fireChannelActive();
      return;
    }
    refused.incrementAndGet();
    // written as bytes: the connection never reaches the HTTP codec
    byte[] body = JsonRpcProcessor.errorBytes(RpcError.TOO_MANY_CONNECTIONS, refusal);
    byte[] head =
        ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(head, body))
        .addListener(
            f -> {
              if (ctx.channel() instanceof DuplexChannel d) {
                d.shutdownOutput(); // the client reads the answer, then the end
              } else {
                ctx.close();
              }
            });
    ctx.executor().schedule(() -> ctx.close(), 1, TimeUnit.SECONDS);
  }

  /** Counts the connection in, or says which cap it is over. */
  private String admit(InetAddress ip) {
    if (open.incrementAndGet() > maxTotal) {
      open.decrementAndGet();
      return "the node has " + maxTotal + " open connections, its limit; retry later";
    }
    // counted inside the map's atomic update: a concurrent release cannot drop the entry between
    // the look-up and the increment
    int[] count = {0};
    byIp.compute(
        ip,
        (k, n) -> {
          AtomicInteger c = n == null ? new AtomicInteger() : n;
          count[0] = c.incrementAndGet();
          return c;
        });
    if (count[0] > maxPerIp) {
      release(ip);
      open.decrementAndGet();
      return "your address has "
          + maxPerIp
          + " open connections, the limit per address; close idle ones or reuse them";
    }
    return null;
  }

  private void release(InetAddress ip) {
    byIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() == 0 ? null : n);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (counted(ctx)) {
      ctx.fireChannelRead(msg);
    } else {
      ReferenceCountUtil.release(msg); // a refused connection: discard what it sends
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
      channels.remove(ctx.channel());
      release(ip(ctx));
      open.decrementAndGet();
      ctx.fireChannelInactive();
    }
  }

  private static boolean counted(ChannelHandlerContext ctx) {
    return Boolean.TRUE.equals(ctx.channel().attr(COUNTED).get());
  }

  private static InetAddress ip(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a
        ? a.getAddress()
        : InetAddress.getLoopbackAddress();
  }
}
