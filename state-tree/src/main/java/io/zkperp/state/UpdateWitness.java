package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.Position;
import java.util.List;
import java.util.Objects;

/**
 * Everything a circuit needs to check one state update made in witness mode, from the state root
 * before it to the state root after it.
 *
 * <ul>
 *   <li>account update: {@code steps = [accounts tree]};
 *   <li>position or fill update: {@code steps = [positions or fills tree of the account, accounts
 *       tree]} — the subtree's new root goes into the account leaf ({@link #accountAfter}), whose
 *       hash is the new leaf of the accounts-tree step;
 *   <li>market update: {@code steps = [markets tree]};
 *   <li>global update: no tree step; the global leaf changes in {@link #after}.
 * </ul>
 *
 * <p>Immutable; any thread.
 *
 * @param change the leaf this update changed, with its record before and after
 * @param steps the tree updates, innermost first
 * @param accountBefore the account leaf preimage before (account, position and fill updates), else
 *     null
 * @param accountAfter the account leaf preimage after (account, position and fill updates), else
 *     null
 * @param before the state roots before the update
 * @param after the state roots after the update (the intermediate state root)
 */
public record UpdateWitness(
    LeafChange change,
    List<TreeUpdate> steps,
    AccountLeaf accountBefore,
    AccountLeaf accountAfter,
    StateRoots before,
    StateRoots after) {
  /** Copies the steps. */
  public UpdateWitness {
    Objects.requireNonNull(change, "change");
    steps = List.copyOf(steps);
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }

  /**
   * Re-checks the whole witness from its own data (hashing everything again): every step's siblings
   * prove its old and new leaf, each step's new root feeds the next, the changed record hashes to
   * the innermost new leaf, and both state roots are the hashes of their parts. For tests and
   * debugging; costs a few hundred compressions.
   *
   * @return true if consistent
   */
  public boolean isConsistent() {
    if (!before.isConsistent() || !after.isConsistent()) {
      return false;
    }
    for (TreeUpdate s : steps) {
      if (!s.isConsistent()) {
        return false;
      }
    }
    return switch (change) {
      case LeafChange.AccountChange c -> checkAccount(c.account(), 0);
      case LeafChange.PositionChange c ->
          checkSub(TreeKind.POSITIONS, c.account(), c.market(), c.before(), c.after());
      case LeafChange.FillChange c ->
          checkSub(TreeKind.FILLS, c.account(), c.slot(), c.before(), c.after());
      case LeafChange.MarketChange c -> checkMarket(c);
      case LeafChange.GlobalChange c -> checkGlobal(c);
    };
  }

  private boolean checkAccount(int account, int stepIndex) {
    if (steps.size() != stepIndex + 1 || accountBefore == null || accountAfter == null) {
      return false;
    }
    TreeUpdate s = steps.get(stepIndex);
    return s.tree() == TreeKind.ACCOUNTS
        && s.index() == account
        && s.oldLeaf().equals(accountBefore.leafHash())
        && s.newLeaf().equals(accountAfter.leafHash())
        && s.oldRoot().equals(before.accountsRoot())
        && s.newRoot().equals(after.accountsRoot())
        && before.marketsRoot().equals(after.marketsRoot())
        && before.globalLeaf().equals(after.globalLeaf());
  }

  private boolean checkSub(TreeKind tree, int account, long index, Object old, Object now) {
    if (steps.size() != 2 || accountBefore == null || accountAfter == null) {
      return false;
    }
    TreeUpdate s = steps.get(0);
    boolean positions = tree == TreeKind.POSITIONS;
    Fr subBefore = positions ? accountBefore.positionsRoot() : accountBefore.fillsRoot();
    Fr subAfter = positions ? accountAfter.positionsRoot() : accountAfter.fillsRoot();
    Fr otherBefore = positions ? accountBefore.fillsRoot() : accountBefore.positionsRoot();
    Fr otherAfter = positions ? accountAfter.fillsRoot() : accountAfter.positionsRoot();
    return s.tree() == tree
        && s.owner() == account
        && s.index() == index
        && s.oldLeaf().equals(leafOf(old))
        && s.newLeaf().equals(leafOf(now))
        && s.oldRoot().equals(subBefore)
        && s.newRoot().equals(subAfter)
        && otherBefore.equals(otherAfter)
        && Objects.equals(accountBefore.account(), accountAfter.account())
        && checkAccount(account, 1);
  }

  private boolean checkMarket(LeafChange.MarketChange c) {
    if (steps.size() != 1 || accountBefore != null || accountAfter != null) {
      return false;
    }
    TreeUpdate s = steps.get(0);
    return s.tree() == TreeKind.MARKETS
        && s.index() == c.market()
        && s.oldLeaf().equals(c.before() == null ? Fr.ZERO : c.before().leafHash())
        && s.newLeaf().equals(c.after().leafHash())
        && s.oldRoot().equals(before.marketsRoot())
        && s.newRoot().equals(after.marketsRoot())
        && before.accountsRoot().equals(after.accountsRoot())
        && before.globalLeaf().equals(after.globalLeaf());
  }

  private boolean checkGlobal(LeafChange.GlobalChange c) {
    return steps.isEmpty()
        && before.globalLeaf().equals(c.before().leafHash())
        && after.globalLeaf().equals(c.after().leafHash())
        && before.accountsRoot().equals(after.accountsRoot())
        && before.marketsRoot().equals(after.marketsRoot());
  }

  private static Fr leafOf(Object record) {
    return switch (record) {
      case null -> Fr.ZERO;
      case Position p -> p.leafHash();
      case Fill f -> f.leafHash();
      case Market m -> m.leafHash();
      case GlobalState g -> g.leafHash();
      default -> throw new IllegalArgumentException("not a leaf record: " + record);
    };
  }
}
