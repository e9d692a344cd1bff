// Package collateralstep is the four collateral transactions of batch format v2 — deposit,
// withdrawal, transfer, forced withdrawal — as step circuits over state layout v2
// (docs/state-layout.md §9; docs/batch-format.md "Format v3 (draft): collateral steps").
//
// For each type there is a Go reference (ApplyDeposit, ApplyWithdrawal, ApplyTransfer,
// ApplyForcedWithdrawal) that executes the transaction on a layoutv2.State and returns a new state,
// refusing with a typed error that leaves the state unchanged; a step (DepositStep, WithdrawalStep,
// TransferStep, ForcedWithdrawalStep) implementing stepenv.Step, whose Transition opens the account
// leaf or leaves by their 24-level paths against the old state root and returns the new root, the
// step's public data and, for a deposit and a forced withdrawal, the priority operation it
// consumes; and a standalone circuit per type (public OldRoot, NewRoot) built on Transition, with
// a Witness function per type that runs the reference and assigns it.
//
// Scope of this slice: a withdrawal or transfer debits an account that holds no position (the
// circuit hashes the sender's leaf with an all-empty list; the reference refuses otherwise with
// RuleOpenPositions), so "free collateral covers the amount" — the engine's rule — is "collateral
// covers the amount". A forced withdrawal from an account holding positions pays 0 and is consumed.
// Deposits and transfers credit an account whatever it holds, and leave its list untouched (no
// funding settlement). The withdrawal and transfer signatures are signed-message format 2
// (messages.WithdrawalMessage, messages.TransferMessage): the deployment's separators are constants
// of the circuit.
package collateralstep
