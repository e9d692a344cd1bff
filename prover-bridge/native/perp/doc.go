// Package perp is the perpetual trade transaction as gnark gadgets, built beside the batch
// circuit (format v2) that it will join in batch format v3 (docs/perp-circuit.md). Every gadget
// mirrors one rule of the Java risk engine (sequencer/README.md "Risk", RiskMath) and says which:
//
//   - OrderSignature: EdDSA over the domain-separated order hash (messages.OrderHash);
//   - LimitPrice: the buyer pays at most, the seller receives at least, its limit;
//   - FillSlot: the nonce-window rule of the fill leaf, never above the signed size;
//   - Fee: the engine's fee ⌈n·r / 10^6⌉ (a rebate rounds down in magnitude), rate ≤ signed cap;
//   - FundingCredit: ⌊−(F − snap)·s / 2^32⌋ on every position of a touched account;
//   - PositionRisk, MarginOK, SettleAndCheck: value, IMR with the size-dependent fraction, MMR over
//     all positions of the account's fixed-length list at the batch's oracle prices, and the
//     post-trade rule (initial margin, or a non-flipping reduction that keeps equity / MMR);
//   - PositionLimit, OpenInterest: the maximum position size and the open-interest cap when they
//     grow;
//   - MarketTable: the batch's market vector as log-derivative lookup tables;
//   - OracleTick (ReportSignatureValid, SignerRoot, LowerMedian, Oldest): an oracle price tick,
//     OracleAggregator's rules over K report slots signed by signers of the committed signer tree;
//   - FundingTick: a funding tick, the engine's interval and maximum-rate bound.
//
// TradeCircuit composes the trade's gadgets into one trade between two accounts; OracleTickCircuit
// and FundingTickCircuit hold one tick each. Their tests build witnesses with the Go reference in
// perp/reference (written from the engine's README, RiskMath, OracleAggregator and
// FundingTickCalculator, never from the gadgets), break each rule alone, and guard the constraint
// counts (constraints.csv).
//
// # Integers in the field
//
// Integers are embedded as x mod r (layout §1). The gadgets keep every intermediate far below r/2
// and pin every hint by range checks (gnark's std/rangecheck, lookup-based), so field arithmetic
// equals integer arithmetic:
//
//   - sizes, snapshots, collateral, funding indices: i64 (checked where read); prices u63;
//   - a quotient ⌊x / d⌋ (d = 2^32 or 10^6) is q with x = q·d + r, 0 ≤ r < d and |q| < 2^97:
//     exactly one q satisfies this (Arith.FloorDiv); ⌈x / d⌉ = −⌊−x / d⌋;
//   - a comparison bit [x ≤ y] comes from a hint and is pinned by one range check of y − x (bit 1)
//     or x − y − 1 (bit 0), so only the true bit passes (Arith.LE);
//   - |s| comes from a sign hint pinned by a 64-bit range check of s·(1 − 2·sign).
//
// TestHintsCannotBeForged answers each hint call wrongly in turn and requires the compiled
// system to be unsatisfied.
package perp
