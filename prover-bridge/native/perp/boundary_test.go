package perp_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// minimalCollateral searches the lowest collateral of a party (set by set) the reference accepts.
func minimalCollateral(t *testing.T, sc *scenario, set func(int64)) int64 {
	lo, hi := int64(-1_000_000), int64(1_000_000) // lo refused, hi accepted
	set(hi)
	if _, b := reference.Apply(sc.t); len(b) != 0 {
		t.Fatalf("refused with ample collateral: %v", b)
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		set(mid)
		if _, b := reference.Apply(sc.t); len(b) == 0 {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// checkBoundary: at the minimal collateral the circuit solves; one quantum less breaks the margin
// rule alone and the circuit refuses it.
func checkBoundary(t *testing.T, sc *scenario, set func(int64)) reference.Result {
	c := minimalCollateral(t, sc, set)
	set(c)
	res, _ := reference.Apply(sc.t)
	if err := solve(t, sc.t); err != nil {
		t.Fatalf("collateral %d (the minimum) does not solve: %v", c, err)
	}
	set(c - 1)
	if _, b := reference.Apply(sc.t); !reflect.DeepEqual(b, []reference.Rule{reference.RuleMargin}) {
		t.Fatalf("collateral %d: reference reports %v, want only margin", c-1, b)
	}
	if err := solve(t, sc.t); err == nil {
		t.Fatalf("collateral %d (one below the minimum) solves", c-1)
	}
	return res
}

// TestMarginBoundaryRiskGrows: the seller opens a short; at the boundary equity₁ = IMR₁ exactly
// (within rounding) and the initial-margin branch accepts.
func TestMarginBoundaryRiskGrows(t *testing.T) {
	for _, n := range []int{1, 4, 8} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			sc := newScenario(t, n)
			res := checkBoundary(t, sc, func(c int64) { sc.t.Seller.Collateral = c })
			if res.Seller.Equity1 != res.Seller.IMR1 {
				t.Fatalf("at the boundary equity %d ≠ initial requirement %d", res.Seller.Equity1, res.Seller.IMR1)
			}
		})
	}
}

// TestMarginBoundaryReducingRisk: the buyer is short 100 and buys 60 back; below initial margin
// the reduce rule (equity₁·MMR₀ ≥ equity₀·MMR₁) accepts, down to its own boundary.
func TestMarginBoundaryReducingRisk(t *testing.T) {
	for _, n := range []int{1, 4, 8} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			sc := newScenario(t, n)
			sc.t.Buyer.Positions[0].Size = -100
			sc.t.Buyer.Order.ReduceOnly, sc.t.Buyer.Order.TimeInForce = true, 1 // a reduce-only IOC
			sc.resign(t)
			res := checkBoundary(t, sc, func(c int64) { sc.t.Buyer.Collateral = c })
			b := res.Buyer
			if b.Equity1 >= b.IMR1 {
				t.Fatalf("the boundary is not on the reduce branch: equity %d ≥ IMR %d", b.Equity1, b.IMR1)
			}
			t.Logf("boundary: equity %d → %d, MMR %d → %d, IMR after %d", b.Equity0, b.Equity1, b.MMR0, b.MMR1, b.IMR1)
		})
	}
}

// TestMarginBoundaryFlip: a short 30 that buys 60 flips; the reduce rule does not apply, so the
// boundary is the initial margin.
func TestMarginBoundaryFlip(t *testing.T) {
	for _, n := range []int{1, 4, 8} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			sc := newScenario(t, n)
			sc.t.Buyer.Positions[0].Size = -30
			res := checkBoundary(t, sc, func(c int64) { sc.t.Buyer.Collateral = c })
			if res.Buyer.Equity1 != res.Buyer.IMR1 {
				t.Fatalf("at the boundary equity %d ≠ initial requirement %d", res.Buyer.Equity1, res.Buyer.IMR1)
			}
		})
	}
}

// TestOpenInterestMayFallAboveCap: with the cap lowered below the open interest, a trade that
// lowers open interest is accepted; one that raises it is refused.
func TestOpenInterestMayFallAboveCap(t *testing.T) {
	sc := newScenario(t, 4)
	sc.t.Markets[3].Risk.OICap = 100
	sc.t.Seller.Positions[3] = reference.Position{Market: 3, Size: 80, Snapshot: sc.t.Markets[3].FundingIndex}
	sc.t.Buyer.Positions[0].Size = -40 // buyer short 40 → long 20 (+20), seller long 80 → 20 (−60)
	res, b := reference.Apply(sc.t)
	if len(b) != 0 || res.OpenInterest != sc.t.Markets[3].OpenInterest-40 {
		t.Fatalf("reference: %v, open interest %d", b, res.OpenInterest)
	}
	if err := solve(t, sc.t); err != nil {
		t.Fatalf("a trade lowering open interest above the cap does not solve: %v", err)
	}
}
