package perp_test

import (
	"math/rand"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// outcomes counts agreement runs and requires both outcomes often enough to mean something.
type outcomes struct {
	accepted, refused int
	hist              map[reference.Rule]int
}

func (o *outcomes) record(t *testing.T, i int, broken []reference.Rule, err error) {
	t.Helper()
	if o.hist == nil {
		o.hist = map[reference.Rule]int{}
	}
	for _, r := range broken {
		o.hist[r]++
	}
	if (err == nil) != (len(broken) == 0) {
		t.Fatalf("case %d: reference %v, circuit error %v", i, broken, err)
	}
	if err == nil {
		o.accepted++
	} else {
		o.refused++
	}
}

func (o *outcomes) check(t *testing.T, min int) {
	t.Logf("%d accepted, %d refused; rules broken: %v", o.accepted, o.refused, o.hist)
	if o.accepted < min || o.refused < min {
		t.Fatalf("too one-sided to compare: %d accepted, %d refused", o.accepted, o.refused)
	}
}

// TestRandomLiquidationsAgreeWithReference: random liquidation fills (equity around maintenance,
// size, price around the liquidator's limit, either side, fee around its bound) solve exactly when
// the reference accepts them.
func TestRandomLiquidationsAgreeWithReference(t *testing.T) {
	rnd := rand.New(rand.NewSource(20))
	var o outcomes
	for i := 0; i < 40; i++ {
		n := listSizes[i%2]
		sc := newLiquidation(t, n)
		l := &sc.l
		if rnd.Intn(4) == 0 {
			l.Liquidated.Positions[0].Size = -100 // a short: the liquidator must sell
			l.Liquidator.Order.Side, l.Liquidator.Order.Price = 1, 1_290
		}
		if rnd.Intn(5) == 0 {
			l.Liquidator.Order.Side = 1 - l.Liquidator.Order.Side
		}
		sc.resign(t)
		l.Size = 1 + rnd.Int63n(115)
		l.Price = 1_285 + rnd.Int63n(30)
		setEquity(l.Markets, &l.Liquidated, mmrOf(l.Markets, l.Liquidated)+rnd.Int63n(400)-330)
		if rnd.Intn(4) == 0 {
			setEquity(l.Markets, &l.Liquidated, rnd.Int63n(300)-50)
		}
		sc.feeAtBound()
		l.Fee += rnd.Int63n(3) - 1
		_, broken := reference.Liquidate(*l)
		o.record(t, i, broken, solveLiquidation(t, *l))
	}
	o.check(t, 8)
}

// TestRandomTakeoversAgreeWithReference: random takeovers (equity around maintenance, size of
// either sign, price around the bankruptcy price, fund collateral) against the reference.
func TestRandomTakeoversAgreeWithReference(t *testing.T) {
	rnd := rand.New(rand.NewSource(21))
	var o outcomes
	for i := 0; i < 60; i++ {
		n := listSizes[i%2]
		tk := newTakeover(t, n)
		if rnd.Intn(3) == 0 {
			tk.Account.Positions[0].Size = -100
		}
		setEquity(tk.Markets, &tk.Account, mmrOf(tk.Markets, tk.Account)+rnd.Int63n(4_500)-4_000)
		s := tk.Account.Positions[0].Size
		tk.Delta = -s * (1 + rnd.Int63n(105)) / 100
		if rnd.Intn(8) == 0 {
			tk.Delta = -tk.Delta
		}
		if tk.Delta != 0 {
			tk.Price = bankruptcyPrice(t, tk.Markets, tk.Account, -tk.Delta) + rnd.Int63n(3)/2*(rnd.Int63n(3)-1)
		}
		if rnd.Intn(5) == 0 {
			tk.Fund.Collateral = rnd.Int63n(400_000) - 200_000
		}
		_, broken := reference.InsuranceTakeover(tk)
		o.record(t, i, broken, solveTakeover(tk))
	}
	o.check(t, 10)
}

// TestRandomDeleveragesAgreeWithReference: random deleveragings (value around 0, sizes of both
// accounts, price around the bankruptcy price) against the reference.
func TestRandomDeleveragesAgreeWithReference(t *testing.T) {
	rnd := rand.New(rand.NewSource(22))
	var o outcomes
	for i := 0; i < 60; i++ {
		n := listSizes[i%2]
		d := newDeleverage(t, n)
		if rnd.Intn(3) == 0 {
			d.Deleveraged.Positions[0].Size = -100
			d.Deleverager = holderWith(d.Markets, 9, n, 150, 1, 300_000)
		}
		if rnd.Intn(6) == 0 {
			d.Deleverager.Positions[0].Size = -d.Deleverager.Positions[0].Size
		}
		d.Deleverager.Positions[0].Size = d.Deleverager.Positions[0].Size * (1 + rnd.Int63n(100)) / 150
		if d.Deleverager.Positions[0].Size == 0 {
			d.Deleverager.Positions[0] = reference.Position{}
		}
		setEquity(d.Markets, &d.Deleveraged, rnd.Int63n(3_000)-2_500)
		s := d.Deleveraged.Positions[0].Size
		d.Delta = -s * (1 + rnd.Int63n(105)) / 100
		if d.Delta != 0 {
			d.Price = bankruptcyPrice(t, d.Markets, d.Deleveraged, -d.Delta) + rnd.Int63n(3)/2*(rnd.Int63n(3)-1)
		}
		_, broken := reference.Deleverage(d)
		o.record(t, i, broken, solveDeleverage(d))
	}
	o.check(t, 10)
}
