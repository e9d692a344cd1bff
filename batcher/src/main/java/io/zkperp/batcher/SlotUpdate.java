package io.zkperp.batcher;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.state.AccountLeaf;
import java.util.List;
import java.util.Objects;

/**
 * One accounts-tree update of a slot as the witness carries it: the account leaf before (its {@code
 * account()} is null for an empty slot) and the 24 siblings of the path. Immutable; any thread.
 *
 * @param before the leaf preimage before the update
 * @param siblings siblings from the leaf upward
 */
public record SlotUpdate(AccountLeaf before, List<Fr> siblings) {
  /** Copies and checks the siblings. */
  public SlotUpdate {
    Objects.requireNonNull(before, "before");
    siblings = List.copyOf(siblings);
    if (siblings.size() != StateLayout.ACCOUNTS_DEPTH) {
      throw new IllegalArgumentException(
          "an accounts-tree path has " + StateLayout.ACCOUNTS_DEPTH + " siblings");
    }
  }
}
