package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.Map;

/**
 * JSON schemas of method results for the OpenRPC document ({@link DiscoverMethod}): the history
 * listings' pages, field by field (integers are JSON integers; {@code nextCursor} a string or
 * null). Methods without one here have an empty schema and only the informal {@link
 * RpcMethod#result}. Stateless; any thread.
 */
final class ResultSchemas {
  private ResultSchemas() {}

  /**
   * The result schema of a method.
   *
   * @param m the method
   * @return a fresh schema, or null if the document gives none
   */
  static ObjectNode of(RpcMethod m) {
    return switch (m) {
      case GET_ORDER_HISTORY ->
          page(
              "orders",
              object(
                  Map.ofEntries(
                      Map.entry("orderId", integer()),
                      Map.entry("market", integer()),
                      Map.entry("clientOrderId", integer()),
                      Map.entry("side", enumeration("BUY", "SELL")),
                      Map.entry("price", integer()),
                      Map.entry("size", integer()),
                      Map.entry("remaining", integer()),
                      Map.entry("nonce", integer()),
                      Map.entry("conditional", type("boolean")),
                      Map.entry("filled", integer()),
                      Map.entry("status", type("string")),
                      Map.entry("lastJournalSeq", integer()))));
      case GET_TRADES ->
          page(
              "trades",
              object(
                  Map.of(
                      "journalSeq", integer(),
                      "index", integer(),
                      "market", integer(),
                      "time", integer(),
                      "price", integer(),
                      "size", integer(),
                      "takerSide", enumeration("BUY", "SELL"))));
      case GET_CANDLES ->
          page(
              "candles",
              object(
                  Map.of(
                      "market", integer(),
                      "interval", enumeration("1m", "5m", "1h"),
                      "start", integer(),
                      "open", integer(),
                      "high", integer(),
                      "low", integer(),
                      "close", integer(),
                      "volume", integer(),
                      "trades", integer())));
      default -> null;
    };
  }

  /** {@code {<items>: [item], nextCursor: string | null}}. */
  private static ObjectNode page(String items, ObjectNode item) {
    ObjectNode array = type("array");
    array.set("items", item);
    ObjectNode cursor = Json.object();
    cursor.putArray("type").add("string").add("null");
    return object(Map.of(items, array, "nextCursor", cursor));
  }

  /** An object with exactly these members, all required, in name order. */
  private static ObjectNode object(Map<String, ObjectNode> members) {
    ObjectNode o = type("object");
    ObjectNode properties = o.putObject("properties");
    ArrayNode required = o.putArray("required");
    members.keySet().stream()
        .sorted()
        .forEach(
            name -> {
              properties.set(name, members.get(name));
              required.add(name);
            });
    o.put("additionalProperties", false);
    return o;
  }

  private static ObjectNode integer() {
    return type("integer");
  }

  private static ObjectNode enumeration(String... values) {
    ObjectNode o = type("string");
    ArrayNode e = o.putArray("enum");
    for (String v : values) {
      e.add(v);
    }
    return o;
  }

  private static ObjectNode type(String type) {
    return Json.object().put("type", type);
  }
}
