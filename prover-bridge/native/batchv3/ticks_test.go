package batchv3

import (
	"bytes"
	"errors"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// mixed: 2 trade slots, 1 oracle-tick slot (1 report slot), 1 funding-tick slot, N = 2, K = 2.
var mixed = Shape{Trades: 2, OracleTicks: 1, FundingTicks: 1, N: 2, K: 2, ReportSlots: 1}

// TestTicksAndTradesInterleaved: oracle tick (market 0), trade A (market 0, margin at the new
// price), funding tick (market 1), trade B (market 1, its positions snapshot the new index) solve
// in one batch of the mixed shape with Seal's public input; the new state is the references'
// applied in that order. With trade B before the funding tick the root and the public input
// differ, that batch solves too, and crossing witness and input is unsatisfiable.
func TestTicksAndTradesInterleaved(t *testing.T) {
	s, a, b := fixture(t)
	o, f := oracleTick(t, batchTime-50), fundingTick()
	sealed := seal(t, mixed, s, o, a, f, b)
	cur := s
	var err error
	if cur, err = tickstep.ApplyOracleTick(cur, o.OracleTick); err == nil {
		if cur, err = perpstepApply(cur, a); err == nil {
			if cur, err = tickstep.ApplyFundingTick(cur, f.FundingTick); err == nil {
				cur, err = perpstepApply(cur, b)
			}
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if sealed.NewState.Root() != cur.Root() {
		t.Fatal("Seal's new state is not the references'")
	}
	if err := solves(t, mixed, sealed.Assignment); err != nil {
		t.Fatalf("honest mixed batch does not solve: %v", err)
	}
	other := seal(t, mixed, s, o, a, b, f)
	if other.NewState.Root() == sealed.NewState.Root() || other.PublicInput == sealed.PublicInput {
		t.Fatal("trade B before the funding tick gives the same root or input")
	}
	if err := solves(t, mixed, other.Assignment); err != nil {
		t.Fatalf("the other order does not solve: %v", err)
	}
	x := assignment(t, sealed.Witness)
	x.PublicInput = el(other.PublicInput)
	if solves(t, mixed, x) == nil {
		t.Fatal("witness of one order with the input of the other solves")
	}
}

// TestBatchTimeBindsTheTicks: the header's T lowered below the oracle tick's now (public input
// recomputed) is unsatisfiable — the tick's now ≤ T reads the batch's T; Seal refuses a tick whose
// BatchTime is not the batch's, a tick after T (the reference's AFTER_BATCH_TIME), and T = 0
// with tick slots.
func TestBatchTimeBindsTheTicks(t *testing.T) {
	s, a, _ := fixture(t)
	o := oracleTick(t, batchTime-50)
	sealed := seal(t, mixed, s, o, a)
	w := copyWitness(sealed.Witness)
	w.BatchTime = batchTime - 51
	if solves(t, mixed, assignment(t, w)) == nil {
		t.Fatal("T below the tick's now solves")
	}
	w.BatchTime = batchTime - 50
	if err := solves(t, mixed, assignment(t, w)); err != nil {
		t.Fatalf("T = the tick's now does not solve: %v", err)
	}
	var se *StepError
	wrong := o
	wrong.BatchTime++
	if _, err := Seal(s, mixed, []Tx{wrong}, Header{Domain: demoDomain, BatchTime: batchTime}); !errors.Is(err, ErrBatchTime) || !errors.As(err, &se) || se.Index != 0 {
		t.Fatalf("got %v", err)
	}
	late := oracleTick(t, batchTime+1)
	var re *tickstep.RuleError
	if _, err := Seal(s, mixed, []Tx{a, late}, Header{Domain: demoDomain, BatchTime: batchTime}); !errors.As(err, &re) || !errors.As(err, &se) || se.Index != 1 {
		t.Fatalf("got %v", err)
	}
	if _, err := Seal(s, mixed, nil, Header{Domain: demoDomain}); !errors.Is(err, ErrBatchTime) {
		t.Fatalf("got %v", err)
	}
}

// TestMixedEncodingRoundTrip: the mixed shape's witness (with padding in every group) encodes,
// decodes to the same bytes and solves; a tick slot's record with the trade's type byte is a
// FormatError at that byte.
func TestMixedEncodingRoundTrip(t *testing.T) {
	s, a, _ := fixture(t)
	sealed := seal(t, mixed, s, oracleTick(t, batchTime-50), a)
	enc, err := Encode(sealed.Witness)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Decode(enc, mixed)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Encode(w)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, again) || w.PublicInput() != sealed.PublicInput || !w.Fundings[0].NoOp || w.Oracles[0].Step == nil {
		t.Fatal("round trip differs")
	}
	if err := solves(t, mixed, assignment(t, w)); err != nil {
		t.Fatalf("decoded witness does not solve: %v", err)
	}
	records := FixedHeaderSize + 64*(mixed.Steps()+1)
	bad := append([]byte(nil), enc...)
	bad[records] = 5 // record 0 belongs to the oracle tick
	var fe *FormatError
	if _, err := Decode(bad, mixed); !errors.As(err, &fe) || fe.Offset != records {
		t.Fatalf("got %v", err)
	}
}
