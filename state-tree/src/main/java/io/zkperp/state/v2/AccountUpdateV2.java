package io.zkperp.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.state.smt.PathWitness;
import java.util.Objects;

/**
 * What a step circuit opens for one account it updates in witness mode ({@link
 * StateBatchV2#updateAccount}): the fill leaf of one slot written in the account's depth-12 fills
 * tree, then the account leaf v2 written in the depth-24 accounts tree, with the state roots before
 * and after. The paths are taken on the state the batch holds at the call, so the second account of
 * a trade has its path taken after the first one's update.
 *
 * <p>Immutable; any thread.
 *
 * @param accountId the account id
 * @param before the account's fields before
 * @param after the account's fields after
 * @param fillBefore the fill leaf of the slot before, or null for an empty slot
 * @param fillAfter the fill leaf written (its slot is {@code fillAfter.slot()})
 * @param fillPath the fill leaf's path: old and new leaf, 12 siblings, the fills root before and
 *     after
 * @param accountPath the account leaf's path: old and new leaf, 24 siblings, the accounts root
 *     before and after
 * @param rootsBefore the roots before this update
 * @param rootsAfter the roots after it
 */
public record AccountUpdateV2(
    long accountId,
    AccountV2 before,
    AccountV2 after,
    FillV2 fillBefore,
    FillV2 fillAfter,
    PathWitness fillPath,
    PathWitness accountPath,
    StateRootsV2 rootsBefore,
    StateRootsV2 rootsAfter) {
  /** Validates that every component but {@code fillBefore} is present. */
  public AccountUpdateV2 {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(fillAfter, "fillAfter");
    Objects.requireNonNull(fillPath, "fillPath");
    Objects.requireNonNull(accountPath, "accountPath");
    Objects.requireNonNull(rootsBefore, "rootsBefore");
    Objects.requireNonNull(rootsAfter, "rootsAfter");
  }

  /**
   * Whether the records and the paths agree with each other and with the roots: the fill leaves
   * hash to the path's leaves, the fills roots before and after are the roots the account leaves
   * commit to, the account path gives both accounts roots, and the state roots are those accounts
   * roots with the same markets root and global leaf.
   *
   * @return true if consistent
   */
  public boolean isConsistent() {
    return fillPath.isConsistent()
        && accountPath.isConsistent()
        && fillPath.index() == fillAfter.slot()
        && fillPath.oldLeaf().equals(fillBefore == null ? Fr.ZERO : fillBefore.leafHash())
        && fillPath.newLeaf().equals(fillAfter.leafHash())
        && accountPath.index() == accountId
        && accountPath.oldLeaf().equals(before.leafHash(fillPath.oldRoot()))
        && accountPath.newLeaf().equals(after.leafHash(fillPath.newRoot()))
        && accountPath.oldRoot().equals(rootsBefore.accountsRoot())
        && accountPath.newRoot().equals(rootsAfter.accountsRoot())
        && rootsBefore.marketsRoot().equals(rootsAfter.marketsRoot())
        && rootsBefore.globalLeaf().equals(rootsAfter.globalLeaf())
        && rootsBefore.isConsistent()
        && rootsAfter.isConsistent();
  }
}
