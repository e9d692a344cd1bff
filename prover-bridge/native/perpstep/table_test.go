package perpstep

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"
)

// TestMarketTableFreeUnlessBound: another market's price in the table (market 5, which the buyer
// holds when N = 8, and market 9, which nobody holds) changed by one quantum. TradeStep, whose table is free except the trade's
// market, still solves (the gap this slice leaves to the batch's market vector);
// TradeStepBound, which opens every table entry in the old markets root, refuses it.
func TestMarketTableFreeUnlessBound(t *testing.T) {
	for _, n := range []int{1, 8} {
		sc := newScenario(t, n)
		st, err := execute(sc.state, sc.trade, false)
		if err != nil {
			t.Fatal(err)
		}
		free, err := st.assign(n, nMarkets)
		if err != nil {
			t.Fatal(err)
		}
		bound, err := st.assignBound(n, nMarkets)
		if err != nil {
			t.Fatal(err)
		}
		sep := Separator(demoDomain)
		if err := test.IsSolved(NewTradeStepBound(n, nMarkets, sep), bound, ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("N=%d: the bound step does not solve: %v", n, err)
		}
		for _, m := range []int{5, 9} {
			t.Run(fmt.Sprintf("N=%d/market %d", n, m), func(t *testing.T) {
				f, b := *free, *bound
				for _, w := range []*TradeStep{&f, &b} {
					w.Trade.Markets = append(w.Trade.Markets[:0:0], w.Trade.Markets...)
					w.Trade.Markets[m].Price = new(big.Int).Add(w.Trade.Markets[m].Price.(*big.Int), big.NewInt(1))
				}
				if err := solved(t, n, &f); err != nil {
					t.Fatalf("the free table was expected to accept another price (the documented gap): %v", err)
				}
				if test.IsSolved(NewTradeStepBound(n, nMarkets, sep), &b, ecc.BN254.ScalarField()) == nil {
					t.Fatal("the bound table accepts a price that is not in the markets root")
				}
			})
		}
	}
}

// TestBoundTableWithUnlistedMarkets: a table longer than the listed markets opens the empty slots
// (leaf 0).
func TestBoundTableWithUnlistedMarkets(t *testing.T) {
	const n, k = 4, nMarkets + 3
	sc := newScenario(t, n)
	st, err := execute(sc.state, sc.trade, false)
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.assignBound(n, k)
	if err != nil {
		t.Fatal(err)
	}
	c := NewTradeStepBound(n, k, Separator(demoDomain))
	if err := test.IsSolved(c, w, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	w.Table[k-1].Listed = 1 // claims a listed market in an empty slot
	if test.IsSolved(c, w, ecc.BN254.ScalarField()) == nil {
		t.Fatal("an empty slot opened as a listed market")
	}
}
