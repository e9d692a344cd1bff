/**
 * The tick steps of batch format v3 as the batcher builds them from the engine's records: an oracle
 * price tick ({@code PriceTickApplied}: market, price, timestamp, now), a funding tick ({@code
 * FundingTickApplied}: market, index after, timestamp = now) and a funding period start ({@code
 * FundingPeriodStarted}: market, timestamp = now). Each {@link io.zkperp.batcher.v3.ticks.TickStep}
 * encodes the public data the Go step circuit ({@code prover-bridge/native/tickstep}) commits to,
 * byte for byte, and rebuilds the market leaf from the previous one as L1 would. The layouts are in
 * {@code docs/perp-circuit.md} §10; {@code test-vectors/tick-steps.json}, generated in Go, pins the
 * agreement.
 *
 * <p>{@link io.zkperp.batcher.v3.ticks.TickExecution} executes the steps on a {@code StateBatchV2}
 * in witness mode with the circuit's rules (the Go references {@code tickstep.ApplyOracleTick},
 * {@code ApplyFundingTick}, {@code ApplyFundingPeriodStart}), refusing with a typed {@link
 * io.zkperp.batcher.v3.ticks.TickRefusalReason}; {@code test-vectors/tick-step-refusals.json} pins
 * the agreement root for root. Not yet here: sealing them into a format v3 batch.
 */
package io.zkperp.batcher.v3.ticks;
