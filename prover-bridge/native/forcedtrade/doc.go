// Package forcedtrade is the forced trade (as StarkEx's ForcedTrade) as a step circuit over state
// layout v2 (docs/perp-circuit.md §12): accounts A and B agree on a trade off-chain, B signs the
// messages.ForcedTradeMessage with its L2 key, and A's bound owner submits it with B's signature
// on L1 (ZkPerpRollupV3.requestForcedTrade), which queues the priority operation
// messages.ForcedTradeOp.Hash with the deadline and freeze rule of every priority operation.
//
// Step consumes that operation — every field of it is a witness bound by the operation hash — and
// either executes the trade (B's signature verified against B's leaf key, both sides settled as a
// fill with perp's gadgets at cost ±amount and no fee, the engine's post-trade margin rule for
// both, the position size limit and the open-interest cap, A's fill slot Nonce mod 2^12 taken
// over by (Nonce, Size)), or proves it invalid for the first reason that holds, in this order:
// unknown market (its leaf is the empty leaf), stale (A's slot holds a nonce ≥ Nonce), bad signature (the verification equation computed and
// failing), no free entry (all 8 entries of A or of B hold other markets; only a shape reading 8
// entries can prove it), out of range (a side's new collateral, new position size or the
// market's new open interest outside the width layout v2 packs, computed as a bit), risk (one of
// the risk rules computed and failing). An invalid trade changes nothing.
// Package reference is the Go reference of the same decision; Witness builds the assignment from
// it.
//
// Shape: n list entries per account read (entries n … 7 fixed empty) and a table of k markets,
// every one opened in the old markets root. In a batch: batchv3's forced-trade group, whose step
// adds the record PublicDataVars (PublicData natively: type, accounts, market, side, size, amount,
// reason) to the transition.
package forcedtrade
