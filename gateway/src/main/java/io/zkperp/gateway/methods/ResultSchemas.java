package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.RpcMethod;

/**
 * The JSON schemas of method results in the OpenRPC document. A method listed here has a full
 * schema (types, required members, no others); the others have the empty schema and their result is
 * described in words ({@link RpcMethod#result()}). Stateless; any thread.
 */
public final class ResultSchemas {
  private static final String DECIMAL = "^(0|[1-9][0-9]*)$";

  private ResultSchemas() {}

  /**
   * The result schema of a method.
   *
   * @param m the method
   * @return a new schema object ({@code {}} when the method has none yet)
   */
  public static ObjectNode of(RpcMethod m) {
    return switch (m) {
      case GET_ESCAPE_PROOF -> escapeProof();
      default -> Json.object();
    };
  }

  /** {@code perp_getEscapeProof}: the contract's {@code EscapeProof} struct and where it holds. */
  private static ObjectNode escapeProof() {
    ObjectNode proof = Json.object();
    proof.put("type", "object");
    ObjectNode pp = proof.putObject("properties");
    pp.set("accountId", integer("the account id (the leaf's index)"));
    pp.set("publicKeyX", decimal("the account's EdDSA public key, x (field element)"));
    pp.set("publicKeyY", decimal("the account's EdDSA public key, y (field element)"));
    pp.set(
        "l1Owner",
        Json.object()
            .put("type", "string")
            .put("pattern", "^0x[0-9a-f]{40}$")
            .put("description", "the L1 address the escape pays"));
    pp.set("nonce", integer("the account's transaction nonce (uint64)"));
    pp.set(
        "collateral",
        Json.object()
            .put("type", "integer")
            .put(
                "description",
                "the account's collateral, quanta (int64; the contract refuses a negative one)"));
    pp.set("fillsRoot", decimal("root of the account's fills tree"));
    ObjectNode siblings = Json.object();
    siblings.put("type", "array").put("minItems", 24).put("maxItems", 24);
    siblings.set("items", decimal("a sibling hash"));
    siblings.put("description", "the leaf's 24 siblings in the accounts tree, leaf level first");
    pp.set("accountSiblings", siblings);
    pp.set("marketsRoot", decimal("root of the markets tree"));
    pp.set("globalLeaf", decimal("the global leaf"));
    required(
        proof,
        "accountId",
        "publicKeyX",
        "publicKeyY",
        "l1Owner",
        "nonce",
        "collateral",
        "fillsRoot",
        "accountSiblings",
        "marketsRoot",
        "globalLeaf");
    proof.put("additionalProperties", false);
    proof.put("description", "the argument of ZkPerpRollup.escape, field for field");

    ObjectNode s = Json.object();
    s.put("type", "object");
    ObjectNode p = s.putObject("properties");
    p.set("account", integer("the account id"));
    p.set("batch", integer("the last batch committed on L1 (0: genesis)"));
    p.set("stateRoot", decimal("that batch's state root, which the contract holds"));
    p.set("proof", proof);
    required(s, "account", "batch", "stateRoot", "proof");
    s.put("additionalProperties", false);
    return s;
  }

  private static ObjectNode integer(String description) {
    return Json.object().put("type", "integer").put("minimum", 0).put("description", description);
  }

  private static ObjectNode decimal(String description) {
    return Json.object()
        .put("type", "string")
        .put("pattern", DECIMAL)
        .put("description", description + ", decimal");
  }

  private static void required(ObjectNode schema, String... names) {
    ArrayNode r = schema.putArray("required");
    for (String n : names) {
      r.add(n);
    }
  }
}
