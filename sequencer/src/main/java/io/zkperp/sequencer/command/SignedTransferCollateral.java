package io.zkperp.sequencer.command;

import java.util.Arrays;

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
 * @param signature the 64-byte EdDSA signature
 */
public record SignedTransferCollateral(int from, int to, long amount, long nonce, byte[] signature)
    implements Command {
  /** Checks and copies the signature. */
  public SignedTransferCollateral {
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
    return o instanceof SignedTransferCollateral t
        && t.from == from
        && t.to == to
        && t.amount == amount
        && t.nonce == nonce
        && Arrays.equals(t.signature, signature);
  }

  @Override
  public int hashCode() {
    return (((from * 31 + to) * 31 + Long.hashCode(amount)) * 31 + Long.hashCode(nonce)) * 31
        + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedTransferCollateral[from="
        + from
        + ", to="
        + to
        + ", amount="
        + amount
        + ", nonce="
        + nonce
        + "]";
  }
}
