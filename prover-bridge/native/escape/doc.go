// Package escape is the Go reference of the escape hatch with positions over state layout v2
// (docs/state-layout.md §9.10, "Escape with positions"): what an account is paid when it exits
// through L1 after a freeze, and the Merkle proof that links the account and the markets it holds
// to the last verified layout-v2 state root.
//
// # Payout
//
// For an account with collateral C and non-empty position entries (market m, size s, snapshot σ),
// at the markets' oracle price p_m and funding index F_m of the same state:
//
//	funding(s, σ, F) = ⌊−(F − σ)·s / 2^32⌋       (the engine's RiskMath.fundingCredit)
//	value(s, p)      = ⌊s·p / 2^32⌋              (the engine's RiskMath.value)
//	total            = C + Σ funding(s, σ, F_m) + Σ value(s, p_m)
//	payout           = max(0, total)
//
// computed exactly with big integers (no int64 bound: an i56 size times a u64 price needs 119
// bits). total equals the engine's equity (AccountBook.equity) wherever the engine's long
// arithmetic does not overflow. The insurance fund (account 2^24 − 1) does not escape
// ([ErrInsuranceFund]); the fee balance of the global leaf has no escape path.
//
// # Proof
//
// A [Proof] carries the account leaf's preimage (identity fields, nonce, collateral, fillsRoot,
// the unpacked position list) with its 24 siblings, one [MarketProof] per non-empty entry in
// entry order (the market leaf's preimage with its 6 siblings), the markets root and the global
// leaf hash. [Verify] rebuilds the state root from it and refuses anything else with a typed error;
// the Solidity library EscapeV2 (l1-contracts) checks exactly the same things. Vectors:
// test-vectors/escape-v2.json (package vectors).
package escape
