package io.zkperp.sequencer.risk.funding;

import io.zkperp.sequencer.command.FundingTick;

/**
 * A funding tick derived from a period's premium samples, with every intermediate value (for logs,
 * events and the batcher). Immutable; any thread.
 *
 * @param market the market
 * @param timestamp the tick's time (end of the period), seconds
 * @param intervalSeconds Δt: the period's length, seconds
 * @param samples the samples taken in the period
 * @param divisor the count the sum was divided by: max(samples, ⌊Δt / sampleInterval⌋)
 * @param averagePremiumPpm the average premium, ppm, rounded toward zero
 * @param ratePpm the 8-hour funding rate after interest and the clamp, ppm
 * @param price the index (oracle) price the delta was computed at, 32.32
 * @param indexDelta the funding index change, 32.32 (positive: longs pay)
 */
public record FundingTickProposal(
    int market,
    long timestamp,
    long intervalSeconds,
    int samples,
    long divisor,
    long averagePremiumPpm,
    long ratePpm,
    long price,
    long indexDelta) {
  /**
   * The core command that applies this tick.
   *
   * @return {@code FundingTick(market, indexDelta, timestamp)}
   */
  public FundingTick toCommand() {
    return new FundingTick(market, indexDelta, timestamp);
  }
}
