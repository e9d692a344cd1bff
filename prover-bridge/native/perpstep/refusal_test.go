package perpstep

import (
	"math/big"

	"errors"
	"fmt"
	"github.com/consensys/gnark/frontend"
	"reflect"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

func setCollateral(t testing.TB, s *layoutv2.State, id uint64, c int64) {
	t.Helper()
	a, _ := s.Account(id)
	if err := s.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: c, Positions: a.Positions}); err != nil {
		t.Fatal(err)
	}
}

// refusedAlone asserts that ApplyTrade refuses the trade with exactly the rule, leaves the state
// unchanged, and that the circuit with the witness built regardless is unsatisfiable.
func refusedAlone(t *testing.T, sc *scenario, n int, rule reference.Rule) {
	t.Helper()
	before := sc.state.Root()
	next, err := ApplyTrade(sc.state, sc.trade)
	var re *RuleError
	if !errors.As(err, &re) || !errors.Is(err, ErrRefused) || next != nil {
		t.Fatalf("ApplyTrade: %v, want a RuleError", err)
	}
	if !reflect.DeepEqual(re.Rules, []reference.Rule{rule}) {
		t.Fatalf("the reference reports %v, want only %s", re.Rules, rule)
	}
	if sc.state.Root() != before {
		t.Fatal("a refused trade changed the state")
	}
	_, w := forced(t, sc, n)
	if solved(t, n, w) == nil {
		t.Fatalf("the circuit accepts a trade breaking %s", rule)
	}
}

func TestRuleBrokenAloneIsUnsatisfiable(t *testing.T) {
	for _, n := range []int{1, 4, 8} {
		cases := []struct {
			name   string
			rule   reference.Rule
			change func(sc *scenario)
		}{
			{"price above the buyer's limit", reference.RuleLimit, func(sc *scenario) { sc.trade.Price = 1_321 }},
			{"price below the seller's limit", reference.RuleLimit, func(sc *scenario) { sc.trade.Price = 1_299 }},
			{"overfill of the partly filled buy order", reference.RuleFill, func(sc *scenario) {
				sc.trade.Size = 81
				sc.trade.Seller.Order.Size = 100
				sc.sign(t)
			}},
			{"fee rate above the signed cap", reference.RuleFeeCap, func(sc *scenario) { sc.trade.Buyer.FeePpm = 1_001 }},
			{"signature over other fields", reference.RuleSignature, func(sc *scenario) { sc.trade.Seller.Order.Price = 1_290 }},
			{"open interest above the cap", reference.RuleOpenInt, func(sc *scenario) {
				m, _ := sc.state.Market(3)
				m.Risk.OpenInterestCap = 5_059
				if err := sc.state.SetMarket(3, m); err != nil {
					t.Fatal(err)
				}
			}},
			{"reduce-only order that grows", reference.RuleReduceOnly, func(sc *scenario) {
				sc.trade.Buyer.Order.ReduceOnly = true
				sc.sign(t)
			}},
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("N=%d/%s", n, tc.name), func(t *testing.T) {
				sc := newScenario(t, n)
				tc.change(sc)
				refusedAlone(t, sc, n, tc.rule)
			})
		}
	}
}

// TestMarginBoundary: the lowest buyer collateral the reference accepts solves; one quantum less
// breaks the margin rule alone and the circuit refuses.
func TestMarginBoundary(t *testing.T) {
	for _, n := range []int{1, 4, 8} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			sc := newScenario(t, n)
			accepts := func(c int64) bool {
				setCollateral(t, sc.state, buyerID, c)
				_, err := ApplyTrade(sc.state, sc.trade)
				if err != nil && !errors.Is(err, ErrRefused) {
					t.Fatal(err)
				}
				return err == nil
			}
			lo, hi := int64(-10_000_000), int64(10_000_000) // refused at lo, accepted at hi
			if accepts(lo) || !accepts(hi) {
				t.Fatal("bad search interval")
			}
			for hi-lo > 1 {
				mid := lo + (hi-lo)/2
				if accepts(mid) {
					hi = mid
				} else {
					lo = mid
				}
			}
			t.Logf("lowest buyer collateral accepted: %d", hi)
			setCollateral(t, sc.state, buyerID, hi)
			w, _, err := Witness(sc.state, sc.trade, n, nMarkets)
			if err != nil {
				t.Fatal(err)
			}
			if err := solved(t, n, w); err != nil {
				t.Fatalf("the boundary does not solve: %v", err)
			}
			setCollateral(t, sc.state, buyerID, hi-1)
			refusedAlone(t, sc, n, reference.RuleMargin)
		})
	}
}

// TestNewPositionTakesTheLowestEmptyEntry: with a hole in the seller's list, the new position goes
// into the hole; a witness that puts it into a later empty entry (a different, otherwise
// consistent new state) is refused.
func TestNewPositionTakesTheLowestEmptyEntry(t *testing.T) {
	n := 4
	sc := newScenario(t, n)
	a, _ := sc.state.Account(sellerID)
	p := a.Positions
	p[1] = layoutv2.PositionEntry{} // entries 0 and 2 held, 1 and 3 empty
	if err := sc.state.SetAccount(sellerID, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: a.Collateral, Positions: p}); err != nil {
		t.Fatal(err)
	}
	st, w := forced(t, sc, n)
	if len(st.broken) != 0 {
		t.Fatal(st.broken)
	}
	s1, _ := st.state.Account(sellerID)
	if s1.Positions[1].Market != 3 || s1.Positions[1].Size != -60 {
		t.Fatalf("the new position is not in entry 1: %+v", s1.Positions)
	}
	if err := solved(t, n, w); err != nil {
		t.Fatal(err)
	}
	// the same trade with the position in entry 3
	moved := s1.Positions
	moved[3], moved[1] = moved[1], layoutv2.PositionEntry{}
	alt := st.state.Clone()
	if err := alt.SetAccount(sellerID, layoutv2.AccountFields{Identity: s1.Identity, Nonce: s1.Nonce, Collateral: s1.Collateral, Positions: moved}); err != nil {
		t.Fatal(err)
	}
	bad := *w
	seller := w.Trade.Seller
	seller.Select = []frontend.Variable{0, 0, 0, 1}
	seller.After = append(seller.After[:0:0], seller.After...)
	seller.After[3], seller.After[1] = seller.After[1], w.Trade.Seller.Positions[1]
	bad.Trade.Seller = seller
	bad.NewRoot = el(alt.Root())
	if solved(t, n, &bad) == nil {
		t.Fatal("a new position in a later empty entry solves")
	}
}

func TestApplyTradeTypedRefusals(t *testing.T) {
	cases := []struct {
		name   string
		want   error
		change func(t *testing.T, sc *scenario)
	}{
		{"unlisted market", ErrUnknownMarket, func(t *testing.T, sc *scenario) {
			sc.trade.Market, sc.trade.Buyer.Order.Market, sc.trade.Seller.Order.Market = 20, 20, 20
			sc.sign(t)
		}},
		{"no such account", ErrNoAccount, func(t *testing.T, sc *scenario) {
			sc.trade.Seller.Order.Account = 33
			sc.sign(t)
		}},
		{"self trade", ErrSelfTrade, func(t *testing.T, sc *scenario) {
			sc.trade.Seller.Order.Account = buyerID
			sc.sign(t)
		}},
		{"a ninth position", ErrTooManyPositions, func(t *testing.T, sc *scenario) {
			a, _ := sc.state.Account(sellerID)
			var p layoutv2.Positions
			j := 0
			for m := 0; m < nMarkets; m++ {
				if m != 3 && j < 8 {
					p[j] = layoutv2.PositionEntry{Market: uint8(m), Size: 1, FundingSnapshot: testMarket(m).FundingIndex}
					j++
				}
			}
			if err := sc.state.SetAccount(sellerID, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: a.Collateral, Positions: p}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := newScenario(t, 8)
			tc.change(t, sc)
			before := sc.state.Root()
			next, err := ApplyTrade(sc.state, sc.trade)
			mustRefuse(t, err, tc.want)
			if next != nil || sc.state.Root() != before {
				t.Fatal("a refused trade returned or changed a state")
			}
		})
	}
}

// TestPartialFillsInSequence: the buy order (100, filled 20) fills 60 then 20 against two sell
// orders, each step proven from the previous step's root; one more quantum is an overfill.
func TestPartialFillsInSequence(t *testing.T) {
	n := 4
	sc := newScenario(t, n)
	w1, s1, err := Witness(sc.state, sc.trade, n, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	if err := solved(t, n, w1); err != nil {
		t.Fatal(err)
	}
	sc.state = s1
	sc.trade.Size = 20
	sc.trade.Seller.Order.Nonce, sc.trade.Seller.Order.Size = 65_540, 30
	sc.sign(t)
	w2, s2, err := Witness(sc.state, sc.trade, n, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	if w2.OldRoot.(*big.Int).Cmp(w1.NewRoot.(*big.Int)) != 0 {
		t.Fatal("the second step does not start from the first step's new root")
	}
	if err := solved(t, n, w2); err != nil {
		t.Fatal(err)
	}
	if f, _ := s2.Fill(buyerID, layoutv2.FillSlot(70_000)); f.FilledAmount != 100 {
		t.Fatalf("buyer filled %d, want 100", f.FilledAmount)
	}
	sc.state = s2
	sc.trade.Size = 1
	refusedAlone(t, sc, n, reference.RuleFill)
}

// TestClosedPositionIsEmptiedInPlace: the seller closes a long 60 held in entry 1 of 3; entry 1
// becomes empty (stored as 0), entries 0 and 2 do not move, open interest is unchanged (the buyer's
// long grows by what the seller's shrinks), and the step solves.
func TestClosedPositionIsEmptiedInPlace(t *testing.T) {
	const n = 4
	sc := newScenario(t, n)
	a, _ := sc.state.Account(sellerID)
	p := a.Positions
	p[2] = p[1]
	p[1] = layoutv2.PositionEntry{Market: 3, Size: 60, FundingSnapshot: testMarket(3).FundingIndex - 7_000_000_000}
	if err := sc.state.SetAccount(sellerID, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: a.Collateral, Positions: p}); err != nil {
		t.Fatal(err)
	}
	w, next, err := Witness(sc.state, sc.trade, n, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	s1, _ := next.Account(sellerID)
	if !s1.Positions[1].Empty() || s1.Positions[1] != (layoutv2.PositionEntry{}) {
		t.Fatalf("entry 1 not emptied: %+v", s1.Positions[1])
	}
	for _, j := range []int{0, 2} {
		if s1.Positions[j].Market != p[j].Market || s1.Positions[j].Size != p[j].Size {
			t.Fatalf("entry %d moved: %+v, before %+v", j, s1.Positions[j], p[j])
		}
	}
	if m, _ := next.Market(3); m.OpenInterest != 5_000 {
		t.Fatalf("open interest %d, want 5,000", m.OpenInterest)
	}
	if err := solved(t, n, w); err != nil {
		t.Fatal(err)
	}
}

// TestSellerPathIsTakenAfterTheBuyersUpdate: buyer 5 and seller 4 are siblings in the accounts
// tree; the step solves with the seller's path from the tree after the buyer's update and refuses
// the seller's path of the old tree (whose level-0 sibling is the buyer's old leaf).
func TestSellerPathIsTakenAfterTheBuyersUpdate(t *testing.T) {
	const n = 4
	sc := newScenario(t, n)
	a, _ := sc.state.Account(sellerID)
	if err := sc.state.SetAccount(4, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: a.Collateral, Positions: a.Positions}); err != nil {
		t.Fatal(err)
	}
	if err := sc.state.SetFill(4, layoutv2.Fill{OrderNonce: 3, FilledAmount: 3}); err != nil {
		t.Fatal(err)
	}
	sc.trade.Seller.Order.Account = 4
	sc.sign(t)
	w, _, err := Witness(sc.state, sc.trade, n, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	if err := solved(t, n, w); err != nil {
		t.Fatal(err)
	}
	_, old, err := sc.state.AccountProof(4)
	if err != nil {
		t.Fatal(err)
	}
	bad := *w
	path(old, bad.Seller.AccountPath[:])
	if el(old[0]).Cmp(w.Seller.AccountPath[0].(*big.Int)) == 0 {
		t.Fatal("the level-0 siblings are equal: the accounts are not siblings")
	}
	if solved(t, n, &bad) == nil {
		t.Fatal("the seller's path of the old tree solves")
	}
}
