/**
 * State layout version 2 ({@code docs/state-layout.md}, "Layout v2"): the insurance fund as account
 * 2^24 − 1, an identity hash in the account leaf, a fixed list of 8 positions packed two per field
 * element, fill leaves of one packed element in a depth-12 fills tree, market risk parameters with
 * the oracle and funding bounds, and a global leaf committing to the oracle signer set, its quorum
 * and the fee tiers.
 *
 * <p>Every hash here is checked against {@code test-vectors/state-v2.json}, generated from
 * gnark-crypto by the Go reference ({@code prover-bridge/native/layoutv2}). The RocksDB tree, the
 * batcher, the batch circuit and the L1 contracts still use layout v1 ({@link
 * io.zkperp.protocol.state}); this package is not wired into them yet.
 *
 * <p>Every type is immutable and may be used from any thread. Values that the layout cannot
 * represent are refused with {@link io.zkperp.protocol.state.v2.InvalidStateFieldException}.
 */
package io.zkperp.protocol.state.v2;
