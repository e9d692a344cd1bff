/**
 * Funding from the book ([risk], funding slice): impact bid and ask from a read-only view of a
 * book's depth ({@link io.zkperp.sequencer.risk.funding.BookDepthView}, {@link
 * io.zkperp.sequencer.risk.funding.ImpactPrices}), the dYdX v4 premium sampled against the oracle
 * price and averaged into hourly rates with interest and a clamp ({@link
 * io.zkperp.sequencer.risk.funding.PremiumSampler}), and the funding-index delta of a tick with its
 * maximum-rate bound ({@link io.zkperp.sequencer.risk.funding.FundingTickCalculator}, the rule the
 * circuit will check, StarkEx {@code funding_tick.cairo}). All exact integer arithmetic (64-bit,
 * 128-bit intermediates through {@link Math#multiplyHigh}); rates in parts per million per 8 hours,
 * prices in 32.32 fixed point. Used by {@code RiskEngine} on every {@code Tick}: {@code
 * sequencer/docs/oracle-and-funding.md}, "Wiring (done)". Records and static helpers are immutable
 * / stateless (any thread); {@link io.zkperp.sequencer.risk.funding.PremiumSampler} is confined to
 * the core thread.
 */
package io.zkperp.sequencer.risk.funding;
