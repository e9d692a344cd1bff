package io.zkperp.node.v3;

/**
 * The v3 state store in the data directory was written from another configuration than the one the
 * node starts with (another genesis root or first account id): the node refuses to start rather
 * than settle on a tree L1 does not know. Nothing is written.
 */
public final class GenesisMismatchException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient V3Genesis stored;
  private final transient V3Genesis configured;

  /**
   * The refusal.
   *
   * @param stored the genesis the store was written with
   * @param configured the genesis of the node's configuration
   */
  public GenesisMismatchException(V3Genesis stored, V3Genesis configured) {
    super(
        "the v3 state store was written with genesis "
            + stored
            + " but the configuration gives "
            + configured
            + ": start with the configuration it was written with, or a new data directory");
    this.stored = stored;
    this.configured = configured;
  }

  /**
   * The genesis the store holds.
   *
   * @return its values
   */
  public V3Genesis stored() {
    return stored;
  }

  /**
   * The genesis the configuration gives.
   *
   * @return its values
   */
  public V3Genesis configured() {
    return configured;
  }
}
