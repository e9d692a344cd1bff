package escape

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// Typed errors of the escape reference. Every refusal wraps one of them.
var (
	// ErrInsuranceFund: the insurance fund (account 2^24 − 1) cannot escape; its collateral and
	// positions stay in the vault as the buffer that covers bankrupt accounts.
	ErrInsuranceFund = errors.New("escape: the insurance fund account does not escape")
	// ErrNoAccount: the account slot is empty in the state.
	ErrNoAccount = errors.New("escape: account does not exist")
	// ErrMarketNotListed: the account holds a position in a market whose leaf is empty (no valid
	// state has one; such an account cannot be proven).
	ErrMarketNotListed = errors.New("escape: position in a market that is not listed")
	// ErrMarketMismatch: the proof's market leaves are not exactly one per non-empty entry, in
	// entry order (a missing, extra or foreign market).
	ErrMarketMismatch = errors.New("escape: market proofs do not match the account's positions")
	// ErrRootMismatch: the proof leads to another state root.
	ErrRootMismatch = errors.New("escape: proof does not lead to the state root")
	// ErrIndexOutOfRange: an account id ≥ 2^24.
	ErrIndexOutOfRange = errors.New("escape: index out of range")
)

var two32 = new(big.Int).Lsh(big.NewInt(1), 32)

// Funding returns ⌊−(index − snapshot)·size / 2^32⌋: the funding credit of a position since its
// snapshot (negative = owed), as the engine's RiskMath.fundingCredit but without an int64 bound.
func Funding(size, snapshot, index int64) *big.Int {
	d := new(big.Int).Sub(big.NewInt(index), big.NewInt(snapshot))
	d.Mul(d, big.NewInt(size))
	d.Neg(d)
	return d.Div(d, two32) // Euclidean division by a positive divisor: the floor
}

// Value returns ⌊size·price / 2^32⌋: a position's value at a fixed-point price (32 fractional
// bits), as the engine's RiskMath.value but without an int64 bound.
func Value(size int64, price uint64) *big.Int {
	v := new(big.Int).Mul(big.NewInt(size), new(big.Int).SetUint64(price))
	return v.Div(v, two32)
}

// EntryPayout is one non-empty position entry's part of a payout.
type EntryPayout struct {
	Entry        int   // index in the list, 0 … 7
	Market       uint8 // market id
	Size         int64
	Snapshot     int64
	OraclePrice  uint64   // the market leaf's oracle price
	FundingIndex int64    // the market leaf's funding index
	Funding      *big.Int // Funding(Size, Snapshot, FundingIndex)
	Value        *big.Int // Value(Size, OraclePrice)
}

// Breakdown is an account's escape payout with its parts.
type Breakdown struct {
	Account    uint64
	Collateral int64
	Entries    []EntryPayout // the non-empty entries in list order
	Total      *big.Int      // collateral + Σ funding + Σ value (may be negative)
	Amount     *big.Int      // max(0, Total): what the vault owes, before its balance cap
}

// Compute returns the payout of an account leaf given the market leaves of the markets it holds.
// It fails with ErrMarketNotListed when a held market is missing from markets.
func Compute(id uint64, a layoutv2.Account, markets map[uint8]layoutv2.Market) (Breakdown, error) {
	b := Breakdown{Account: id, Collateral: a.Collateral, Total: big.NewInt(a.Collateral)}
	for i, e := range a.Positions {
		if e.Empty() {
			continue
		}
		m, ok := markets[e.Market]
		if !ok {
			return Breakdown{}, fmt.Errorf("%w: account %d, market %d", ErrMarketNotListed, id, e.Market)
		}
		ep := EntryPayout{Entry: i, Market: e.Market, Size: e.Size, Snapshot: e.FundingSnapshot,
			OraclePrice: m.OraclePrice, FundingIndex: m.FundingIndex,
			Funding: Funding(e.Size, e.FundingSnapshot, m.FundingIndex), Value: Value(e.Size, m.OraclePrice)}
		b.Total.Add(b.Total, ep.Funding)
		b.Total.Add(b.Total, ep.Value)
		b.Entries = append(b.Entries, ep)
	}
	b.Amount = new(big.Int)
	if b.Total.Sign() > 0 {
		b.Amount.Set(b.Total)
	}
	return b, nil
}

// Payout returns what account id is paid when it escapes from state s, at s's market leaves. It
// refuses the insurance fund (ErrInsuranceFund), an id ≥ 2^24 (ErrIndexOutOfRange), an empty slot
// (ErrNoAccount) and a position in an unlisted market (ErrMarketNotListed).
func Payout(s *layoutv2.State, id uint64) (Breakdown, error) {
	a, err := account(s, id)
	if err != nil {
		return Breakdown{}, err
	}
	markets := make(map[uint8]layoutv2.Market)
	for _, e := range a.Positions {
		if m, ok := s.Market(uint64(e.Market)); ok && !e.Empty() {
			markets[e.Market] = m
		}
	}
	return Compute(id, a, markets)
}

func account(s *layoutv2.State, id uint64) (layoutv2.Account, error) {
	switch {
	case id > layoutv2.InsuranceFundAccount:
		return layoutv2.Account{}, fmt.Errorf("%w: account %d", ErrIndexOutOfRange, id)
	case id == layoutv2.InsuranceFundAccount:
		return layoutv2.Account{}, ErrInsuranceFund
	}
	a, ok := s.Account(id)
	if !ok {
		return layoutv2.Account{}, fmt.Errorf("%w: %d", ErrNoAccount, id)
	}
	return a, nil
}
