package io.zkperp.state.v2;

import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.smt.PathWitness;
import java.util.Objects;

/**
 * What a step circuit opens for a market leaf v2 it updates in witness mode ({@link
 * StateBatchV2#updateMarket}): the record before and after, the leaf's 6-level path in the markets
 * tree and the state roots before and after.
 *
 * <p>Immutable; any thread.
 *
 * @param marketId the market id
 * @param before the market before (listed)
 * @param after the market after
 * @param path old and new leaf, 6 siblings, the markets root before and after
 * @param rootsBefore the roots before this update
 * @param rootsAfter the roots after it
 */
public record MarketUpdateV2(
    int marketId,
    MarketV2 before,
    MarketV2 after,
    PathWitness path,
    StateRootsV2 rootsBefore,
    StateRootsV2 rootsAfter) {
  /** Validates that every component is present. */
  public MarketUpdateV2 {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(rootsBefore, "rootsBefore");
    Objects.requireNonNull(rootsAfter, "rootsAfter");
  }

  /**
   * Whether the records hash to the path's leaves, the path gives both markets roots and the state
   * roots are those markets roots with the same accounts root and global leaf.
   *
   * @return true if consistent
   */
  public boolean isConsistent() {
    return path.isConsistent()
        && path.index() == marketId
        && path.oldLeaf().equals(before.leafHash())
        && path.newLeaf().equals(after.leafHash())
        && path.oldRoot().equals(rootsBefore.marketsRoot())
        && path.newRoot().equals(rootsAfter.marketsRoot())
        && rootsBefore.accountsRoot().equals(rootsAfter.accountsRoot())
        && rootsBefore.globalLeaf().equals(rootsAfter.globalLeaf())
        && rootsBefore.isConsistent()
        && rootsAfter.isConsistent();
  }
}
