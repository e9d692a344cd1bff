package io.zkperp.protocol.message;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.StateLayout;

/**
 * What each collateral transaction signs, and the deposit and forced-withdrawal priority-operation
 * hashes, exactly as the circuit and the L1 contract compute them (docs/batch-format.md §1). These
 * are signed-message format version 1: a type tag but no {@link MessageDomain} (no chain id, no
 * rollup address). Their domain separation comes with the next circuit format; until then a
 * withdrawal or transfer signature is valid on every deployment where the key is reused
 * (docs/state-layout.md, "Signed messages"). Stateless; any thread.
 */
public final class TransactionMessages {
  /** Tag of withdrawal messages: {@code "zkperp/withdrawal/v1"}. */
  public static final Fr TAG_WITHDRAWAL = StateLayout.tag("zkperp/withdrawal/v1");

  /** Tag of transfer messages: {@code "zkperp/transfer/v1"}. */
  public static final Fr TAG_TRANSFER = StateLayout.tag("zkperp/transfer/v1");

  /** Tag of deposit priority operations: {@code "zkperp/deposit/v1"}. */
  public static final Fr TAG_DEPOSIT = StateLayout.tag("zkperp/deposit/v1");

  /** Domain tag of forced-withdrawal priority operations. */
  public static final Fr TAG_FORCED_WITHDRAWAL = StateLayout.tag("zkperp/forced-withdrawal/v1");

  private TransactionMessages() {}

  /**
   * The message an account signs to withdraw: {@code H(TAG_WITHDRAWAL, account, owner, amount,
   * nonce)}.
   *
   * @param account account id
   * @param owner the account's bound L1 owner (who is paid)
   * @param amount collateral quanta, ≥ 0
   * @param nonce the account nonce used (unsigned)
   * @return the one-element message
   */
  public static Fr withdrawal(int account, L1Address owner, long amount, long nonce) {
    return Poseidon2.hash(
        TAG_WITHDRAWAL,
        Fr.fromUnsignedLong(account),
        owner.toField(),
        Fr.fromUnsignedLong(amount),
        Fr.fromUnsignedLong(nonce));
  }

  /**
   * The message the sender signs: {@code H(TAG_TRANSFER, from, to, amount, nonce)}.
   *
   * @param from sender account id
   * @param to receiver account id
   * @param amount collateral quanta, ≥ 0
   * @param nonce the sender's account nonce used (unsigned)
   * @return the one-element message
   */
  public static Fr transfer(int from, int to, long amount, long nonce) {
    return Poseidon2.hash(
        TAG_TRANSFER,
        Fr.fromUnsignedLong(from),
        Fr.fromUnsignedLong(to),
        Fr.fromUnsignedLong(amount),
        Fr.fromUnsignedLong(nonce));
  }

  /**
   * The hash of one deposit as the L1 contract records it: {@code H(TAG_DEPOSIT, account, owner,
   * publicKeyX, publicKeyY, amount)}.
   *
   * @param account account id
   * @param owner L1 owner
   * @param publicKeyX key x
   * @param publicKeyY key y
   * @param amount collateral quanta
   * @return the hash
   */
  public static Fr depositHash(
      int account, L1Address owner, Fr publicKeyX, Fr publicKeyY, long amount) {
    return Poseidon2.hash(
        TAG_DEPOSIT,
        Fr.fromUnsignedLong(account),
        owner.toField(),
        publicKeyX,
        publicKeyY,
        Fr.fromUnsignedLong(amount));
  }

  /**
   * The hash of one forced-withdrawal request as the L1 contract records it: {@code
   * H(TAG_FORCED_WITHDRAWAL, account, owner, amount)}, the owner being the requester.
   *
   * @param account account id
   * @param owner L1 owner (the requester)
   * @param amount requested collateral quanta
   * @return the hash
   */
  public static Fr forcedWithdrawalHash(int account, L1Address owner, long amount) {
    return Poseidon2.hash(
        TAG_FORCED_WITHDRAWAL,
        Fr.fromUnsignedLong(account),
        owner.toField(),
        Fr.fromUnsignedLong(amount));
  }

  /**
   * Extends the L1 priority-operation rolling hash by one operation: {@code Compress(previous,
   * depositHash)}; the chain starts at 0.
   *
   * @param previous the hash so far
   * @param depositHash {@link #depositHash}
   * @return the extended hash
   */
  public static Fr nextPriorityHash(Fr previous, Fr depositHash) {
    return Poseidon2.compress(previous, depositHash);
  }
}
