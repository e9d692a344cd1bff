package io.zkperp.protocol.state;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.List;

/**
 * An inclusion proof in a fixed-depth sparse Merkle tree: the leaf value at an index and its
 * siblings from the leaf upward ({@code siblings.get(h)} is the sibling at height h). A proof of an
 * empty slot has leaf 0. Verification is the same in Java, in the circuit and in Solidity.
 *
 * @param index the leaf index, in [0, 2^depth)
 * @param leaf the leaf value (a leaf hash, or 0 for an empty slot)
 * @param siblings one sibling per level, leaf upward; its size is the depth
 */
public record MerkleProof(long index, Fr leaf, List<Fr> siblings) {
  /**
   * Validates the index against the depth and copies the siblings.
   *
   * @throws InvalidEncodingException if the index does not fit the depth
   */
  public MerkleProof {
    siblings = List.copyOf(siblings);
    int depth = siblings.size();
    if (depth > 62 || index < 0 || index >= (1L << depth)) {
      throw new InvalidEncodingException(
          EncodingError.OUT_OF_RANGE,
          "leaf index " + index + " does not fit a tree of depth " + depth);
    }
  }

  /**
   * The depth of the tree this proof belongs to.
   *
   * @return the number of siblings
   */
  public int depth() {
    return siblings.size();
  }

  /**
   * Recomputes the root from the leaf and the siblings.
   *
   * @return the root this proof commits to
   */
  public Fr computeRoot() {
    Fr acc = leaf;
    for (int h = 0; h < siblings.size(); h++) {
      Fr sibling = siblings.get(h);
      acc =
          ((index >>> h) & 1) == 0
              ? Poseidon2.compress(acc, sibling)
              : Poseidon2.compress(sibling, acc);
    }
    return acc;
  }

  /**
   * Whether this proof shows {@link #leaf} at {@link #index} under {@code root}.
   *
   * @param root the expected root
   * @return true iff the recomputed root equals it
   */
  public boolean verifies(Fr root) {
    return computeRoot().equals(root);
  }
}
