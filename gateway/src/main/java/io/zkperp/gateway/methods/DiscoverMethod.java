package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.ParamSpec;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcMethod;

/**
 * {@code rpc.discover}: the OpenRPC 1.2 document, generated once from {@link RpcMethod} (every
 * method except {@code rpc.discover} itself, which OpenRPC reserves). Netty thread.
 */
public final class DiscoverMethod extends FixedResultMethod {
  /** The method. */
  public DiscoverMethod() {
    super(RpcMethod.DISCOVER, document());
  }

  /**
   * Builds the document. Any thread.
   *
   * @return the OpenRPC document
   */
  public static ObjectNode document() {
    ObjectNode doc = Json.object();
    doc.put("openrpc", "1.2.6");
    doc.putObject("info")
        .put("title", "zkperp gateway")
        .put("version", "0.1.0")
        .put(
            "description",
            "JSON-RPC 2.0 over HTTP POST (/) and WebSocket (/ws). Integers are exact: JSON integers"
                + " or decimal strings. Connection-level errors come before any method runs, as"
                + " the body of an HTTP error: 413 REQUEST_TOO_LARGE (-32001), 408"
                + " REQUEST_TIMEOUT (-32009, the request did not arrive whole in time), 503"
                + " TOO_MANY_CONNECTIONS (-32010, in all or from one address); a WebSocket is"
                + " closed with 1009 (message too big), 1008 (slow consumer) or 1001 (idle"
                + " timeout).");
    ArrayNode methods = doc.putArray("methods");
    for (RpcMethod m : RpcMethod.values()) {
      if (m == RpcMethod.DISCOVER) {
        continue;
      }
      ObjectNode mo = methods.addObject();
      mo.put("name", m.wireName());
      mo.put("description", m.description());
      mo.put("paramStructure", "by-name");
      ArrayNode params = mo.putArray("params");
      for (ParamSpec s : m.params()) {
        ObjectNode po = params.addObject();
        po.put("name", s.name());
        po.put("required", s.required());
        po.put("description", s.description());
        schema(s, po.putObject("schema"));
      }
      ObjectNode result =
          mo.putObject("result").put("name", "result").put("description", m.result());
      ObjectNode schema = ResultSchemas.of(m);
      if (m == RpcMethod.SUBSCRIBE) {
        result
            .putObject("schema")
            .put("type", "integer")
            .put("minimum", 1)
            .put("description", "the subscription id");
        mo.putArray("x-notifications").add(batchesNotification());
      } else if (schema == null) {
        result.putObject("schema");
      } else {
        result.set("schema", schema);
      }
      ArrayNode errors = mo.putArray("errors");
      for (RpcError e : m.errors()) {
        errors.addObject().put("code", e.code()).put("message", e.title());
      }
    }
    return doc;
  }

  /**
   * The notification of channel {@code batches}: {@code perp_subscription} with a snapshot or one
   * batch's status change (an OpenRPC extension: OpenRPC 1.2 has no notifications).
   */
  private static ObjectNode batchesNotification() {
    ObjectNode n = Json.object();
    n.put("name", "perp_subscription");
    n.put("channel", "batches");
    n.put(
        "description",
        "A batch's status change (type update), or the snapshot of the newest batches (type"
            + " snapshot); sequence = previous + 1, a gap means resubscribe.");
    ObjectNode batch = Json.object();
    batch.put("type", "object");
    ObjectNode bp = batch.putObject("properties");
    bp.putObject("batch").put("type", "integer").put("minimum", 1);
    ArrayNode statuses = bp.putObject("status").put("type", "string").putArray("enum");
    for (String s : new String[] {"SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL", "FAILED"}) {
      statuses.add(s);
    }
    bp.putObject("firstJournalSeq").put("type", "integer");
    bp.putObject("lastJournalSeq").put("type", "integer");
    bp.putObject("transactions").put("type", "integer");
    bp.putObject("priorityOps").put("type", "integer");
    bp.putObject("l1TxHash")
        .put("type", "string")
        .put("pattern", "^0x[0-9a-f]{64}$")
        .put("description", "COMMITTED and FINAL only");
    bp.putObject("l1Block").put("type", "integer").put("description", "COMMITTED and FINAL only");
    bp.putObject("l1GasUsed")
        .put("type", "integer")
        .put("description", "gas the commit used, where this node committed it");
    ArrayNode br = batch.putArray("required");
    for (String r :
        new String[] {
          "batch", "status", "firstJournalSeq", "lastJournalSeq", "transactions", "priorityOps"
        }) {
      br.add(r);
    }
    ObjectNode params = n.putObject("params").put("type", "object");
    ObjectNode pp = params.putObject("properties");
    pp.putObject("subscription").put("type", "integer");
    pp.putObject("channel").put("const", "batches");
    pp.putObject("type").put("type", "string").putArray("enum").add("snapshot").add("update");
    pp.putObject("sequence").put("type", "integer").put("minimum", 0);
    pp.putObject("batches")
        .put("type", "array")
        .put("description", "type snapshot: the latest state of each batch")
        .set("items", batch.deepCopy());
    params.putArray("required").add("subscription").add("channel").add("type").add("sequence");
    // type update: one batch's new state, its fields inline
    for (var e : bp.properties()) {
      pp.set(e.getKey(), e.getValue().deepCopy());
    }
    return n;
  }

  /** A parameter's JSON schema: its type, enum values, and an object's members. */
  private static void schema(ParamSpec s, ObjectNode schema) {
    schema.put("type", s.type());
    if (!s.enumValues().isEmpty()) {
      ArrayNode e = schema.putArray("enum");
      s.enumValues().forEach(e::add);
    }
    if (!s.members().isEmpty()) {
      ObjectNode properties = schema.putObject("properties");
      ArrayNode required = schema.putArray("required");
      for (ParamSpec m : s.members()) {
        ObjectNode ms = properties.putObject(m.name());
        schema(m, ms);
        ms.put("description", m.description());
        if (m.required()) {
          required.add(m.name());
        }
      }
      schema.put("additionalProperties", false);
    }
  }
}
