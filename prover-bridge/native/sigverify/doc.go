// Package sigverify verifies zkperp's EdDSA signatures (BN254 twisted Edwards, Poseidon2
// challenge) with gnark-crypto's assembly field arithmetic, for the sequencer's order intake.
//
// It answers exactly what the Java reference io.zkperp.protocol.eddsa.EdDsa#verify(key, byte[],
// message) answers, by the same route: R is decoded strictly but without a subgroup check, and the
// exact equation R = [S]B − [c]A is checked with c = H(R.x, R.y, A.x, A.y, m₁ … mₖ) (Poseidon2
// Merkle–Damgård, IV 0). [S]B − [c]A lies in the prime-order subgroup, so an R outside it never
// verifies; for R inside it the exact equation is equivalent to gnark-crypto's cofactor equation.
//
// [S]B uses a 4-bit comb table of the base point built once; [c]A uses the signer's comb table
// when the caller passes one (BuildTable), else a 4-bit fixed window. Nothing here allocates on
// the Go heap after the base table is built, and every function may be called from any number of
// goroutines (or foreign threads, through the JNI exports) at once.
package sigverify
