package io.zkperp.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.state.smt.PathWitness;
import java.util.Objects;

/**
 * What a step circuit opens for an account leaf it writes without touching the account's fills
 * ({@link StateBatchV2#updateAccountLeaf}): the account leaf v2 written in the depth-24 accounts
 * tree (created in an empty slot when {@code before} is null), the fills root it commits to before
 * and after (unchanged), with the state roots before and after. This is the opening of a collateral
 * step (deposit, withdrawal, transfer, forced withdrawal).
 *
 * <p>Immutable; any thread.
 *
 * @param accountId the account id
 * @param before the account's fields before, or null for an empty slot
 * @param after the account's fields after
 * @param fillsRoot the root of the account's fills tree (Z₁₂ for a new account)
 * @param path the account leaf's path: old leaf (0 for an empty slot) and new leaf, 24 siblings,
 *     the accounts root before and after
 * @param rootsBefore the roots before this update
 * @param rootsAfter the roots after it
 */
public record AccountLeafUpdateV2(
    long accountId,
    AccountV2 before,
    AccountV2 after,
    Fr fillsRoot,
    PathWitness path,
    StateRootsV2 rootsBefore,
    StateRootsV2 rootsAfter) {
  /** Validates that every component but {@code before} is present. */
  public AccountLeafUpdateV2 {
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(fillsRoot, "fillsRoot");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(rootsBefore, "rootsBefore");
    Objects.requireNonNull(rootsAfter, "rootsAfter");
  }

  /**
   * Whether the records and the path agree with each other and with the roots: the old leaf is the
   * hash of {@code before} (0 for an empty slot) and the new leaf that of {@code after}, both over
   * {@code fillsRoot}; the path gives both accounts roots; the markets root and global leaf are
   * unchanged.
   *
   * @return true if consistent
   */
  public boolean isConsistent() {
    return path.isConsistent()
        && path.index() == accountId
        && path.oldLeaf().equals(before == null ? Fr.ZERO : before.leafHash(fillsRoot))
        && path.newLeaf().equals(after.leafHash(fillsRoot))
        && path.oldRoot().equals(rootsBefore.accountsRoot())
        && path.newRoot().equals(rootsAfter.accountsRoot())
        && rootsBefore.marketsRoot().equals(rootsAfter.marketsRoot())
        && rootsBefore.globalLeaf().equals(rootsAfter.globalLeaf());
  }
}
