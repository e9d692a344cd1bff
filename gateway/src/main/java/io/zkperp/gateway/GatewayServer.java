package io.zkperp.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zkperp.gateway.rpc.JsonRpcProcessor;
import io.zkperp.gateway.rpc.RpcError;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server: binds, serves HTTP ({@link HttpRpcHandler}) and, after an upgrade on {@code
 * /ws}, WebSocket ({@link WebSocketRpcHandler}) on the same port, and stops. Threads: one boss
 * (accept) thread and {@code ioThreads} event-loop threads, on Linux's native epoll transport where
 * it loads (fewer system calls and less garbage per request), else on NIO. {@link #start} and
 * {@link #close} from one controlling thread.
 */
public final class GatewayServer implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;

  private GatewayServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
    this.boss = boss;
    this.workers = workers;
    this.channel = channel;
  }

  /**
   * The transport the server runs on: "epoll" where Netty's native epoll library loads, else "nio".
   * Any thread.
   *
   * @return the transport's name
   */
  public static String transport() {
    return Epoll.isAvailable() ? "epoll" : "nio";
  }

  private static EventLoopGroup group(int threads, String name) {
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    return Epoll.isAvailable()
        ? new EpollEventLoopGroup(threads, factory)
        : new NioEventLoopGroup(threads, factory);
  }

  /**
   * Binds and starts serving.
   *
   * @param config the settings (host, port, body limit, threads)
   * @param processor the JSON-RPC processor
   * @param metrics the registry scraped by {@code GET /metrics}
   * @param health what {@code GET /health} reports
   * @return the running server
   * @throws InterruptedException if interrupted while binding
   */
  public static GatewayServer start(
      GatewayConfig config,
      JsonRpcProcessor processor,
      PrometheusMeterRegistry metrics,
      HealthCheck health)
      throws InterruptedException {
    EventLoopGroup boss = group(1, "gateway-accept");
    EventLoopGroup workers = group(config.ioThreads(), "gateway-io");
    ConnectionLimiter limiter =
        new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp());
    Counter paused =
        Counter.builder("gateway.connections.read.paused")
            .description(
                "times a connection was not read because its replies were not being read"
                    + " (backpressure) or its pipelined requests were waiting")
            .register(metrics);
    Gauge.builder("gateway.connections.open", limiter, ConnectionLimiter::open)
        .description("open connections (counted against maxConnections)")
        .register(metrics);
    Gauge.builder("gateway.connections.unsent.bytes", limiter, ConnectionLimiter::unsentBytes)
        .description("reply bytes queued on open connections and not yet taken by the OS")
        .register(metrics);
    FunctionCounter.builder("gateway.connections.refused", limiter, ConnectionLimiter::refused)
        .description("connections refused with 503 TOO_MANY_CONNECTIONS")
        .register(metrics);
    try {
      Channel ch =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(
                  Epoll.isAvailable()
                      ? EpollServerSocketChannel.class
                      : NioServerSocketChannel.class)
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(
                      config.writeBufferLowBytes(), config.writeBufferHighBytes()))
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                      RequestDeadline deadline = new RequestDeadline(config.requestTimeoutMillis());
                      c.pipeline()
                          .addLast(limiter)
                          .addLast(
                              new IdleStateHandler(
                                  0, 0, config.idleTimeoutMillis(), TimeUnit.MILLISECONDS))
                          .addLast(deadline.head())
                          .addLast(new HttpServerCodec(4096, 8192, 8192))
                          .addLast(new LimitedAggregator(config.maxRequestBytes(), deadline))
                          .addLast(
                              new WebSocketServerProtocolHandler(
                                  WebSocketServerProtocolConfig.newBuilder()
                                      .websocketPath("/ws")
                                      .maxFramePayloadLength(config.maxRequestBytes())
                                      .checkStartsWith(false)
                                      .build()))
                          .addLast(new WebSocketMessageAggregator(config.maxRequestBytes()))
                          .addLast(deadline.tail())
                          .addLast(
                              new HttpRpcHandler(
                                  processor,
                                  metrics,
                                  health,
                                  config.maxPipelinedRequests(),
                                  paused::increment))
                          .addLast(new WebSocketRpcHandler(processor));
                    }
                  })
              .bind(new InetSocketAddress(config.host(), config.port()))
              .sync()
              .channel();
      return new GatewayServer(boss, workers, ch);
    } catch (InterruptedException | RuntimeException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    } catch (Exception e) { // bind's checked failures arrive undeclared through sync()
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      if (addressInUse(e)) {
        throw new PortInUseException(config.host(), config.port(), e);
      }
      throw new IllegalStateException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether a bind failed because the address is taken (NIO's BindException, epoll's EADDRINUSE).
   */
  private static boolean addressInUse(Exception e) {
    return e instanceof java.net.BindException
        || (e instanceof java.io.IOException
            && e.getMessage() != null
            && e.getMessage().contains("Address already in use"));
  }

  /**
   * The bound port.
   *
   * @return the port
   */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /**
   * Stops accepting connections, then stops the event loops (a quiet period of 100 ms lets
   * responses being written finish; at most 5 s). Call from the controlling thread.
   */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }

  /** An aggregator that answers an oversized body with a JSON-RPC error instead of a bare 413. */
  private static final class LimitedAggregator extends HttpObjectAggregator {
    private final int limit;
    private final RequestDeadline deadline;
    private ChannelFuture answer; // the 413 written; close after the body. Event-loop thread only

    LimitedAggregator(int limit, RequestDeadline deadline) {
      super(limit);
      this.limit = limit;
      this.deadline = deadline;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      // Always "Connection: close": a client that is still sending the body when the answer
      // arrives cannot safely reuse the connection (the JDK client, for one, may write its next
      // request behind the unsent rest of the body).
      ChannelFuture written =
          ctx.writeAndFlush(
              HttpRpcHandler.refusal(
                  HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                  RpcError.REQUEST_TOO_LARGE,
                  "the request body is larger than the limit of " + limit + " bytes"));
      deadline.answered();
      if (HttpUtil.is100ContinueExpected(oversized)) {
        // the client waits for "100 Continue" before it sends the body: nothing more is coming
        written.addListener(ChannelFutureListener.CLOSE);
      } else {
        // Whatever the Connection header says, keep reading and discarding the body and close
        // once its last part has arrived and the answer is written (see channelRead): closing
        // with unread bytes would reset the connection before the client reads the answer. A
        // client that never finishes the body is closed by the request timeout.
        answer = written;
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      boolean last = msg instanceof LastHttpContent;
      super.channelRead(ctx, msg);
      if (last && answer != null) {
        answer.addListener(ChannelFutureListener.CLOSE);
        answer = null;
      }
    }
  }
}
