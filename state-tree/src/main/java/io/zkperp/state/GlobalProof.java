package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.GlobalState;
import java.util.Objects;

/**
 * Proof of the global leaf: its fields with the accounts and markets roots, from which a verifier
 * recomputes the state root.
 *
 * <p>Immutable; any thread.
 *
 * @param global the global leaf's fields
 * @param roots the state roots of the version
 */
public record GlobalProof(GlobalState global, StateRoots roots) {
  /** Validates non-null parts. */
  public GlobalProof {
    Objects.requireNonNull(global, "global");
    Objects.requireNonNull(roots, "roots");
  }

  /**
   * Checks the proof against a trusted state root.
   *
   * @param stateRoot the trusted state root
   * @return true if the global leaf hashes with the roots to the state root
   */
  public boolean verifies(Fr stateRoot) {
    return roots.stateRoot().equals(stateRoot)
        && roots.isConsistent()
        && roots.globalLeaf().equals(global.leafHash());
  }
}
