// Package gadget computes the leaves of state layout v2 (docs/state-layout.md §9) inside a gnark
// circuit, with every integer range-checked to its width, so that a circuit opening a v2 leaf
// hashes exactly what package layoutv2 (and the Java and Solidity implementations) hash. The tests
// solve each gadget on gnark's test engine against layoutv2 and refuse out-of-range or
// non-canonical inputs.
//
// The position list is taken unpacked (market, size, snapshot per entry) and packed in the circuit:
// entry = market + (size + 2^55·n)·2^6 + (snapshot + 2^63·n)·2^62 with n = 1 for a non-empty entry
// and 0 for an empty one, which must be (0, 0, 0). A non-empty size is checked to
// |size| ≤ 2^55 − 1 (two 56-bit range checks), so no non-empty entry packs to 0 and the packing is
// injective.
package gadget

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// Entry is one position entry in the circuit; empty = (0, 0, 0).
type Entry struct {
	Market, Size, Snapshot frontend.Variable
}

// Identity is the account identity's preimage.
type Identity struct {
	PublicKeyX, PublicKeyY, L1Owner, FeeTier frontend.Variable
}

// Layout holds the permutation and the range checker the gadgets share; one per circuit.
type Layout struct {
	api  frontend.API
	perm *poseidon2perm.Permutation
	rc   frontend.Rangechecker
}

// New returns the gadgets of layout v2 over api, sharing rc with the rest of the circuit.
func New(api frontend.API, rc frontend.Rangechecker) (*Layout, error) {
	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return nil, err
	}
	return &Layout{api: api, perm: perm, rc: rc}, nil
}

func toBig(v interface{ BigInt(*big.Int) *big.Int }) *big.Int { return v.BigInt(new(big.Int)) }

var (
	tagAccount      = toBig(&layoutv2.TagAccount)
	tagIdentity     = toBig(&layoutv2.TagAccountIdentity)
	tagFill         = toBig(&layoutv2.TagFill)
	tagMarket       = toBig(&layoutv2.TagMarket)
	tagMarketRisk   = toBig(&layoutv2.TagMarketRisk)
	tagGlobal       = toBig(&layoutv2.TagGlobal)
	tagOracleSigner = toBig(&layoutv2.TagOracleSigner)
	tagFeeTiers     = toBig(&layoutv2.TagFeeTiers)
	tagState        = toBig(&layoutv2.TagState)
	two55           = new(big.Int).Lsh(big.NewInt(1), 55)
	two63           = new(big.Int).Lsh(big.NewInt(1), 63)
	two62           = new(big.Int).Lsh(big.NewInt(1), 62)
	two64           = new(big.Int).Lsh(big.NewInt(1), 64)
	two126          = new(big.Int).Lsh(big.NewInt(1), 126)
	maxAbsSize      = new(big.Int).Sub(two55, big.NewInt(1))
)

// Hash is H(x1, …, xn): Merkle–Damgård over Compress with IV 0 (layout §2).
func (l *Layout) Hash(xs ...frontend.Variable) frontend.Variable {
	var s frontend.Variable = 0
	for _, x := range xs {
		s = l.perm.Compress(s, x)
	}
	return s
}

// signed64 checks that x is the field image of an int64: x + 2^63 < 2^64.
func (l *Layout) signed64(x frontend.Variable) {
	l.rc.Check(l.api.Add(x, two63), 64)
}

// PackEntry returns the entry's 126-bit value; it constrains an empty entry (size 0) to (0, 0, 0),
// a non-empty one to market < 64, |size| ≤ 2^55 − 1 and an int64 snapshot.
func (l *Layout) PackEntry(e Entry) frontend.Variable {
	api := l.api
	empty := api.IsZero(e.Size)
	n := api.Sub(1, empty)
	api.AssertIsEqual(api.Mul(empty, e.Market), 0)
	api.AssertIsEqual(api.Mul(empty, e.Snapshot), 0)
	l.rc.Check(e.Market, 6)
	// |size| ≤ 2^55 − 1: size + 2^55 − 1 and 2^55 − 1 − size both below 2^56 (true for size 0 too)
	l.rc.Check(api.Add(e.Size, maxAbsSize), 56)
	l.rc.Check(api.Sub(maxAbsSize, e.Size), 56)
	l.signed64(e.Snapshot)
	size := api.Add(e.Size, api.Mul(n, two55))
	snap := api.Add(e.Snapshot, api.Mul(n, two63))
	return api.Add(e.Market, api.Mul(size, 64), api.Mul(snap, two62))
}

// PackPositions returns q1 … q4 of an 8-entry list and asserts that no market is held by two
// non-empty entries.
func (l *Layout) PackPositions(list [layoutv2.MaxPositions]Entry) [layoutv2.PositionElements]frontend.Variable {
	api := l.api
	for i := range list {
		for j := i + 1; j < len(list); j++ {
			// both non-empty and the same market is refused: size_i·size_j·[market_i = market_j] = 0
			same := api.IsZero(api.Sub(list[i].Market, list[j].Market))
			api.AssertIsEqual(api.Mul(api.Sub(1, api.IsZero(list[i].Size)), api.Sub(1, api.IsZero(list[j].Size)), same), 0)
		}
	}
	var q [layoutv2.PositionElements]frontend.Variable
	for k := range q {
		q[k] = api.Add(l.PackEntry(list[2*k]), api.Mul(l.PackEntry(list[2*k+1]), two126))
	}
	return q
}

// IdentityHash returns H(TAG_ACCOUNT_IDENTITY_V2, publicKeyX, publicKeyY, l1Owner, feeTier) with
// l1Owner < 2^160 and feeTier < 8.
func (l *Layout) IdentityHash(id Identity) frontend.Variable {
	l.rc.Check(id.L1Owner, 160)
	l.rc.Check(id.FeeTier, 3)
	return l.Hash(tagIdentity, id.PublicKeyX, id.PublicKeyY, id.L1Owner, id.FeeTier)
}

// AccountLeaf returns H(TAG_ACCOUNT_V2, identity, nonce, collateral, fillsRoot, q1, q2, q3, q4)
// with nonce a u64, collateral an i64 and q packed from list.
func (l *Layout) AccountLeaf(identity, nonce, collateral, fillsRoot frontend.Variable, list [layoutv2.MaxPositions]Entry) frontend.Variable {
	l.rc.Check(nonce, 64)
	l.signed64(collateral)
	q := l.PackPositions(list)
	return l.Hash(tagAccount, identity, nonce, collateral, fillsRoot, q[0], q[1], q[2], q[3])
}

// FillLeaf returns H(TAG_FILL_V2, orderNonce + filledAmount·2^64), both u64.
func (l *Layout) FillLeaf(orderNonce, filledAmount frontend.Variable) frontend.Variable {
	l.rc.Check(orderNonce, 64)
	l.rc.Check(filledAmount, 64)
	return l.Hash(tagFill, l.api.Add(orderNonce, l.api.Mul(filledAmount, two64)))
}

// MarketRisk is the twelve risk parameters in hashing order.
type MarketRisk [12]frontend.Variable

// MarketRiskHash returns H(TAG_MARKET_RISK_V2, r…), every parameter a u64.
func (l *Layout) MarketRiskHash(r MarketRisk) frontend.Variable {
	xs := make([]frontend.Variable, 0, 13)
	xs = append(xs, tagMarketRisk)
	for _, v := range r {
		l.rc.Check(v, 64)
		xs = append(xs, v)
	}
	return l.Hash(xs...)
}

// MarketLeaf returns H(TAG_MARKET_V2, oraclePrice, oracleTimestamp, fundingIndex,
// fundingTimestamp, openInterest, riskHash) with the integers range-checked.
func (l *Layout) MarketLeaf(oraclePrice, oracleTimestamp, fundingIndex, fundingTimestamp, openInterest, riskHash frontend.Variable) frontend.Variable {
	l.rc.Check(oraclePrice, 64)
	l.rc.Check(oracleTimestamp, 64)
	l.signed64(fundingIndex)
	l.rc.Check(fundingTimestamp, 64)
	l.rc.Check(openInterest, 64)
	return l.Hash(tagMarket, oraclePrice, oracleTimestamp, fundingIndex, fundingTimestamp, openInterest, riskHash)
}

// OracleSignerLeaf returns 0 for key (0, 0), else H(TAG_ORACLE_SIGNER_V2, keyX, keyY).
func (l *Layout) OracleSignerLeaf(keyX, keyY frontend.Variable) frontend.Variable {
	api := l.api
	empty := api.And(api.IsZero(keyX), api.IsZero(keyY))
	return api.Mul(api.Sub(1, empty), l.Hash(tagOracleSigner, keyX, keyY))
}

// FeeTiersHash returns H(TAG_FEE_TIERS_V2, maker0 + 2^20, taker0 + 2^20, …) from the eight
// (maker, taker) rates, each constrained to [−10^6, 10^6] ppm.
func (l *Layout) FeeTiersHash(rates [2 * layoutv2.FeeTierCount]frontend.Variable) frontend.Variable {
	xs := make([]frontend.Variable, 0, 1+len(rates))
	xs = append(xs, tagFeeTiers)
	for _, r := range rates {
		// r + 10^6 and 10^6 − r in [0, 2^21): with |r| ≤ 10^6 < 2^21 this pins r to [−10^6, 10^6]
		l.rc.Check(l.api.Add(r, layoutv2.MaxFeeRatePpm), 21)
		l.rc.Check(l.api.Sub(layoutv2.MaxFeeRatePpm, r), 21)
		xs = append(xs, l.api.Add(r, layoutv2.FeeRateOffset))
	}
	return l.Hash(xs...)
}

// GlobalLeaf returns H(TAG_GLOBAL_V2, feeBalance, oracleSignersRoot, oracleQuorum, feeTiersRoot)
// with feeBalance an i64 and oracleQuorum ≤ 16.
func (l *Layout) GlobalLeaf(feeBalance, signersRoot, quorum, feeTiersRoot frontend.Variable) frontend.Variable {
	l.signed64(feeBalance)
	l.rc.Check(quorum, 5)
	l.rc.Check(l.api.Sub(layoutv2.OracleSignerSlots, quorum), 5)
	return l.Hash(tagGlobal, feeBalance, signersRoot, quorum, feeTiersRoot)
}

// StateRoot returns H(TAG_STATE_V2, accountsRoot, marketsRoot, globalLeaf).
func (l *Layout) StateRoot(accountsRoot, marketsRoot, globalLeaf frontend.Variable) frontend.Variable {
	return l.Hash(tagState, accountsRoot, marketsRoot, globalLeaf)
}

// OracleSignersRoot returns the root of the depth-4 tree of the 16 signer slots' leaves.
func (l *Layout) OracleSignersRoot(keys [layoutv2.OracleSignerSlots][2]frontend.Variable) frontend.Variable {
	level := make([]frontend.Variable, len(keys))
	for i, k := range keys {
		level[i] = l.OracleSignerLeaf(k[0], k[1])
	}
	for len(level) > 1 {
		next := make([]frontend.Variable, len(level)/2)
		for i := range next {
			next[i] = l.perm.Compress(level[2*i], level[2*i+1])
		}
		level = next
	}
	return level[0]
}
