package io.zkperp.state;

import java.util.List;

/**
 * The leaves one committed version changed, relative to the version before it, sorted by {@link
 * LeafChange#ORDER}. Version 0 (genesis) has no changes.
 *
 * <p>Immutable; any thread.
 *
 * @param version the version
 * @param changes the changed leaves, sorted
 */
public record StateDiff(long version, List<LeafChange> changes) {
  /** Copies the list. */
  public StateDiff {
    changes = List.copyOf(changes);
  }
}
