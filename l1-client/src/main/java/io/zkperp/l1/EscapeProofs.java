package io.zkperp.l1;

import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.state.AccountProof;
import io.zkperp.state.v2.ProofsV2;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the argument of {@code ZkPerpRollup.escape} from an account proof of the state tree: the
 * account's fields, its fills root, its 24 siblings in the accounts tree, and the markets root and
 * global leaf that complete the state root. The contract recomputes the state root with Poseidon2
 * and compares it with the last verified one. {@link #v3} builds the argument of {@code
 * ZkPerpRollupV3.escape} (layout v2: {@code EscapeV2.Proof}) the same way, with the account's
 * positions and one market proof per held market. Stateless; any thread.
 */
public final class EscapeProofs {
  private EscapeProofs() {}

  /**
   * The escape argument for an account.
   *
   * @param proof the account's proof in the state whose root L1 last verified (e.g. {@code
   *     RollupStateStore.view(version).accountProof(id)})
   * @return the wrapper's struct
   * @throws IllegalArgumentException if the slot is empty, the account holds positions (escape of
   *     positions needs the position proofs, which the rollup does not take yet), or the proof does
   *     not verify against its own roots
   */
  public static ZkPerpRollup.EscapeProof of(AccountProof proof) {
    Account a = proof.account();
    if (a == null) {
      throw new IllegalArgumentException("account " + proof.accountId() + " does not exist");
    }
    if (!proof.positionsRoot().equals(StateLayout.emptySubtree(StateLayout.POSITIONS_DEPTH))) {
      throw new IllegalArgumentException(
          "account "
              + proof.accountId()
              + " holds positions; escape takes collateral-only accounts");
    }
    if (!proof.verifies(proof.roots().stateRoot())) {
      throw new IllegalArgumentException(
          "proof of account " + proof.accountId() + " does not verify against its own state root");
    }
    List<BigInteger> siblings = proof.proof().siblings().stream().map(Fr::toBigInteger).toList();
    return new ZkPerpRollup.EscapeProof(
        BigInteger.valueOf(proof.accountId()),
        a.publicKeyX().toBigInteger(),
        a.publicKeyY().toBigInteger(),
        a.owner().toHex(),
        new BigInteger(Long.toUnsignedString(a.nonce())),
        BigInteger.valueOf(a.collateral()),
        proof.fillsRoot().toBigInteger(),
        siblings,
        proof.roots().marketsRoot().toBigInteger(),
        proof.roots().globalLeaf().toBigInteger());
  }

  /**
   * The argument of {@code ZkPerpRollupV3.escape} ({@code EscapeV2.Proof}, layout v2) for an
   * account: its leaf preimage (identity, nonce, collateral, fills root, the four packed position
   * elements), its 24 siblings, the markets root and the global leaf, and for each non-empty
   * position entry, in entry order, its market's leaf preimage and 6 siblings — exactly the market
   * proofs {@code EscapeV2.payout} takes (no more, no fewer).
   *
   * @param account the account's proof in the state whose root L1 last verified ({@code
   *     StateStoreV2.view(version).accountProof(id)})
   * @param markets the proofs of the markets the account holds, in its entry order, from the same
   *     view
   * @return the wrapper's struct
   * @throws IllegalArgumentException if the slot is empty, the market proofs are not exactly the
   *     held markets in entry order (or a market is unlisted), or a proof does not verify against
   *     the account proof's own state root
   */
  public static ZkPerpRollupV3.Proof v3(
      ProofsV2.AccountProof account, List<ProofsV2.MarketProof> markets) {
    AccountV2 a = account.account();
    if (a == null) {
      throw new IllegalArgumentException("account " + account.accountId() + " does not exist");
    }
    Fr root =
        io.zkperp.protocol.state.v2.LayoutV2.stateRoot(
            account.path().computeRoot(), account.marketsRoot(), account.globalLeaf());
    if (!account.verifies(root)) {
      throw new IllegalArgumentException(
          "proof of account " + account.accountId() + " does not verify against its own root");
    }
    List<ZkPerpRollupV3.MarketLeafProof> leaves = new ArrayList<>();
    int next = 0;
    for (PositionEntry e : a.positions().entries()) {
      if (e.isEmpty()) {
        continue;
      }
      if (next >= markets.size() || markets.get(next).marketId() != e.market()) {
        throw new IllegalArgumentException(
            "account "
                + account.accountId()
                + " holds market "
                + e.market()
                + ": its market proof is missing or out of entry order");
      }
      ProofsV2.MarketProof m = markets.get(next++);
      if (m.market() == null || !m.verifies(root)) {
        throw new IllegalArgumentException(
            "market " + m.marketId() + "'s proof does not verify against " + root);
      }
      leaves.add(marketLeaf(m));
    }
    if (next != markets.size()) {
      throw new IllegalArgumentException(
          markets.size() + " market proofs for " + next + " held markets");
    }
    Fr[] q = a.positions().pack();
    List<BigInteger> positions = new ArrayList<>(q.length);
    for (Fr f : q) {
      positions.add(f.toBigInteger());
    }
    ZkPerpRollupV3.AccountProof ap =
        new ZkPerpRollupV3.AccountProof(
            BigInteger.valueOf(account.accountId()),
            new ZkPerpRollupV3.Identity(
                a.identity().publicKeyX().toBigInteger(),
                a.identity().publicKeyY().toBigInteger(),
                a.identity().owner().toHex(),
                BigInteger.valueOf(a.identity().feeTier())),
            new BigInteger(Long.toUnsignedString(a.nonce())),
            BigInteger.valueOf(a.collateral()),
            account.fillsRoot().toBigInteger(),
            positions,
            account.path().siblings().stream().map(Fr::toBigInteger).toList(),
            account.marketsRoot().toBigInteger(),
            account.globalLeaf().toBigInteger());
    return new ZkPerpRollupV3.Proof(ap, leaves);
  }

  private static ZkPerpRollupV3.MarketLeafProof marketLeaf(ProofsV2.MarketProof m) {
    MarketV2 v = m.market();
    return new ZkPerpRollupV3.MarketLeafProof(
        BigInteger.valueOf(m.marketId()),
        new ZkPerpRollupV3.Market(
            new BigInteger(Long.toUnsignedString(v.oraclePrice())),
            new BigInteger(Long.toUnsignedString(v.oracleTimestamp())),
            BigInteger.valueOf(v.fundingIndex()),
            new BigInteger(Long.toUnsignedString(v.fundingTimestamp())),
            new BigInteger(Long.toUnsignedString(v.openInterest())),
            v.risk().hash().toBigInteger()),
        m.path().siblings().stream().map(Fr::toBigInteger).toList());
  }
}
