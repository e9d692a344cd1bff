package io.zkperp.sequencer.command;

/**
 * A new oracle price for a market; triggers the market's conditional orders. Immutable; any thread.
 *
 * @param market the market id
 * @param price the price (&gt; 0), in the same units as order prices
 * @param timestamp seconds since the Unix epoch; never below the market's previous one
 */
public record OraclePrice(int market, long price, long timestamp) implements Command {}
