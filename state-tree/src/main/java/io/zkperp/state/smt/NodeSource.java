package io.zkperp.state.smt;

/**
 * Where a {@link MerkleEngine} reads nodes it has not written itself: the committed state, or a
 * version of it. Empty nodes are absent.
 *
 * <p>Implementations say which threads may call them.
 */
@FunctionalInterface
public interface NodeSource {
  /**
   * Reads a node's hash.
   *
   * @param key the packed node key ({@link NodeKeys})
   * @param dst destination limbs (Montgomery form)
   * @param off offset of limb 0
   * @return true if the node is stored (and was written to dst), false if it is an empty subtree
   * @throws io.zkperp.state.StateStoreException CORRUPTED_DATA if the stored bytes are malformed
   */
  boolean read(long key, long[] dst, int off);

  /**
   * Reads many nodes at once (implementations may batch the I/O); the default reads one by one.
   *
   * @param keys node keys
   * @param n how many of them
   * @param dst 4 longs per key, written where found
   * @param found set per key: true if the node is stored
   */
  default void readMany(long[] keys, int n, long[] dst, boolean[] found) {
    for (int i = 0; i < n; i++) {
      found[i] = read(keys[i], dst, i * 4);
    }
  }

  /** A source in which every node is empty. */
  NodeSource EMPTY = (key, dst, off) -> false;
}
