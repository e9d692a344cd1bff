package perp

import (
	"github.com/consensys/gnark/frontend"
)

// PositionVars is one entry of an account's position list (layout v2): empty = (0, 0, 0).
type PositionVars struct {
	Market, Size, Snapshot frontend.Variable
}

// SideResult is one account's side of a trade, computed in the circuit.
type SideResult struct {
	Collateral     frontend.Variable
	Positions      []PositionVars
	FundingSettled frontend.Variable
	S0, S1         frontend.Variable // the trade market's position before and after
	Abs0, Abs1     frontend.Variable
	Reduces        frontend.Variable // the position shrank without flipping
}

// SettleAndCheck is one account's side of a fill of signed size d (buyer +size, seller −size) of
// market `market` at cost d·price with fee `fee`, over its whole position list:
//
//   - the list: every empty entry is canonical (0, 0, 0); `sel` (one-hot) picks the entry that holds
//     the market or, if the account has none, an empty entry; no other entry holds the market, so an
//     account already holding the bound's number of other markets cannot open one (engine: the
//     bound on open positions, layout v2);
//   - funding is settled on every position (sequencer/README.md "State-change records", funding
//     settlement rule): collateral += ⌊−(F − snap)·s / 2^32⌋, snap = F;
//   - then the fill: collateral −= d·price + fee, the entry's size += d (a new position takes the
//     index as its snapshot, a closed one becomes empty);
//   - the margin rule (MarginOK) over all positions at the batch's oracle prices.
func SettleAndCheck(a *Arith, t *MarketTable, collateral frontend.Variable, list []PositionVars, sel []frontend.Variable,
	market frontend.Variable, mk MarketVars, d, cost, fee frontend.Variable) SideResult {
	f := SettleFill(a, t, collateral, list, sel, market, mk, d, cost, fee)
	f.Reduces = MarginOK(a, f.S0, f.S1, f.Abs0, f.Abs1, f.Equity0, f.MMR, f.Equity1, f.IMR1, f.MMR1)
	return f.SideResult
}

// FillFigures is SettleFill's result: the side's state after the fill and the margin figures the
// rules of a trade, a liquidation, a takeover or a deleveraging are stated over (all positions at
// the batch's oracle prices, funding settled).
type FillFigures struct {
	SideResult
	Equity0, MMR        frontend.Variable // equity and Σ MMR before the fill
	Equity1, IMR1, MMR1 frontend.Variable // equity, Σ IMR and Σ MMR after it
	V0, V1              frontend.Variable // value of the fill market's position before and after
	MMRSel0, MMRSel1    frontend.Variable // its MMR before and after
	Open                frontend.Variable // number of non-empty entries before the fill
}

// SettleFill is SettleAndCheck without the margin rule (MarginOK), for the sides the engine does
// not margin-check: the liquidated account of a liquidation fill, both sides of an insurance
// takeover and of a deleveraging (Settlement.settle, Settlement.movePosition). Reduces is left nil.
func SettleFill(a *Arith, t *MarketTable, collateral frontend.Variable, list []PositionVars, sel []frontend.Variable,
	market frontend.Variable, mk MarketVars, d, cost, fee frontend.Variable) FillFigures {
	api := a.API
	a.Signed(collateral, 64)
	var sum frontend.Variable = 0
	for _, b := range sel {
		api.AssertIsBoolean(b)
		sum = api.Add(sum, b)
	}
	api.AssertIsEqual(sum, 1)

	var funding, value, imr, mmr frontend.Variable = 0, 0, 0, 0
	var s0, abs0, v0, imr0, mmr0 frontend.Variable = 0, 0, 0, 0, 0
	nonEmpty := make([]frontend.Variable, len(list))
	index := make([]frontend.Variable, len(list))
	for j, p := range list {
		a.Signed(p.Size, 64)
		a.Signed(p.Snapshot, 64)
		empty := api.IsZero(p.Size)
		nonEmpty[j] = api.Sub(1, empty)
		api.AssertIsEqual(api.Mul(empty, p.Market), 0)
		api.AssertIsEqual(api.Mul(empty, p.Snapshot), 0)
		// the selected entry holds the market or is empty; no other entry holds it
		api.AssertIsEqual(api.Mul(sel[j], p.Size, api.Sub(p.Market, market)), 0)
		same := api.IsZero(api.Sub(p.Market, market))
		api.AssertIsEqual(api.Mul(api.Sub(1, sel[j]), nonEmpty[j], same), 0)

		m := t.Get(p.Market)
		index[j] = m.FundingIndex
		funding = api.Add(funding, FundingCredit(a, p.Size, p.Snapshot, m.FundingIndex))
		v, ir, mr, abs := PositionRisk(a, p.Size, m)
		value, imr, mmr = api.Add(value, v), api.Add(imr, ir), api.Add(mmr, mr)
		s0 = api.Add(s0, api.Mul(sel[j], p.Size))
		abs0 = api.Add(abs0, api.Mul(sel[j], abs))
		v0 = api.Add(v0, api.Mul(sel[j], v))
		imr0 = api.Add(imr0, api.Mul(sel[j], ir))
		mmr0 = api.Add(mmr0, api.Mul(sel[j], mr))
	}
	settled := api.Add(collateral, funding)
	s1 := api.Add(s0, d)
	a.Signed(s1, 64)
	v1, imr1, mmr1, abs1 := PositionRisk(a, s1, mk)
	after := api.Sub(settled, cost, fee)
	a.Signed(after, 64)

	equity0 := api.Add(settled, value)
	equity1 := api.Add(after, api.Sub(value, v0), v1)
	req1 := api.Add(api.Sub(imr, imr0), imr1)
	mm1 := api.Add(api.Sub(mmr, mmr0), mmr1)

	// the list after: funding snapshots at the index, the selected entry moved by d
	open1 := api.Sub(1, api.IsZero(s1))
	out := make([]PositionVars, len(list))
	for j, p := range list {
		ne := api.Add(nonEmpty[j], api.Mul(sel[j], api.Sub(open1, nonEmpty[j])))
		out[j] = PositionVars{
			Market:   api.Mul(ne, api.Add(p.Market, api.Mul(sel[j], api.Sub(market, p.Market)))),
			Size:     api.Add(p.Size, api.Mul(sel[j], d)),
			Snapshot: api.Mul(ne, api.Add(index[j], api.Mul(sel[j], api.Sub(mk.FundingIndex, index[j])))),
		}
	}
	var open frontend.Variable = 0
	for _, ne := range nonEmpty {
		open = api.Add(open, ne)
	}
	return FillFigures{
		SideResult: SideResult{Collateral: after, Positions: out, FundingSettled: funding, S0: s0, S1: s1, Abs0: abs0, Abs1: abs1},
		Equity0:    equity0, MMR: mmr, Equity1: equity1, IMR1: req1, MMR1: mm1,
		V0: v0, V1: v1, MMRSel0: mmr0, MMRSel1: mmr1, Open: open,
	}
}
