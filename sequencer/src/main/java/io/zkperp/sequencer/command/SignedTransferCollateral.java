package io.zkperp.sequencer.command;

/**
 * A transfer signed by the sender's key in the batcher's transaction format ({@code
 * TransactionMessages.transfer(from, to, amount, nonce)}): applied like {@link TransferCollateral}
 * (within the sender's free collateral, record {@code Transferred}); the signature and the sender's
 * transaction nonce travel in the journal so that the settlement can prove the transfer. The core
 * checks neither: the settling node checks both before submitting, and the circuit again.
 * Immutable; any thread.
 *
 * @param from the sender (≥ 0)
 * @param to the receiver (≥ 0, ≠ from)
 * @param amount collateral quanta (&gt; 0)
 * @param nonce the sender's transaction nonce
 * @param authorisation the 64-byte EdDSA signature
 */
public record SignedTransferCollateral(
    int from, int to, long amount, long nonce, TraderSignature authorisation)
    implements Command, TraderSigned {
  /** Checks that the signature is present. */
  public SignedTransferCollateral {
    TraderSignature.requiredPresent(authorisation);
  }

  /**
   * The command with its signature bytes.
   *
   * @param from see the record
   * @param to see the record
   * @param amount see the record
   * @param nonce see the record
   * @param signature 64 bytes
   * @throws IllegalArgumentException if the signature has another length
   */
  public SignedTransferCollateral(int from, int to, long amount, long nonce, byte[] signature) {
    this(from, to, amount, nonce, TraderSignature.of(signature));
  }
}
