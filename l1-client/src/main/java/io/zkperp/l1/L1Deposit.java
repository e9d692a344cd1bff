package io.zkperp.l1;

import io.zkperp.batcher.L2Transaction;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A deposit as queued on L1 (event {@code DepositQueued}): its position in the priority queue, the
 * L2 account and key it names, its L1 owner and amount, and the rolling priority hash after it.
 * Immutable; any thread.
 *
 * @param index position in the priority queue (0-based)
 * @param accountId the L2 account
 * @param owner the L1 owner (the depositor)
 * @param key the L2 public key
 * @param amount collateral quanta
 * @param priorityHashAfter the rolling hash after this deposit
 * @param deadline unix seconds after which an unconsumed deposit lets anyone freeze the rollup
 */
public record L1Deposit(
    long index,
    int accountId,
    L1Address owner,
    EdDsaPublicKey key,
    long amount,
    Fr priorityHashAfter,
    long deadline)
    implements L1PriorityOp {

  /** Checks for nulls. */
  public L1Deposit {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(priorityHashAfter, "priorityHashAfter");
  }

  @Override
  public L2Transaction.Deposit toTransaction() {
    return new L2Transaction.Deposit(accountId, owner, key, amount);
  }

  static L1Deposit of(
      BigInteger index,
      BigInteger accountId,
      String owner,
      BigInteger keyX,
      BigInteger keyY,
      BigInteger amount,
      BigInteger priorityHash,
      BigInteger deadline) {
    return new L1Deposit(
        index.longValueExact(),
        accountId.intValueExact(),
        L1Address.fromHex(owner),
        EdDsaPublicKey.of(Fr.fromBigInteger(keyX), Fr.fromBigInteger(keyY)),
        amount.longValueExact(),
        Fr.fromBigInteger(priorityHash),
        deadline.longValueExact());
  }
}
