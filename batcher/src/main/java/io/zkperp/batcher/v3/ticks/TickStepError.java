package io.zkperp.batcher.v3.ticks;

/** Why a tick step cannot be built from the given values: no step circuit could carry them. */
public enum TickStepError {
  /** The market id is outside 0 … 63 (layout v2's 6-level markets tree). */
  MARKET_OUT_OF_RANGE,
  /** The oracle price (32.32) is 0 or negative; the step needs a price ≥ 1. */
  NON_POSITIVE_PRICE,
  /** The oracle timestamp is negative (the leaf holds a u64). */
  NEGATIVE_TIMESTAMP,
  /** The step's time is negative (the circuit reads times below 2^63). */
  NEGATIVE_TIME,
  /** A funding period start at time 0 (the circuit needs now ≥ 1; 0 marks a market with none). */
  NON_POSITIVE_TIME
}
