package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.MerkleProof;
import java.util.Objects;

/**
 * Proof of a market (or of its absence) in the markets tree.
 *
 * <p>Immutable; any thread.
 *
 * @param marketId the market id (leaf index)
 * @param market the market, or null if not listed
 * @param proof the market leaf and its 6 siblings
 * @param roots the state roots of the version
 */
public record MarketProof(int marketId, Market market, MerkleProof proof, StateRoots roots) {
  /** Validates non-null parts. */
  public MarketProof {
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(roots, "roots");
  }

  /**
   * Checks the proof against a trusted state root.
   *
   * @param stateRoot the trusted state root
   * @return true if the market leaf is in the markets tree of that state
   */
  public boolean verifies(Fr stateRoot) {
    Fr leaf = market == null ? Fr.ZERO : market.leafHash();
    return roots.stateRoot().equals(stateRoot)
        && roots.isConsistent()
        && proof.index() == marketId
        && proof.depth() == TreeKind.MARKETS.depth()
        && proof.leaf().equals(leaf)
        && proof.verifies(roots.marketsRoot());
  }
}
