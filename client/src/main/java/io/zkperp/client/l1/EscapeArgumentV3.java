package io.zkperp.client.l1;

import static io.zkperp.client.l1.EscapeProofFields.integer;
import static io.zkperp.client.l1.EscapeProofFields.uint;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A format v3 node's answer to {@code perp_getEscapeProof} ({@code "format": "v3"}), checked for
 * shape and turned into {@code ZkPerpRollupV3.escape}'s {@code EscapeV2.Proof} struct: the account
 * leaf with its packed positions, 24 siblings, the markets root and the global leaf, and one market
 * leaf proof (6 siblings) per held market, in the state of the last batch committed on L1. The
 * client trusts nothing in it: the contract recomputes every hash and refuses a proof of anything
 * but its stored root. Immutable; any thread.
 *
 * @param account the account
 * @param batch the batch whose state the proof is of (the last committed on L1)
 * @param stateRoot that batch's state root
 * @param owed what the node says the contract will owe (the contract computes it again)
 * @param proof the contract's struct
 */
public record EscapeArgumentV3(
    int account, long batch, BigInteger stateRoot, BigInteger owed, ZkPerpRollupV3.Proof proof) {
  /** The {@code format} of a v3 answer. */
  public static final String FORMAT = "v3";

  /** Siblings of an account leaf: the accounts tree's depth. */
  public static final int ACCOUNT_SIBLINGS = 24;

  /** Siblings of a market leaf: the markets tree's depth. */
  public static final int MARKET_SIBLINGS = 6;

  /** Packed position elements q1 … q4. */
  public static final int POSITION_ELEMENTS = 4;

  /** The most market proofs (position entries). */
  public static final int MAX_MARKETS = 8;

  /**
   * Whether an answer is a format v3 node's ({@code "format": "v3"}); a format v2 node's has no
   * {@code format} and is read by {@link EscapeArgument#of}.
   *
   * @param result the {@code perp_getEscapeProof} result
   * @return true for a v3 answer
   */
  public static boolean isV3(JsonNode result) {
    return FORMAT.equals(result.path("format").asText(null));
  }

  /**
   * Reads the node's result.
   *
   * @param result the {@code perp_getEscapeProof} result of a format v3 node
   * @return the argument
   * @throws IllegalArgumentException if the result is not of the documented shape (not v3, a member
   *     missing, a number out of range, a wrong number of siblings or positions, an account that is
   *     not the one asked about)
   */
  public static EscapeArgumentV3 of(JsonNode result) {
    if (!isV3(result)) {
      throw new IllegalArgumentException(
          "perp_getEscapeProof: not a format v3 answer: format " + result.path("format"));
    }
    JsonNode a = result.path("proof").path("account");
    int account = uint(result.path("account"), "account", 24).intValueExact();
    BigInteger accountId = uint(a.path("accountId"), "accountId", 24);
    if (accountId.intValueExact() != account) {
      throw new IllegalArgumentException(
          "perp_getEscapeProof: proof of account " + accountId + ", asked about " + account);
    }
    JsonNode id = a.path("identity");
    String owner = id.path("l1Owner").asText("");
    if (!owner.matches("0x[0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException("perp_getEscapeProof: l1Owner " + owner);
    }
    ZkPerpRollupV3.AccountProof ap =
        new ZkPerpRollupV3.AccountProof(
            accountId,
            new ZkPerpRollupV3.Identity(
                uint(id.path("publicKeyX"), "publicKeyX", 256),
                uint(id.path("publicKeyY"), "publicKeyY", 256),
                owner,
                uint(id.path("feeTier"), "feeTier", 3)),
            uint(a.path("nonce"), "nonce", 64),
            signed(a.path("collateral"), "collateral", 64),
            uint(a.path("fillsRoot"), "fillsRoot", 256),
            words(a.path("positions"), "positions", POSITION_ELEMENTS, POSITION_ELEMENTS),
            words(a.path("accountSiblings"), "accountSiblings", ACCOUNT_SIBLINGS, ACCOUNT_SIBLINGS),
            uint(a.path("marketsRoot"), "marketsRoot", 256),
            uint(a.path("globalLeaf"), "globalLeaf", 256));
    JsonNode ms = result.path("proof").path("markets");
    if (!ms.isArray() || ms.size() > MAX_MARKETS) {
      throw new IllegalArgumentException(
          "perp_getEscapeProof: markets must be an array of at most " + MAX_MARKETS + ": " + ms);
    }
    List<ZkPerpRollupV3.MarketLeafProof> markets = new ArrayList<>();
    for (JsonNode m : ms) {
      JsonNode leaf = m.path("market");
      markets.add(
          new ZkPerpRollupV3.MarketLeafProof(
              uint(m.path("marketId"), "marketId", 6),
              new ZkPerpRollupV3.Market(
                  uint(leaf.path("oraclePrice"), "oraclePrice", 64),
                  uint(leaf.path("oracleTimestamp"), "oracleTimestamp", 64),
                  signed(leaf.path("fundingIndex"), "fundingIndex", 64),
                  uint(leaf.path("fundingTimestamp"), "fundingTimestamp", 64),
                  uint(leaf.path("openInterest"), "openInterest", 64),
                  uint(leaf.path("riskHash"), "riskHash", 256)),
              words(m.path("siblings"), "siblings", MARKET_SIBLINGS, MARKET_SIBLINGS)));
    }
    return new EscapeArgumentV3(
        account,
        uint(result.path("batch"), "batch", 63).longValueExact(),
        uint(result.path("stateRoot"), "stateRoot", 256),
        uint(result.path("owed"), "owed", 256),
        new ZkPerpRollupV3.Proof(ap, markets));
  }

  /**
   * The L1 address the escape pays.
   *
   * @return the leaf's L1 owner
   */
  public String l1Owner() {
    return proof.account.identity.l1Owner;
  }

  /**
   * The account's collateral in the verified state (positions not counted; see {@link #owed}).
   *
   * @return collateral quanta
   */
  public BigInteger collateral() {
    return proof.account.collateral;
  }

  private static List<BigInteger> words(JsonNode n, String name, int min, int max) {
    if (!n.isArray() || n.size() < min || n.size() > max) {
      throw new IllegalArgumentException(
          "perp_getEscapeProof: " + name + " must hold " + min + " hashes: " + n);
    }
    List<BigInteger> out = new ArrayList<>();
    for (JsonNode e : n) {
      out.add(uint(e, name + "[]", 256));
    }
    return out;
  }

  private static BigInteger signed(JsonNode n, String name, int bits) {
    BigInteger v = integer(n, name);
    if (v.bitLength() > bits - 1) {
      throw new IllegalArgumentException(
          "perp_getEscapeProof: " + name + " " + v + " is not an int" + bits);
    }
    return v;
  }
}
