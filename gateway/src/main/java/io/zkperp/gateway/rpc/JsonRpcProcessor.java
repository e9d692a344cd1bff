package io.zkperp.gateway.rpc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 over bytes: strict parsing (duplicate keys, trailing data, nesting deeper than 64,
 * numbers longer than 100 digits are parse errors), envelope validation, single and batch requests,
 * notifications (no {@code id}: executed, never answered), dispatch through the method table, and
 * error objects for everything that goes wrong — a request never escapes as an exception. {@link
 * #process} may be called from any number of threads at once (Netty event loops); handlers' futures
 * may complete on any thread.
 */
public final class JsonRpcProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(JsonRpcProcessor.class);

  /**
   * The request log: at DEBUG, one event per completed call with the key-value pairs {@code method,
   * id, client, account} (when the params name one), {@code outcome} ({@code ok} or the error name)
   * and {@code micros}. Off by default; an operator turns it on in the logback configuration, and
   * the JSON encoder then writes the pairs as fields.
   */
  public static final String REQUEST_LOG = "io.zkperp.gateway.requests";

  private static final Logger REQUESTS = LoggerFactory.getLogger(REQUEST_LOG);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> MEMBERS = Set.of("jsonrpc", "id", "method", "params");

  private final ObjectMapper mapper;
  private final Map<RpcMethod, RpcHandler> handlers = new EnumMap<>(RpcMethod.class);
  private final int maxBatch;
  private final MeterRegistry metrics;
  private final RateLimiter<String> clients;

  /**
   * A processor serving exactly the given handlers: every {@link RpcMethod} must have one.
   *
   * @param handlers one handler per method
   * @param maxBatch the most requests in one batch
   * @param metrics where to count requests (per method and outcome) and their latency
   * @param clients the per-client (IP) limit on calls, or null for none
   */
  public JsonRpcProcessor(
      List<RpcHandler> handlers, int maxBatch, MeterRegistry metrics, RateLimiter<String> clients) {
    for (RpcHandler h : handlers) {
      if (this.handlers.put(h.method(), h) != null) {
        throw new IllegalArgumentException("two handlers for " + h.method());
      }
    }
    for (RpcMethod m : RpcMethod.values()) {
      if (!this.handlers.containsKey(m)) {
        throw new IllegalArgumentException("no handler for " + m);
      }
    }
    this.maxBatch = maxBatch;
    this.metrics = metrics;
    this.clients = clients;
    this.mapper = strictMapper();
  }

  /**
   * The strict JSON mapper the gateway parses requests with. Thread-safe once built.
   *
   * @return a new mapper
   */
  public static ObjectMapper strictMapper() {
    JsonFactory factory =
        JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNumberLength(100)
                    .maxNameLength(1000)
                    .build())
            .build();
    return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Processes one HTTP body or WebSocket text frame.
   *
   * @param body the raw bytes
   * @param context where it came from (client IP for the rate limit, the WebSocket if any)
   * @return the response JSON, or null when nothing is to be sent (only notifications)
   */
  public CompletableFuture<byte[]> process(byte[] body, RpcContext context) {
    String client = context.client();
    if (clients != null && !clients.tryAcquire(client, 1)) {
      return CompletableFuture.completedFuture(bytes(rateLimited(client)));
    }
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JacksonException e) {
      return CompletableFuture.completedFuture(
          bytes(error(NullNode.instance, RpcError.PARSE_ERROR, parseMessage(e))));
    } catch (java.io.IOException e) {
      return CompletableFuture.completedFuture(
          bytes(error(NullNode.instance, RpcError.PARSE_ERROR, "unreadable body")));
    }
    if (root == null || root.isMissingNode()) {
      return CompletableFuture.completedFuture(
          bytes(error(NullNode.instance, RpcError.PARSE_ERROR, "empty body")));
    }
    if (root.isArray()) {
      if (root.isEmpty()) {
        return CompletableFuture.completedFuture(
            bytes(error(NullNode.instance, RpcError.INVALID_REQUEST, "empty batch")));
      }
      if (root.size() > maxBatch) {
        return CompletableFuture.completedFuture(
            bytes(
                error(
                    NullNode.instance,
                    RpcError.BATCH_TOO_LARGE,
                    "a batch may hold at most " + maxBatch + " requests, got " + root.size())));
      }
      if (clients != null && root.size() > 1 && !clients.tryAcquire(client, root.size() - 1)) {
        return CompletableFuture.completedFuture(bytes(rateLimited(client)));
      }
      List<CompletableFuture<ObjectNode>> calls = new ArrayList<>(root.size());
      for (JsonNode r : root) {
        calls.add(call(r, context));
      }
      return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
          .thenApply(
              v -> {
                ArrayNode out = NODES.arrayNode();
                for (CompletableFuture<ObjectNode> c : calls) {
                  ObjectNode response = c.join();
                  if (response != null) {
                    out.add(response);
                  }
                }
                return out.isEmpty() ? null : bytes(out);
              });
    }
    return call(root, context).thenApply(r -> r == null ? null : bytes(r));
  }

  private ObjectNode rateLimited(String client) {
    count("any", RpcError.RATE_LIMITED.name(), 0);
    return error(
        NullNode.instance,
        RpcError.RATE_LIMITED,
        "client " + client + " is over its limit of " + clients.describe() + " calls; retry later");
  }

  /** One request object: never completes exceptionally; null = notification, no response. */
  private CompletableFuture<ObjectNode> call(JsonNode request, RpcContext context) {
    if (!request.isObject()) {
      return done(
          error(NullNode.instance, RpcError.INVALID_REQUEST, "a request must be an object"));
    }
    JsonNode id = request.get("id");
    boolean notification = id == null;
    if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
      return done(
          error(
              NullNode.instance, RpcError.INVALID_REQUEST, "id must be a string, number or null"));
    }
    JsonNode replyId = id == null ? NullNode.instance : id;
    for (Map.Entry<String, JsonNode> member : request.properties()) {
      if (!MEMBERS.contains(member.getKey())) {
        return done(
            error(
                replyId,
                RpcError.INVALID_REQUEST,
                "unknown member \"" + cut(member.getKey()) + "\""));
      }
    }
    JsonNode version = request.get("jsonrpc");
    if (version == null || !version.isTextual() || !version.textValue().equals("2.0")) {
      return done(error(replyId, RpcError.INVALID_REQUEST, "jsonrpc must be \"2.0\""));
    }
    JsonNode methodNode = request.get("method");
    if (methodNode == null || !methodNode.isTextual()) {
      return done(error(replyId, RpcError.INVALID_REQUEST, "method must be a string"));
    }
    JsonNode params = request.get("params");
    if (params != null && !params.isObject() && !params.isArray()) {
      return done(error(replyId, RpcError.INVALID_REQUEST, "params must be an object or array"));
    }
    RpcMethod method = RpcMethod.byName(methodNode.textValue()).orElse(null);
    if (method == null) {
      count("unknown", RpcError.METHOD_NOT_FOUND.name(), 0);
      return notification
          ? done(null)
          : done(
              error(
                  replyId,
                  RpcError.METHOD_NOT_FOUND,
                  "method \"" + cut(methodNode.textValue()) + "\" does not exist"));
    }
    long start = System.nanoTime();
    CompletableFuture<JsonNode> result;
    try {
      result = handlers.get(method).handle(Params.of(params, method.params()), context);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.handle(
        (value, failure) -> {
          ObjectNode response;
          String outcome;
          if (failure == null) {
            response = NODES.objectNode();
            response.put("jsonrpc", "2.0");
            response.set("result", value == null ? NullNode.instance : value);
            response.set("id", replyId);
            outcome = "ok";
          } else {
            Throwable t = failure instanceof CompletionException c ? c.getCause() : failure;
            if (t instanceof RpcException r) {
              response = error(replyId, r.error(), r.getMessage());
              outcome = r.error().name();
            } else {
              LOG.atError()
                  .setCause(t)
                  .addKeyValue("method", method.wireName())
                  .addKeyValue("id", replyId.toString())
                  .addKeyValue("client", context.client())
                  .log("internal error in {}", method.wireName());
              response = error(replyId, RpcError.INTERNAL_ERROR, "internal error");
              outcome = RpcError.INTERNAL_ERROR.name();
            }
          }
          long nanos = System.nanoTime() - start;
          count(method.wireName(), outcome, nanos);
          if (REQUESTS.isDebugEnabled()) {
            logRequest(method, replyId, context, params, outcome, nanos);
          }
          return notification ? null : response;
        });
  }

  private static void logRequest(
      RpcMethod method,
      JsonNode id,
      RpcContext context,
      JsonNode params,
      String outcome,
      long nanos) {
    org.slf4j.spi.LoggingEventBuilder event =
        REQUESTS
            .atDebug()
            .addKeyValue("method", method.wireName())
            .addKeyValue("id", id.toString())
            .addKeyValue("client", context.client());
    JsonNode account = params == null ? null : params.get("account");
    if (account != null && account.canConvertToInt()) {
      event = event.addKeyValue("account", account.intValue());
    }
    event.addKeyValue("outcome", outcome).addKeyValue("micros", nanos / 1000).log("rpc call");
  }

  private void count(String method, String outcome, long nanos) {
    if (metrics != null) {
      Timer.builder("gateway.rpc.requests")
          .description("JSON-RPC calls by method and outcome (ok or the error name)")
          .tag("method", method)
          .tag("outcome", outcome)
          .register(metrics)
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private static CompletableFuture<ObjectNode> done(ObjectNode response) {
    return CompletableFuture.completedFuture(response);
  }

  /**
   * A JSON-RPC error response object.
   *
   * @param id the request id (JSON null when unknown)
   * @param error the typed error
   * @param message the precise message
   * @return the response object
   */
  public static ObjectNode error(JsonNode id, RpcError error, String message) {
    ObjectNode e = NODES.objectNode();
    e.put("code", error.code());
    e.put("message", message);
    e.putObject("data").put("error", error.name());
    ObjectNode response = NODES.objectNode();
    response.put("jsonrpc", "2.0");
    response.set("error", e);
    response.set("id", id);
    return response;
  }

  /**
   * The bytes of a JSON-RPC error response to a request whose id is unknown (a transport-level
   * refusal: body too large, too slow, too many connections). Any thread.
   *
   * @param error the typed error
   * @param message the precise message
   * @return the UTF-8 JSON text
   */
  public static byte[] errorBytes(RpcError error, String message) {
    return error(NODES.nullNode(), error, message)
        .toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private byte[] bytes(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  private static String parseMessage(JacksonException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      m = "invalid JSON";
    }
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    m = cut(m);
    if (e.getLocation() != null) {
      m +=
          " (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")";
    }
    return m;
  }

  private static String cut(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
