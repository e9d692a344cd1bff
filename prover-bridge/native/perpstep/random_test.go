package perpstep

import (
	"fmt"
	"math/rand"
	"testing"
)

// TestRandomTradesAgreeWithReference: random collateral, sizes, prices, limits, fee rates and caps
// on the scenario's state; the step solves exactly when ApplyTrade accepts, and then with
// ApplyTrade's new root.
func TestRandomTradesAgreeWithReference(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	accepted, refused := 0, map[string]int{}
	for i := 0; i < 36; i++ {
		n := []int{1, 4, 8}[i%3]
		sc := newScenario(t, n)
		setCollateral(t, sc.state, buyerID, rng.Int63n(400_000)-60_000)
		setCollateral(t, sc.state, sellerID, rng.Int63n(400_000)-60_000)
		tr := &sc.trade
		tr.Size = 1 + rng.Int63n(90)
		tr.Price = 1_200 + rng.Int63n(200)
		tr.Buyer.Order.Price = uint64(tr.Price + rng.Int63n(60) - 8)
		tr.Seller.Order.Price = uint64(tr.Price - rng.Int63n(60) + 8)
		tr.Seller.Order.Size = uint64(40 + rng.Int63n(80))
		tr.Buyer.FeePpm = rng.Int63n(1_000) - 200
		tr.Seller.FeePpm = rng.Int63n(1_000) - 200
		tr.Buyer.Order.FeeCap = uint32(max(0, tr.Buyer.FeePpm+rng.Int63n(500)-60))
		tr.Seller.Order.FeeCap = uint32(max(0, tr.Seller.FeePpm+rng.Int63n(500)-60))
		sc.sign(t)
		st, err := execute(sc.state, sc.trade, true)
		if err != nil {
			t.Fatalf("trade %d: the state cannot represent the result: %v", i, err)
		}
		w, err := st.assign(n, nMarkets)
		if err != nil {
			t.Fatal(err)
		}
		next, applyErr := ApplyTrade(sc.state, sc.trade)
		solveErr := solved(t, n, w)
		switch {
		case applyErr == nil && solveErr != nil:
			t.Errorf("trade %d (N=%d): accepted by the reference, unsatisfiable: %v", i, n, solveErr)
		case applyErr != nil && solveErr == nil:
			t.Errorf("trade %d (N=%d): refused by the reference (%v), the circuit solves", i, n, applyErr)
		case applyErr == nil:
			accepted++
			if next.Root() != st.newRoot {
				t.Errorf("trade %d: witness root differs from ApplyTrade's", i)
			}
		default:
			refused[fmt.Sprint(st.broken)]++
		}
	}
	t.Logf("accepted %d, refused %v", accepted, refused)
	if accepted < 5 || len(refused) < 3 {
		t.Fatalf("the sample is too one-sided: accepted %d, refused %v", accepted, refused)
	}
}
