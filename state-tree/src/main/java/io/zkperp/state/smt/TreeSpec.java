package io.zkperp.state.smt;

/**
 * A family of fixed-depth sparse Merkle trees handled by a {@link MerkleEngine}: every tree of the
 * family (one per owner) has the same depth.
 *
 * <p>Immutable; any thread.
 *
 * @param kind the family id, the first byte of every node key ({@link NodeKeys}), 0..254
 * @param depth the depth, 1..{@value NodeKeys#MAX_DEPTH}
 */
public record TreeSpec(int kind, int depth) {
  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if kind or depth is out of range
   */
  public TreeSpec {
    if (kind < 0 || kind > 254) {
      throw new IllegalArgumentException("tree kind must be in [0, 254], got " + kind);
    }
    if (depth < 1 || depth > NodeKeys.MAX_DEPTH) {
      throw new IllegalArgumentException(
          "tree depth must be in [1, " + NodeKeys.MAX_DEPTH + "], got " + depth);
    }
  }
}
