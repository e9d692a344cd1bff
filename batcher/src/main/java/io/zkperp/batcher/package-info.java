/**
 * The batcher: executes L2 transactions of batch format v1 — deposits (L1 priority operations),
 * withdrawals and transfers — on the rollup state in witness mode, refuses invalid ones with a
 * typed {@link io.zkperp.batcher.RejectionReason} before they reach a batch, and seals each batch
 * into the compact witness the native prover reads ({@link io.zkperp.batcher.BatchWitness}), with
 * the public data and the single public input the circuit proves and the L1 contract recomputes.
 *
 * <p>The byte layouts are specified in {@code docs/batch-format.md}; golden batches generated from
 * gnark-crypto ({@code test-vectors/batches.json}) pin that Java and Go agree byte for byte.
 */
package io.zkperp.batcher;
