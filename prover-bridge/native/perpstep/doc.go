// Package perpstep is the perpetual trade as a state transition over state layout v2
// (docs/state-layout.md §9, docs/perp-circuit.md "TradeStep"): a Go reference, ApplyTrade, that
// executes one trade on a layoutv2.State with the rules of perp/reference, and a gnark circuit,
// TradeStep, that proves old state root → new state root for that trade.
//
// TradeStep opens both accounts' leaves (24-level paths; the seller's path is taken after the
// buyer's update), both orders' fill leaves (12-level paths in the accounts' fill trees), the
// trade's market leaf (6-level path) and the global leaf's fields; it runs perp.TradeCircuit's
// rules (OrderSignature, LimitPrice, FillSlot, Fee, SettleAndCheck, MarginOK, PositionLimit,
// ReduceOnly, OpenInterest) on the opened values, writes the new leaves with layoutv2/gadget and
// asserts the new root. TradeStep is a stepenv.Step: Transition builds these constraints over a
// shared stepenv.Env and returns the roots and the trade's 35 bytes of public data (PublicData is
// the Go side); TradeTransition is that witness without public roots (what a batch slot
// embeds); Define is the standalone circuit over its own Env. It adds the list rule of layout v2
// the rule gadgets leave open: a position in a market the account does not hold takes the
// lowest-index empty entry.
//
// What is still free in this slice (the prover chooses it, bounded only as stated): in
// NewTradeStep, the market vector other than the trade's market (the rules read every position's
// market from perp.MarketTable; only the trade's market is bound to the state by its opening — the
// batch's market vector, docs/perp-circuit.md §3.7, will bind them all once per batch;
// NewTradeStepBound opens every table entry in the old markets root instead, at a cost per market
// given in docs/benchmarks.md), the fee rates
// (bounded by the signed caps and buyer + seller ≥ 0; the tier table of the global leaf is not
// read yet). Batching is package batchv3.
//
// Shapes: N entries of the position list are read by the rules (N ≤ 8); entries N … 7 of both
// accounts are constants 0, so a shape with N < 8 proves only trades whose accounts hold no
// position beyond entry N − 1 before or after. K is the length of the market table (market ids
// 0 … K − 1). The order domain separator is a constant of the circuit (one circuit per deployment).
package perpstep
