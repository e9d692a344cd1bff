package io.zkperp.sequencer.risk.oracle;

/**
 * The outcome of {@link OracleAggregator#aggregate}: an accepted price or a typed rejection.
 * Immutable; any thread.
 */
public sealed interface OracleResult {
  /**
   * An accepted price, also the "previous" price for the next batch of the market.
   *
   * @param market the market id
   * @param price the lower median of the reported prices, 32.32 fixed point (&gt; 0)
   * @param timestamp the oldest report timestamp of the batch (the age of the price is that of its
   *     oldest input); the next batch's oldest report must be strictly newer
   * @param signers how many reports (distinct signers) the batch had
   */
  record Accepted(int market, long price, long timestamp, int signers) implements OracleResult {}

  /**
   * A rejected batch; nothing changes.
   *
   * @param reason the typed reason
   * @param message what was wrong and what would be accepted
   */
  record Rejected(OracleRejection reason, String message) implements OracleResult {}
}
