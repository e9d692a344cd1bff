package io.zkperp.sequencer.command;

/**
 * Lists a market. Immutable; any thread.
 *
 * @param market the market id (0 to 65535)
 * @param tickSize prices must be multiples of it (&gt; 0)
 * @param stepSize sizes must be multiples of it (&gt; 0)
 * @param minSize the smallest order size (&gt; 0, a multiple of the step size)
 */
public record AddMarket(int market, long tickSize, long stepSize, long minSize)
    implements Command {}
