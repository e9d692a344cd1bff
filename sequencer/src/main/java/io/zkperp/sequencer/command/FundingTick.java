package io.zkperp.sequencer.command;

/**
 * Moves a market's funding index (cumulative funding per synthetic quantum, 32.32 fixed point) by
 * {@code indexDelta}: a positive delta makes longs pay shorts. Applied by the risk engine, which
 * bounds the delta and settles it on accounts when they are touched. An operator command for
 * markets without a funding configuration (tests, devnet); a market with one derives its ticks from
 * premium samples on {@code Tick} and refuses this command ({@code OPERATOR_FUNDING_TICK_REFUSED}).
 * Immutable; any thread.
 *
 * @param market the market id
 * @param indexDelta the change of the funding index, 32.32 fixed point, signed
 * @param timestamp seconds since the Unix epoch; after the market's previous funding tick
 */
public record FundingTick(int market, long indexDelta, long timestamp) implements Command {}
