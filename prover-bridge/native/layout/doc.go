// Package layout implements zkperp state layout version 1 (docs/state-layout.md) on top of
// gnark-crypto's BN254 primitives. It is the Go reference that the gnark circuit's witness code
// and the golden test vectors (package vectors) are built from; the Java state tree and the L1
// contracts implement the same rules and are checked against those vectors.
//
// # Field elements and integers
//
// Every value is an element of Fr, the BN254 scalar field (fr.Element). Canonical encodings are
// 32 bytes big-endian below r ([ParseElement] rejects anything else with a typed error, never
// reducing). Unsigned integers map to the element with the same value ([U64]); signed integers are
// embedded as x mod r, so a negative x is r − |x| ([I64], decoded by [ToI64]); L1 addresses are
// their 20 bytes read big-endian ([Address]).
//
// # Hashing
//
// [Compress](l, r) is gnark-crypto's Poseidon2 width-2 permutation P with the default BN254
// parameters (6 full rounds, 50 partial rounds, x^5) and feed-forward of the right input:
// P(l, r)[1] + r. [Hash](x1, …, xn) is gnark-crypto's Merkle–Damgård hasher over Compress with
// IV 0, one field element per block; the hash of no elements is 0. Neither is re-implemented here:
// both call ecc/bn254/fr/poseidon2.
//
// Every leaf is a tagged hash H(TAG, fields…), where TAG is an ASCII string such as
// "zkperp/account/v1" read as a big-endian integer ([Tag]). Internal nodes are untagged
// Compress(left, right); this is safe because every tree has a fixed depth and every verifier
// hashes exactly that many levels.
//
// # Trees
//
// [SparseTree] is a fixed-depth sparse Merkle tree. The empty leaf is 0, an empty subtree of
// height h hashes to [EmptyRoot](h) (Z0 = 0, Zh+1 = Compress(Zh, Zh)). Heights count from the
// leaves; the node at height h on the path of leaf i has index i >> h and is a left child iff bit h
// of i is 0. Only nodes that differ from the empty subtree hash are stored. Proofs list the D
// siblings from the leaf upward and are checked with [VerifyProof].
//
//	tree       depth  leaf            index
//	accounts   24     account leaf    account id
//	positions   6     position leaf   market id       (one tree per account)
//	fills      16     fill leaf       nonce mod 2^16  (one tree per account)
//	markets     6     market leaf     market id
//
// # Leaves and the state root
//
//	account     H(TAG_ACCOUNT, publicKeyX, publicKeyY, l1Owner, nonce, collateral, positionsRoot, fillsRoot)
//	position    size == 0 ? 0 : H(TAG_POSITION, size, fundingIndexSnapshot)
//	fill        H(TAG_FILL, orderNonce, filledAmount)
//	market      H(TAG_MARKET, oraclePrice, oracleTimestamp, fundingIndex, fundingTimestamp, openInterest, riskHash)
//	market risk H(TAG_MARKET_RISK, initialMarginPpm, maintenanceMarginPpm, baselinePositionSize,
//	              incrementalPositionSize, incrementalInitialMarginPpm, maxPositionSize, openInterestCap)
//	global      H(TAG_GLOBAL, insuranceFund, feeBalance)
//	state root  H(TAG_STATE, accountsRoot, marketsRoot, globalLeaf)
//
// [State] keeps the whole rollup state in memory (accounts with their own positions and fills
// trees, the markets tree and the global leaf) and computes the state root and every proof.
package layout
