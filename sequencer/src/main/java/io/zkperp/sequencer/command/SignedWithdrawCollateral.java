package io.zkperp.sequencer.command;

import java.util.Arrays;

/**
 * A withdrawal signed by the account's key in the batcher's transaction format ({@code
 * TransactionMessages.withdrawal(account, owner, amount, nonce)}), to the account's bound L1 owner:
 * applied like {@link WithdrawCollateral} (within free collateral, record {@code Withdrawn}); the
 * signature and the account's transaction nonce travel in the journal so that the settlement can
 * prove the withdrawal. The core checks neither the signature nor the nonce: whoever submits it
 * (the settling node) checks both against the account's key, owner and next nonce before
 * submitting, and the circuit checks them again. Immutable; any thread.
 *
 * @param account the account (≥ 0)
 * @param amount collateral quanta (&gt; 0)
 * @param nonce the account's transaction nonce (its withdrawals and transfers so far)
 * @param signature the 64-byte EdDSA signature
 */
public record SignedWithdrawCollateral(int account, long amount, long nonce, byte[] signature)
    implements Command {
  /** Checks and copies the signature. */
  public SignedWithdrawCollateral {
    signature = CommandSignatures.checked(signature).clone();
  }

  /**
   * The signature.
   *
   * @return a copy of the 64 bytes
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedWithdrawCollateral w
        && w.account == account
        && w.amount == amount
        && w.nonce == nonce
        && Arrays.equals(w.signature, signature);
  }

  @Override
  public int hashCode() {
    return ((account * 31 + Long.hashCode(amount)) * 31 + Long.hashCode(nonce)) * 31
        + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedWithdrawCollateral[account="
        + account
        + ", amount="
        + amount
        + ", nonce="
        + nonce
        + "]";
  }
}
