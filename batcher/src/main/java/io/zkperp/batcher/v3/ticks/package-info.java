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
 * <p>Not yet here: executing the steps on a {@code StateStoreV2} batch (the market leaf's path, the
 * engine's conditions as typed refusals) and sealing them into a format v3 batch.
 */
package io.zkperp.batcher.v3.ticks;
