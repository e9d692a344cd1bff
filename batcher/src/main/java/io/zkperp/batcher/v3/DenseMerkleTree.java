package io.zkperp.batcher.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A small complete binary Merkle tree held whole in memory (layout v2's 64-leaf markets tree, its
 * 16-leaf oracle signer tree): every node is {@code Poseidon2.compress(left, right)}, as in the
 * state trees. Gives the root and a leaf's siblings from the leaf upward, as a step circuit takes
 * them. Immutable; any thread.
 */
public final class DenseMerkleTree {
  private final Fr[][] levels; // levels[0] the leaves, levels[depth] the root

  /**
   * Builds the tree over its leaves.
   *
   * @param leaves 2^depth leaves, depth ≥ 1
   * @throws IllegalArgumentException the count is not a power of two of at least 2
   */
  public DenseMerkleTree(List<Fr> leaves) {
    int n = leaves.size();
    if (n < 2 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException(n + " leaves: need a power of two, at least 2");
    }
    int depth = Integer.numberOfTrailingZeros(n);
    levels = new Fr[depth + 1][];
    levels[0] = new Fr[n];
    for (int i = 0; i < n; i++) {
      levels[0][i] = Objects.requireNonNull(leaves.get(i), "leaf");
    }
    for (int h = 1; h <= depth; h++) {
      Fr[] below = levels[h - 1];
      levels[h] = new Fr[below.length / 2];
      for (int i = 0; i < levels[h].length; i++) {
        levels[h][i] = Poseidon2.compress(below[2 * i], below[2 * i + 1]);
      }
    }
  }

  /**
   * The root.
   *
   * @return the root
   */
  public Fr root() {
    return levels[levels.length - 1][0];
  }

  /**
   * A leaf's siblings, from the leaf's level upward.
   *
   * @param index the leaf index
   * @return {@code depth} siblings
   * @throws IndexOutOfBoundsException the index is not a leaf's
   */
  public List<Fr> siblings(int index) {
    Objects.checkIndex(index, levels[0].length);
    List<Fr> out = new ArrayList<>(levels.length - 1);
    for (int h = 0; h < levels.length - 1; h++) {
      out.add(levels[h][(index >> h) ^ 1]);
    }
    return List.copyOf(out);
  }
}
