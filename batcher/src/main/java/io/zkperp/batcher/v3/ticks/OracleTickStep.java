package io.zkperp.batcher.v3.ticks;

import io.zkperp.protocol.state.v2.MarketV2;

/**
 * An oracle price tick, from the engine's {@code PriceTickApplied(market, oraclePrice, timestamp,
 * now)}: public data {@code 0x08 ‖ market (1) ‖ price (8) ‖ timestamp (8) ‖ now (8)}, 26 bytes; the
 * leaf gets the new price and timestamp. Immutable; any thread.
 *
 * @param market the market, 0 … 63
 * @param price the new oracle price, 32.32, ≥ 1
 * @param timestamp the new oracle timestamp (the oldest report's), ≥ 0
 * @param now the core's time the reports were checked at, ≥ 0
 */
public record OracleTickStep(int market, long price, long timestamp, long now) implements TickStep {
  /** Public data length, type byte included. */
  public static final int PUBLIC_DATA_BYTES = 26;

  /**
   * Validates the values.
   *
   * @throws TickStepException with the {@link TickStepError} of the first bad value
   */
  public OracleTickStep {
    TickFields.checkMarket(market);
    if (price < 1) {
      throw new TickStepException(
          TickStepError.NON_POSITIVE_PRICE, "oracle price " + price + " must be ≥ 1");
    }
    if (timestamp < 0) {
      throw new TickStepException(
          TickStepError.NEGATIVE_TIMESTAMP, "oracle timestamp " + timestamp + " is negative");
    }
    TickFields.checkNow(now);
  }

  @Override
  public byte[] publicData() {
    return TickFields.header(PUBLIC_DATA_BYTES, TYPE_ORACLE_TICK, market)
        .putLong(price)
        .putLong(timestamp)
        .putLong(now)
        .array();
  }

  @Override
  public MarketV2 applyTo(MarketV2 before) {
    return new MarketV2(
        price,
        timestamp,
        before.fundingIndex(),
        before.fundingTimestamp(),
        before.openInterest(),
        before.risk());
  }
}
