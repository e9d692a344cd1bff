package perpstep

import (
	"math/big"

	"fmt"
	"github.com/consensys/gnark/frontend"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"testing"
)

func TestValidTradeStepSolves(t *testing.T) {
	for _, n := range []int{1, 4, 8} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			sc := newScenario(t, n)
			before := sc.state.Root()
			w, next, err := Witness(sc.state, sc.trade, n, nMarkets)
			if err != nil {
				t.Fatal(err)
			}
			if sc.state.Root() != before {
				t.Fatal("ApplyTrade changed the old state")
			}
			if next.Root() == before {
				t.Fatal("the trade did not change the root")
			}
			if err := solved(t, n, w); err != nil {
				t.Fatalf("valid trade does not solve: %v", err)
			}
		})
	}
}

// TestApplyTradeWritesTheState checks the new state against hand-computed figures: notional
// 1,310 · 60 = 78,600, buyer fee ⌈78,600 · 500 / 10^6⌉ = 40, seller rebate −⌊78,600 · 100 / 10^6⌋
// = −7, open interest 5,000 + 60, the lowest empty entry, both fill slots, nothing else moved.
func TestApplyTradeWritesTheState(t *testing.T) {
	for _, n := range []int{1, 4, 8} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			sc := newScenario(t, n)
			next, err := ApplyTrade(sc.state, sc.trade)
			if err != nil {
				t.Fatal(err)
			}
			if got := next.Global().FeeBalance - sc.state.Global().FeeBalance; got != 33 {
				t.Errorf("fee balance grew by %d, want 40 − 7 = 33", got)
			}
			if m, _ := next.Market(3); m.OpenInterest != 5_060 {
				t.Errorf("open interest %d, want 5,060", m.OpenInterest)
			}
			b0, _ := sc.state.Account(buyerID)
			b1, _ := next.Account(buyerID)
			s0, _ := sc.state.Account(sellerID)
			s1, _ := next.Account(sellerID)
			idx3 := testMarket(3).FundingIndex
			if e := b1.Positions[0]; e.Market != 3 || e.Size != 100 || e.FundingSnapshot != idx3 {
				t.Errorf("buyer entry 0 = %+v", e)
			}
			if e := s1.Positions[n-1]; e.Market != 3 || e.Size != -60 || e.FundingSnapshot != idx3 {
				t.Errorf("seller entry %d = %+v", n-1, e)
			}
			for j := 1; j < 8; j++ {
				if e := b1.Positions[j]; e.Size != b0.Positions[j].Size || e.Market != b0.Positions[j].Market ||
					(!e.Empty() && e.FundingSnapshot != testMarket(int(e.Market)).FundingIndex) {
					t.Errorf("buyer entry %d = %+v (before %+v)", j, e, b0.Positions[j])
				}
			}
			// collateral: the funding credits (each ⌊−(F − snap)·s / 2^32⌋) then the fill and fee
			credit := func(a []layoutv2.PositionEntry) int64 {
				var sum int64
				for _, e := range a {
					if !e.Empty() {
						d := testMarket(int(e.Market)).FundingIndex - e.FundingSnapshot
						sum += floorDiv(-d*e.Size, 1<<32)
					}
				}
				return sum
			}
			if want := b0.Collateral + credit(b0.Positions[:]) - 78_600 - 40; b1.Collateral != want {
				t.Errorf("buyer collateral %d, want %d", b1.Collateral, want)
			}
			if want := s0.Collateral + credit(s0.Positions[:]) + 78_600 + 7; s1.Collateral != want {
				t.Errorf("seller collateral %d, want %d", s1.Collateral, want)
			}
			if f, _ := next.Fill(buyerID, layoutv2.FillSlot(70_000)); f != (layoutv2.Fill{OrderNonce: 70_000, FilledAmount: 80}) {
				t.Errorf("buyer fill %+v", f)
			}
			if f, _ := next.Fill(sellerID, 3); f != (layoutv2.Fill{OrderNonce: 65_539, FilledAmount: 60}) {
				t.Errorf("seller fill %+v (slot 3 taken over from nonce 3)", f)
			}
			if f, _ := next.Fill(buyerID, 11); f != (layoutv2.Fill{OrderNonce: 11, FilledAmount: 5}) {
				t.Errorf("an untouched fill moved: %+v", f)
			}
			if a, _ := next.Account(12); a.Collateral != 42 {
				t.Error("an untouched account moved")
			}
		})
	}
}

// floorDiv is ⌊a / b⌋ for b > 0 (the test's values stay far inside int64).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// TestWrongNewRootIsUnsatisfiable: the honest witness with the new root of a state that differs in
// one field.
func TestWrongNewRootIsUnsatisfiable(t *testing.T) {
	n := 4
	sc := newScenario(t, n)
	w, next, err := Witness(sc.state, sc.trade, n, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(s *layoutv2.State) error{
		"buyer collateral + 1": func(s *layoutv2.State) error {
			a, _ := s.Account(buyerID)
			return s.SetAccount(buyerID, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: a.Collateral + 1, Positions: a.Positions})
		},
		"seller size − 1": func(s *layoutv2.State) error {
			a, _ := s.Account(sellerID)
			e := a.Positions[n-1]
			return s.SetPosition(sellerID, e.Market, e.Size-1, e.FundingSnapshot)
		},
		"buyer filled + 1": func(s *layoutv2.State) error {
			return s.SetFill(buyerID, layoutv2.Fill{OrderNonce: 70_000, FilledAmount: 81})
		},
		"open interest + 1": func(s *layoutv2.State) error {
			m, _ := s.Market(3)
			m.OpenInterest++
			return s.SetMarket(3, m)
		},
		"fee balance + 1": func(s *layoutv2.State) error {
			g := s.Global()
			g.FeeBalance++
			return s.SetGlobal(g)
		},
		"old root as new root": nil,
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			bad := *w
			if change == nil {
				bad.NewRoot = w.OldRoot
			} else {
				s := next.Clone()
				if err := change(s); err != nil {
					t.Fatal(err)
				}
				if s.Root() == next.Root() {
					t.Fatal("the change did not change the root")
				}
				bad.NewRoot = el(s.Root())
			}
			if solved(t, n, &bad) == nil {
				t.Fatal("a wrong new root solves")
			}
		})
	}
}

// TestOpeningNotInOldRootIsUnsatisfiable: openings that do not hash to the old root, everything
// else consistent (the rules still hold for the changed values).
func TestOpeningNotInOldRootIsUnsatisfiable(t *testing.T) {
	n := 4
	sc := newScenario(t, n)
	w, _, err := Witness(sc.state, sc.trade, n, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	other := newScenario(t, n)
	if err := other.state.SetAccount(12, layoutv2.AccountFields{Collateral: 43}); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(c *TradeStep){
		"buyer account path":  func(c *TradeStep) { c.Buyer.AccountPath[5] = 12345 },
		"seller account path": func(c *TradeStep) { c.Seller.AccountPath[23] = 12345 },
		"seller fill path":    func(c *TradeStep) { c.Seller.FillPath[0] = 12345 },
		"market path":         func(c *TradeStep) { c.Market.Path[2] = 12345 },
		"buyer collateral + 1 before and after": func(c *TradeStep) {
			c.Trade.Buyer.Collateral = addInt(c.Trade.Buyer.Collateral, 1)
			c.Trade.Buyer.CollateralAfter = addInt(c.Trade.Buyer.CollateralAfter, 1)
		},
		"buyer nonce":           func(c *TradeStep) { c.Buyer.Nonce = 99 },
		"seller fee tier":       func(c *TradeStep) { c.Seller.FeeTier = 1 },
		"market timestamp":      func(c *TradeStep) { c.Market.OracleTimestamp = 1 },
		"global fee balance":    func(c *TradeStep) { c.Global.FeeBalance = 999 },
		"old root of a sibling": func(c *TradeStep) { c.OldRoot = el(other.state.Root()) },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			bad := *w
			change(&bad)
			if solved(t, n, &bad) == nil {
				t.Fatal("an opening outside the old root solves")
			}
		})
	}
}

func addInt(v frontend.Variable, d int64) frontend.Variable {
	return new(big.Int).Add(v.(*big.Int), big.NewInt(d))
}
