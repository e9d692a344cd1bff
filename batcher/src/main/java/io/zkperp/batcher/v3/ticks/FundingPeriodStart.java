package io.zkperp.batcher.v3.ticks;

/**
 * The start of a market's first funding period as a batch carries it ({@code
 * tickstep.FundingPeriodStart}, from the engine's {@code FundingPeriodStarted}). Values are not
 * checked here: {@link TickExecution} refuses bad ones with their rule. Immutable; any thread.
 *
 * @param market the market id
 * @param now the record's timestamp; becomes the market's fundingTimestamp
 * @param batchTime T of the batch that proves it
 */
public record FundingPeriodStart(int market, long now, long batchTime) {}
