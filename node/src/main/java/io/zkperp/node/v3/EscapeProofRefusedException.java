package io.zkperp.node.v3;

import java.util.Objects;

/**
 * Why {@link V3EscapeProofs} gives no escape proof for an account; nothing is read or written
 * beyond the stores' views. Immutable; any thread.
 */
public final class EscapeProofRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What is missing. */
  public enum Reason {
    /** No batch is committed on L1 yet: the verified state is the genesis. */
    NO_VERIFIED_BATCH,
    /** The account's slot is empty in the state L1 verified last. */
    UNKNOWN_ACCOUNT,
    /** The insurance fund does not escape (the contract refuses it). */
    INSURANCE_FUND,
    /**
     * The verified state is not a tree version this node can read: pruned (more commands settled
     * since than the tree keeps), or the batch ends inside a command (a taker crossing more makers
     * than the shape has trade slots: only whole commands are versions).
     */
    STATE_NOT_KEPT,
    /** The stores disagree: the tree's version does not have the root the batch committed. */
    STORES_DISAGREE
  }

  private final Reason reason;

  /**
   * The refusal.
   *
   * @param reason what is missing
   * @param message what, naming the account and the batch
   */
  public EscapeProofRefusedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * What is missing.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
