package liqstep

import (
	"fmt"
	"testing"
)

// TestValidStepsSolve: each step's valid case (liquidation fill with the fee at its bound, the
// fund's takeover of 10, the deleveraging of 40 of a bankrupt long) with 1 and 8 entries per
// account solves with the roots of the reference's old and new state; the old state is unchanged.
func TestValidStepsSolve(t *testing.T) {
	for _, n := range []int{1, 8} {
		k := shapeK(n)
		t.Run(fmt.Sprintf("liquidation/N=%d", n), func(t *testing.T) {
			w := newWorld(t, n)
			before := w.state.Root()
			c, next, err := WitnessLiquidation(w.state, w.liquidation(t), n, k)
			if err != nil {
				t.Fatal(err)
			}
			if w.state.Root() != before || next.Root() == before {
				t.Fatal("the old state changed, or the new one did not")
			}
			if err := solve(w.liqCircuit(), c); err != nil {
				t.Fatalf("valid liquidation does not solve: %v", err)
			}
		})
		t.Run(fmt.Sprintf("takeover/N=%d", n), func(t *testing.T) {
			w := newWorld(t, n)
			before := w.state.Root()
			c, next, err := WitnessTakeover(w.state, w.takeover(t), n, k)
			if err != nil {
				t.Fatal(err)
			}
			if w.state.Root() != before || next.Root() == before {
				t.Fatal("the old state changed, or the new one did not")
			}
			if err := solve(NewTakeoverCircuit(n, k), c); err != nil {
				t.Fatalf("valid takeover does not solve: %v", err)
			}
		})
		t.Run(fmt.Sprintf("deleverage/N=%d", n), func(t *testing.T) {
			w := newWorld(t, n)
			d := w.deleveraging(t)
			before := w.state.Root()
			c, next, err := WitnessDeleverage(w.state, d, n, k)
			if err != nil {
				t.Fatal(err)
			}
			if w.state.Root() != before || next.Root() == before {
				t.Fatal("the old state changed, or the new one did not")
			}
			if err := solve(NewDeleverageCircuit(n, k), c); err != nil {
				t.Fatalf("valid deleveraging does not solve: %v", err)
			}
		})
	}
}
