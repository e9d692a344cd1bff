package layoutv2

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// Identity holds the account fields a trade never changes; the account leaf commits to their hash.
type Identity struct {
	PublicKeyX fr.Element // L2 EdDSA public key, x; (0, 0) = no key (the insurance fund)
	PublicKeyY fr.Element // L2 EdDSA public key, y
	L1Owner    [20]byte   // L1 address that receives withdrawals and may force exits
	FeeTier    uint8      // index into the fee-tier table, < 8
}

// Hash returns H(TAG_ACCOUNT_IDENTITY_V2, publicKeyX, publicKeyY, l1Owner, feeTier), or
// ErrFeeTierOutOfRange for a tier ≥ 8.
func (i *Identity) Hash() (fr.Element, error) {
	if i.FeeTier >= FeeTierCount {
		return fr.Element{}, fmt.Errorf("%w: tier %d", ErrFeeTierOutOfRange, i.FeeTier)
	}
	return layout.Hash(TagAccountIdentity, i.PublicKeyX, i.PublicKeyY, layout.Address(i.L1Owner),
		layout.U64(uint64(i.FeeTier))), nil
}

// Account is the content of an account leaf v2.
type Account struct {
	Identity   Identity
	Nonce      uint64     // counter of the account's non-order signed transactions
	Collateral int64      // collateral quanta
	FillsRoot  fr.Element // root of the account's fills tree (depth 12)
	Positions  Positions  // the fixed list of 8 entries
}

// Hash returns H(TAG_ACCOUNT_V2, identity, nonce, collateral, fillsRoot, q1, q2, q3, q4).
func (a *Account) Hash() (fr.Element, error) {
	id, err := a.Identity.Hash()
	if err != nil {
		return fr.Element{}, err
	}
	q, err := a.Positions.Pack()
	if err != nil {
		return fr.Element{}, err
	}
	return layout.Hash(TagAccount, id, layout.U64(a.Nonce), layout.I64(a.Collateral), a.FillsRoot,
		q[0], q[1], q[2], q[3]), nil
}

// Fill is the content of a fill leaf v2 (fills tree of an account, index = orderNonce mod 2^12).
type Fill struct {
	OrderNonce   uint64 // nonce of the signed order that owns the slot (≥ 1)
	FilledAmount uint64 // synthetic quanta of that order filled so far
}

// FillSlot returns the fills-tree index of an order nonce: nonce mod 2^12.
func FillSlot(orderNonce uint64) uint64 { return orderNonce & (1<<FillsDepth - 1) }

// Packed returns orderNonce + filledAmount·2^64 (128 bits).
func (f *Fill) Packed() fr.Element {
	v := new(big.Int).SetUint64(f.FilledAmount)
	v.Lsh(v, 64)
	v.Or(v, new(big.Int).SetUint64(f.OrderNonce))
	var e fr.Element
	e.SetBigInt(v)
	return e
}

// Hash returns H(TAG_FILL_V2, orderNonce + filledAmount·2^64).
func (f *Fill) Hash() fr.Element { return layout.Hash(TagFill, f.Packed()) }

// MarketRisk holds a market's risk parameters and the oracle and funding bounds of its ticks
// (all u64; fractions and rates in parts per million, durations in seconds).
type MarketRisk struct {
	InitialMarginPpm            uint64
	MaintenanceMarginPpm        uint64
	BaselinePositionSize        uint64
	IncrementalPositionSize     uint64
	IncrementalInitialMarginPpm uint64
	MaxPositionSize             uint64
	OpenInterestCap             uint64
	OracleMaxAgeSeconds         uint64
	OracleMaxFutureSeconds      uint64
	OracleMaxMovePpm            uint64
	FundingMinIntervalSeconds   uint64
	FundingMaxRatePpm           uint64
}

// Hash returns riskHash = H(TAG_MARKET_RISK_V2, the twelve fields in declaration order).
func (r *MarketRisk) Hash() fr.Element {
	return layout.Hash(TagMarketRisk, layout.U64(r.InitialMarginPpm), layout.U64(r.MaintenanceMarginPpm),
		layout.U64(r.BaselinePositionSize), layout.U64(r.IncrementalPositionSize),
		layout.U64(r.IncrementalInitialMarginPpm), layout.U64(r.MaxPositionSize),
		layout.U64(r.OpenInterestCap), layout.U64(r.OracleMaxAgeSeconds),
		layout.U64(r.OracleMaxFutureSeconds), layout.U64(r.OracleMaxMovePpm),
		layout.U64(r.FundingMinIntervalSeconds), layout.U64(r.FundingMaxRatePpm))
}

// Market is the content of a market leaf v2 (markets tree, index = market id).
type Market struct {
	OraclePrice      uint64 // collateral quanta per synthetic quantum, 32 fractional bits
	OracleTimestamp  uint64 // Unix seconds of the price in use
	FundingIndex     int64  // cumulative funding per synthetic quantum, 32 fractional bits
	FundingTimestamp uint64 // Unix seconds of the last funding tick
	OpenInterest     uint64 // sum of the long sizes in the market
	Risk             MarketRisk
}

// Hash returns H(TAG_MARKET_V2, oraclePrice, oracleTimestamp, fundingIndex, fundingTimestamp,
// openInterest, riskHash).
func (m *Market) Hash() fr.Element {
	return layout.Hash(TagMarket, layout.U64(m.OraclePrice), layout.U64(m.OracleTimestamp),
		layout.I64(m.FundingIndex), layout.U64(m.FundingTimestamp), layout.U64(m.OpenInterest),
		m.Risk.Hash())
}

// OracleSigner is an oracle's EdDSA public key; (0, 0) is an empty slot.
type OracleSigner struct {
	KeyX, KeyY fr.Element
}

// Leaf returns 0 for an empty slot, else H(TAG_ORACLE_SIGNER_V2, keyX, keyY).
func (s *OracleSigner) Leaf() fr.Element {
	if s.KeyX.IsZero() && s.KeyY.IsZero() {
		return fr.Element{}
	}
	return layout.Hash(TagOracleSigner, s.KeyX, s.KeyY)
}

// OracleSignersTree returns the depth-4 tree of the 16 signer slots.
func OracleSignersTree(signers *[OracleSignerSlots]OracleSigner) *layout.SparseTree {
	t := layout.NewSparseTree(OracleSignersDepth)
	for i := range signers {
		if leaf := signers[i].Leaf(); !leaf.IsZero() {
			if err := t.Update(uint64(i), leaf); err != nil {
				panic(err) // i < 16 = the tree's size
			}
		}
	}
	return t
}

// FeeTier is one tier's maker and taker fee rates in signed parts per million (a negative rate is
// a rebate), each in [−10^6, 10^6].
type FeeTier struct {
	MakerPpm int32
	TakerPpm int32
}

// FeeRateOffset is added to a signed rate before hashing: 2^20 > 10^6, so rate + 2^20 is in
// [48,576, 2,048,576], below 2^21.
const FeeRateOffset = 1 << 20

// MaxFeeRatePpm bounds |rate| of a fee tier.
const MaxFeeRatePpm = 1_000_000

// FeeTiersHash returns H(TAG_FEE_TIERS_V2, maker0 + 2^20, taker0 + 2^20, …, maker7 + 2^20,
// taker7 + 2^20), or ErrFeeTierOutOfRange for a rate outside [−10^6, 10^6].
func FeeTiersHash(tiers *[FeeTierCount]FeeTier) (fr.Element, error) {
	xs := make([]fr.Element, 0, 1+2*FeeTierCount)
	xs = append(xs, TagFeeTiers)
	for i, t := range tiers {
		for _, r := range []int32{t.MakerPpm, t.TakerPpm} {
			if r > MaxFeeRatePpm || r < -MaxFeeRatePpm {
				return fr.Element{}, fmt.Errorf("%w: tier %d rate %d ppm", ErrFeeTierOutOfRange, i, r)
			}
			xs = append(xs, layout.U64(uint64(int64(r)+FeeRateOffset)))
		}
	}
	return layout.Hash(xs...), nil
}

// Global is the content of the global leaf v2.
type Global struct {
	FeeBalance    int64 // collateral quanta
	OracleSigners [OracleSignerSlots]OracleSigner
	OracleQuorum  uint8 // at most 16
	FeeTiers      [FeeTierCount]FeeTier
}

// Hash returns H(TAG_GLOBAL_V2, feeBalance, oracleSignersRoot, oracleQuorum, feeTiersRoot).
func (g *Global) Hash() (fr.Element, error) {
	if g.OracleQuorum > OracleSignerSlots {
		return fr.Element{}, fmt.Errorf("%w: %d > %d", ErrQuorumOutOfRange, g.OracleQuorum, OracleSignerSlots)
	}
	tiers, err := FeeTiersHash(&g.FeeTiers)
	if err != nil {
		return fr.Element{}, err
	}
	return layout.Hash(TagGlobal, layout.I64(g.FeeBalance), OracleSignersTree(&g.OracleSigners).Root(),
		layout.U64(uint64(g.OracleQuorum)), tiers), nil
}
