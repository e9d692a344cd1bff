package io.zkperp.batcher.v3.ticks;

/**
 * A funding tick as a batch carries it ({@code tickstep.FundingTick}): the index change the engine
 * applied ({@code FundingTickApplied.indexDelta}) at the tick's time, proven in a batch of time T.
 * Values are not checked here: {@link TickExecution} refuses bad ones with their rule. Immutable;
 * any thread.
 *
 * @param market the market id
 * @param now the tick's time; becomes the market's fundingTimestamp
 * @param batchTime T of the batch that proves the tick
 * @param indexDelta Δindex, 32.32
 */
public record FundingTick(int market, long now, long batchTime, long indexDelta) {}
