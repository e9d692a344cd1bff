package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.MerkleProof;
import io.zkperp.protocol.state.StateLayout;
import java.util.Objects;

/**
 * Proof of an account (or of its absence) in a state: the account's fields and subtree roots, their
 * leaf's 24 siblings in the accounts tree, and the state roots, so that a verifier can recompute
 * the state root.
 *
 * <p>Immutable; any thread.
 *
 * @param accountId the account id (leaf index)
 * @param account the account's fields, or null if the slot is empty
 * @param positionsRoot root of its positions tree ({@code Z_6} for an empty slot)
 * @param fillsRoot root of its fills tree ({@code Z_16} for an empty slot)
 * @param proof the leaf (0 for an empty slot) and its siblings in the accounts tree
 * @param roots the state roots of the version
 */
public record AccountProof(
    int accountId,
    Account account,
    Fr positionsRoot,
    Fr fillsRoot,
    MerkleProof proof,
    StateRoots roots) {
  /** Validates non-null parts. */
  public AccountProof {
    Objects.requireNonNull(positionsRoot, "positionsRoot");
    Objects.requireNonNull(fillsRoot, "fillsRoot");
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(roots, "roots");
  }

  /**
   * The account leaf preimage.
   *
   * @return account and subtree roots
   */
  public AccountLeaf leaf() {
    return new AccountLeaf(account, positionsRoot, fillsRoot);
  }

  /**
   * Checks the proof against a trusted state root: the roots hash to it, the leaf is the hash of
   * the account fields and subtree roots (0 and empty subtrees for an empty slot), and the leaf
   * with the siblings gives the accounts root.
   *
   * @param stateRoot the trusted state root
   * @return true if the proof holds
   */
  public boolean verifies(Fr stateRoot) {
    if (!roots.stateRoot().equals(stateRoot) || !roots.isConsistent()) {
      return false;
    }
    if (proof.index() != accountId || proof.depth() != StateLayout.ACCOUNTS_DEPTH) {
      return false;
    }
    if (account == null
        && !(positionsRoot.equals(TreeKind.POSITIONS.emptyRoot())
            && fillsRoot.equals(TreeKind.FILLS.emptyRoot()))) {
      return false;
    }
    return proof.leaf().equals(leaf().leafHash()) && proof.verifies(roots.accountsRoot());
  }
}
