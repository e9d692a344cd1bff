package batchv3

import (
	"testing"
)

// TestTwoTradesAndANoOpSolve: trades A then B and one padding slot solve with Seal's public input;
// the new root is the reference's state after A then B, the old state is unchanged.
func TestTwoTradesAndANoOpSolve(t *testing.T) {
	s, a, b := fixture(t)
	before := s.Root()
	sealed := seal(t, tiny, s, a, b)
	if s.Root() != before {
		t.Fatal("Seal changed the old state")
	}
	mid, err := perpstepApply(s, a)
	if err != nil {
		t.Fatal(err)
	}
	end, err := perpstepApply(mid, b)
	if err != nil {
		t.Fatal(err)
	}
	if sealed.NewState.Root() != end.Root() || sealed.Witness.Roots[3] != end.Root() || sealed.Witness.Roots[1] != mid.Root() {
		t.Fatal("the root table is not the reference's roots")
	}
	if err := solves(t, tiny, sealed.Assignment); err != nil {
		t.Fatalf("honest batch does not solve: %v", err)
	}
}

// TestOrderDecidesRootAndPublicInput: B then A gives another new root and another public input
// (each solves with its own), and the witness of one order with the public input of the other is
// unsatisfiable, both ways.
func TestOrderDecidesRootAndPublicInput(t *testing.T) {
	s, a, b := fixture(t)
	ab, ba := seal(t, tiny, s, a, b), seal(t, tiny, s, b, a)
	if ab.NewState.Root() == ba.NewState.Root() {
		t.Fatal("both orders give the same root")
	}
	if ab.PublicInput == ba.PublicInput {
		t.Fatal("both orders give the same public input")
	}
	if err := solves(t, tiny, ba.Assignment); err != nil {
		t.Fatalf("B then A does not solve: %v", err)
	}
	for _, c := range []struct {
		name string
		w, p *Sealed
	}{{"witness A,B with input B,A", ab, ba}, {"witness B,A with input A,B", ba, ab}} {
		x := assignment(t, c.w.Witness)
		x.PublicInput = el(c.p.PublicInput)
		if solves(t, tiny, x) == nil {
			t.Errorf("%s solves", c.name)
		}
	}
}

// TestStepIndexMustBeAPermutation: a repeated σ (so another is missing), σ = S (outside the
// table) and the two real trades' σ swapped are each unsatisfiable, with the public input
// recomputed from the changed witness where the records follow σ. Here the table rules already
// refuse each case (checked by hand: they stay unsatisfiable with the permutation check removed);
// TestMissingStepIndexCannotFreeTheNewRoot is the case only the permutation check refuses.
func TestStepIndexMustBeAPermutation(t *testing.T) {
	s, a, b := fixture(t)
	sealed := seal(t, tiny, s, a, b)
	for _, c := range []struct {
		name   string
		change func(w *Witness)
	}{
		{"slot 2 repeats σ = 1 (σ = 2 missing)", func(w *Witness) { w.Trades[2].Index = 1 }},
		{"slot 2 repeats σ = 0 (σ = 2 missing)", func(w *Witness) { w.Trades[2].Index = 0 }},
		{"slot 0 takes σ = 2, the no-op σ = 0 (trade A after the padding position)", func(w *Witness) { w.Trades[0].Index, w.Trades[2].Index = 2, 0 }},
		{"real trades swap σ", func(w *Witness) { w.Trades[0].Index, w.Trades[1].Index = 1, 0 }},
		{"real trades swap σ and records", func(w *Witness) {
			w.Trades[0].Index, w.Trades[1].Index = 1, 0
			w.Records[0], w.Records[1] = w.Records[1], w.Records[0]
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := copyWitness(sealed.Witness)
			c.change(w)
			if solves(t, tiny, assignment(t, w)) == nil {
				t.Fatal("solves")
			}
		})
	}
	t.Run("σ = S", func(t *testing.T) {
		x := assignment(t, sealed.Witness)
		x.Trades[2].Index = 3
		if solves(t, tiny, x) == nil {
			t.Fatal("solves")
		}
	})
}

// TestNoOpFlagCannotSkipARealTrade: the no-op flag set on trade A's slot (everything else honest,
// so the root changes across its position) is unsatisfiable; with its record zeroed too (and the
// public input recomputed) still unsatisfiable — only the no-op rule R[σ + 1] = R[σ] refuses
// that one (checked by hand: without it, it solves).
func TestNoOpFlagCannotSkipARealTrade(t *testing.T) {
	s, a, b := fixture(t)
	sealed := seal(t, tiny, s, a, b)
	x := assignment(t, sealed.Witness)
	x.Trades[0].NoOp = 1
	if solves(t, tiny, x) == nil {
		t.Fatal("no-op flag on a real trade solves")
	}
	w := copyWitness(sealed.Witness)
	w.Trades[0].NoOp, w.Trades[0].Step = true, nil
	w.Records[0] = make([]byte, len(w.Records[0]))
	if solves(t, tiny, assignment(t, w)) == nil {
		t.Fatal("no-op flag on a real trade with its record cleared solves")
	}
}

// TestChangedPublicDataIsUnsatisfiable: one byte of a record changed (type, an account, the
// market, size, price, a nonce of trade A or B; a byte of the no-op's zero record), with the public
// input recomputed from the changed bytes, is unsatisfiable.
func TestChangedPublicDataIsUnsatisfiable(t *testing.T) {
	s, a, b := fixture(t)
	sealed := seal(t, tiny, s, a, b)
	for _, c := range [][2]int{{0, 0}, {0, 3}, {0, 6}, {0, 7}, {1, 14}, {1, 18}, {1, 26}, {0, 34}, {2, 0}, {2, 20}} {
		w := copyWitness(sealed.Witness)
		w.Records[c[0]][c[1]] ^= 1
		if solves(t, tiny, assignment(t, w)) == nil {
			t.Errorf("record %d byte %d changed: solves", c[0], c[1])
		}
	}
}

func copyWitness(w *Witness) *Witness {
	c := *w
	c.Roots = append(c.Roots[:0:0], w.Roots...)
	c.Priority = append(c.Priority[:0:0], w.Priority...)
	c.Trades = append(c.Trades[:0:0], w.Trades...)
	c.Deposits = append(c.Deposits[:0:0], w.Deposits...)
	c.Withdrawals = append(c.Withdrawals[:0:0], w.Withdrawals...)
	c.Transfers = append(c.Transfers[:0:0], w.Transfers...)
	c.ForcedWithdrawals = append(c.ForcedWithdrawals[:0:0], w.ForcedWithdrawals...)
	c.Oracles = append(c.Oracles[:0:0], w.Oracles...)
	c.Fundings = append(c.Fundings[:0:0], w.Fundings...)
	c.Liquidations = append(c.Liquidations[:0:0], w.Liquidations...)
	c.Takeovers = append(c.Takeovers[:0:0], w.Takeovers...)
	c.Deleverages = append(c.Deleverages[:0:0], w.Deleverages...)
	c.PeriodStarts = append(c.PeriodStarts[:0:0], w.PeriodStarts...)
	c.Records = make([][]byte, len(w.Records))
	for i, r := range w.Records {
		c.Records[i] = append([]byte(nil), r...)
	}
	return &c
}

// TestMissingStepIndexCannotFreeTheNewRoot: one trade and two no-op slots; the no-ops both take
// σ = 1 (σ = 2 missing), which every other rule accepts (each no-op keeps R[1] = R[2]), so R[3],
// the new root, is bound by nothing but the permutation: with R[3] honest, and with R[3] set back
// to the old root (the trade undone), the batch is unsatisfiable, the public input recomputed.
// (Checked by hand: with the permutation check removed from Define, both solve.)
func TestMissingStepIndexCannotFreeTheNewRoot(t *testing.T) {
	s, a, _ := fixture(t)
	sealed := seal(t, tiny, s, a)
	if err := solves(t, tiny, sealed.Assignment); err != nil {
		t.Fatalf("honest batch does not solve: %v", err)
	}
	for _, undo := range []bool{false, true} {
		w := copyWitness(sealed.Witness)
		w.Trades[2].Index = 1
		if undo {
			w.Roots[3] = w.Roots[0]
		}
		if solves(t, tiny, assignment(t, w)) == nil {
			t.Errorf("σ = (0, 1, 1), new root undone = %v: solves", undo)
		}
	}
}
