package io.zkperp.node.v3;

import io.zkperp.l1.EscapeProofs;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.state.v2.ProofsV2;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * An account's escape proof in the layout v2 state of the last batch committed on L1: the account
 * proof (leaf preimage with its positions and their funding snapshots, 24 siblings, markets root,
 * global leaf) and one market proof per held market in entry order, which is what {@code
 * ZkPerpRollupV3.escape} takes ({@link #contractArgument}). Immutable; any thread.
 *
 * @param batch the batch whose state it is (the last committed on L1)
 * @param stateRoot that batch's new state root (L1's {@code stateRoot} while it is the last)
 * @param account the account's proof
 * @param markets the held markets' proofs, in entry order
 */
public record V3EscapeProof(
    long batch, Fr stateRoot, ProofsV2.AccountProof account, List<ProofsV2.MarketProof> markets) {
  private static final int PRICE_FRACTION_BITS = 32;

  /** Checks and copies. */
  public V3EscapeProof {
    Objects.requireNonNull(stateRoot, "stateRoot");
    Objects.requireNonNull(account, "account");
    markets = List.copyOf(markets);
  }

  /**
   * Whether every part leads to a state root.
   *
   * @param root the root to check against
   * @return true if the account proof and each market proof give {@code root}
   */
  public boolean verifies(Fr root) {
    return account.verifies(root) && markets.stream().allMatch(m -> m.verifies(root));
  }

  /**
   * What {@code EscapeV2.payout} owes the account: collateral + Σ ⌊−(F − snapshot)·size / 2^32⌋ + Σ
   * ⌊size·p / 2^32⌋ over the held positions at the proven market leaves (exact integers), 0 if
   * negative. The contract credits min(owed, the verified collateral left).
   *
   * @return the amount owed, collateral quanta
   */
  public BigInteger owed() {
    AccountV2 a = account.account();
    BigInteger total = BigInteger.valueOf(a.collateral());
    int next = 0;
    for (PositionEntry e : a.positions().entries()) {
      if (e.isEmpty()) {
        continue;
      }
      var m = markets.get(next++).market();
      BigInteger size = BigInteger.valueOf(e.size());
      BigInteger dIndex =
          BigInteger.valueOf(m.fundingIndex()).subtract(BigInteger.valueOf(e.fundingSnapshot()));
      // shiftRight of a negative BigInteger is the floor, as Solidity's arithmetic shift
      total = total.add(dIndex.negate().multiply(size).shiftRight(PRICE_FRACTION_BITS));
      BigInteger price = new BigInteger(Long.toUnsignedString(m.oraclePrice()));
      total = total.add(size.multiply(price).shiftRight(PRICE_FRACTION_BITS));
    }
    return total.max(BigInteger.ZERO);
  }

  /**
   * The argument of {@code ZkPerpRollupV3.escape}.
   *
   * @return the wrapper's {@code EscapeV2.Proof} struct
   */
  public ZkPerpRollupV3.Proof contractArgument() {
    return EscapeProofs.v3(account, markets);
  }
}
