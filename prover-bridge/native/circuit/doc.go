// Package circuit is the zkperp batch circuit in gnark (batch format version 2,
// docs/batch-format.md): a fixed number of transaction slots (no-op, deposit, withdrawal,
// transfer, forced withdrawal) applied to the accounts tree of layout v1, with one public input
// committing to the whole batch.
//
// # What is enforced, per slot
//
//   - The type is 0…4: three bits b0, b1, b2, where b2 excludes b0 and b1. 0 is a no-op, 1 a
//     deposit (b0), 2 a withdrawal (b1), 3 a transfer (b0 and b1) and 4 a forced withdrawal (b2);
//     exactly one of them is on.
//   - Update A and then update B are full Merkle updates of the 24-level accounts tree: the old
//     leaf is hashed from its fields (with the account tag) — so every field is bound to its leaf —
//     and must hash up to the running root with the given siblings; the new leaf, hashed from the
//     new fields, hashes up with the same siblings to the next root. B is checked against the
//     intermediate root produced by A. An empty slot (exists = 0) has leaf 0.
//   - Deposit: creates the account (key, owner, nonce 0, collateral = amount, empty subtrees) or, if
//     it exists, requires the same owner and key; credits the amount; extends the priority-operation
//     rolling hash by H(TAG_DEPOSIT, account, owner, key, amount).
//   - Withdrawal and transfer: the account exists; the transaction nonce equals the account nonce,
//     which is incremented and stays below 2^64; the EdDSA signature (gnark std/signature/eddsa with
//     the Poseidon2 challenge, cofactored) by the account's key over H(TAG, A, X, amount, nonce)
//     holds, with X the receiver (transfer) or the owner (withdrawal); key and R are on the curve;
//     the new collateral is in [0, 2^63) — never negative.
//   - Transfer: the receiver exists and its new collateral stays a valid int64.
//   - Forced withdrawal (type 4, an L1 request from the priority queue, not signed on L2): the
//     account exists and its L1 owner is the requester named in the slot; it pays the amount if
//     the amount is at most the collateral, else nothing (the request is refused but still
//     consumed). Which case applies comes from a solver hint (CoverableHint) that one range check
//     pins either way, so a prover cannot answer it falsely. The nonce does not change. It
//     extends the priority-operation rolling hash by H(TAG_FORCED, account, owner, amount), and
//     its chunk carries the amount paid (the amount or 0), not the amount requested.
//   - Amounts are below 2^63; collateral after any update is a valid int64.
//
// # Public input
//
// One field element: SHA-256 of the batch's commitment input (docs/batch-format.md §2) with its top
// three bits cleared. The circuit derives every byte of that input from the witness — state roots
// computed as H(TAG_STATE, accountsRoot, marketsRoot, globalLeaf), batch number, priority hashes
// and count, one 37-byte chunk per slot — so the L1 contract recomputes it from calldata.
//
// Bytes are range-checked with gnark's lookup-based range checker, which makes the Groth16 proof
// carry one Pedersen commitment (checked by the exported Solidity verifier).
package circuit
