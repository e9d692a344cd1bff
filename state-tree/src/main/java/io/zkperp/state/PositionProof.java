package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.MerkleProof;
import io.zkperp.protocol.state.Position;
import java.util.Objects;

/**
 * Proof of a position (or of its absence): the position leaf and its 6 siblings give the account's
 * positions root, which the {@link AccountProof} carries to the state root (layout doc §5).
 *
 * <p>Immutable; any thread.
 *
 * @param market the market id (leaf index)
 * @param position the position, {@link Position#NONE} if none
 * @param proof the position leaf and its siblings in the account's positions tree
 * @param account the proof of the owning account
 */
public record PositionProof(
    int market, Position position, MerkleProof proof, AccountProof account) {
  /** Validates non-null parts. */
  public PositionProof {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(account, "account");
  }

  /**
   * Checks the proof against a trusted state root.
   *
   * @param stateRoot the trusted state root
   * @return true if the position leaf is in the account's positions tree and the account in the
   *     state
   */
  public boolean verifies(Fr stateRoot) {
    return proof.index() == market
        && proof.depth() == TreeKind.POSITIONS.depth()
        && proof.leaf().equals(position.leafHash())
        && proof.verifies(account.positionsRoot())
        && account.verifies(stateRoot);
  }
}
