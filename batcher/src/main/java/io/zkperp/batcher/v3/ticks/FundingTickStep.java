package io.zkperp.batcher.v3.ticks;

import io.zkperp.protocol.state.v2.MarketV2;

/**
 * A funding tick, from the engine's {@code FundingTickApplied(market, indexDelta, indexAfter,
 * timestamp, oraclePrice)}: public data {@code 0x09 ‖ market (1) ‖ indexAfter (8, two's complement)
 * ‖ now (8)}, 18 bytes, now being the record's timestamp; the leaf gets the new index and {@code
 * fundingTimestamp = now}. Immutable; any thread.
 *
 * @param market the market, 0 … 63
 * @param indexAfter the funding index after the tick, 32.32 (any int64)
 * @param now the tick's time (the record's timestamp), ≥ 0
 */
public record FundingTickStep(int market, long indexAfter, long now) implements TickStep {
  /** Public data length, type byte included. */
  public static final int PUBLIC_DATA_BYTES = 18;

  /**
   * Validates the values.
   *
   * @throws TickStepException with the {@link TickStepError} of the first bad value
   */
  public FundingTickStep {
    TickFields.checkMarket(market);
    TickFields.checkNow(now);
  }

  @Override
  public byte[] publicData() {
    return TickFields.header(PUBLIC_DATA_BYTES, TYPE_FUNDING_TICK, market)
        .putLong(indexAfter)
        .putLong(now)
        .array();
  }

  @Override
  public MarketV2 applyTo(MarketV2 before) {
    return new MarketV2(
        before.oraclePrice(),
        before.oracleTimestamp(),
        indexAfter,
        now,
        before.openInterest(),
        before.risk());
  }
}
