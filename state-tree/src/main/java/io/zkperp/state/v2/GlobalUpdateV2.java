package io.zkperp.state.v2;

import io.zkperp.protocol.state.v2.GlobalV2;
import java.util.Objects;

/**
 * What a step circuit opens for the global leaf v2 it updates in witness mode ({@link
 * StateBatchV2#updateGlobal}): the fields before and after (the leaf has no path: the state root
 * hashes it directly) and the state roots before and after.
 *
 * <p>Immutable; any thread.
 *
 * @param before the global fields before
 * @param after the global fields after
 * @param rootsBefore the roots before this update
 * @param rootsAfter the roots after it
 */
public record GlobalUpdateV2(
    GlobalV2 before, GlobalV2 after, StateRootsV2 rootsBefore, StateRootsV2 rootsAfter) {
  /** Validates that every component is present. */
  public GlobalUpdateV2 {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(rootsBefore, "rootsBefore");
    Objects.requireNonNull(rootsAfter, "rootsAfter");
  }

  /**
   * Whether the records hash to the roots' global leaves and only the global leaf changed.
   *
   * @return true if consistent
   */
  public boolean isConsistent() {
    return rootsBefore.globalLeaf().equals(before.leafHash())
        && rootsAfter.globalLeaf().equals(after.leafHash())
        && rootsBefore.accountsRoot().equals(rootsAfter.accountsRoot())
        && rootsBefore.marketsRoot().equals(rootsAfter.marketsRoot())
        && rootsBefore.isConsistent()
        && rootsAfter.isConsistent();
  }
}
