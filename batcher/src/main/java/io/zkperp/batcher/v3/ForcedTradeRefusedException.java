package io.zkperp.batcher.v3;

import java.util.Objects;

/**
 * A forced-trade request the decision does not decide (Go {@code reference.Apply}'s errors): L1
 * refuses it, or the state is one no engine configuration produces. The batch is unchanged.
 */
public final class ForcedTradeRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the request was not decided. */
  public enum Refusal {
    /** A or B does not exist. */
    NO_ACCOUNT,
    /** A and B are the same account. */
    SELF_TRADE,
    /** A or B is the insurance fund. */
    FUND_ACCOUNT,
    /** The requester is not A's owner. */
    OWNER,
    /** A request field outside what L1 queues. */
    REQUEST_RANGE,
    /** A figure beyond the reference's int64 arithmetic. */
    ARITHMETIC
  }

  private final Refusal refusal;

  /**
   * A refusal.
   *
   * @param refusal why
   * @param message details
   */
  public ForcedTradeRefusedException(Refusal refusal, String message) {
    super(message);
    this.refusal = Objects.requireNonNull(refusal, "refusal");
  }

  /**
   * Why the request was not decided.
   *
   * @return the refusal
   */
  public Refusal refusal() {
    return refusal;
  }
}
