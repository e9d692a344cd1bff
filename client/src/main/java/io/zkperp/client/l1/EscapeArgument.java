package io.zkperp.client.l1;

import static io.zkperp.client.l1.EscapeProofFields.integer;
import static io.zkperp.client.l1.EscapeProofFields.uint;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.l1.contracts.ZkPerpRollup;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's answer to {@code perp_getEscapeProof}, checked and turned into the rollup contract's
 * {@code EscapeProof} struct: the account's leaf and 24 siblings in the state of the last batch
 * committed on L1. The client trusts nothing in it: the contract recomputes the state root and
 * refuses a proof of anything but its stored root ({@code InvalidEscapeProof}). Immutable; any
 * thread.
 *
 * @param account the account
 * @param batch the batch whose state the proof is of (the last committed on L1)
 * @param stateRoot that batch's state root
 * @param proof the contract's struct
 */
public record EscapeArgument(
    int account, long batch, BigInteger stateRoot, ZkPerpRollup.EscapeProof proof) {
  /** Siblings in a proof: the accounts tree's depth. */
  public static final int SIBLINGS = 24;

  /**
   * Reads the node's result.
   *
   * @param result the {@code perp_getEscapeProof} result
   * @return the argument
   * @throws IllegalArgumentException if the result is not of the documented shape (a member
   *     missing, a number that is not a decimal integer in range, not 24 siblings, an account that
   *     is not the one asked about)
   */
  public static EscapeArgument of(JsonNode result) {
    JsonNode p = result.path("proof");
    List<BigInteger> siblings = new ArrayList<>();
    JsonNode s = p.path("accountSiblings");
    if (!s.isArray() || s.size() != SIBLINGS) {
      throw new IllegalArgumentException(
          "perp_getEscapeProof: accountSiblings must hold " + SIBLINGS + " hashes: " + s);
    }
    for (JsonNode e : s) {
      siblings.add(uint(e, "accountSiblings[]", 256));
    }
    BigInteger accountId = uint(p.path("accountId"), "accountId", 24);
    int account = uint(result.path("account"), "account", 24).intValueExact();
    if (accountId.intValueExact() != account) {
      throw new IllegalArgumentException(
          "perp_getEscapeProof: proof of account " + accountId + ", asked about " + account);
    }
    String owner = p.path("l1Owner").asText("");
    if (!owner.matches("0x[0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException("perp_getEscapeProof: l1Owner " + owner);
    }
    BigInteger collateral = integer(p.path("collateral"), "collateral");
    if (collateral.signum() < 0 || collateral.bitLength() > 63) {
      throw new IllegalArgumentException(
          "perp_getEscapeProof: collateral " + collateral + " out of range");
    }
    return new EscapeArgument(
        account,
        uint(result.path("batch"), "batch", 63).longValueExact(),
        uint(result.path("stateRoot"), "stateRoot", 256),
        new ZkPerpRollup.EscapeProof(
            accountId,
            uint(p.path("publicKeyX"), "publicKeyX", 256),
            uint(p.path("publicKeyY"), "publicKeyY", 256),
            owner,
            uint(p.path("nonce"), "nonce", 64),
            collateral,
            uint(p.path("fillsRoot"), "fillsRoot", 256),
            siblings,
            uint(p.path("marketsRoot"), "marketsRoot", 256),
            uint(p.path("globalLeaf"), "globalLeaf", 256)));
  }

  /**
   * The account's collateral in the verified state: what the escape credits to its owner.
   *
   * @return collateral quanta
   */
  public BigInteger collateral() {
    return proof.collateral;
  }

  /**
   * The L1 address the escape pays.
   *
   * @return the leaf's L1 owner
   */
  public String l1Owner() {
    return proof.l1Owner;
  }
}
