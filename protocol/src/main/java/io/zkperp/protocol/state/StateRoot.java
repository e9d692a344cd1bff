package io.zkperp.protocol.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;

/**
 * The state root: {@code H(TAG_STATE, accountsRoot, marketsRoot, globalLeaf)}.
 *
 * <p>Stateless; any thread.
 */
public final class StateRoot {
  /** The root of the empty state: empty trees and {@link GlobalState#GENESIS}. */
  public static final Fr GENESIS =
      of(
          StateLayout.emptySubtree(StateLayout.ACCOUNTS_DEPTH),
          StateLayout.emptySubtree(StateLayout.MARKETS_DEPTH),
          GlobalState.GENESIS.leafHash());

  private StateRoot() {}

  /**
   * Combines the three parts of the state.
   *
   * @param accountsRoot root of the accounts tree
   * @param marketsRoot root of the markets tree
   * @param globalLeaf hash of the global leaf
   * @return the state root
   */
  public static Fr of(Fr accountsRoot, Fr marketsRoot, Fr globalLeaf) {
    return Poseidon2.hash(StateLayout.TAG_STATE, accountsRoot, marketsRoot, globalLeaf);
  }
}
