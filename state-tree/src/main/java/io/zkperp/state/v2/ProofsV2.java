package io.zkperp.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.MerkleProof;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;

/**
 * Inclusion (or, for an empty slot, non-membership) proofs against a layout-v2 state root. Each
 * {@code verifies} recomputes the leaf from the record with the protocol's v2 hashing ({@code
 * io.zkperp.protocol.state.v2}), walks the Merkle path and hashes the state root.
 *
 * <p>Immutable; any thread.
 */
public final class ProofsV2 {
  private ProofsV2() {}

  /**
   * An account leaf v2 and its path in the accounts tree.
   *
   * @param accountId the account id
   * @param account the record, or null for an empty slot
   * @param fillsRoot the root of the account's fills tree (Z₁₂ when it has no fill)
   * @param path the leaf and its 24 siblings
   * @param marketsRoot the markets root of the same version
   * @param globalLeaf the global leaf of the same version
   */
  public record AccountProof(
      long accountId,
      AccountV2 account,
      Fr fillsRoot,
      MerkleProof path,
      Fr marketsRoot,
      Fr globalLeaf) {
    /**
     * The leaf the record hashes to.
     *
     * @return 0 for an empty slot, else the account leaf v2
     */
    public Fr expectedLeaf() {
      return account == null ? Fr.ZERO : account.leafHash(fillsRoot);
    }

    /**
     * Whether the record, the path and the other roots give this state root.
     *
     * @param stateRoot the root to check against
     * @return true if the proof holds
     */
    public boolean verifies(Fr stateRoot) {
      return path.index() == accountId
          && path.depth() == LayoutV2.ACCOUNTS_DEPTH
          && path.leaf().equals(expectedLeaf())
          && LayoutV2.stateRoot(path.computeRoot(), marketsRoot, globalLeaf).equals(stateRoot);
    }
  }

  /**
   * A fill leaf v2, its path in the account's fills tree and the account's proof.
   *
   * @param slot the slot (order nonce mod 2^12)
   * @param fill the record, or null for an empty slot
   * @param path the leaf and its 12 siblings
   * @param account the owning account's proof
   */
  public record FillProof(int slot, FillV2 fill, MerkleProof path, AccountProof account) {
    /**
     * Whether the fill, its path, the account's leaf and path give this state root.
     *
     * @param stateRoot the root to check against
     * @return true if the proof holds
     */
    public boolean verifies(Fr stateRoot) {
      Fr leaf = fill == null ? Fr.ZERO : fill.leafHash();
      return path.index() == slot
          && path.depth() == LayoutV2.FILLS_DEPTH
          && path.leaf().equals(leaf)
          && account.account() != null
          && path.computeRoot().equals(account.fillsRoot())
          && account.verifies(stateRoot);
    }
  }

  /**
   * A market leaf v2 and its path in the markets tree.
   *
   * @param marketId the market id
   * @param market the record, or null for an unlisted market
   * @param path the leaf and its 6 siblings
   * @param accountsRoot the accounts root of the same version
   * @param globalLeaf the global leaf of the same version
   */
  public record MarketProof(
      int marketId, MarketV2 market, MerkleProof path, Fr accountsRoot, Fr globalLeaf) {
    /**
     * Whether the record, the path and the other roots give this state root.
     *
     * @param stateRoot the root to check against
     * @return true if the proof holds
     */
    public boolean verifies(Fr stateRoot) {
      Fr leaf = market == null ? Fr.ZERO : market.leafHash();
      return path.index() == marketId
          && path.depth() == LayoutV2.MARKETS_DEPTH
          && path.leaf().equals(leaf)
          && LayoutV2.stateRoot(accountsRoot, path.computeRoot(), globalLeaf).equals(stateRoot);
    }
  }

  /**
   * The global leaf v2 with the two tree roots.
   *
   * @param global the record
   * @param accountsRoot the accounts root of the same version
   * @param marketsRoot the markets root of the same version
   */
  public record GlobalProof(GlobalV2 global, Fr accountsRoot, Fr marketsRoot) {
    /**
     * Whether the record and the roots give this state root.
     *
     * @param stateRoot the root to check against
     * @return true if the proof holds
     */
    public boolean verifies(Fr stateRoot) {
      return LayoutV2.stateRoot(accountsRoot, marketsRoot, global.leafHash()).equals(stateRoot);
    }
  }
}
