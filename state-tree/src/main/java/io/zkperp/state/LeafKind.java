package io.zkperp.state;

/**
 * The kinds of leaves (records) in the state. The declaration order is the sort order of {@link
 * StateDiff} entries.
 *
 * <p>Immutable; any thread.
 */
public enum LeafKind {
  /** An account leaf in the accounts tree. */
  ACCOUNT(TreeKind.ACCOUNTS),
  /** A position leaf in an account's positions tree. */
  POSITION(TreeKind.POSITIONS),
  /** A fill leaf in an account's fills tree. */
  FILL(TreeKind.FILLS),
  /** A market leaf in the markets tree. */
  MARKET(TreeKind.MARKETS),
  /** The global leaf, hashed straight into the state root. */
  GLOBAL(null);

  private final TreeKind tree;

  LeafKind(TreeKind tree) {
    this.tree = tree;
  }

  /**
   * The tree holding leaves of this kind.
   *
   * @return the tree family, or null for {@link #GLOBAL}
   */
  public TreeKind tree() {
    return tree;
  }
}
