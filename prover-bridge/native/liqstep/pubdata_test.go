package liqstep

import (
	"fmt"
	"testing"

	"github.com/consensys/gnark/frontend"
)

// flip returns the byte b + 1 mod 256.
func flip(v frontend.Variable) byte { return v.(byte) + 1 }

// TestPublicDataBytesAreBound: one byte of every field of each step's public data changed alone
// (type, accounts, market, size, price, nonce, fee) is unsatisfiable.
func TestPublicDataBytesAreBound(t *testing.T) {
	w := newWorld(t, 1)
	l := w.liquidation(t)
	for _, i := range []int{0, 3, 6, 7, 14, 18, 26, 34} {
		t.Run(fmt.Sprintf("liquidation/byte %d", i), func(t *testing.T) {
			c, _, err := WitnessLiquidation(w.state, l, 1, shapeK(1))
			if err != nil {
				t.Fatal(err)
			}
			c.PublicData[i] = flip(c.PublicData[i])
			if solve(w.liqCircuit(), c) == nil {
				t.Fatal("solves")
			}
		})
	}
	tk := w.takeover(t)
	for _, i := range []int{0, 3, 4, 11, 15} {
		t.Run(fmt.Sprintf("takeover/byte %d", i), func(t *testing.T) {
			c, _, err := WitnessTakeover(w.state, tk, 1, shapeK(1))
			if err != nil {
				t.Fatal(err)
			}
			c.PublicData[i] = flip(c.PublicData[i])
			if solve(NewTakeoverCircuit(1, shapeK(1)), c) == nil {
				t.Fatal("solves")
			}
		})
	}
	d := w.deleveraging(t)
	for _, i := range []int{0, 3, 6, 7, 14, 18} {
		t.Run(fmt.Sprintf("deleverage/byte %d", i), func(t *testing.T) {
			c, _, err := WitnessDeleverage(w.state, d, 1, shapeK(1))
			if err != nil {
				t.Fatal(err)
			}
			c.PublicData[i] = flip(c.PublicData[i])
			if solve(NewDeleverageCircuit(1, shapeK(1)), c) == nil {
				t.Fatal("solves")
			}
		})
	}
}
