package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.Map;

/**
 * JSON schemas of method results for the OpenRPC document ({@link DiscoverMethod}): the history
 * listings' pages and the escape proof, field by field (integers are JSON integers; {@code
 * nextCursor} a string or null). Methods without one here have an empty schema and only the
 * informal {@link RpcMethod#result}. Stateless; any thread.
 */
final class ResultSchemas {
  private static final String DECIMAL = "^(0|[1-9][0-9]*)$";

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
      case GET_FUNDING_PAYMENTS ->
          page(
              "payments",
              object(
                  Map.of(
                      "journalSeq", integer(),
                      "index", integer(),
                      "market", integer(),
                      "size", integer(),
                      "amount", integer(),
                      "indexBefore", integer(),
                      "indexAfter", integer(),
                      "time", integer())));
      case GET_COLLATERAL_HISTORY ->
          page(
              "changes",
              object(
                  Map.of(
                      "journalSeq", integer(),
                      "index", integer(),
                      "kind",
                          enumeration(
                              java.util.Arrays.stream(
                                      io.zkperp.gateway.bridge.history.CollateralKind.values())
                                  .map(Enum::name)
                                  .toArray(String[]::new)),
                      "market", integerOrNull(),
                      "counterparty", integerOrNull(),
                      "amount", integer(),
                      "balanceAfter", integer(),
                      "time", integer())));
      case GET_ESCAPE_PROOF -> oneOf(escapeProof(), escapeProofV3());
      case GET_BATCHES -> batches();
      case GET_LIQUIDATION_LADDER -> ladder();
      case GET_DOMAIN -> domain();
      default -> null;
    };
  }

  /**
   * {@code perp_getDomain}: the domain, and on a settling node the format of its withdrawals and
   * transfers.
   */
  private static ObjectNode domain() {
    ObjectNode o = type("object");
    ObjectNode properties = o.putObject("properties");
    properties.set(
        "formatVersion",
        integerDescribed("the signed-message format of orders, cancels and read grants"));
    properties.set("chainId", decimal("the L1 chain id, unsigned 64 bits"));
    properties.set("rollupAddress", hex(40, "the rollup contract's address"));
    ObjectNode tx =
        integerDescribed(
            "settling node only: the signed-message format of perp_withdraw and perp_transfer, 1"
                + " (no domain) or 2 (in this domain)");
    tx.putArray("enum").add(1).add(2);
    properties.set("transactionFormatVersion", tx);
    required(o, "formatVersion", "chainId", "rollupAddress");
    o.put("additionalProperties", false);
    return o;
  }

  /** {@code perp_getEscapeProof}: the contract's {@code EscapeProof} struct and where it holds. */
  private static ObjectNode escapeProof() {
    ObjectNode proof = Json.object();
    proof.put("type", "object");
    ObjectNode pp = proof.putObject("properties");
    pp.set("accountId", integerDescribed("the account id (the leaf's index)"));
    pp.set("publicKeyX", decimal("the account's EdDSA public key, x (field element)"));
    pp.set("publicKeyY", decimal("the account's EdDSA public key, y (field element)"));
    pp.set("l1Owner", hex(40, "the L1 address the escape pays"));
    pp.set("nonce", integerDescribed("the account's transaction nonce (uint64)"));
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
    p.set("account", integerDescribed("the account id"));
    p.set("batch", integerDescribed("the last batch committed on L1 (0: genesis)"));
    p.set("stateRoot", decimal("that batch's state root, which the contract holds"));
    p.set("proof", proof);
    required(s, "account", "batch", "stateRoot", "proof");
    s.put("additionalProperties", false);
    return s;
  }

  /**
   * {@code perp_getEscapeProof} on a format v3 node ({@code "format": "v3"}): {@code
   * ZkPerpRollupV3.escape}'s {@code EscapeV2.Proof}, with the positions unpacked and what the
   * contract owes.
   */
  private static ObjectNode escapeProofV3() {
    ObjectNode identity =
        object(
            Map.of(
                "publicKeyX", decimal("the account's EdDSA public key, x (field element)"),
                "publicKeyY", decimal("the account's EdDSA public key, y (field element)"),
                "l1Owner", hex(40, "the L1 address the escape pays"),
                "feeTier", integerDescribed("the account's fee tier, 0 to 7")));
    ObjectNode account =
        object(
            Map.of(
                "accountId", integerDescribed("the account id (the leaf's index)"),
                "identity", identity,
                "nonce", integerDescribed("the account's transaction nonce (uint64)"),
                "collateral", type("integer"),
                "fillsRoot", decimal("root of the account's fills tree"),
                "positions", decimals(4, 4, "the packed position list q1 ... q4"),
                "accountSiblings",
                    decimals(24, 24, "the leaf's 24 siblings in the accounts tree, leaf first"),
                "marketsRoot", decimal("root of the markets tree"),
                "globalLeaf", decimal("the global leaf")));
    ObjectNode market =
        object(
            Map.of(
                "oraclePrice", integerDescribed("uint64, 32 fractional bits"),
                "oracleTimestamp", integerDescribed("unix seconds"),
                "fundingIndex", type("integer"),
                "fundingTimestamp", integerDescribed("unix seconds"),
                "openInterest", integerDescribed("sum of the long sizes"),
                "riskHash", decimal("hash of the market's risk parameters")));
    ObjectNode marketProof =
        object(
            Map.of(
                "marketId", integerDescribed("the market id"),
                "market", market,
                "siblings", decimals(6, 6, "the leaf's 6 siblings in the markets tree")));
    ObjectNode markets = type("array").put("minItems", 0).put("maxItems", 8);
    markets.set("items", marketProof);
    markets.put("description", "one market proof per held market, in position entry order");
    ObjectNode proof = object(Map.of("account", account, "markets", markets));
    proof.put("description", "the argument of ZkPerpRollupV3.escape (EscapeV2.Proof)");
    ObjectNode position =
        object(
            Map.of(
                "market", integerDescribed("the market id"),
                "size", type("integer"),
                "fundingSnapshot", type("integer")));
    ObjectNode positions = type("array").put("minItems", 0).put("maxItems", 8);
    positions.set("items", position);
    return object(
        Map.of(
            "format", enumeration("v3"),
            "account", integerDescribed("the account id"),
            "batch", integerDescribed("the last batch committed on L1"),
            "stateRoot", decimal("that batch's state root, which the contract holds"),
            "owed",
                decimal(
                    "what EscapeV2.payout owes: collateral + funding + value of each position at"
                        + " the proven market leaves, 0 if negative"),
            "positions", positions,
            "proof", proof));
  }

  private static ObjectNode decimals(int min, int max, String description) {
    ObjectNode a = type("array").put("minItems", min).put("maxItems", max);
    a.set("items", decimal("a field element"));
    a.put("description", description);
    return a;
  }

  private static ObjectNode oneOf(ObjectNode... schemas) {
    ObjectNode o = Json.object();
    ArrayNode all = o.putArray("oneOf");
    for (ObjectNode s : schemas) {
      all.add(s);
    }
    return o;
  }

  /** {@code perp_getBatches}: a page of batches; L1 fields and times only where known. */
  private static ObjectNode batches() {
    String[] statuses = {"SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL", "FAILED"};
    ObjectNode times = type("object");
    ObjectNode tp = times.putObject("properties");
    for (String st : statuses) {
      tp.set(st, integerDescribed("unix ms at which this node saw the batch reach " + st));
    }
    times.put("additionalProperties", false);
    ObjectNode item = type("object");
    ObjectNode p = item.putObject("properties");
    p.set("batch", integerDescribed("the batch number"));
    p.set("status", enumeration(statuses));
    p.set("transactions", integerDescribed("transactions in it, without padding"));
    p.set("priorityOps", integerDescribed("L1 priority operations it consumes"));
    p.set("firstJournalSeq", integerDescribed("the first journal record it settles"));
    p.set("lastJournalSeq", integerDescribed("the last journal record it settles"));
    p.set("oldStateRoot", decimal("the state root before it"));
    p.set("newStateRoot", decimal("the state root after it"));
    p.set("format", enumeration("v2", "v3"));
    p.set("shape", type("string"));
    p.set("batchTime", integerDescribed("format v3: the batch time T, unix seconds"));
    p.set("priorityHashBefore", decimal("format v3: the priority hash P0 before it"));
    p.set("priorityHashAfter", decimal("format v3: the priority hash P_S after it"));
    p.set("records", integerDescribed("format v3: the records committed, padding included"));
    p.set("l1TxHash", hex(64, "its commit transaction, once committed"));
    p.set("l1Block", integerDescribed("the commit transaction's block, once committed"));
    p.set(
        "l1GasUsed",
        integerDescribed("gas the commit used (its receipt), where this node committed it"));
    p.set("times", times);
    p.set("proofMillis", integerDescribed("PROVING to PROVEN, where both were seen"));
    required(
        item,
        "batch",
        "status",
        "transactions",
        "priorityOps",
        "firstJournalSeq",
        "lastJournalSeq",
        "oldStateRoot",
        "newStateRoot",
        "times");
    item.put("additionalProperties", false);
    return page("batches", item);
  }

  /** {@code perp_getLiquidationLadder}: both sides' bands and remainders. */
  private static ObjectNode ladder() {
    ObjectNode band = object(Map.of("from", integer(), "to", integer(), "size", integer()));
    ObjectNode bands = type("array");
    bands.set("items", band);
    ObjectNode side = object(Map.of("bands", bands, "beyond", integer(), "never", integer()));
    return object(
        Map.of(
            "market", integer(),
            "oraclePrice", integer(),
            "journalSeq", integer(),
            "bandPpm", integer(),
            "longs", side,
            "shorts", side.deepCopy()));
  }

  private static ObjectNode integerDescribed(String description) {
    return Json.object().put("type", "integer").put("minimum", 0).put("description", description);
  }

  /** A string of 0x and {@code digits} lower-case hex digits. */
  private static ObjectNode hex(int digits, String description) {
    return Json.object()
        .put("type", "string")
        .put("pattern", "^0x[0-9a-f]{" + digits + "}$")
        .put("description", description);
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

  /** {@code {"type": ["integer", "null"]}}. */
  private static ObjectNode integerOrNull() {
    ObjectNode o = Json.object();
    o.putArray("type").add("integer").add("null");
    return o;
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
