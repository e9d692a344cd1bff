package io.zkperp.node;

import io.zkperp.batcher.L2Transaction;

/**
 * The signed-message format in which a node takes withdrawals and transfers: the one its batches
 * prove. A format v2 node settles {@link Format1Transactions format 1} (no domain, the batcher's
 * {@code TransactionMessages}); a format v3 node {@link Format2Transactions format 2} (the
 * protocol's {@code WithdrawalMessage} and {@code TransferMessage} in the deployment's domain), and
 * refuses what its batch shape has no slot for. {@code RollupNode.open} picks one; {@link
 * SignedTransactions} asks it. Implementations are immutable; any thread.
 */
public interface TransactionSignatureFormat {
  /**
   * The format's number, as {@code perp_getDomain} reports it ({@code transactionFormatVersion}).
   *
   * @return 1 or 2
   */
  int version();

  /**
   * Whether the withdrawal's signature verifies under the account's key in this format.
   *
   * @param w the withdrawal
   * @param account the account's binding (its L1 owner, whom the message names, and its key)
   * @return true iff valid; false for malformed signature bytes too
   */
  boolean verifies(L2Transaction.Withdrawal w, L2Accounts.Bound account);

  /**
   * Whether the transfer's signature verifies under the sender's key in this format.
   *
   * @param t the transfer
   * @param sender the sender's binding
   * @return true iff valid; false for malformed signature bytes too
   */
  boolean verifies(L2Transaction.Transfer t, L2Accounts.Bound sender);

  /**
   * Refuses a transfer the node could not settle (its batch shape has no transfer slot); nothing
   * for a format that settles every transfer.
   *
   * @throws NodeRejectedException reason {@link NodeRejectedException.Reason#NOT_IN_BATCH_SHAPE}
   */
  void checkTransferSettles();
}
