package io.zkperp.sequencer.command;

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
 * @param authorisation the 64-byte EdDSA signature
 */
public record SignedWithdrawCollateral(
    int account, long amount, long nonce, TraderSignature authorisation)
    implements Command, TraderSigned {
  /** Checks that the signature is present. */
  public SignedWithdrawCollateral {
    TraderSignature.requiredPresent(authorisation);
  }

  /**
   * The command with its signature bytes.
   *
   * @param account see the record
   * @param amount see the record
   * @param nonce see the record
   * @param signature 64 bytes
   * @throws IllegalArgumentException if the signature has another length
   */
  public SignedWithdrawCollateral(int account, long amount, long nonce, byte[] signature) {
    this(account, amount, nonce, TraderSignature.of(signature));
  }
}
