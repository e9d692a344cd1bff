// Package liqstep is the engine's liquidation fill, insurance takeover and deleveraging as state
// transitions over state layout v2 (docs/state-layout.md §9; docs/perp-circuit.md §11.5), the
// steps the format v3 batch circuit will compose for the records Liquidated, InsuranceTakeover
// and Deleveraged.
//
// For each there is a Go reference (ApplyLiquidation, ApplyTakeover, ApplyDeleverage) that reads
// the accounts, the fund and the market vector from a layoutv2.State, runs perp/reference
// (Liquidate, InsuranceTakeover, Deleverage: no arithmetic of its own) and writes a copy of the
// state, refusing with a typed error that leaves the state unchanged; a step (LiquidationStep,
// TakeoverStep, DeleverageStep) implementing stepenv.Step, whose Transition opens every leaf the
// transaction touches by its path against the old state root — the accounts (the path's bits are
// the account id; the fund is the constant leaf 2^24 − 1), the liquidator's fill leaf, the market
// leaf, the global leaf for the fee balance, and every market of the table the rules read — runs
// perp's gadget (perp.LiquidationCircuit, TakeoverCircuit, DeleverageCircuit), writes the new
// leaves and returns the new root and the step's public data; and a standalone circuit per type
// (public OldRoot, NewRoot) with a Witness function that runs the reference and assigns it.
//
// The accounts are updated one after the other, each path taken in the tree the previous update
// left: liquidated, liquidator, fund; account, fund; deleveraged, deleverager. The circuits assert
// the accounts distinct and the insurance fund never on the liquidated or deleveraged side (it may
// be a deleverager). The order separator and the liquidation fee rate (LiquidationConfig.feePpm,
// which layout v2 does not commit) are constants of the liquidation circuit, like D_order of the
// trade. A position a counterparty does not hold takes its lowest-index empty entry.
//
// The market table is built by a TableFunc: a step's Transition opens its own table (OpenTable,
// every entry at its id in the old markets root); a batch that shares one table passes its own to
// TransitionWith.
//
// Shapes: N entries of each list are read by the rules (N ≤ 8), entries N … 7 are fixed empty;
// the table holds market ids 0 … K − 1.
package liqstep
