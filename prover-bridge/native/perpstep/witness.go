package perpstep

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	geddsa "github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// ErrShape: the trade needs a list entry at or beyond the shape's n, or a market id at or beyond
// its table length k.
var ErrShape = errors.New("perpstep: the trade does not fit the circuit's shape")

// Separator returns D_order of a deployment as the constant NewTradeStep takes.
func Separator(d messages.Domain) *big.Int {
	s := d.Separator(messages.Order)
	return s.BigInt(new(big.Int))
}

// Witness executes the trade (ApplyTrade) and returns the assignment of NewTradeStep(n, k, …)
// that proves it, with the new state.
func Witness(s *layoutv2.State, t Trade, n, k int) (*TradeStep, *layoutv2.State, error) {
	st, err := execute(s, t, false)
	if err != nil {
		return nil, nil, err
	}
	w, err := st.assign(n, k)
	if err != nil {
		return nil, nil, err
	}
	return w, st.state, nil
}

func bi(x int64) *big.Int { return big.NewInt(x) }

func el(e fr.Element) *big.Int { return e.BigInt(new(big.Int)) }

func path(siblings []fr.Element, out []frontend.Variable) {
	for i := range out {
		out[i] = el(siblings[i])
	}
}

func orderVars(o messages.OrderMessage) messages.OrderVars {
	ro := 0
	if o.ReduceOnly {
		ro = 1
	}
	return messages.OrderVars{Account: o.Account, Market: o.Market, Side: o.Side, Type: o.Type, TimeInForce: o.TimeInForce,
		ReduceOnly: ro, ClientOrderID: o.ClientOrderID, Size: o.Size, Price: o.Price, FeeCap: o.FeeCap, Expiry: o.Expiry,
		Nonce: o.Nonce, Trigger: o.Trigger, TriggerPrice: o.TriggerPrice}
}

func positionVars(list []reference.Position, n int) ([]perp.PositionVars, error) {
	out := make([]perp.PositionVars, n)
	for i, p := range list {
		if i >= n {
			if p.Size != 0 {
				return nil, fmt.Errorf("%w: entry %d in use, n = %d", ErrShape, i, n)
			}
			continue
		}
		out[i] = perp.PositionVars{Market: p.Market, Size: bi(p.Size), Snapshot: bi(p.Snapshot)}
	}
	return out, nil
}

func marketVars(m layoutv2.Market) perp.MarketVars {
	u := func(x uint64) *big.Int { return new(big.Int).SetUint64(x) }
	return perp.MarketVars{Price: u(m.OraclePrice), FundingIndex: bi(m.FundingIndex), OpenInterest: u(m.OpenInterest),
		IMF: u(m.Risk.InitialMarginPpm), MMF: u(m.Risk.MaintenanceMarginPpm), Baseline: u(m.Risk.BaselinePositionSize),
		IncSize: u(m.Risk.IncrementalPositionSize), IncIMF: u(m.Risk.IncrementalInitialMarginPpm),
		MaxPositionSize: u(m.Risk.MaxPositionSize), OICap: u(m.Risk.OpenInterestCap)}
}

// assign builds the circuit's assignment for shape (n, k) from an executed step.
func (st *step) assign(n, k int) (*TradeStep, error) {
	tr, res := st.ref, st.res
	if tr.Market >= k {
		return nil, fmt.Errorf("%w: market %d, k = %d", ErrShape, tr.Market, k)
	}
	c := NewTradeStep(n, k, Separator(tr.Domain))
	c.OldRoot, c.NewRoot = el(st.oldRoot), el(st.newRoot)
	t := &c.Trade
	t.Separator = Separator(tr.Domain)
	for id := range t.Markets {
		if m, ok := st.old.Market(uint64(id)); ok {
			t.Markets[id] = marketVars(m)
		} else {
			// an unlisted id: any values the table's range checks accept (no position can use it)
			t.Markets[id] = marketVars(layoutv2.Market{Risk: layoutv2.MarketRisk{IncrementalPositionSize: 1}})
		}
	}
	t.Market, t.Price, t.Size = tr.Market, bi(tr.Price), bi(tr.Size)
	for i, pair := range []struct {
		in  reference.Party
		out reference.PartyAfter
		v   *perp.PartyVars
		o   *AccountOpening
		op  opened
	}{{tr.Buyer, res.Buyer, &t.Buyer, &c.Buyer, st.buyer}, {tr.Seller, res.Seller, &t.Seller, &c.Seller, st.seller}} {
		_ = i
		p, v := pair.in, pair.v
		v.Account = p.Account
		v.Key = geddsa.PublicKey{A: twistededwards.Point{X: p.Key.A.X, Y: p.Key.A.Y}}
		var sig eddsa.Signature
		if _, err := sig.SetBytes(p.Signature); err != nil {
			return nil, fmt.Errorf("%w: signature: %w", ErrShape, err)
		}
		var sc fr.Element
		sc.SetBytes(sig.S[:])
		v.Signature = geddsa.Signature{R: twistededwards.Point{X: sig.R.X, Y: sig.R.Y}, S: sc}
		v.Collateral = bi(p.Collateral)
		var err error
		if v.Positions, err = positionVars(p.Positions, n); err != nil {
			return nil, err
		}
		if p.Slot >= n {
			return nil, fmt.Errorf("%w: entry %d selected, n = %d", ErrShape, p.Slot, n)
		}
		for j := range v.Select {
			v.Select[j] = 0
			if j == p.Slot {
				v.Select[j] = 1
			}
		}
		v.FillNonce, v.FillFilled, v.FeePpm = p.FillNonce, p.FillFilled, bi(p.FeePpm)
		v.Order = orderVars(p.Order)
		a := pair.out
		if v.After, err = positionVars(a.Positions, n); err != nil {
			return nil, err
		}
		v.CollateralAfter, v.FilledAfter = bi(a.Collateral), a.FillFilled
		v.FundingSettled, v.FeeOut = bi(a.FundingSettled), bi(a.Fee)

		acc := pair.op.account
		o := pair.o
		o.L1Owner = el(layout.Address(acc.Identity.L1Owner))
		o.FeeTier, o.Nonce, o.FillsRoot = acc.Identity.FeeTier, acc.Nonce, el(acc.FillsRoot)
		path(pair.op.accountPath, o.AccountPath[:])
		path(pair.op.fillPath, o.FillPath[:])
	}
	t.OpenInterestAfter, t.FeeBalanceDelta = bi(res.OpenInterest), bi(res.FeeBalanceDelta)

	m := st.market
	c.Market.OracleTimestamp, c.Market.FundingTimestamp = m.OracleTimestamp, m.FundingTimestamp
	c.Market.TickBounds = [5]frontend.Variable{m.Risk.OracleMaxAgeSeconds, m.Risk.OracleMaxFutureSeconds,
		m.Risk.OracleMaxMovePpm, m.Risk.FundingMinIntervalSeconds, m.Risk.FundingMaxRatePpm}
	path(st.marketPath, c.Market.Path[:])
	return st.assignGlobal(c)
}

// assignBound is assign for NewTradeStepBound: every table entry opened in the old markets tree.
func (st *step) assignBound(n, k int) (*TradeStep, error) {
	c, err := st.assign(n, k)
	if err != nil {
		return nil, err
	}
	c.Table = make([]TableOpening, k)
	for id := range c.Table {
		o := &c.Table[id]
		_, sib, err := st.old.MarketProof(uint64(id))
		if err != nil {
			return nil, err
		}
		path(sib, o.Path[:])
		m, ok := st.old.Market(uint64(id))
		o.Listed = 0
		if ok {
			o.Listed = 1
		}
		o.OracleTimestamp, o.FundingTimestamp = m.OracleTimestamp, m.FundingTimestamp
		o.TickBounds = [5]frontend.Variable{m.Risk.OracleMaxAgeSeconds, m.Risk.OracleMaxFutureSeconds,
			m.Risk.OracleMaxMovePpm, m.Risk.FundingMinIntervalSeconds, m.Risk.FundingMaxRatePpm}
	}
	return c, nil
}

// assignGlobal sets the global leaf's opening.
func (st *step) assignGlobal(c *TradeStep) (*TradeStep, error) {
	g := st.old.Global()
	tiers, err := layoutv2.FeeTiersHash(&g.FeeTiers)
	if err != nil {
		return nil, err
	}
	c.Global = GlobalOpening{FeeBalance: bi(g.FeeBalance), OracleSignersRoot: el(layoutv2.OracleSignersTree(&g.OracleSigners).Root()),
		OracleQuorum: g.OracleQuorum, FeeTiersRoot: el(tiers)}
	return c, nil
}

// WitnessBound is Witness for NewTradeStepBound(n, k, …).
func WitnessBound(s *layoutv2.State, t Trade, n, k int) (*TradeStep, *layoutv2.State, error) {
	st, err := execute(s, t, false)
	if err != nil {
		return nil, nil, err
	}
	w, err := st.assignBound(n, k)
	if err != nil {
		return nil, nil, err
	}
	return w, st.state, nil
}
