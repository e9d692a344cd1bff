package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.state.smt.TreeSpec;

/**
 * The four tree families of layout v1 and their depths. The code is the first byte of every node
 * key of the family ({@link io.zkperp.state.smt.NodeKeys}).
 *
 * <p>Immutable; any thread.
 */
public enum TreeKind {
  /** The accounts tree (one instance, owner 0), leaf index = account id. */
  ACCOUNTS(0, StateLayout.ACCOUNTS_DEPTH),
  /** An account's positions tree (owner = account id), leaf index = market id. */
  POSITIONS(1, StateLayout.POSITIONS_DEPTH),
  /** An account's fills tree (owner = account id), leaf index = order nonce mod 2^16. */
  FILLS(2, StateLayout.FILLS_DEPTH),
  /** The markets tree (one instance, owner 0), leaf index = market id. */
  MARKETS(3, StateLayout.MARKETS_DEPTH);

  private final int code;
  private final int depth;

  TreeKind(int code, int depth) {
    this.code = code;
    this.depth = depth;
  }

  /**
   * The family code used in node keys.
   *
   * @return 0..3
   */
  public int code() {
    return code;
  }

  /**
   * The depth of every tree of this family.
   *
   * @return depth
   */
  public int depth() {
    return depth;
  }

  /**
   * The number of leaves of a tree of this family.
   *
   * @return 2^depth
   */
  public long capacity() {
    return 1L << depth;
  }

  /**
   * The root of an empty tree of this family, {@code Z_depth}.
   *
   * @return the empty root
   */
  public Fr emptyRoot() {
    return StateLayout.emptySubtree(depth);
  }

  /**
   * This family as a {@link TreeSpec}.
   *
   * @return the spec
   */
  public TreeSpec spec() {
    return new TreeSpec(code, depth);
  }
}
