package perp

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/rangecheck"
)

// TakeoverCircuit is one insurance takeover (sequencer/README.md "Liquidation", step 6;
// Liquidator.closeAtBankruptcy, Settlement.movePosition; record InsuranceTakeover): the account's
// position in Market changes by Delta (−c, the record's signed size), the fund's by −Delta, at
// Price, no fees, funding settled on both first. Its rules:
//
//   - the account is below maintenance margin (equity < Σ MMR, funding counted, every position at
//     the batch's oracle prices);
//   - its position only shrinks toward zero (AssertShrinks);
//   - Price is the account's bankruptcy price for closing c (BankruptcyPrice, from the state before);
//   - the fund's equity after the takeover is ≥ 0, and its list holds the market or has an empty
//     entry (SettleFill's list rule: the engine's bound of 8 positions);
//   - collateral: account += c·Price, fund −= c·Price (exactly); open interest updated (no cap, as
//     the engine).
type TakeoverCircuit struct {
	Markets              []MarketVars
	Market, Delta, Price frontend.Variable
	Account, Fund        HolderVars
	OpenInterestAfter    frontend.Variable
}

// NewTakeoverCircuit allocates the circuit for position lists of n entries and k markets.
func NewTakeoverCircuit(n, k int) *TakeoverCircuit {
	return &TakeoverCircuit{Markets: make([]MarketVars, k), Account: newHolder(n), Fund: newHolder(n)}
}

// Define composes the gadgets.
func (c *TakeoverCircuit) Define(api frontend.API) error {
	a := &Arith{API: api, RC: rangecheck.New(api)}
	c.Constrain(a, NewMarketTable(a, c.Markets))
	return nil
}

// Constrain adds the takeover's rules over a shared range checker and market vector.
func (c *TakeoverCircuit) Constrain(a *Arith, table *MarketTable) {
	api := a.API
	mk, f, x := moveAtBankruptcy(a, table, c.Market, c.Delta, c.Price, &c.Account, &c.Fund)
	a.AssertLE(api.Add(f.Equity0, 1), f.MMR, sumBits) // liquidatable: equity < Σ MMR
	a.AssertLE(0, x.Equity1, sumBits)                 // the fund's equity stays ≥ 0
	api.AssertIsEqual(openInterestOf(a, mk, f, x), c.OpenInterestAfter)
}

// moveAtBankruptcy is Settlement.movePosition of delta (a signed 64-bit value) from account h to
// x at price (unsigned 64-bit): the market's row read from table, both settled (funding, then the
// position and collateral moved, no fee), h's position shrinking, the price equal to h's
// bankruptcy price, both states after asserted. It returns the market's row and both accounts'
// figures.
func moveAtBankruptcy(a *Arith, table *MarketTable, market, delta, price frontend.Variable,
	h, x *HolderVars) (MarketVars, FillFigures, FillFigures) {
	api := a.API
	mk := table.GetWithCaps(market)
	a.Signed(delta, 64)
	a.Unsigned(price, 64)
	cost := api.Mul(delta, price)
	f := SettleFill(a, table, h.Collateral, h.Positions, h.Select, market, mk, delta, cost, 0)
	h.assertAfter(api, f.SideResult)
	AssertShrinks(a, f.S0, f.S1, f.Abs0, f.Abs1)
	api.AssertIsEqual(BankruptcyPrice(a, f), price)
	g := SettleFill(a, table, x.Collateral, x.Positions, x.Select, market, mk, api.Neg(delta), api.Neg(cost), 0)
	x.assertAfter(api, g.SideResult)
	return mk, f, g
}

// openInterestOf is the market's open interest after a move between two accounts (no cap).
func openInterestOf(a *Arith, mk MarketVars, f, g FillFigures) frontend.Variable {
	return OpenInterest(a, mk.OpenInterest, noCap,
		[2]frontend.Variable{f.S0, g.S0}, [2]frontend.Variable{f.Abs0, g.Abs0},
		[2]frontend.Variable{f.S1, g.S1}, [2]frontend.Variable{f.Abs1, g.Abs1})
}
