package io.zkperp.batcher.v3.ticks;

import io.zkperp.protocol.state.v2.MarketV2;

/**
 * The start of a market's first funding sampling period, from the engine's {@code
 * FundingPeriodStarted(market, timestamp)}: public data {@code 0x0A ‖ market (1) ‖ now (8)}, 10
 * bytes, now being the record's timestamp; the leaf gets {@code fundingTimestamp = now}. Immutable;
 * any thread.
 *
 * @param market the market, 0 … 63
 * @param now the period's start (the record's timestamp), ≥ 1
 */
public record FundingPeriodStartStep(int market, long now) implements TickStep {
  /** Public data length, type byte included. */
  public static final int PUBLIC_DATA_BYTES = 10;

  /**
   * Validates the values.
   *
   * @throws TickStepException with the {@link TickStepError} of the first bad value
   */
  public FundingPeriodStartStep {
    TickFields.checkMarket(market);
    TickFields.checkNow(now);
    if (now == 0) {
      throw new TickStepException(
          TickStepError.NON_POSITIVE_TIME,
          "a funding period cannot start at time 0 (fundingTimestamp 0 marks a market without one)");
    }
  }

  @Override
  public byte[] publicData() {
    return TickFields.header(PUBLIC_DATA_BYTES, TYPE_FUNDING_PERIOD_START, market)
        .putLong(now)
        .array();
  }

  @Override
  public MarketV2 applyTo(MarketV2 before) {
    return new MarketV2(
        before.oraclePrice(),
        before.oracleTimestamp(),
        before.fundingIndex(),
        now,
        before.openInterest(),
        before.risk());
  }
}
