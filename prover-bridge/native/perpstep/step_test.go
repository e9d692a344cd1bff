package perpstep

import (
	"fmt"
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
