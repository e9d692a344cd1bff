package io.zkperp.sequencer.command;

/**
 * A new unsigned oracle price for a market; triggers the market's conditional orders. For markets
 * without an oracle configuration (tests, devnet, benchmarks): a market whose risk engine has one
 * takes only {@link SignedOraclePrices} and refuses this command ({@code
 * UNSIGNED_ORACLE_PRICE_REFUSED}). Immutable; any thread.
 *
 * @param market the market id
 * @param price the price (&gt; 0), in the same units as order prices
 * @param timestamp seconds since the Unix epoch; never below the market's previous one
 */
public record OraclePrice(int market, long price, long timestamp) implements Command {}
