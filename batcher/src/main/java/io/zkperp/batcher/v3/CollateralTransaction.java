package io.zkperp.batcher.v3;

/**
 * One of the four collateral transactions of the layout v2 steps (docs/batch-format.md, "Format v3
 * (draft): collateral steps"). Implementations are immutable; any thread.
 */
public sealed interface CollateralTransaction
    permits DepositTransaction,
        WithdrawalTransaction,
        TransferTransaction,
        ForcedWithdrawalTransaction {
  /**
   * The account the transaction names (a transfer's sender), unsigned 32 bits.
   *
   * @return the account id
   */
  int account();
}
