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
// Two shapes for the debits. The no-position shape (NewWithdrawalCircuit, NewTransferCircuit,
// NewForcedWithdrawalCircuit) hashes the debited account's leaf with an all-empty list, so the
// engine's rule "the amount does not exceed the free collateral" is "it does not exceed the
// collateral"; its witness builders refuse an account holding positions (ErrShape). The margin
// shape (…WithMargin(k)) reads the account's 8 list entries and a table of k markets, every one
// opened in the old markets root, settles funding on every entry and checks the engine's rule
// exactly (equity − Σ initial requirements at the oracle prices, perp's gadgets; Margin); a
// deposit and a transfer's receiver have their funding settled before the credit, as the engine
// credits. The references follow the engine whatever the shape; the no-position shape's witness
// builders refuse (ErrShape) any account holding positions, debited or credited.
// The withdrawal and transfer signatures are signed-message format 2 (messages.WithdrawalMessage,
// messages.TransferMessage): the deployment's separators are constants of the circuit.
package collateralstep
