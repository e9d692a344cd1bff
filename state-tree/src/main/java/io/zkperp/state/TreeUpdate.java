package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.MerkleProof;
import io.zkperp.state.smt.PathWitness;
import java.util.List;

/**
 * One leaf update of one tree, as a circuit checks it: the siblings (which the update does not
 * change) prove the old leaf under the old root and the new leaf under the new root.
 *
 * <p>Immutable; any thread.
 *
 * @param tree the tree family
 * @param owner the tree instance: the account for positions and fills trees, 0 otherwise
 * @param index the leaf index
 * @param oldLeaf the leaf before (0 for an empty slot)
 * @param newLeaf the leaf after
 * @param siblings siblings leaf upward ({@code tree.depth()} of them)
 * @param oldRoot the tree's root before
 * @param newRoot the tree's root after
 */
public record TreeUpdate(
    TreeKind tree,
    int owner,
    long index,
    Fr oldLeaf,
    Fr newLeaf,
    List<Fr> siblings,
    Fr oldRoot,
    Fr newRoot) {
  /** Copies the siblings. */
  public TreeUpdate {
    siblings = List.copyOf(siblings);
  }

  /**
   * Wraps an engine witness.
   *
   * @param tree the family
   * @param owner the instance
   * @param w the witness
   * @return the update
   */
  public static TreeUpdate of(TreeKind tree, int owner, PathWitness w) {
    return new TreeUpdate(
        tree, owner, w.index(), w.oldLeaf(), w.newLeaf(), w.siblings(), w.oldRoot(), w.newRoot());
  }

  /**
   * The proof of the old leaf.
   *
   * @return proof under {@link #oldRoot}
   */
  public MerkleProof oldProof() {
    return new MerkleProof(index, oldLeaf, siblings);
  }

  /**
   * The proof of the new leaf.
   *
   * @return proof under {@link #newRoot}
   */
  public MerkleProof newProof() {
    return new MerkleProof(index, newLeaf, siblings);
  }

  /**
   * Whether siblings + old leaf give the old root and siblings + new leaf the new root.
   *
   * @return true if both verify
   */
  public boolean isConsistent() {
    return siblings.size() == tree.depth()
        && oldProof().verifies(oldRoot)
        && newProof().verifies(newRoot);
  }
}
