package perp_test

import (
	"fmt"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

func TestValidTradeSolves(t *testing.T) {
	for _, n := range []int{1, 4, 8} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			sc := newScenario(t, n)
			res, broken := reference.Apply(sc.t)
			if len(broken) != 0 {
				t.Fatalf("the reference refuses the valid trade: %v", broken)
			}
			t.Logf("buyer %+v seller %+v oi %d fees %d", res.Buyer, res.Seller, res.OpenInterest, res.FeeBalanceDelta)
			if err := solve(t, sc.t); err != nil {
				t.Fatalf("valid trade does not solve: %v", err)
			}
		})
	}
}
