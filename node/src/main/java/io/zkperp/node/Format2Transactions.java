package io.zkperp.node;

import io.zkperp.batcher.L2Transaction;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.TransferMessage;
import io.zkperp.protocol.message.WithdrawalMessage;
import java.util.Objects;

/**
 * Signed-message format 2, what format v3 batches prove: the protocol's {@link WithdrawalMessage}
 * and {@link TransferMessage} in the deployment's {@link MessageDomain} (a signature for another
 * chain or rollup does not verify). A transfer is refused when the node's batch shape has no
 * transfer slot (it could never be settled). Immutable; any thread.
 */
public final class Format2Transactions implements TransactionSignatureFormat {
  /** Withdrawals and transfers are rare next to orders: no key tables kept. */
  private static final SignatureVerifier VERIFIER = new JavaSignatureVerifier(1);

  private final MessageDomain domain;
  private final String shapeName;
  private final int transferSlots;

  /**
   * The format of a format v3 node.
   *
   * @param domain the deployment's domain
   * @param shapeName the batch shape's name, for the refusal's message
   * @param transferSlots the shape's transfer slots (0: every transfer is refused)
   * @throws IllegalArgumentException if {@code transferSlots} is negative
   */
  public Format2Transactions(MessageDomain domain, String shapeName, int transferSlots) {
    this.domain = Objects.requireNonNull(domain, "domain");
    this.shapeName = Objects.requireNonNull(shapeName, "shapeName");
    if (transferSlots < 0) {
      throw new IllegalArgumentException("transfer slots must be ≥ 0: " + transferSlots);
    }
    this.transferSlots = transferSlots;
  }

  /**
   * The domain signatures are checked in.
   *
   * @return the deployment's domain
   */
  public MessageDomain domain() {
    return domain;
  }

  @Override
  public int version() {
    return MessageDomain.FORMAT_VERSION;
  }

  @Override
  public boolean verifies(L2Transaction.Withdrawal w, L2Accounts.Bound account) {
    return new WithdrawalMessage(w.account(), account.owner(), w.amount(), w.nonce())
        .verify(VERIFIER, account.key(), w.signature().bytes(), domain);
  }

  @Override
  public boolean verifies(L2Transaction.Transfer t, L2Accounts.Bound sender) {
    return new TransferMessage(t.from(), t.to(), t.amount(), t.nonce())
        .verify(VERIFIER, sender.key(), t.signature().bytes(), domain);
  }

  @Override
  public void checkTransferSettles() {
    if (transferSlots == 0) {
      throw new NodeRejectedException(
          NodeRejectedException.Reason.NOT_IN_BATCH_SHAPE,
          "the node's batch shape "
              + shapeName
              + " has no transfer slot: a transfer could not be settled on L1");
    }
  }

  @Override
  public String toString() {
    return "signed-message format 2 for chain "
        + Long.toUnsignedString(domain.chainId())
        + " and rollup "
        + domain.rollupAddress();
  }
}
