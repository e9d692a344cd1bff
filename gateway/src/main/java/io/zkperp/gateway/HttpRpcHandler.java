package io.zkperp.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.zkperp.gateway.rpc.JsonRpcProcessor;
import io.zkperp.gateway.rpc.RpcContext;
import io.zkperp.gateway.rpc.RpcError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's HTTP handler: {@code POST /} is JSON-RPC, {@code GET /health} and {@code GET
 * /metrics} are plain HTTP, {@code GET /dashboard/…} serves the dashboard's bundled files ({@link
 * DashboardAssets}; {@code /dashboard} redirects there), anything else is 404 or 405. Responses on
 * a keep-alive connection are written in request order (pipelined requests are chained).
 *
 * <p>Backpressure: at most {@code maxPipelined} requests of the connection are processed at once,
 * and the next waiting one starts only while the connection is writable (its unsent replies are
 * below the high-water mark). While requests wait or the connection is not writable, the connection
 * is not read ({@code autoRead} off), so a client that pipelines requests and never reads the
 * answers holds at most the high-water mark of replies plus {@code maxPipelined} answers, and the
 * requests of one read. Runs on the connection's Netty event loop; responses are written there too.
 */
final class HttpRpcHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpRpcHandler.class);
  private static final byte[] INTERNAL =
      JsonRpcProcessor.errorBytes(RpcError.INTERNAL_ERROR, "internal error");

  private final JsonRpcProcessor processor;
  private final PrometheusMeterRegistry metrics;
  private final HealthCheck health;
  private final int maxPipelined;
  private final Runnable onPause;
  // event-loop thread only:
  private final ArrayDeque<Request> waiting = new ArrayDeque<>();
  private int processing;
  private boolean closed;
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

  /** A request read and not yet started: what routing needs, the body copied out of Netty's. */
  private record Request(
      HttpMethod method,
      String path,
      byte[] body,
      boolean keepAlive,
      boolean bad,
      String ifNoneMatch) {
    static Request of(FullHttpRequest r) {
      String path = r.uri();
      int q = path.indexOf('?');
      if (q >= 0) {
        path = path.substring(0, q);
      }
      return new Request(
          r.method(),
          path,
          ByteBufUtil.getBytes(r.content()),
          HttpUtil.isKeepAlive(r),
          r.decoderResult().isFailure(),
          r.headers().get(HttpHeaderNames.IF_NONE_MATCH));
    }
  }

  HttpRpcHandler(
      JsonRpcProcessor processor,
      PrometheusMeterRegistry metrics,
      HealthCheck health,
      int maxPipelined,
      Runnable onPause) {
    this.processor = processor;
    this.metrics = metrics;
    this.health = health;
    this.maxPipelined = maxPipelined;
    this.onPause = onPause;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    waiting.add(Request.of(request));
    pump(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    pump(ctx);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    waiting.clear();
    ctx.fireChannelInactive();
  }

  /**
   * Starts waiting requests while allowed, then reads on only if nothing waits and it can write.
   */
  private void pump(ChannelHandlerContext ctx) {
    while (!closed
        && !waiting.isEmpty()
        && processing < maxPipelined
        && ctx.channel().isWritable()) {
      start(ctx, waiting.poll());
    }
    boolean read = waiting.isEmpty() && ctx.channel().isWritable();
    if (ctx.channel().config().isAutoRead() != read) {
      if (!read) {
        onPause.run();
      }
      ctx.channel().config().setAutoRead(read);
    }
  }

  private void start(ChannelHandlerContext ctx, Request request) {
    processing++;
    CompletableFuture<FullHttpResponse> response =
        request.bad()
            ? done(text(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request\n"))
            : route(ctx, request.method(), request.path(), request.body(), request.ifNoneMatch());
    boolean close = !request.keepAlive() || request.bad();
    tail =
        tail.thenCompose(v -> response)
            .thenAcceptAsync(
                r -> {
                  send(ctx, r, close);
                  processing--;
                  pump(ctx);
                },
                ctx.executor())
            .exceptionally(
                t -> {
                  LOG.error("failed to answer a request", t);
                  ctx.close();
                  return null;
                });
  }

  private CompletableFuture<FullHttpResponse> route(
      ChannelHandlerContext ctx, HttpMethod method, String path, byte[] body, String ifNoneMatch) {
    switch (path) {
      case "/", "/rpc" -> {
        if (!method.equals(HttpMethod.POST)) {
          return done(text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST for JSON-RPC\n"));
        }
        return processor
            .process(body, RpcContext.of(clientKey(ctx), null, ctx.executor()))
            .exceptionally(
                t -> {
                  LOG.error("internal error", t);
                  return INTERNAL;
                })
            .thenApply(
                bytes ->
                    bytes == null
                        ? new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT)
                        : json(HttpResponseStatus.OK, bytes));
      }
      case "/health" -> {
        if (!method.equals(HttpMethod.GET)) {
          return done(text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n"));
        }
        java.util.List<HealthCheck.Problem> problems = health.problems();
        return done(
            json(
                problems.isEmpty() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                healthBody(problems)));
      }
      case "/metrics" -> {
        if (!method.equals(HttpMethod.GET)) {
          return done(text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n"));
        }
        FullHttpResponse r = text(HttpResponseStatus.OK, metrics.scrape());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        return done(r);
      }
      case "/dashboard" -> {
        FullHttpResponse r =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
        r.headers().set(HttpHeaderNames.LOCATION, "/dashboard/");
        return done(r);
      }
      default -> {
        if (path.startsWith("/dashboard/")) {
          return done(dashboard(method, path, ifNoneMatch));
        }
        return done(text(HttpResponseStatus.NOT_FOUND, "not found\n"));
      }
    }
  }

  /** A dashboard file: GET, 304 when the client's entity tag matches, else 404 / 405. */
  private static FullHttpResponse dashboard(HttpMethod method, String path, String ifNoneMatch) {
    DashboardAssets.Asset a = DashboardAssets.shared().find(path);
    if (a == null) {
      return text(HttpResponseStatus.NOT_FOUND, "not found\n");
    }
    if (!method.equals(HttpMethod.GET)) {
      return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
    }
    FullHttpResponse r;
    if (a.etag().equals(ifNoneMatch)) {
      r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
    } else {
      r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(a.body()));
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
    }
    r.headers()
        .set(HttpHeaderNames.CACHE_CONTROL, a.cacheControl())
        .set(HttpHeaderNames.ETAG, a.etag())
        .set("X-Content-Type-Options", "nosniff");
    if (path.endsWith(".html") || path.equals("/dashboard/")) {
      // the page talks only to this node: its own scripts and JSON-RPC / WebSocket; inline
      // styles are allowed because the chart library sets some (no inline script, no eval)
      r.headers()
          .set(
              "Content-Security-Policy",
              "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:;"
                  + " style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors"
                  + " 'none'");
    }
    return r;
  }

  /**
   * {@code {"status":"UP"}}, or {@code {"status":"DOWN","problems":[{"stage", "stalledSeconds",
   * "reason"}, …]}}.
   */
  static byte[] healthBody(java.util.List<HealthCheck.Problem> problems) {
    if (problems.isEmpty()) {
      return "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    }
    com.fasterxml.jackson.databind.node.ObjectNode body =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    body.put("status", "DOWN");
    com.fasterxml.jackson.databind.node.ArrayNode list = body.putArray("problems");
    for (HealthCheck.Problem p : problems) {
      list.addObject()
          .put("stage", p.stage())
          .put("stalledSeconds", p.stalledMillis() / 1000.0)
          .put("reason", p.reason());
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static CompletableFuture<FullHttpResponse> done(FullHttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  /**
   * A transport-level refusal: the HTTP status, a JSON-RPC error body (id null), {@code Connection:
   * close}. Any thread.
   */
  static FullHttpResponse refusal(HttpResponseStatus status, RpcError error, String message) {
    byte[] body = JsonRpcProcessor.errorBytes(error, message);
    FullHttpResponse r = json(status, body);
    HttpUtil.setContentLength(r, body.length);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return r;
  }

  static FullHttpResponse json(HttpResponseStatus status, byte[] body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    return r;
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return r;
  }

  private static void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean close) {
    HttpUtil.setContentLength(r, r.content().readableBytes());
    if (close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(r);
    }
  }

  /** The rate-limit key of a connection: its remote IP address. */
  static String clientKey(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a
        ? a.getAddress().getHostAddress()
        : String.valueOf(ctx.channel().remoteAddress());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection error, closing", cause);
    ctx.close();
  }
}
