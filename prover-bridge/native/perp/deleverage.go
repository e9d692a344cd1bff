package perp

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/rangecheck"
)

// DeleverageCircuit is one deleveraging (sequencer/README.md "Auto-deleveraging";
// Liquidator.deleverage, Settlement.movePosition; record Deleveraged): the deleveraged account's
// position in Market changes by Delta (−c, the record's signed size), the deleverager's by −Delta,
// at Price, no fees, funding settled on both first. Its rules:
//
//   - the deleveraged account's equity is negative (collateral + funding + Σ value < 0 at the
//     batch's oracle prices);
//   - its position only shrinks toward zero, and so does the deleverager's (StarkEx Deleverage:
//     the deleverager never grows or flips);
//   - Price is the deleveraged account's bankruptcy price for closing c (BankruptcyPrice);
//   - collateral: deleveraged += c·Price, deleverager −= c·Price (exactly); open interest updated.
//
// The circuit does not prove that the deleverager is the one the engine's ranking
// (DeleveragingRanking) puts first: docs/perp-circuit.md §11.
type DeleverageCircuit struct {
	Markets                  []MarketVars
	Market, Delta, Price     frontend.Variable
	Deleveraged, Deleverager HolderVars
	OpenInterestAfter        frontend.Variable
}

// NewDeleverageCircuit allocates the circuit for position lists of n entries and k markets.
func NewDeleverageCircuit(n, k int) *DeleverageCircuit {
	return &DeleverageCircuit{Markets: make([]MarketVars, k), Deleveraged: newHolder(n), Deleverager: newHolder(n)}
}

// Define composes the gadgets.
func (c *DeleverageCircuit) Define(api frontend.API) error {
	a := &Arith{API: api, RC: rangecheck.New(api)}
	c.Constrain(a, NewMarketTable(a, c.Markets))
	return nil
}

// Constrain adds the deleveraging's rules over a shared range checker and market vector.
func (c *DeleverageCircuit) Constrain(a *Arith, table *MarketTable) {
	api := a.API
	mk, f, x := moveAtBankruptcy(a, table, c.Market, c.Delta, c.Price, &c.Deleveraged, &c.Deleverager)
	a.AssertLE(api.Add(f.Equity0, 1), 0, sumBits) // bankrupt: equity < 0
	AssertShrinks(a, x.S0, x.S1, x.Abs0, x.Abs1)
	api.AssertIsEqual(openInterestOf(a, mk, f, x), c.OpenInterestAfter)
}
