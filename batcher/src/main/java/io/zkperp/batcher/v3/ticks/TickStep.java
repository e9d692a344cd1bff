package io.zkperp.batcher.v3.ticks;

import io.zkperp.protocol.state.v2.MarketV2;

/**
 * One tick step of batch format v3: what its public data says and how it changes the market leaf.
 * Implementations are immutable records; any thread may use them.
 */
public sealed interface TickStep permits OracleTickStep, FundingTickStep, FundingPeriodStartStep {
  /** Type byte of an oracle price tick ({@code tickstep.TypeOracleTick}). */
  byte TYPE_ORACLE_TICK = 0x08;

  /** Type byte of a funding tick ({@code tickstep.TypeFundingTick}). */
  byte TYPE_FUNDING_TICK = 0x09;

  /** Type byte of a funding period start ({@code tickstep.TypeFundingPeriodStart}). */
  byte TYPE_FUNDING_PERIOD_START = 0x0A;

  /** Number of markets of layout v2 (ids 0 … 63). */
  int MARKETS = 64;

  /**
   * The market the step changes.
   *
   * @return its id, 0 … 63
   */
  int market();

  /**
   * The step's time, against which the circuit checks its windows ({@code now ≤ T}).
   *
   * @return Unix seconds
   */
  long now();

  /**
   * The public data the step circuit commits to: type byte, market, then the step's fields,
   * big-endian ({@code docs/perp-circuit.md} §10).
   *
   * @return a new array
   */
  byte[] publicData();

  /**
   * The market leaf after the step, rebuilt from the leaf before and the public data alone (as L1
   * or anyone replaying the data does); the engine's conditions are not checked here.
   *
   * @param before the market's leaf before the step
   * @return the leaf after
   */
  MarketV2 applyTo(MarketV2 before);
}
