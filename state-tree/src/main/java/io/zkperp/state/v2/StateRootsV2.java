package io.zkperp.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.LayoutV2;
import java.util.Objects;

/**
 * The roots of one version of a layout-v2 state: {@code stateRoot = H(TAG_STATE_V2, accountsRoot,
 * marketsRoot, globalLeaf)}.
 *
 * <p>Immutable; any thread.
 *
 * @param accountsRoot root of the depth-24 accounts tree
 * @param marketsRoot root of the depth-6 markets tree
 * @param globalLeaf the global leaf v2
 * @param stateRoot the state root v2
 */
public record StateRootsV2(Fr accountsRoot, Fr marketsRoot, Fr globalLeaf, Fr stateRoot) {
  /** Validates that no component is null. */
  public StateRootsV2 {
    Objects.requireNonNull(accountsRoot, "accountsRoot");
    Objects.requireNonNull(marketsRoot, "marketsRoot");
    Objects.requireNonNull(globalLeaf, "globalLeaf");
    Objects.requireNonNull(stateRoot, "stateRoot");
  }

  /**
   * The roots of these three parts, with the state root computed.
   *
   * @param accountsRoot root of the accounts tree
   * @param marketsRoot root of the markets tree
   * @param globalLeaf the global leaf
   * @return the roots
   */
  public static StateRootsV2 of(Fr accountsRoot, Fr marketsRoot, Fr globalLeaf) {
    return new StateRootsV2(
        accountsRoot,
        marketsRoot,
        globalLeaf,
        LayoutV2.stateRoot(accountsRoot, marketsRoot, globalLeaf));
  }

  /**
   * Whether the state root is the hash of the other three.
   *
   * @return true if consistent
   */
  public boolean isConsistent() {
    return LayoutV2.stateRoot(accountsRoot, marketsRoot, globalLeaf).equals(stateRoot);
  }
}
