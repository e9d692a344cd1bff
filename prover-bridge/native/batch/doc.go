// Package batch defines a zkperp v1 proving batch outside the circuit: the transaction types
// (deposit, withdrawal, transfer, no-op), what each signs, the compact binary witness the Java
// node hands to the prover, the batch's public data and the single public input that commits to
// it, and a native re-execution of every rule the circuit enforces.
//
// The byte layouts are specified in docs/batch-format.md; this package and the Java batcher
// (io.zkperp.batcher) implement them, and golden witness files in test-vectors/witness/ pin that
// both agree byte for byte.
//
// # Transactions
//
// Every slot of a batch holds one transaction and performs exactly two account-tree updates, A
// then B, each a full Merkle update of the accounts tree (old path verified against the running
// root, new root recomputed): transfer A = sender, B = receiver; deposit and withdrawal A = the
// account, B unchanged; no-op both unchanged. The root after A is the intermediate root B is
// verified against. An unchanged update rewrites the same leaf, so the root does not move.
//
// # Why a native check
//
// [Check] re-runs every circuit rule natively and names the first failing transaction and rule,
// which gnark's solver cannot do. It is a diagnosis tool, not a substitute: the prover runs the
// circuit regardless, and the tests show the circuit alone refuses each broken rule.
package batch
