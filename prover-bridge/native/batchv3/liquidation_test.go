package batchv3

import (
	"bytes"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// TestLiquidationBatchSolves: the liquidation batch (liquidation_fixture_test.go: a period start,
// a trade, an oracle tick that drops account 11 below maintenance, its liquidation fill, a
// takeover, a funding tick that makes it bankrupt, a deleveraging) seals with every root of the
// table equal to the references' state after each step, the records equal to the Go encodings,
// and solves on gnark's test engine with Seal's public input. The same steps with the takeover
// and the funding tick swapped give another root and input (the takeover then reads another
// funding index), and the first batch's witness with that input is unsatisfiable.
func TestLiquidationBatchSolves(t *testing.T) {
	b := newLiqBatch(t)
	sealed := seal(t, liqShape, b.states[0], b.steps...)
	w := sealed.Witness
	for i, s := range b.states {
		if w.Roots[i] != s.Root() {
			t.Fatalf("root %d is not the references' state after step %d", i, i-1)
		}
	}
	if sealed.NewState.Root() != b.states[len(b.states)-1].Root() || w.PriorityCount != 0 || w.Priority[len(b.steps)] != w.Priority[0] {
		t.Fatal("new state or priority chain differs")
	}
	want := [][]byte{tickstep.FundingPeriodStartPublicData(periodMarket, batchTime-60)}
	want = append(want, nil, nil, liqstep.LiquidationPublicData(b.steps[3].(Liquidation).Liquidation),
		liqstep.TakeoverPublicData(b.steps[4].(Takeover).Takeover), nil, liqstep.DeleveragePublicData(b.steps[6].(Deleveraging).Deleveraging))
	for i, r := range want {
		if r != nil && !bytes.Equal(w.Records[i][:len(r)], r) {
			t.Fatalf("record %d: %x, want %x", i, w.Records[i], r)
		}
	}
	if w.Records[3][0] != 0x06 || w.Records[4][0] != 0x07 || w.Records[6][0] != 0x0B || w.Records[0][0] != 0x0A {
		t.Fatal("type bytes")
	}
	if err := solves(t, liqShape, sealed.Assignment); err != nil {
		t.Fatalf("the liquidation batch does not solve: %v", err)
	}

	swapped := append([]Tx(nil), b.steps...)
	swapped[4], swapped[5] = swapped[5], swapped[4]
	afterFunding, err := tickstep.ApplyFundingTick(b.states[4], swapped[4].(FundingTick).FundingTick)
	if err != nil {
		t.Fatal(err)
	}
	tk := swapped[5].(Takeover)
	tk.Price = bankruptcyPrice(t, afterFunding, liquidatedID, 10)
	swapped[5] = tk
	other := seal(t, liqShape, b.states[0], swapped...)
	if other.NewState.Root() == sealed.NewState.Root() || other.PublicInput == sealed.PublicInput {
		t.Fatal("the takeover after the funding tick gives the same root or input")
	}
	x := assignment(t, sealed.Witness)
	x.PublicInput = el(other.PublicInput)
	if solves(t, liqShape, x) == nil {
		t.Fatal("witness of one order with the input of the other solves")
	}
}
