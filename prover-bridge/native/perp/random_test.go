package perp_test

import (
	"math/rand"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// TestRandomTradesAgreeWithReference: random trades (collateral, position sizes and snapshots,
// fill price and size, fee rates, fill slots, caps) solve exactly when the Go reference accepts
// them. Both outcomes must occur often enough for the comparison to mean something.
func TestRandomTradesAgreeWithReference(t *testing.T) {
	rnd := rand.New(rand.NewSource(16))
	accepted, refused := 0, 0
	hist := map[reference.Rule]int{}
	for i := 0; i < 90; i++ {
		n := []int{1, 4, 8}[i%3]
		sc := newScenario(t, n)
		tr := &sc.t
		tr.Size = 1 + rnd.Int63n(60)
		tr.Price = 1_299 + rnd.Int63n(23)
		tr.Buyer.Collateral = rnd.Int63n(150_000) - 5_000
		tr.Seller.Collateral = rnd.Int63n(150_000) - 5_000
		tr.Buyer.FeePpm = rnd.Int63n(1_050) - 20
		tr.Seller.FeePpm = rnd.Int63n(540) - 30
		tr.Buyer.FillFilled = uint64(rnd.Int63n(45))
		if rnd.Intn(6) == 0 {
			tr.Buyer.FillNonce = tr.Buyer.Order.Nonce + uint64(rnd.Intn(3)) - 1
		}
		tr.Buyer.Positions[0].Size = rnd.Int63n(400) - 200
		if tr.Buyer.Positions[0].Size == 0 {
			tr.Buyer.Positions[0] = reference.Position{}
		}
		for _, p := range []*reference.Party{&tr.Buyer, &tr.Seller} {
			for j := range p.Positions {
				if p.Positions[j].Size != 0 && p.Positions[j].Market != 3 {
					p.Positions[j].Size = rnd.Int63n(300) - 150
					if p.Positions[j].Size == 0 {
						p.Positions[j] = reference.Position{}
					}
				}
			}
		}
		tr.Markets[3].Risk.OICap = 5_000 + rnd.Int63n(400)
		tr.Markets[3].Risk.MaxPositionSize = 150 + rnd.Int63n(400)
		_, broken := reference.Apply(*tr)
		for _, r := range broken {
			hist[r]++
		}
		err := solve(t, *tr)
		if (err == nil) != (len(broken) == 0) {
			t.Fatalf("case %d (N=%d): reference %v, circuit error %v", i, n, broken, err)
		}
		if err == nil {
			accepted++
		} else {
			refused++
		}
	}
	t.Logf("%d accepted, %d refused; rules broken: %v", accepted, refused, hist)
	if accepted < 15 || refused < 15 {
		t.Fatalf("too one-sided to compare: %d accepted, %d refused", accepted, refused)
	}
}
