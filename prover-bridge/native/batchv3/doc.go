// Package batchv3 is the batch circuit of format v3 (docs/batch-format.md "Format v3",
// docs/perp-circuit.md §4) over state layout v2: typed slot groups chained through a table of
// roots.
//
// A Shape fixes the slot count of each step type (trades from perpstep; deposits, withdrawals,
// transfers and forced withdrawals from collateralstep, in its margin shape; oracle and funding
// ticks from tickstep; and the later groups: liquidation fills, insurance takeovers and
// deleveragings from liqstep, funding period starts from tickstep; forced trades from
// forcedtrade, a priority operation executed or proven invalid), N, K, the oracle report
// slots and the liquidation fee rate. The batch's execution order is a
// sequence of S steps (S = all slots). The circuit holds the table R_0 … R_S of state roots and
// P_0 … P_S of priority-operation hashes; trade slot j carries its step index σ_j, reads R[σ_j]
// as its old root and must produce R[σ_j + 1], writes its public data as record σ_j, and extends
// P from P[σ_j] to P[σ_j + 1] if it consumes a priority operation; a product check at a
// Fiat–Shamir challenge proves {σ_j} = {0 … S − 1}, so each step is executed exactly once in the
// engine's order whatever its type. A no-op slot (flag NoOp) carries its type's padding witness
// (noop.go, collateral.go, ticks.go, liqpadding.go, forcedtrade.go), whose roots are not bound, and must keep R and P unchanged across its position and
// write the zero record. The public input is SHA-256 over CommitmentBytes (roots, batch number,
// batch time T, priority hashes and count, every record in execution order) with the top three
// bits cleared.
//
// Seal executes the steps with their packages' references and returns the witness, the
// assignment, the commitment, the public input and the new state; Encode / Decode are the strict
// binary witness encoding of format v3.
package batchv3
