// Package tickstep is the oracle price tick and the funding tick as state transitions over state
// layout v2 (docs/state-layout.md §9, docs/perp-circuit.md §10): Go references, ApplyOracleTick
// and ApplyFundingTick, that execute one tick on a layoutv2.State with the rules of
// perp/reference (no arithmetic of their own), and step circuits, OracleStep and FundingStep,
// that implement stepenv.Step for the format v3 batch circuit.
//
// OracleStep opens the global leaf (fee balance, oracle signer root, quorum, fee-tier root) and
// the tick's market leaf with its risk hash's preimage by its 6-level path against the old root,
// runs perp.OracleTick (quorum-signed reports from the committed signer set, lower median, oldest
// timestamp, staleness and future bounds against the tick's time, newer than the last price, the
// move bound, now ≤ the batch time), writes the new oraclePrice and oracleTimestamp and returns
// the new root. FundingStep opens the market leaf the same way, runs perp.FundingTick (minimum
// interval, the rate bound on Δindex, now ≤ the batch time) and writes the new fundingIndex and
// fundingTimestamp = now. FundingPeriodStartStep (reference ApplyFundingPeriodStart) proves the
// engine's FundingPeriodStarted record: it opens the market leaf, requires an oracle price and no
// period yet (fundingTimestamp = 0), 1 ≤ now ≤ the batch time and now + oracleMaxFutureSeconds ≥
// oracleTimestamp, and writes fundingTimestamp = now. Each returns its public data (type byte
// first: OraclePublicData, FundingPublicData, FundingPeriodStartPublicData) and consumes no
// priority operation.
//
// OracleCircuit and FundingCircuit are standalone circuits (public OldRoot, NewRoot; the batch
// time a witness) built on the same Transition, for the tests; WitnessOracle and WitnessFunding
// execute a tick and return their assignment with the new state.
//
// The oracle domain separator D_oracle-price is a constant of the oracle circuit (one circuit per
// deployment); K, the number of report slots, is a shape parameter (1 … 16).
package tickstep
