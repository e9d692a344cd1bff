package io.zkperp.l1;

import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.state.AccountProof;
import java.math.BigInteger;
import java.util.List;

/**
 * Builds the argument of {@code ZkPerpRollup.escape} from an account proof of the state tree: the
 * account's fields, its fills root, its 24 siblings in the accounts tree, and the markets root and
 * global leaf that complete the state root. The contract recomputes the state root with Poseidon2
 * and compares it with the last verified one. Stateless; any thread.
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
}
