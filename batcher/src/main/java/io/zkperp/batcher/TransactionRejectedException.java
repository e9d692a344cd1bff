package io.zkperp.batcher;

import java.util.Objects;

/**
 * A transaction the batcher refused; the state and the batch are unchanged. Immutable; any thread.
 */
public final class TransactionRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The reason. */
  private final RejectionReason reason;

  /**
   * Creates the exception.
   *
   * @param reason the reason
   * @param message what was wrong and what would be accepted
   */
  public TransactionRejectedException(RejectionReason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * The reason.
   *
   * @return the reason
   */
  public RejectionReason reason() {
    return reason;
  }
}
