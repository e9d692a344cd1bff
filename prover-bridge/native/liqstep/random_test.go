package liqstep

import (
	"math/rand/v2"
	"testing"
)

// TestRandomStepsAgreeWithReference: random liquidations, takeovers and deleveragings (N = 1:
// equity around the thresholds, sizes up to a flip, prices and fees around their bounds) solve
// exactly when the reference accepts them; both outcomes occur for each type.
func TestRandomStepsAgreeWithReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 12_07))
	pick := func(xs ...int64) int64 { return xs[rng.IntN(len(xs))] }
	outcomes := map[string][2]int{}
	count := func(kind string, accepted bool) {
		o := outcomes[kind]
		if accepted {
			o[0]++
		} else {
			o[1]++
		}
		outcomes[kind] = o
	}
	for i := 0; i < 12; i++ {
		w := newWorld(t, 1)
		off := pick(-800, -1, 0, 150) + rng.Int64N(20) - 10
		w.setEquity(t, liquidatedID, func(_, mmr int64) int64 { return mmr + off })
		l := w.liquidation(t)
		l.Size, l.Price = 1+rng.Int64N(110), 1_285+rng.Int64N(30)
		w.feeAtBound(t, &l)
		l.Fee += pick(-1, 0, 0, 1)
		c, broken := w.forcedLiquidation(t, l)
		err := solve(w.liqCircuit(), c)
		if (err == nil) != (len(broken) == 0) {
			t.Fatalf("liquidation %d (equity offset %d, size %d, price %d): broken %v, circuit %v", i, off, l.Size, l.Price, broken, err)
		}
		count("liquidation", len(broken) == 0)
	}
	for i := 0; i < 12; i++ {
		w := newWorld(t, 1)
		off := pick(-800, -1, 0, 150) + rng.Int64N(20) - 10
		w.setEquity(t, liquidatedID, func(_, mmr int64) int64 { return mmr + off })
		c := 1 + rng.Int64N(110)
		tk := Takeover{Account: liquidatedID, Market: liqMarket, Delta: -c, Price: w.bankruptcyPrice(t, liquidatedID, c) + pick(-1, 0, 0, 1)}
		x, broken := w.forcedMove(t, takeoverTx(tk))
		a, err := x.assignTakeover(tk, 1, shapeK(1))
		if err != nil {
			t.Fatal(err)
		}
		err = solve(NewTakeoverCircuit(1, shapeK(1)), a)
		if (err == nil) != (len(broken) == 0) {
			t.Fatalf("takeover %d (offset %d, c %d): broken %v, circuit %v", i, off, c, broken, err)
		}
		count("takeover", len(broken) == 0)
	}
	for i := 0; i < 12; i++ {
		w := newWorld(t, 1)
		e := pick(-2_000, -1, 0, 300) + rng.Int64N(10) - 5
		w.setEquity(t, liquidatedID, func(_, _ int64) int64 { return e })
		w.setPosition(t, deleveragerID, -(20 + rng.Int64N(200)))
		c := 1 + rng.Int64N(110)
		d := Deleveraging{Account: liquidatedID, Deleverager: deleveragerID, Market: liqMarket, Delta: -c,
			Price: w.bankruptcyPrice(t, liquidatedID, c) + pick(-1, 0, 0, 0, 1)}
		x, broken := w.forcedMove(t, deleverageTx(d))
		a, err := x.assignDeleverage(d, 1, shapeK(1))
		if err != nil {
			t.Fatal(err)
		}
		err = solve(NewDeleverageCircuit(1, shapeK(1)), a)
		if (err == nil) != (len(broken) == 0) {
			t.Fatalf("deleveraging %d (equity %d, c %d): broken %v, circuit %v", i, e, c, broken, err)
		}
		count("deleverage", len(broken) == 0)
	}
	for kind, o := range outcomes {
		t.Logf("%s: %d accepted, %d refused", kind, o[0], o[1])
		if o[0] == 0 || o[1] == 0 {
			t.Errorf("%s: only one outcome (%d accepted, %d refused)", kind, o[0], o[1])
		}
	}
}
