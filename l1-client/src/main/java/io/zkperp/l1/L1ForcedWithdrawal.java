package io.zkperp.l1;

import io.zkperp.batcher.L2Transaction;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A forced withdrawal requested on L1 (event {@code ForcedWithdrawalRequested}): the account's
 * owner asks for {@code amount} of its L2 collateral; a batch must serve it (pay it if the account
 * holds it, else refuse it) before the deadline. Immutable; any thread.
 *
 * @param index position in the priority queue (0-based)
 * @param accountId the L2 account
 * @param owner the requester, the account's bound owner
 * @param amount requested collateral quanta
 * @param priorityHashAfter the rolling hash after this request
 * @param deadline unix seconds after which, unserved, it lets anyone freeze the rollup
 */
public record L1ForcedWithdrawal(
    long index, int accountId, L1Address owner, long amount, Fr priorityHashAfter, long deadline)
    implements L1PriorityOp {

  /** Checks for nulls. */
  public L1ForcedWithdrawal {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(priorityHashAfter, "priorityHashAfter");
  }

  @Override
  public L2Transaction.ForcedWithdrawal toTransaction() {
    return new L2Transaction.ForcedWithdrawal(accountId, owner, amount);
  }

  static L1ForcedWithdrawal of(
      BigInteger index,
      BigInteger accountId,
      String owner,
      BigInteger amount,
      BigInteger priorityHash,
      BigInteger deadline) {
    return new L1ForcedWithdrawal(
        index.longValueExact(),
        accountId.intValueExact(),
        L1Address.fromHex(owner),
        amount.longValueExact(),
        Fr.fromBigInteger(priorityHash),
        deadline.longValueExact());
  }
}
