package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.MerkleProof;
import java.util.Objects;

/**
 * Proof of a fill slot (or of its emptiness): the fill leaf and its 16 siblings give the account's
 * fills root, which the {@link AccountProof} carries to the state root.
 *
 * <p>Immutable; any thread.
 *
 * @param slot the slot (leaf index, order nonce mod 2^16)
 * @param fill the fill in the slot, or null if empty
 * @param proof the fill leaf and its siblings in the account's fills tree
 * @param account the proof of the owning account
 */
public record FillProof(int slot, Fill fill, MerkleProof proof, AccountProof account) {
  /** Validates non-null parts. */
  public FillProof {
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(account, "account");
  }

  /**
   * Checks the proof against a trusted state root.
   *
   * @param stateRoot the trusted state root
   * @return true if the fill leaf is in the account's fills tree and the account in the state
   */
  public boolean verifies(Fr stateRoot) {
    Fr leaf = fill == null ? Fr.ZERO : fill.leafHash();
    return proof.index() == slot
        && (fill == null || fill.slot() == slot)
        && proof.depth() == TreeKind.FILLS.depth()
        && proof.leaf().equals(leaf)
        && proof.verifies(account.fillsRoot())
        && account.verifies(stateRoot);
  }
}
