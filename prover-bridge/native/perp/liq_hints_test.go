package perp_test

import (
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// forgeEveryCall compiles the circuit, checks the honest witness solves, then answers each distinct
// call of each hint wrongly in turn (a comparison bit inverted, a quotient one more or one less
// with the remainder adjusted so that x = q·d + r still holds) and requires the system to be
// unsatisfied. The sign hint of |0| is skipped: both answers give 0 by design.
func forgeEveryCall(t *testing.T, circuit, assignment frontend.Circuit) {
	g := newHintForger(t, circuit, assignment)
	for _, f := range arithForges {
		forged := g.forgeEach(f, g.calls(f.hint))
		if forged < 10 {
			t.Fatalf("%s: only %d distinct calls", f.name, forged)
		}
		t.Logf("%s: each of %d distinct calls forged alone is refused", f.name, forged)
	}
}

// TestLiquidationHintsCannotBeForged: every hint call of a liquidation fill, a takeover and a
// deleveraging (2 positions per account, so the bankruptcy price's share is a real division).
func TestLiquidationHintsCannotBeForged(t *testing.T) {
	const n = 2
	t.Run("liquidation", func(t *testing.T) {
		sc := newLiquidation(t, n)
		res, broken := reference.Liquidate(sc.l)
		if len(broken) != 0 {
			t.Fatal(broken)
		}
		forgeEveryCall(t, perp.NewLiquidationCircuit(n, nMarkets), assignLiquidation(t, sc.l, res))
	})
	t.Run("takeover", func(t *testing.T) {
		tk := newTakeover(t, n)
		res, broken := reference.InsuranceTakeover(tk)
		if len(broken) != 0 {
			t.Fatal(broken)
		}
		forgeEveryCall(t, perp.NewTakeoverCircuit(n, nMarkets), assignTakeover(tk, res))
	})
	t.Run("deleverage", func(t *testing.T) {
		d := newDeleverage(t, n)
		res, broken := reference.Deleverage(d)
		if len(broken) != 0 {
			t.Fatal(broken)
		}
		forgeEveryCall(t, perp.NewDeleverageCircuit(n, nMarkets), assignDeleverage(d, res))
	})
}
