package io.zkperp.batcher.v3.ticks;

/**
 * Why a tick step was refused: one value per rule of the Go references ({@code
 * perp/reference/ticks.go}, {@code tickstep/period_start_apply.go}, named by {@link #ruleName}) and
 * one per other refusal of {@code tickstep} ({@code ErrUnknownMarket}, {@code ErrOutOfRange}).
 * Immutable; any thread.
 */
public enum TickRefusalReason {
  /** Oracle: a report is for another market. */
  MARKET_MISMATCH("MARKET_MISMATCH"),
  /** Oracle: a report names a signer slot outside the signer set, or an empty slot inside it. */
  UNKNOWN_SIGNER("UNKNOWN_SIGNER"),
  /** Oracle: two reports of one signer. */
  DUPLICATE_SIGNER("DUPLICATE_SIGNER"),
  /** Oracle: a report's price ≤ 0; funding and period start: the market has no oracle price. */
  NON_POSITIVE_PRICE("NON_POSITIVE_PRICE"),
  /** Oracle: a report's timestamp is before now − oracleMaxAgeSeconds. */
  STALE("STALE"),
  /** Oracle: a report's timestamp is after now + oracleMaxFutureSeconds. */
  FUTURE_TIMESTAMP("FUTURE_TIMESTAMP"),
  /** Oracle: fewer reports than the global leaf's quorum (or none). */
  QUORUM_NOT_MET("QUORUM_NOT_MET"),
  /** Oracle: the oldest report is not newer than the market's oracle timestamp. */
  NOT_NEWER("NOT_NEWER"),
  /** Oracle: a report's signature does not verify under its slot's key in the domain. */
  BAD_SIGNATURE("BAD_SIGNATURE"),
  /** Oracle: the lower median moves more than oracleMaxMovePpm from the market's price. */
  MOVE_TOO_LARGE("MOVE_TOO_LARGE"),
  /** Oracle: more reports than the signer tree's 16 slots. */
  TOO_MANY_REPORTS("TOO_MANY_REPORTS"),
  /** Every tick: its time is after the batch time T. */
  AFTER_BATCH_TIME("AFTER_BATCH_TIME"),
  /** Oracle: the engine record's price is not the lower median of the reports. */
  NOT_MEDIAN("NOT_MEDIAN"),
  /** Oracle: the engine record's timestamp is not the oldest report's. */
  NOT_OLDEST("NOT_OLDEST"),
  /** Funding: Δt is below fundingMinIntervalSeconds. */
  TOO_EARLY("TOO_EARLY"),
  /** Funding: Δt ≤ 0. */
  NON_POSITIVE_INTERVAL("NON_POSITIVE_INTERVAL"),
  /** Funding: Δt above 10^9 s, or fundingMaxRatePpm outside 0 … 10^9. */
  INTERVAL_OR_RATE_OUT_OF_RANGE("OUT_OF_RANGE"),
  /** Funding: |Δindex| above ⌊maxRate · Δt · price / (10^6 · 28,800)⌋. */
  RATE_BOUND_EXCEEDED("RATE_BOUND_EXCEEDED"),
  /** Funding: the new index leaves the int64 range. */
  INDEX_OVERFLOW("INDEX_OVERFLOW"),
  /** Period start: the market's funding period has started already (fundingTimestamp ≠ 0). */
  PERIOD_ALREADY_STARTED("PERIOD_ALREADY_STARTED"),
  /** Period start: now ≤ 0. */
  NON_POSITIVE_TIME("NON_POSITIVE_TIME"),
  /** Period start: now + oracleMaxFutureSeconds is before the market's oracle timestamp. */
  BEFORE_ORACLE_TIME("BEFORE_ORACLE_TIME"),
  /** The market id is outside 0 … 63 or the market is not listed. */
  UNKNOWN_MARKET(null),
  /**
   * A value of the tick or of the market leaf does not fit the ranges the tick circuit reads (a
   * negative time, batch time or report timestamp, a leaf value of 2^63 or more, oracleMaxMovePpm
   * of 2^20 or more).
   */
  VALUE_OUT_OF_RANGE(null);

  private final String ruleName;

  TickRefusalReason(String ruleName) {
    this.ruleName = ruleName;
  }

  /**
   * The Go reference's rule name.
   *
   * @return the {@code reference.TickRule} string, or null for a refusal that is not a rule break
   */
  public String ruleName() {
    return ruleName;
  }
}
