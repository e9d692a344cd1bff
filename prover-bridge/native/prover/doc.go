// Package prover is zkperp's native proving service: Groth16 over BN254 for the batch circuit of
// package circuit, with keys set up once per circuit shape and cached on disk next to a manifest.
//
// # Keys and manifest
//
// [Open] compiles the circuit for the shape, then loads keyDir/<shape>/ if its manifest matches —
// format version, shape, batch size, gnark, gnark-crypto and Go versions, the constraint count, the
// SHA-256 of the compiled constraint system and of every key file — and refuses it with a
// *KeyMismatchError otherwise, naming what differs. A missing directory is created by running
// groth16.Setup (single-party: fine for tests and the devnet, not for a real network, which needs
// an MPC ceremony). Files are written to a temporary directory and renamed into place, so a crash
// never leaves half a key set.
//
// # Proofs
//
// Proofs target the Solidity verifier exported from the same verifying key (legacy Keccak-256 as
// the commitment hash-to-field, gnark's solidity options). [Proof.Solidity] is the byte string the
// verifier's verifyProof takes; [Proof.Raw] is gnark's raw encoding.
//
// # Concurrency
//
// A *Prover is safe for concurrent use; proving is CPU- and memory-heavy, so callers bound it
// (GOMAXPROCS, GOMEMLIMIT) rather than run many at once.
package prover
