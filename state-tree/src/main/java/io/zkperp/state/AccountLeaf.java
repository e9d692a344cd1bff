package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import java.util.Objects;

/**
 * The preimage of an account leaf: the account's own fields and the roots of its positions and
 * fills trees.
 *
 * <p>Immutable; any thread.
 *
 * @param account the account's fields, or null if the slot is empty (no account)
 * @param positionsRoot root of the account's positions tree ({@code Z_6} when empty)
 * @param fillsRoot root of the account's fills tree ({@code Z_16} when empty)
 */
public record AccountLeaf(Account account, Fr positionsRoot, Fr fillsRoot) {
  /** Validates that the roots are present. */
  public AccountLeaf {
    Objects.requireNonNull(positionsRoot, "positionsRoot");
    Objects.requireNonNull(fillsRoot, "fillsRoot");
  }

  /**
   * The leaf hash: 0 for an empty slot, else {@link Account#leafHash}.
   *
   * @return the leaf
   */
  public Fr leafHash() {
    return account == null ? Fr.ZERO : account.leafHash(positionsRoot, fillsRoot);
  }
}
