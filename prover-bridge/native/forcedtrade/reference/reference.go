// Package reference is the Go reference of the forced trade's decision (docs/perp-circuit.md §12):
// given a layout v2 state and a forced-trade request as L1 queued it, either the trade executes
// (and the new state is returned) or it is invalid for one typed reason that the circuit
// (package forcedtrade) proves, or Apply refuses it with a typed error (a request L1 refuses, or
// a state no engine configuration produces).
//
// The reasons are checked in a fixed order, and the first that holds is the outcome, so the
// engine, this reference and the circuit name the same one: unknown market, then stale nonce,
// then bad signature, then no free list entry, then a result outside layout v2's range, then the
// trade's risk rules (margin of A or B, position size limit, open-interest cap).
package reference

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	perpref "github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// Reason is a forced trade's outcome: Executed, or the reason it is invalid. The values are the
// circuit's witness Reason.
type Reason int

// The outcomes, in the order the decision checks them.
const (
	Executed     Reason = 0 // every rule holds: the trade is applied
	Stale        Reason = 1 // A's fill slot for the nonce holds a nonce ≥ it (used, or overtaken)
	BadSignature Reason = 2 // B's signature does not verify under B's key
	Risk         Reason = 3 // the post-trade risk check fails: margin of A or B, size limit, open-interest cap
	// UnknownMarket is checked first: the market id (below 2^6, L1 checks) is not listed.
	UnknownMarket Reason = 4
	// NoFreeEntry is checked after BadSignature: A or B has no entry holding the market and no
	// empty entry (all 8 hold other markets), so the position cannot be written.
	NoFreeEntry Reason = 5
	// OutOfRange is checked after NoFreeEntry: a value the execution would write does not fit
	// layout v2 (a side's new collateral outside int64, a new position size with |size| ≥ 2^55,
	// the market's new open interest outside u64).
	OutOfRange Reason = 6
)

func (r Reason) String() string {
	switch r {
	case Executed:
		return "executed"
	case Stale:
		return "stale"
	case BadSignature:
		return "bad-signature"
	case Risk:
		return "risk"
	case UnknownMarket:
		return "unknown-market"
	case NoFreeEntry:
		return "no-free-entry"
	case OutOfRange:
		return "out-of-range"
	}
	return fmt.Sprintf("reason(%d)", int(r))
}

// Requests Apply does not decide; the state is unchanged. L1 refuses the first five (a self-trade,
// an unbound account, the insurance fund, a requester who is not A's owner, a request field outside
// what the desk queues: market id ≥ 2^6, nonce 0, size 0 or ≥ 2^55, amount ≥ 2^63). ErrArithmetic
// is a state no engine configuration produces: a market field ≥ 2^63, or a figure the margin rule
// reads (funding credit, value or requirement of a position) beyond int64 while the written values
// fit and the size limits and open-interest cap hold (docs/perp-circuit.md §12.6).
var (
	ErrNoAccount    = errors.New("forcedtrade: account does not exist")
	ErrSelfTrade    = errors.New("forcedtrade: A and B are the same account")
	ErrFundAccount  = errors.New("forcedtrade: the insurance fund cannot trade by request")
	ErrOwner        = errors.New("forcedtrade: the requester is not A's owner")
	ErrRequestRange = errors.New("forcedtrade: a request field outside what L1 queues")
	ErrArithmetic   = errors.New("forcedtrade: a figure beyond the reference's int64 arithmetic")
	// ErrNotWritable: ExecutedState of a request with no free entry or a result out of range.
	ErrNotWritable = errors.New("forcedtrade: the execution cannot be written to layout v2")
)

// Figures are what the decision computed, for the witness: each party's entry index (−1: none
// free) and side after the trade (perp/reference; zero when an entry is missing), and the open
// interest after it.
type Figures struct {
	SlotA, SlotB   int
	A, B           perpref.PartyAfter
	OpenInterest   int64
	SignatureValid bool // B's signature verifies
	NoFreeEntry    bool // A or B has no entry for the market
	OutOfRange     bool // a written value does not fit layout v2 (false when NoFreeEntry)
	RiskOK         bool // the risk rules hold (false when NoFreeEntry or OutOfRange)
}

// Outcome is the decision and, for Executed, the new state (for an invalid trade, Next is the
// old state: nothing changes).
type Outcome struct {
	Reason  Reason
	Next    *layoutv2.State
	Figures Figures
}

// Apply decides forced trade op in domain d on s and returns the outcome; s is never changed.
func Apply(s *layoutv2.State, d messages.Domain, op messages.ForcedTradeOp) (Outcome, error) {
	m := op.Message
	idA, idB := uint64(m.AccountA), uint64(m.AccountB)
	if idA == idB {
		return Outcome{}, ErrSelfTrade
	}
	if idA == layoutv2.InsuranceFundAccount || idB == layoutv2.InsuranceFundAccount {
		return Outcome{}, ErrFundAccount
	}
	a, okA := s.Account(idA)
	b, okB := s.Account(idB)
	if !okA || !okB {
		return Outcome{}, ErrNoAccount
	}
	if a.Identity.L1Owner != op.OwnerA {
		return Outcome{}, ErrOwner
	}
	if m.Market >= 1<<layoutv2.MarketsDepth || m.Nonce == 0 || m.Size == 0 || m.Size >= 1<<55 || m.Amount >= 1<<63 {
		return Outcome{}, ErrRequestRange
	}
	market := uint8(m.Market)
	f := Figures{SlotA: perpstep.EntryFor(a.Positions, market), SlotB: perpstep.EntryFor(b.Positions, market)}
	f.NoFreeEntry = f.SlotA < 0 || f.SlotB < 0
	mk, listed := s.Market(uint64(m.Market))
	if !listed {
		return Outcome{Reason: UnknownMarket, Next: s, Figures: f}, nil
	}
	markets, err := perpstep.ReferenceMarkets(s)
	if err != nil {
		return Outcome{}, fmt.Errorf("%w: %w", ErrArithmetic, err)
	}
	decided := true
	if !f.NoFreeEntry {
		decided = settle(&f, markets, mk, a, b, m)
	}

	var key twistededwards.PointAffine
	key.X, key.Y = b.Identity.PublicKeyX, b.Identity.PublicKeyY
	f.SignatureValid = Verify(key, op.RX, op.RY, op.S, m.Hash(d))

	fill, _ := s.Fill(idA, layoutv2.FillSlot(m.Nonce))
	invalid := Executed
	switch {
	case fill.OrderNonce >= m.Nonce:
		invalid = Stale
	case !f.SignatureValid:
		invalid = BadSignature
	case f.NoFreeEntry:
		invalid = NoFreeEntry
	case f.OutOfRange:
		invalid = OutOfRange
	case !decided:
		return Outcome{}, ErrArithmetic
	case !f.RiskOK:
		invalid = Risk
	}
	if invalid != Executed {
		return Outcome{Reason: invalid, Next: s, Figures: f}, nil
	}
	next, err := write(s, op, f)
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Reason: Executed, Next: next, Figures: f}, nil
}

// maxAbsSize is layout v2's bound on a position size (docs/state-layout.md §9.4).
const maxAbsSize = 1<<55 - 1

// settle fills f's sides, open interest, range and risk bits for a trade both parties have an
// entry for; it returns false when the risk bit is undecided: a figure of the margin rule left
// int64 (perp/reference) while the size limits and the open-interest cap hold.
func settle(f *Figures, markets []perpref.Market, mk layoutv2.Market, a, b layoutv2.Account, m messages.ForcedTradeMessage) bool {
	market := int(m.Market)
	// the trade's figures: A moves by ±size and pays or receives the amount, B the opposite
	// (Settle with price 0 and the amount as the fee: collateral − d·0 − fee, no fee charged)
	size, amount := int64(m.Size), int64(m.Amount)
	dA, cA := size, amount
	if !m.ABuys {
		dA, cA = -size, -amount
	}
	var okMarginA, okMarginB, inA, inB bool
	f.A, okMarginA, inA = perpref.Settle(markets, a.Collateral, perpstep.ReferenceList(a.Positions), f.SlotA, market, dA, 0, cA)
	f.B, okMarginB, inB = perpref.Settle(markets, b.Collateral, perpstep.ReferenceList(b.Positions), f.SlotB, market, -dA, 0, -cA)
	sA0, sB0 := a.Positions[f.SlotA].Size, b.Positions[f.SlotB].Size // an empty entry has size 0
	// the written values, exact: collateral settled and paid, the entry's size, open interest
	fits := func(collateral, funding, cost, s1 int64) bool {
		c := new(big.Int).Add(big.NewInt(collateral), big.NewInt(funding))
		c.Sub(c, big.NewInt(cost))
		return c.IsInt64() && abs(s1) <= maxAbsSize
	}
	oi := new(big.Int).SetUint64(mk.OpenInterest)
	oi.Add(oi, big.NewInt(max(sA0+dA, 0)-max(sA0, 0)+max(sB0-dA, 0)-max(sB0, 0)))
	f.OutOfRange = !fits(a.Collateral, f.A.FundingSettled, cA, sA0+dA) || !fits(b.Collateral, f.B.FundingSettled, -cA, sB0-dA) ||
		oi.Sign() < 0 || !oi.IsUint64()
	if f.OutOfRange {
		return true
	}
	f.OpenInterest = oi.Int64()
	rk := markets[market].Risk
	limit := func(s0, d int64) bool {
		s1 := s0 + d
		return !(abs(s1) > abs(s0) && abs(s1) > rk.MaxPositionSize)
	}
	oiOK := f.OpenInterest <= int64(mk.OpenInterest) || f.OpenInterest <= rk.OICap
	limits := limit(sA0, dA) && limit(sB0, -dA) && oiOK
	f.RiskOK = okMarginA && okMarginB && limits
	return (inA && inB) || !limits
}

// ExecutedState is the state the trade would leave if it were executed, whatever the decision
// (for tests that claim an execution the decision refuses); the errors are Apply's.
func ExecutedState(s *layoutv2.State, d messages.Domain, op messages.ForcedTradeOp) (*layoutv2.State, error) {
	out, err := Apply(s, d, op)
	if err != nil {
		return nil, err
	}
	if out.Figures.NoFreeEntry || out.Figures.OutOfRange {
		return nil, ErrNotWritable
	}
	return write(s, op, out.Figures)
}

// write applies the figures: both accounts settled and moved, A's fill slot taken over by
// (Nonce, Size) so the request cannot run twice, the market's open interest.
func write(s *layoutv2.State, op messages.ForcedTradeOp, f Figures) (*layoutv2.State, error) {
	m := op.Message
	idA, idB := uint64(m.AccountA), uint64(m.AccountB)
	a, _ := s.Account(idA)
	b, _ := s.Account(idB)
	mk, _ := s.Market(uint64(m.Market))
	next := s.Clone()
	for _, p := range []struct {
		id    uint64
		acc   layoutv2.Account
		after perpref.PartyAfter
	}{{idA, a, f.A}, {idB, b, f.B}} {
		list, err := perpstep.LayoutList(p.after.Positions)
		if err != nil {
			return nil, err
		}
		if err := next.SetAccount(p.id, layoutv2.AccountFields{Identity: p.acc.Identity, Nonce: p.acc.Nonce,
			Collateral: p.after.Collateral, Positions: list}); err != nil {
			return nil, err
		}
	}
	if err := next.SetFill(idA, layoutv2.Fill{OrderNonce: m.Nonce, FilledAmount: m.Size}); err != nil {
		return nil, err
	}
	mk.OpenInterest = uint64(f.OpenInterest)
	if err := next.SetMarket(uint64(m.Market), mk); err != nil {
		return nil, err
	}
	return next, nil
}

// Verify is the cofactored EdDSA check the circuit makes (gnark's eddsa.IsValid with R on the
// curve): R = (rx, ry) on the curve, S below the subgroup order, and
// [8][S]B = [8](R + [H(R, A, msg)]A) with H Poseidon2 Merkle–Damgård (docs/state-layout.md §6).
func Verify(key twistededwards.PointAffine, rx, ry, s, msg fr.Element) bool {
	cv := twistededwards.GetEdwardsCurve()
	r := twistededwards.PointAffine{X: rx, Y: ry}
	if !r.IsOnCurve() || !key.IsOnCurve() {
		return false
	}
	sb := s.BigInt(new(big.Int))
	if sb.Cmp(&cv.Order) >= 0 {
		return false
	}
	c := layout.Hash(rx, ry, key.X, key.Y, msg)
	var lhs, rhs twistededwards.PointAffine
	cof := cv.Cofactor.BigInt(new(big.Int))
	lhs.ScalarMultiplication(&cv.Base, sb).ScalarMultiplication(&lhs, cof)
	rhs.ScalarMultiplication(&key, c.BigInt(new(big.Int))).Add(&rhs, &r).ScalarMultiplication(&rhs, cof)
	return lhs.Equal(&rhs)
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
