package liqstep

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
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// ErrShape: the transaction needs a list entry at or beyond the shape's n, or a market id at or
// beyond its table length k.
var ErrShape = errors.New("liqstep: the transaction does not fit the circuit's shape")

// WitnessLiquidation executes the liquidation (ApplyLiquidation) and returns the assignment of
// NewLiquidationCircuit(n, k, …) that proves it, with the new state.
func WitnessLiquidation(s *layoutv2.State, l Liquidation, n, k int) (*LiquidationCircuit, *layoutv2.State, error) {
	x, err := executeLiquidation(s, l, false)
	if err != nil {
		return nil, nil, err
	}
	c, err := x.assign(l, n, k)
	return c, x.state, err
}

// WitnessTakeover executes the takeover (ApplyTakeover) and returns the assignment of
// NewTakeoverCircuit(n, k) that proves it, with the new state.
func WitnessTakeover(s *layoutv2.State, t Takeover, n, k int) (*TakeoverCircuit, *layoutv2.State, error) {
	x, err := executeMove(s, moveTx{account: t.Account, counterparty: FundAccount, market: t.Market, delta: t.Delta, price: t.Price, takeover: true}, false)
	if err != nil {
		return nil, nil, err
	}
	c, err := x.assignTakeover(t, n, k)
	return c, x.state, err
}

// WitnessDeleverage executes the deleveraging (ApplyDeleverage) and returns the assignment of
// NewDeleverageCircuit(n, k) that proves it, with the new state.
func WitnessDeleverage(s *layoutv2.State, d Deleveraging, n, k int) (*DeleverageCircuit, *layoutv2.State, error) {
	x, err := executeMove(s, moveTx{account: d.Account, counterparty: uint64(d.Deleverager), market: d.Market, delta: d.Delta, price: d.Price}, false)
	if err != nil {
		return nil, nil, err
	}
	c, err := x.assignDeleverage(d, n, k)
	return c, x.state, err
}

func bi(x int64) *big.Int { return big.NewInt(x) }

func el(e fr.Element) *big.Int { return e.BigInt(new(big.Int)) }

func path(siblings []fr.Element, out []frontend.Variable) {
	for i := range out {
		out[i] = el(siblings[i])
	}
}

func positionVars(list []reference.Position, n int) ([]perp.PositionVars, error) {
	out := make([]perp.PositionVars, n)
	for i := range out {
		out[i] = perp.PositionVars{Market: 0, Size: 0, Snapshot: 0}
	}
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

func selectVars(n, slot int) ([]frontend.Variable, error) {
	if slot >= n {
		return nil, fmt.Errorf("%w: entry %d selected, n = %d", ErrShape, slot, n)
	}
	out := make([]frontend.Variable, n)
	for j := range out {
		out[j] = 0
		if j == slot {
			out[j] = 1
		}
	}
	return out, nil
}

// holderVars is a holder's rule witness with the reference's state after.
func holderVars(h reference.Holder, a reference.PartyAfter, n int) (perp.HolderVars, error) {
	v := perp.HolderVars{Account: h.Account, Collateral: bi(h.Collateral), CollateralAfter: bi(a.Collateral), FundingSettled: bi(a.FundingSettled)}
	var err error
	if v.Positions, err = positionVars(h.Positions, n); err != nil {
		return v, err
	}
	if v.After, err = positionVars(a.Positions, n); err != nil {
		return v, err
	}
	v.Select, err = selectVars(n, h.Slot)
	return v, err
}

// holderOpening is an opened leaf's unchanged fields and path.
func holderOpening(o opened) (Holder, error) {
	id, err := o.account.Identity.Hash()
	if err != nil {
		return Holder{}, err
	}
	h := Holder{Identity: el(id), Nonce: o.account.Nonce, FillsRoot: el(o.account.FillsRoot)}
	path(o.path, h.Path[:])
	return h, nil
}

// table assigns the market table (ids 0 … k − 1, from the old state) and opens each entry.
func (e *exec) table(k int) ([]perp.MarketVars, []perpstep.TableOpening, error) {
	if int(e.marketID) >= k {
		return nil, nil, fmt.Errorf("%w: market %d, k = %d", ErrShape, e.marketID, k)
	}
	markets := make([]perp.MarketVars, k)
	openings := make([]perpstep.TableOpening, k)
	for id := range markets {
		m, ok := e.old.Market(uint64(id))
		o := &openings[id]
		o.Listed = 0
		markets[id] = perpstep.UnlistedTableEntry()
		if ok {
			o.Listed = 1
			markets[id] = perpstep.TableEntry(m)
		}
		o.OracleTimestamp, o.FundingTimestamp = m.OracleTimestamp, m.FundingTimestamp
		o.TickBounds = tickBounds(m)
		_, sib, err := e.old.MarketProof(uint64(id))
		if err != nil {
			return nil, nil, err
		}
		path(sib, o.Path[:])
	}
	return markets, openings, nil
}

func tickBounds(m layoutv2.Market) [5]frontend.Variable {
	return [5]frontend.Variable{m.Risk.OracleMaxAgeSeconds, m.Risk.OracleMaxFutureSeconds, m.Risk.OracleMaxMovePpm,
		m.Risk.FundingMinIntervalSeconds, m.Risk.FundingMaxRatePpm}
}

// marketOpening is the step's market leaf: timestamps, tick bounds and path.
func (e *exec) marketOpening() perpstep.MarketOpening {
	m := perpstep.MarketOpening{OracleTimestamp: e.market.OracleTimestamp, FundingTimestamp: e.market.FundingTimestamp,
		TickBounds: tickBounds(e.market)}
	path(e.marketPath, m.Path[:])
	return m
}

func (e *exec) globalLeaf() *big.Int { return el(e.old.GlobalLeaf()) }

func bytesVars(b []byte) []frontend.Variable {
	out := make([]frontend.Variable, len(b))
	for i, x := range b {
		out[i] = x
	}
	return out
}

// assign builds the liquidation circuit's assignment for shape (n, k).
func (x *liqExec) assign(l Liquidation, n, k int) (*LiquidationCircuit, error) {
	sep := perpstep.Separator(l.Domain)
	c := NewLiquidationCircuit(n, k, sep, l.FeePpm)
	c.OldRoot, c.NewRoot = el(x.oldRoot), el(x.newRoot)
	c.PublicData = bytesVars(LiquidationPublicData(l))
	s := &c.Step
	r := &s.Rules
	var err error
	if r.Markets, s.Table, err = x.table(k); err != nil {
		return nil, err
	}
	ref, res := x.ref, x.res
	r.Separator = sep
	r.Market, r.Price, r.Size, r.FeePpm, r.Fee = int(l.Market), bi(l.Price), bi(l.Size), bi(l.FeePpm), bi(l.Fee)
	if r.Liquidated, err = holderVars(ref.Liquidated, res.Liquidated, n); err != nil {
		return nil, err
	}
	if r.Liquidator, err = partyVars(ref.Liquidator, res.Liquidator, n); err != nil {
		return nil, err
	}
	r.FundCollateral, r.FundCollateralAfter = bi(ref.Fund), bi(res.FundCollateral)
	r.OpenInterestAfter, r.FeeBalanceDelta = bi(res.OpenInterest), bi(res.FeeBalanceDelta)

	if s.Liquidated, err = holderOpening(x.liquidated); err != nil {
		return nil, err
	}
	acc := x.liquidator.account
	s.Liquidator = perpstep.AccountOpening{L1Owner: el(layout.Address(acc.Identity.L1Owner)), FeeTier: acc.Identity.FeeTier,
		Nonce: acc.Nonce, FillsRoot: el(acc.FillsRoot)}
	path(x.liquidator.path, s.Liquidator.AccountPath[:])
	path(x.fillPath, s.Liquidator.FillPath[:])
	fund, err := holderOpening(x.fund)
	if err != nil {
		return nil, err
	}
	q, err := x.fund.account.Positions.Pack()
	if err != nil {
		return nil, err
	}
	s.Fund = Fund{Identity: fund.Identity, Nonce: fund.Nonce, FillsRoot: fund.FillsRoot, Path: fund.Path}
	for i := range q {
		s.Fund.List[i] = el(q[i])
	}
	s.Market = x.marketOpening()
	g := x.old.Global()
	tiers, err := layoutv2.FeeTiersHash(&g.FeeTiers)
	if err != nil {
		return nil, err
	}
	s.Global = perpstep.GlobalOpening{FeeBalance: bi(g.FeeBalance), OracleSignersRoot: el(layoutv2.OracleSignersTree(&g.OracleSigners).Root()),
		OracleQuorum: g.OracleQuorum, FeeTiersRoot: el(tiers)}
	return c, nil
}

// partyVars is the liquidator's rule witness with the reference's state after.
func partyVars(p reference.Party, a reference.PartyAfter, n int) (perp.PartyVars, error) {
	var sig eddsa.Signature
	if _, err := sig.SetBytes(p.Signature); err != nil {
		return perp.PartyVars{}, fmt.Errorf("%w: signature: %w", ErrShape, err)
	}
	var s fr.Element
	s.SetBytes(sig.S[:])
	v := perp.PartyVars{Account: p.Account, Key: geddsa.PublicKey{A: twistededwards.Point{X: p.Key.A.X, Y: p.Key.A.Y}},
		Collateral: bi(p.Collateral), FillNonce: p.FillNonce, FillFilled: p.FillFilled, FeePpm: bi(p.FeePpm),
		Order: perpstep.OrderWitness(p.Order), Signature: geddsa.Signature{R: twistededwards.Point{X: sig.R.X, Y: sig.R.Y}, S: s},
		CollateralAfter: bi(a.Collateral), FilledAfter: a.FillFilled, FundingSettled: bi(a.FundingSettled), FeeOut: bi(a.Fee)}
	var err error
	if v.Positions, err = positionVars(p.Positions, n); err != nil {
		return v, err
	}
	if v.After, err = positionVars(a.Positions, n); err != nil {
		return v, err
	}
	v.Select, err = selectVars(n, p.Slot)
	return v, err
}

// assignMove fills what a takeover's and a deleveraging's assignment share.
func (x *moveExec) assignMove(n, k int, rules *[2]*perp.HolderVars, markets *[]perp.MarketVars, table *[]perpstep.TableOpening,
	openings [2]*Holder, market *perpstep.MarketOpening, globalLeaf *frontend.Variable) error {
	var err error
	if *markets, *table, err = x.table(k); err != nil {
		return err
	}
	for i, h := range []reference.Holder{x.account, x.counterparty} {
		if *rules[i], err = holderVars(h, x.after[i], n); err != nil {
			return err
		}
		if *openings[i], err = holderOpening(x.opened[i]); err != nil {
			return err
		}
	}
	*market = x.marketOpening()
	*globalLeaf = x.globalLeaf()
	return nil
}

func (x *moveExec) assignTakeover(t Takeover, n, k int) (*TakeoverCircuit, error) {
	c := NewTakeoverCircuit(n, k)
	c.OldRoot, c.NewRoot = el(x.oldRoot), el(x.newRoot)
	c.PublicData = bytesVars(TakeoverPublicData(t))
	s := &c.Step
	r := &s.Rules
	r.Market, r.Delta, r.Price, r.OpenInterestAfter = int(t.Market), bi(t.Delta), bi(t.Price), bi(x.openInterest)
	s.Size = new(big.Int).SetUint64(abs(t.Delta))
	err := x.assignMove(n, k, &[2]*perp.HolderVars{&r.Account, &r.Fund}, &r.Markets, &s.Table,
		[2]*Holder{&s.Account, &s.Fund}, &s.Market, &s.GlobalLeaf)
	return c, err
}

func (x *moveExec) assignDeleverage(d Deleveraging, n, k int) (*DeleverageCircuit, error) {
	c := NewDeleverageCircuit(n, k)
	c.OldRoot, c.NewRoot = el(x.oldRoot), el(x.newRoot)
	c.PublicData = bytesVars(DeleveragePublicData(d))
	s := &c.Step
	r := &s.Rules
	r.Market, r.Delta, r.Price, r.OpenInterestAfter = int(d.Market), bi(d.Delta), bi(d.Price), bi(x.openInterest)
	s.Size = new(big.Int).SetUint64(abs(d.Delta))
	err := x.assignMove(n, k, &[2]*perp.HolderVars{&r.Deleveraged, &r.Deleverager}, &r.Markets, &s.Table,
		[2]*Holder{&s.Deleveraged, &s.Deleverager}, &s.Market, &s.GlobalLeaf)
	return c, err
}
