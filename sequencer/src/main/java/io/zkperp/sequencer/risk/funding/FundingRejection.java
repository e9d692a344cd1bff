package io.zkperp.sequencer.risk.funding;

/**
 * Why a premium sample, a funding tick or a tick check was refused. Nothing changes on a refusal.
 * Codes are stable. Immutable; any thread.
 */
public enum FundingRejection {
  /** The market has no funding configuration. */
  MARKET_NOT_CONFIGURED(1),
  /** The index (oracle) price is zero or negative (the market has no oracle price yet). */
  NON_POSITIVE_PRICE(2),
  /** The time is before the market's last sample or the start of its funding period. */
  TIME_WENT_BACKWARDS(3),
  /** The book view breaks its contract (bad level, not best first). */
  INVALID_BOOK(4),
  /** A tick for a market that was never sampled (its funding period has not started). */
  NOT_STARTED(5),
  /** The tick's interval Δt is not positive. */
  NON_POSITIVE_INTERVAL(6),
  /** |Δindex| exceeds maxRate · price · Δt. */
  RATE_BOUND_EXCEEDED(7),
  /** An intermediate value leaves the 64-bit range. */
  OUT_OF_RANGE(8);

  private final int code;

  FundingRejection(int code) {
    this.code = code;
  }

  /**
   * The stable numeric code.
   *
   * @return the code
   */
  public int code() {
    return code;
  }
}
