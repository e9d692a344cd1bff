package io.zkperp.batcher;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;

/**
 * Forwards to {@link io.zkperp.protocol.message.TransactionMessages}, where the withdrawal,
 * transfer, deposit and forced-withdrawal hashes are defined; kept only so that modules not yet
 * moved to the protocol class (l1-client's tests) keep compiling. New code uses the protocol class.
 * Stateless; any thread.
 */
public final class TransactionMessages {
  /** {@link io.zkperp.protocol.message.TransactionMessages#TAG_WITHDRAWAL}. */
  public static final Fr TAG_WITHDRAWAL =
      io.zkperp.protocol.message.TransactionMessages.TAG_WITHDRAWAL;

  /** {@link io.zkperp.protocol.message.TransactionMessages#TAG_TRANSFER}. */
  public static final Fr TAG_TRANSFER = io.zkperp.protocol.message.TransactionMessages.TAG_TRANSFER;

  /** {@link io.zkperp.protocol.message.TransactionMessages#TAG_DEPOSIT}. */
  public static final Fr TAG_DEPOSIT = io.zkperp.protocol.message.TransactionMessages.TAG_DEPOSIT;

  /** {@link io.zkperp.protocol.message.TransactionMessages#TAG_FORCED_WITHDRAWAL}. */
  public static final Fr TAG_FORCED_WITHDRAWAL =
      io.zkperp.protocol.message.TransactionMessages.TAG_FORCED_WITHDRAWAL;

  private TransactionMessages() {}

  /**
   * {@link io.zkperp.protocol.message.TransactionMessages#withdrawal}.
   *
   * @param account account id
   * @param owner the account's bound L1 owner
   * @param amount collateral quanta
   * @param nonce the account nonce used
   * @return the one-element message
   */
  public static Fr withdrawal(int account, L1Address owner, long amount, long nonce) {
    return io.zkperp.protocol.message.TransactionMessages.withdrawal(account, owner, amount, nonce);
  }

  /**
   * {@link io.zkperp.protocol.message.TransactionMessages#transfer}.
   *
   * @param from sender account id
   * @param to receiver account id
   * @param amount collateral quanta
   * @param nonce the sender's account nonce used
   * @return the one-element message
   */
  public static Fr transfer(int from, int to, long amount, long nonce) {
    return io.zkperp.protocol.message.TransactionMessages.transfer(from, to, amount, nonce);
  }

  /**
   * {@link io.zkperp.protocol.message.TransactionMessages#depositHash}.
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
    return io.zkperp.protocol.message.TransactionMessages.depositHash(
        account, owner, publicKeyX, publicKeyY, amount);
  }

  /**
   * {@link io.zkperp.protocol.message.TransactionMessages#forcedWithdrawalHash}.
   *
   * @param account account id
   * @param owner L1 owner (the requester)
   * @param amount requested collateral quanta
   * @return the hash
   */
  public static Fr forcedWithdrawalHash(int account, L1Address owner, long amount) {
    return io.zkperp.protocol.message.TransactionMessages.forcedWithdrawalHash(
        account, owner, amount);
  }

  /**
   * {@link io.zkperp.protocol.message.TransactionMessages#nextPriorityHash}.
   *
   * @param previous the hash so far
   * @param depositHash the deposit hash
   * @return the extended hash
   */
  public static Fr nextPriorityHash(Fr previous, Fr depositHash) {
    return io.zkperp.protocol.message.TransactionMessages.nextPriorityHash(previous, depositHash);
  }
}
