package io.zkperp.state.smt;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.MerkleProof;
import java.util.List;

/**
 * What a circuit needs to check one leaf update of a sparse Merkle tree: the leaf index, the old
 * and new leaf, the siblings on its path (leaf upward; they do not change with the update) and the
 * tree's root before and after.
 *
 * <p>Immutable; any thread.
 *
 * @param index the leaf index
 * @param oldLeaf the leaf before (0 for an empty slot)
 * @param newLeaf the leaf after
 * @param siblings siblings leaf upward, {@code siblings.get(h)} at height h
 * @param oldRoot the root before
 * @param newRoot the root after
 */
public record PathWitness(
    long index, Fr oldLeaf, Fr newLeaf, List<Fr> siblings, Fr oldRoot, Fr newRoot) {
  /** Copies the siblings. */
  public PathWitness {
    siblings = List.copyOf(siblings);
  }

  /**
   * The inclusion proof of the old leaf under the old root.
   *
   * @return the proof
   */
  public MerkleProof oldProof() {
    return new MerkleProof(index, oldLeaf, siblings);
  }

  /**
   * The inclusion proof of the new leaf under the new root.
   *
   * @return the proof
   */
  public MerkleProof newProof() {
    return new MerkleProof(index, newLeaf, siblings);
  }

  /**
   * Whether the siblings with the old leaf give the old root and with the new leaf the new root.
   *
   * @return true if both proofs verify
   */
  public boolean isConsistent() {
    return oldProof().verifies(oldRoot) && newProof().verifies(newRoot);
  }
}
