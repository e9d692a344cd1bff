// Package layoutv2 implements zkperp state layout version 2 (docs/state-layout.md, "Layout v2";
// design: docs/perp-circuit.md §3) on top of package layout's primitives (Poseidon2 [layout.Hash],
// [layout.Compress], [layout.SparseTree], the integer embeddings). It is the Go reference of the
// v2 leaves, the position-list packing, the oracle-signer tree, the fee-tier hash and the state
// root; package vectors writes its golden vectors (test-vectors/state-v2.json) that Java and
// Solidity read.
//
// Subpackage gadget computes the same leaves inside a gnark circuit.
//
// Layout v1 (package layout) is still what the collateral batch circuit, the batcher, the Java
// tree and the L1 contracts use; v2 is implemented here alongside it and is not wired into them
// yet.
//
// # Changes from v1
//
//	tree       depth  leaf                      index
//	accounts   24     account leaf v2           account id; the insurance fund is 2^24 − 1
//	fills      12     fill leaf v2              nonce mod 2^12  (one tree per account)
//	markets     6     market leaf v2            market id
//	signers     4     oracle-signer leaf        signer slot     (in the global leaf)
//
// There is no positions tree: an account holds a fixed list of [MaxPositions] entries packed two
// per field element ([PackEntry], [PackPositions]).
//
//	identity    H(TAG_ACCOUNT_IDENTITY_V2, publicKeyX, publicKeyY, l1Owner, feeTier)
//	account     H(TAG_ACCOUNT_V2, identity, nonce, collateral, fillsRoot, q1, q2, q3, q4)
//	entry       0 if size = 0, else market + (size + 2^55)·2^6 + (snapshot + 2^63)·2^62
//	q_k         entry_{2k−2} + entry_{2k−1}·2^126
//	fill        H(TAG_FILL_V2, orderNonce + filledAmount·2^64)
//	market risk H(TAG_MARKET_RISK_V2, 12 parameters)
//	market      H(TAG_MARKET_V2, oraclePrice, oracleTimestamp, fundingIndex, fundingTimestamp, openInterest, riskHash)
//	signer      H(TAG_ORACLE_SIGNER_V2, keyX, keyY), empty slot 0
//	fee tiers   H(TAG_FEE_TIERS_V2, maker0 + 2^20, taker0 + 2^20, …, maker7 + 2^20, taker7 + 2^20)
//	global      H(TAG_GLOBAL_V2, feeBalance, oracleSignersRoot, oracleQuorum, feeTiersRoot)
//	state root  H(TAG_STATE_V2, accountsRoot, marketsRoot, globalLeaf)
package layoutv2
