package collateralstep

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
)

// entriesOf is an account's list as the circuit takes it, empty entries (0, 0, 0).
func entriesOf(a layoutv2.Account) []gadget.Entry {
	out := make([]gadget.Entry, layoutv2.MaxPositions)
	for j, e := range a.Positions {
		out[j] = gadget.Entry{Market: 0, Size: 0, Snapshot: 0}
		if !e.Empty() {
			out[j] = gadget.Entry{Market: e.Market, Size: big.NewInt(e.Size), Snapshot: big.NewInt(e.FundingSnapshot)}
		}
	}
	return out
}

// marginOf assigns the margin shape with k table markets: the account's list and every id below
// k, listed (opened at its leaf) or not (the empty leaf). It refuses (ErrShape) a position in a
// market at or beyond k, and for k = 0 an account holding any position.
func marginOf(s *layoutv2.State, a layoutv2.Account, k int) ([]Margin, error) {
	for _, e := range a.Positions {
		if !e.Empty() && int(e.Market) >= k {
			return nil, fmt.Errorf("%w: a position in market %d, table of %d markets", ErrShape, e.Market, k)
		}
	}
	if k == 0 {
		return nil, nil
	}
	m := newMargin(k)
	copy(m[0].List[:], entriesOf(a))
	for id := range k {
		mk, listed := s.Market(uint64(id))
		if !listed {
			mk = layoutv2.Market{Risk: layoutv2.MarketRisk{IncrementalPositionSize: 1}} // any values the table accepts
		}
		r := mk.Risk
		m[0].Markets[id] = perp.MarketVars{Price: u(mk.OraclePrice), FundingIndex: big.NewInt(mk.FundingIndex), OpenInterest: u(mk.OpenInterest),
			IMF: u(r.InitialMarginPpm), MMF: u(r.MaintenanceMarginPpm), Baseline: u(r.BaselinePositionSize), IncSize: u(r.IncrementalPositionSize),
			IncIMF: u(r.IncrementalInitialMarginPpm), MaxPositionSize: u(r.MaxPositionSize), OICap: u(r.OpenInterestCap)}
		o := &m[0].Table[id]
		o.Listed = 0
		if listed {
			o.Listed = 1
		}
		o.OracleTimestamp, o.FundingTimestamp = u(mk.OracleTimestamp), u(mk.FundingTimestamp)
		o.TickBounds = [5]frontend.Variable{u(r.OracleMaxAgeSeconds), u(r.OracleMaxFutureSeconds), u(r.OracleMaxMovePpm),
			u(r.FundingMinIntervalSeconds), u(r.FundingMaxRatePpm)}
		_, sib, err := s.MarketProof(uint64(id))
		if err != nil {
			return nil, err
		}
		for i := range o.Path {
			o.Path[i] = el(sib[i])
		}
	}
	return m, nil
}
