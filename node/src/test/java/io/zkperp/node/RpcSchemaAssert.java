package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.methods.DiscoverMethod;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a node's JSON-RPC results against the result schemas of the gateway's OpenRPC document
 * (the subset the document uses: objects with required members and no others, arrays with item
 * counts, integers, strings with a pattern or an enum, {@code oneOf}). Stateless; any thread.
 */
public final class RpcSchemaAssert {
  private RpcSchemaAssert() {}

  /** The result schema of a method in the gateway's OpenRPC document. */
  public static JsonNode resultSchema(String method) {
    for (JsonNode m : DiscoverMethod.document().path("methods")) {
      if (m.path("name").asText().equals(method)) {
        return m.path("result").path("schema");
      }
    }
    throw new AssertionError(method + " is not in the OpenRPC document");
  }

  /**
   * Checks a result against the OpenRPC schema: types, required members, no others; of a {@code
   * oneOf}, exactly one.
   */
  public static void assertMatches(JsonNode value, JsonNode schema) {
    if (schema.has("oneOf")) {
      int matched = 0;
      for (JsonNode one : schema.path("oneOf")) {
        try {
          assertMatches(value, one);
          matched++;
        } catch (AssertionError e) {
          // not this one
        }
      }
      assertThat(matched).as("schemas of oneOf matched by " + value).isEqualTo(1);
      return;
    }
    if (schema.path("type").isArray()) { // e.g. ["string", "null"]: the value's own type
      String own = value.isNull() ? "null" : value.isTextual() ? "string" : "other";
      List<String> allowed = new java.util.ArrayList<>();
      schema.path("type").forEach(t -> allowed.add(t.asText()));
      assertThat(allowed).as("type of " + value).contains(own);
      return;
    }
    String type = schema.path("type").asText();
    switch (type) {
      case "object" -> {
        assertThat(value.isObject()).as("object: " + value).isTrue();
        for (JsonNode r : schema.path("required")) {
          assertThat(value.has(r.asText())).as("required " + r.asText()).isTrue();
        }
        Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> m = it.next();
          JsonNode sub = schema.path("properties").path(m.getKey());
          assertThat(sub.isMissingNode()).as("unexpected member " + m.getKey()).isFalse();
          assertMatches(m.getValue(), sub);
        }
      }
      case "array" -> {
        assertThat(value.isArray()).isTrue();
        assertThat(value.size())
            .isBetween(
                schema.path("minItems").asInt(0), schema.path("maxItems").asInt(Integer.MAX_VALUE));
        value.forEach(v -> assertMatches(v, schema.path("items")));
      }
      case "integer" -> assertThat(value.isIntegralNumber()).as("integer: " + value).isTrue();
      case "string" -> {
        assertThat(value.isTextual()).as("string: " + value).isTrue();
        if (schema.has("pattern")) {
          assertThat(value.asText()).matches(schema.path("pattern").asText());
        }
        if (schema.has("enum")) {
          List<String> allowed = new java.util.ArrayList<>();
          schema.path("enum").forEach(e -> allowed.add(e.asText()));
          assertThat(allowed).contains(value.asText());
        }
      }
      default -> throw new AssertionError("schema type " + type);
    }
  }
}
