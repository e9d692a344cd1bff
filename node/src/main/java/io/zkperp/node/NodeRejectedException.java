package io.zkperp.node;

/**
 * The node refused a signed withdrawal or transfer before submitting it: nothing reached the
 * engine. Unchecked; immutable.
 */
public final class NodeRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** The account (or the receiver) has no credited L1 deposit. */
    UNKNOWN_ACCOUNT,
    /** The nonce is not the account's next. */
    WRONG_NONCE,
    /**
     * The signature does not verify under the account's key (in the node's signed-message format,
     * and on a format v3 node in its domain: a signature for another chain or rollup is this).
     */
    BAD_SIGNATURE,
    /** The node's batch shape has no slot for this transaction: it could not be settled on L1. */
    NOT_IN_BATCH_SHAPE
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason the typed reason
   * @param message what was wrong
   */
  public NodeRejectedException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  /**
   * The typed reason.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
