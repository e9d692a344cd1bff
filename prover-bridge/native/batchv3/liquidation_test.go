package batchv3

import (
	"bytes"
	"errors"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
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

// laterOnly: one slot of each later group alone (N = 1, K = 1), at the highest fee rate.
var laterOnly = Shape{Liquidations: 1, Takeovers: 1, Deleverages: 1, PeriodStarts: 1, N: 1, K: 1, LiquidationFeePpm: reference.PPM}

// TestLaterPaddingIsValidAlone: a batch of the four later groups without a step (every slot the
// padding step of its type, valid on its own fixed state) solves and leaves the root, the
// priority chain and every record as they were; the padding steps build for the fee rates 0 and
// 10^6 and for N = 8, K = 64.
func TestLaterPaddingIsValidAlone(t *testing.T) {
	s := liqFixture(t)
	sealed := seal(t, laterOnly, s)
	w := sealed.Witness
	for i := range w.Roots {
		if w.Roots[i] != s.Root() || w.Priority[i] != w.Priority[0] {
			t.Fatal("padding moved a table")
		}
	}
	for _, r := range w.Records {
		if !bytes.Equal(r, make([]byte, len(r))) {
			t.Fatal("a padding record is not zero")
		}
	}
	if err := solves(t, laterOnly, sealed.Assignment); err != nil {
		t.Fatalf("the all-padding batch does not solve: %v", err)
	}
	for _, shape := range []Shape{{Liquidations: 1, N: 1, K: 1}, {Liquidations: 1, Takeovers: 1, Deleverages: 1, N: 8, K: 64, LiquidationFeePpm: 5}} {
		for _, typ := range []byte{liqstep.TypeLiquidation, liqstep.TypeTakeover, liqstep.TypeDeleverage, tickstep.TypeFundingPeriodStart} {
			if _, err := paddingLaterStep(demoDomain, shape, typ); err != nil {
				t.Fatalf("%v, type %d: %v", shape, typ, err)
			}
		}
	}
}

// laterSlots are the liquidation batch's later slots: σ of the live step and how to flip its
// no-op flag in a witness.
var laterSlots = []struct {
	name  string
	index int
	noop  func(w *Witness)
}{
	{"period start", 0, func(w *Witness) { w.PeriodStarts[0].NoOp, w.PeriodStarts[0].Step = true, nil }},
	{"liquidation", 3, func(w *Witness) { w.Liquidations[0].NoOp, w.Liquidations[0].Step = true, nil }},
	{"takeover", 4, func(w *Witness) { w.Takeovers[0].NoOp, w.Takeovers[0].Step = true, nil }},
	{"deleveraging", 6, func(w *Witness) { w.Deleverages[0].NoOp, w.Deleverages[0].Step = true, nil }},
}

// TestLaterNoOpFlagCannotHideAStep: in the liquidation batch, the no-op flag on the live slot of
// each later group (the padding step in its place, its record cleared, the public input
// recomputed) is unsatisfiable — the flag forces the table's roots equal across the slot, and
// each of these steps moves the root; with the step kept and only the flag set, too.
func TestLaterNoOpFlagCannotHideAStep(t *testing.T) {
	b := newLiqBatch(t)
	sealed := seal(t, liqShape, b.states[0], b.steps...)
	for _, c := range laterSlots {
		if sealed.Witness.Roots[c.index] == sealed.Witness.Roots[c.index+1] {
			t.Fatalf("%s: the step does not move the root", c.name)
		}
		w := copyWitness(sealed.Witness)
		c.noop(w)
		w.Records[c.index] = make([]byte, liqShape.RecordSize())
		if solves(t, liqShape, assignment(t, w)) == nil {
			t.Fatalf("%s: the no-op flag on the live step, its record cleared, solves", c.name)
		}
	}
	x := assignment(t, sealed.Witness)
	x.Takeovers[0].NoOp = 1
	if solves(t, liqShape, x) == nil {
		t.Fatal("the no-op flag on the live takeover solves")
	}
}

// TestLaterStepIndexAndRecordsAreBound: in the liquidation batch, σ of two later slots swapped
// (the liquidation's and the takeover's; the takeover's and the deleveraging's; the period
// start's and the liquidation's) is unsatisfiable, and so is one byte of each later record
// changed (the type byte, a field, the padding after the type's length), the public input
// recomputed.
func TestLaterStepIndexAndRecordsAreBound(t *testing.T) {
	b := newLiqBatch(t)
	sealed := seal(t, liqShape, b.states[0], b.steps...)
	for _, swap := range []struct {
		name string
		f    func(w *Witness)
	}{
		{"liquidation and takeover", func(w *Witness) {
			w.Liquidations[0].Index, w.Takeovers[0].Index = w.Takeovers[0].Index, w.Liquidations[0].Index
		}},
		{"takeover and deleveraging", func(w *Witness) {
			w.Takeovers[0].Index, w.Deleverages[0].Index = w.Deleverages[0].Index, w.Takeovers[0].Index
		}},
		{"period start and liquidation", func(w *Witness) {
			w.PeriodStarts[0].Index, w.Liquidations[0].Index = w.Liquidations[0].Index, w.PeriodStarts[0].Index
		}},
	} {
		w := copyWitness(sealed.Witness)
		swap.f(w)
		if solves(t, liqShape, assignment(t, w)) == nil {
			t.Fatalf("σ of %s swapped solves", swap.name)
		}
	}
	// {record, byte}: period start (type, market, now's last byte, padding), liquidation (fee's
	// last byte, nonce, liquidator id), takeover (size, price, padding), deleveraging (deleverager,
	// price's last byte, type)
	for _, c := range [][2]int{{0, 0}, {0, 1}, {0, 9}, {0, 10}, {3, 34}, {3, 25}, {3, 6}, {4, 11}, {4, 15}, {4, 16}, {6, 6}, {6, 18}, {6, 0}} {
		w := copyWitness(sealed.Witness)
		w.Records[c[0]][c[1]] ^= 1
		if solves(t, liqShape, assignment(t, w)) == nil {
			t.Fatalf("record %d byte %d changed solves", c[0], c[1])
		}
	}
}

// TestLaterSealRefusals: the liquidation before the oracle tick (account 11 still healthy) is a
// *StepError naming step 2 and wrapping liqstep's *RuleError (not-liquidatable); a liquidation
// at a fee above the engine's bound likewise (liquidation-fee); a liquidation signed for another
// deployment is ErrDomain, one at another fee rate than the shape's ErrLiquidationFee; a second
// takeover in one slot ErrTooManySteps; a period start with another T ErrBatchTime, one on a
// market whose period has started tickstep's *RuleError (PERIOD_ALREADY_STARTED); T = 0 with
// period-start slots ErrBatchTime; a shape with liquidation slots and no fee-rate bound, or with
// a fee rate and no liquidation slot, ErrShape. The state is never changed.
func TestLaterSealRefusals(t *testing.T) {
	b := newLiqBatch(t)
	s := b.states[0]
	before := s.Root()
	h := Header{Domain: demoDomain, BatchNumber: 7, BatchTime: batchTime}
	var se *StepError
	var lre *liqstep.RuleError
	refused := func(steps []Tx, index int, typ byte) error {
		t.Helper()
		_, err := Seal(s, liqShape, steps, h)
		if !errors.As(err, &se) || se.Index != index || se.Type != typ {
			t.Fatalf("got %v, want a step error at %d of type %d", err, index, typ)
		}
		return err
	}
	early := []Tx{b.steps[0], b.steps[1], liquidationFill(t, 20)}
	if err := refused(early, 2, liqstep.TypeLiquidation); !errors.As(err, &lre) || len(lre.Rules) != 1 || lre.Rules[0] != reference.RuleNotLiquidatable {
		t.Fatalf("got %v", err)
	}
	steps := append([]Tx(nil), b.steps[:3]...)
	if err := refused(append(steps, liquidationFill(t, 21)), 3, liqstep.TypeLiquidation); !errors.As(err, &lre) || lre.Rules[0] != reference.RuleLiquidationFee {
		t.Fatalf("got %v", err)
	}
	other := liquidationFill(t, 20)
	other.Domain.ChainID++
	if err := refused(append(steps, other), 3, liqstep.TypeLiquidation); !errors.Is(err, ErrDomain) {
		t.Fatalf("got %v", err)
	}
	rate := liquidationFill(t, 20)
	rate.FeePpm++
	if err := refused(append(steps, rate), 3, liqstep.TypeLiquidation); !errors.Is(err, ErrLiquidationFee) {
		t.Fatalf("got %v", err)
	}
	twice := append(append([]Tx(nil), b.steps[:5]...), b.steps[4])
	if err := refused(twice, 5, liqstep.TypeTakeover); !errors.Is(err, ErrTooManySteps) {
		t.Fatalf("got %v", err)
	}
	ps := b.steps[0].(FundingPeriodStart)
	ps.BatchTime--
	if err := refused([]Tx{ps}, 0, tickstep.TypeFundingPeriodStart); !errors.Is(err, ErrBatchTime) {
		t.Fatalf("got %v", err)
	}
	started := b.steps[0].(FundingPeriodStart)
	started.Market = liqMarket
	var tre *tickstep.RuleError
	if err := refused([]Tx{started}, 0, tickstep.TypeFundingPeriodStart); !errors.As(err, &tre) || !tre.Has(tickstep.RulePeriodStarted) {
		t.Fatalf("got %v", err)
	}
	if _, err := Seal(s, Shape{PeriodStarts: 1}, nil, Header{Domain: demoDomain}); !errors.Is(err, ErrBatchTime) {
		t.Fatalf("got %v", err)
	}
	for _, bad := range []Shape{{Liquidations: 1, N: 1, K: 1, LiquidationFeePpm: reference.PPM + 1}, {Liquidations: 1, N: 1, K: 1, LiquidationFeePpm: -1},
		{Takeovers: 1, N: 1, K: 1, LiquidationFeePpm: 1}, {Deleverages: 1, K: 1}, {Takeovers: 1, N: 1}, {PeriodStarts: 1, N: 1}} {
		if _, err := Seal(s, bad, nil, h); !errors.Is(err, ErrShape) {
			t.Fatalf("%v: got %v", bad, err)
		}
	}
	if s.Root() != before {
		t.Fatal("state changed")
	}
}

// TestLaterEncoding: the liquidation batch's witness encodes with the header extension (the four
// later group sizes and the fee rate after the fixed header), decodes to the same bytes and
// public input; a shape without later groups has no extension (EncodedHeaderSize =
// FixedHeaderSize, and its tables start there); each extension field changed, and a later slot's
// record with another type byte, is a FormatError at that byte.
func TestLaterEncoding(t *testing.T) {
	b := newLiqBatch(t)
	sealed := seal(t, liqShape, b.states[0], b.steps...)
	enc, err := Encode(sealed.Witness)
	if err != nil {
		t.Fatal(err)
	}
	if EncodedHeaderSize(liqShape) != FixedHeaderSize+HeaderExtensionSize || len(enc) != EncodedSize(liqShape) ||
		EncodedHeaderSize(mixed) != FixedHeaderSize || EncodedHeaderSize(collShape) != FixedHeaderSize {
		t.Fatal("header sizes")
	}
	ext := enc[FixedHeaderSize : FixedHeaderSize+HeaderExtensionSize]
	if !bytes.Equal(ext, []byte{0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0x27, 0x10}) {
		t.Fatalf("header extension %x", ext)
	}
	root0 := sealed.Witness.Roots[0].Bytes()
	if !bytes.Equal(enc[EncodedHeaderSize(liqShape):EncodedHeaderSize(liqShape)+32], root0[:]) {
		t.Fatal("the root table does not start after the extension")
	}
	w, err := Decode(enc, liqShape)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Encode(w)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, again) || w.PublicInput() != sealed.PublicInput || w.Deleverages[0].Step == nil || w.Liquidations[0].Index != 3 {
		t.Fatal("round trip differs")
	}
	recordsAt := EncodedHeaderSize(liqShape) + 64*(liqShape.Steps()+1)
	var fe *FormatError
	// {byte changed, offset of its field}: the four later group sizes, the fee rate, the
	// takeover's record type
	for _, c := range [][2]int{{FixedHeaderSize + 1, FixedHeaderSize}, {FixedHeaderSize + 3, FixedHeaderSize + 2},
		{FixedHeaderSize + 5, FixedHeaderSize + 4}, {FixedHeaderSize + 7, FixedHeaderSize + 6}, {FixedHeaderSize + 11, FixedHeaderSize + 8},
		{recordsAt + 4*liqShape.RecordSize(), recordsAt + 4*liqShape.RecordSize()}} {
		bad := append([]byte(nil), enc...)
		bad[c[0]] ^= 2
		if _, err := Decode(bad, liqShape); !errors.As(err, &fe) || fe.Offset != c[1] {
			t.Fatalf("byte %d changed: got %v", c[0], err)
		}
	}
	// a witness of a shape without the later groups is not one of a shape with them
	if _, err := Decode(enc, Shape{Trades: 1, OracleTicks: 1, FundingTicks: 1, N: 2, K: 2, ReportSlots: 1}); !errors.As(err, &fe) {
		t.Fatalf("got %v", err)
	}
}
