package batchv3

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// collShape: 1 trade slot (N = 1, K = 1), 2 deposit slots, 1 slot of each other collateral type:
// the mixed collateral batch below fills every slot but one deposit slot (padding).
var collShape = Shape{Trades: 1, Deposits: 2, Withdrawals: 1, Transfers: 1, ForcedWithdrawals: 1, N: 1, K: 1}

const newcomer = 12 // the account the deposit creates

// priorityBefore is the rollup's priority hash before the collateral batches.
var priorityBefore = func() fr.Element { var e fr.Element; e.SetUint64(77); return e }()

func signed(t testing.TB, k byte, h fr.Element) []byte {
	t.Helper()
	b := h.Bytes()
	sig, err := key(t, k).Sign(b[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// collateralTxs on the fixture: a deposit of 50,000 creating account 12 (priority), a withdrawal
// of 1,000 by the buyer (who holds trade A's long by then: margin shape), a forced withdrawal of
// 2,000 requested by the seller's owner (priority; the seller holds the short and its free
// collateral covers it), a transfer of 3,000 from the seller to account 12.
func collateralTxs(t testing.TB) (Deposit, Withdrawal, ForcedWithdrawal, Transfer) {
	k := key(t, 3).PublicKey.A
	d := Deposit{collateralstep.Deposit{Account: newcomer, L1Owner: [20]byte{newcomer}, PublicKeyX: k.X, PublicKeyY: k.Y, Amount: 50_000}}
	w := Withdrawal{collateralstep.Withdrawal{Domain: demoDomain,
		Message: messages.WithdrawalMessage{Account: buyerID, L1Owner: [20]byte{buyerID}, Amount: 1_000, Nonce: 3}}}
	w.Signature = signed(t, 1, w.Message.Hash(demoDomain))
	f := ForcedWithdrawal{collateralstep.ForcedWithdrawal{Account: sellerID, L1Owner: [20]byte{sellerID}, Amount: 2_000}}
	tr := Transfer{collateralstep.Transfer{Domain: demoDomain,
		Message: messages.TransferMessage{Account: sellerID, Receiver: newcomer, Amount: 3_000, Nonce: 3}}}
	tr.Signature = signed(t, 2, tr.Message.Hash(demoDomain))
	return d, w, f, tr
}

func sealWith(t testing.TB, shape Shape, s *layoutv2.State, steps ...Tx) *Sealed {
	t.Helper()
	sealed, err := Seal(s, shape, steps, Header{Domain: demoDomain, BatchNumber: 8, BatchTime: batchTime, PriorityBefore: priorityBefore})
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

// TestCollateralStepsInABatch: a deposit (priority), trade A, a withdrawal, a forced withdrawal
// (priority), a transfer and one padding deposit solve with Seal's public input; the new root is
// the references' applied in that order; the priority hash after is Compress(Compress(P_0,
// deposit), forced withdrawal) with count 2; the withdrawal's and the forced withdrawal's records
// are the bytes written by hand.
func TestCollateralStepsInABatch(t *testing.T) {
	s, a, _ := fixture(t)
	d, w, f, tr := collateralTxs(t)
	sealed := sealWith(t, collShape, s, d, a, w, f, tr)
	cur, err := collateralstep.ApplyDeposit(s, d.Deposit)
	if err == nil {
		if cur, err = perpstepApply(cur, a); err == nil {
			if cur, err = collateralstep.ApplyWithdrawal(cur, w.Withdrawal); err == nil {
				if cur, err = collateralstep.ApplyForcedWithdrawal(cur, f.ForcedWithdrawal); err == nil {
					cur, err = collateralstep.ApplyTransfer(cur, tr.Transfer)
				}
			}
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if sealed.NewState.Root() != cur.Root() || sealed.Witness.Roots[5] != cur.Root() || sealed.Witness.Roots[6] != cur.Root() {
		t.Fatal("Seal's new state is not the references'")
	}
	seller, _ := cur.Account(sellerID)
	if seller.Collateral != 500_000-2_000-3_000+sellerFee(t) {
		t.Fatalf("seller's collateral %d", seller.Collateral)
	}
	chain := layout.Compress(layout.Compress(priorityBefore, batch.DepositHash(d.Account, d.L1Owner, d.PublicKeyX, d.PublicKeyY, d.Amount)),
		batch.ForcedWithdrawalHash(f.Account, f.L1Owner, f.Amount))
	if sealed.Witness.Priority[6] != chain || sealed.Witness.PriorityCount != 2 || sealed.Witness.Priority[0] != priorityBefore {
		t.Fatal("the priority chain is not the two operations in execution order")
	}
	want := append([]byte{2, 0, 0, buyerID}, binary.BigEndian.AppendUint64(nil, 1_000)...)
	want = append(want, buyerID)
	want = append(want, make([]byte, 19+collShape.RecordSize()-32)...)
	if !bytes.Equal(sealed.Witness.Records[2], want) {
		t.Fatalf("withdrawal record %x, want %x", sealed.Witness.Records[2], want)
	}
	want = append([]byte{4, 0, 0, sellerID}, binary.BigEndian.AppendUint64(nil, 2_000)...)
	want = append(want, sellerID)
	want = append(want, make([]byte, 19+collShape.RecordSize()-32)...)
	if !bytes.Equal(sealed.Witness.Records[3], want) {
		t.Fatalf("forced-withdrawal record %x, want %x", sealed.Witness.Records[3], want)
	}
	if err := solves(t, collShape, sealed.Assignment); err != nil {
		t.Fatalf("honest collateral batch does not solve: %v", err)
	}
}

// sellerFee is the seller's fee credit of trade A (a negative fee rate is a rebate), read from the
// reference so the collateral check above follows only the collateral steps.
func sellerFee(t testing.TB) int64 {
	t.Helper()
	s, tradeA, _ := fixture(t)
	after, err := perpstepApply(s, tradeA)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.Account(sellerID)
	acc, _ := after.Account(sellerID)
	return acc.Collateral - before.Collateral
}

// TestPriorityOrderIsBound: the two priority operations in the other order (forced withdrawal
// first, deposit fourth) and a batch without the forced withdrawal each give another priority
// hash after and another public input (the swapped batch solves with its own); the witness of
// one with the public input of another is unsatisfiable, both ways. The honest witness with its
// priority table rewritten to the reverse chain (public input recomputed), or with a priority
// count of 1, is unsatisfiable; only the slot's chain rule refuses the reverse chain (checked by
// hand: with it removed from Define, that case solves).
func TestPriorityOrderIsBound(t *testing.T) {
	s, a, _ := fixture(t)
	d, w, f, tr := collateralTxs(t)
	honest := sealWith(t, collShape, s, d, a, w, f, tr)
	swapped := sealWith(t, collShape, s, f, a, w, d, tr)
	dropped := sealWith(t, collShape, s, d, a, w, tr)
	for _, o := range []*Sealed{swapped, dropped} {
		if o.PublicInput == honest.PublicInput || o.Witness.Priority[6] == honest.Witness.Priority[6] {
			t.Fatal("another priority order gives the same priority hash or public input")
		}
	}
	if err := solves(t, collShape, swapped.Assignment); err != nil {
		t.Fatalf("the swapped order does not solve: %v", err)
	}
	for _, c := range []struct {
		name string
		w, p *Sealed
	}{{"honest witness, swapped input", honest, swapped}, {"swapped witness, honest input", swapped, honest},
		{"honest witness, input without the forced withdrawal", honest, dropped}, {"witness without the forced withdrawal, honest input", dropped, honest}} {
		x := assignment(t, c.w.Witness)
		x.PublicInput = el(c.p.PublicInput)
		if solves(t, collShape, x) == nil {
			t.Errorf("%s solves", c.name)
		}
	}
	reverse := copyWitness(honest.Witness)
	p1 := layout.Compress(priorityBefore, batch.ForcedWithdrawalHash(f.Account, f.L1Owner, f.Amount))
	p2 := layout.Compress(p1, batch.DepositHash(d.Account, d.L1Owner, d.PublicKeyX, d.PublicKeyY, d.Amount))
	for i := 1; i <= 6; i++ {
		reverse.Priority[i] = p1
		if i >= 4 {
			reverse.Priority[i] = p2
		}
	}
	if solves(t, collShape, assignment(t, reverse)) == nil {
		t.Error("the reverse priority chain solves")
	}
	one := copyWitness(honest.Witness)
	one.PriorityCount = 1
	if solves(t, collShape, assignment(t, one)) == nil {
		t.Error("a priority count of 1 solves")
	}
}

// TestNoOpFlagCannotSkipADeposit: the no-op flag on the deposit's slot (its step kept, so the root
// changes across its position) is unsatisfiable; with the step replaced by the padding deposit and
// its record zeroed (public input recomputed) still unsatisfiable, and so with the priority chain
// and count also rewritten as if the deposit were not consumed — only the no-op rule
// R[σ + 1] = R[σ] refuses that one (checked by hand: with it removed from Define, it solves).
func TestNoOpFlagCannotSkipADeposit(t *testing.T) {
	s, a, _ := fixture(t)
	d, w, f, tr := collateralTxs(t)
	sealed := sealWith(t, collShape, s, d, a, w, f, tr)
	x := assignment(t, sealed.Witness)
	x.Deposits[0].NoOp = 1
	if solves(t, collShape, x) == nil {
		t.Fatal("no-op flag on a real deposit solves")
	}
	c := copyWitness(sealed.Witness)
	c.Deposits[0].NoOp, c.Deposits[0].Step = true, nil
	c.Records[0] = make([]byte, len(c.Records[0]))
	if solves(t, collShape, assignment(t, c)) == nil {
		t.Fatal("no-op flag on a real deposit with its record cleared solves")
	}
	// the deposit skipped altogether: its priority operation not consumed either (P_1 = P_0, the
	// forced withdrawal's Compress from there, count 1), so every other rule holds
	p := layout.Compress(priorityBefore, batch.ForcedWithdrawalHash(f.Account, f.L1Owner, f.Amount))
	for i := 1; i <= 6; i++ {
		c.Priority[i] = priorityBefore
		if i >= 4 {
			c.Priority[i] = p
		}
	}
	c.PriorityCount = 1
	if solves(t, collShape, assignment(t, c)) == nil {
		t.Fatal("a deposit skipped by the no-op flag, its priority operation left in the queue, solves")
	}
}

// TestChangedCollateralRecordIsUnsatisfiable: one byte of a collateral record changed (the
// deposit's type byte and a padding byte after it, the withdrawal's amount and owner, the forced
// withdrawal's paid amount and owner, the transfer's receiver, amount and a padding byte, the
// padding deposit's zero record), the public input recomputed: unsatisfiable.
func TestChangedCollateralRecordIsUnsatisfiable(t *testing.T) {
	s, a, _ := fixture(t)
	d, w, f, tr := collateralTxs(t)
	sealed := sealWith(t, collShape, s, d, a, w, f, tr)
	for _, c := range [][2]int{{0, 0}, {0, 1}, {2, 11}, {2, 12}, {3, 10}, {3, 31}, {4, 6}, {4, 14}, {4, 15}, {5, 0}} {
		x := copyWitness(sealed.Witness)
		x.Records[c[0]][c[1]] ^= 1
		if solves(t, collShape, assignment(t, x)) == nil {
			t.Errorf("record %d byte %d changed: solves", c[0], c[1])
		}
	}
}

// TestCollateralSealRefusals: a withdrawal the reference refuses (above the free collateral) is a
// *StepError wrapping collateralstep's *RuleError; a withdrawal signed for another deployment is
// ErrDomain; a second withdrawal in one withdrawal slot ErrTooManySteps; the state is unchanged.
func TestCollateralSealRefusals(t *testing.T) {
	s, a, _ := fixture(t)
	before := s.Root()
	d, w, _, _ := collateralTxs(t)
	big := w
	big.Message.Amount = 600_000
	big.Signature = signed(t, 1, big.Message.Hash(demoDomain))
	var se *StepError
	var re *collateralstep.RuleError
	h := Header{Domain: demoDomain, BatchTime: batchTime}
	if _, err := Seal(s, collShape, []Tx{d, a, big}, h); !errors.As(err, &se) || se.Index != 2 || !errors.As(err, &re) || !re.Has(collateralstep.RuleCollateral) {
		t.Fatalf("got %v", err)
	}
	other := w
	other.Domain.ChainID++
	if _, err := Seal(s, collShape, []Tx{other}, h); !errors.Is(err, ErrDomain) {
		t.Fatalf("got %v", err)
	}
	if _, err := Seal(s, collShape, []Tx{w, w}, h); !errors.Is(err, ErrTooManySteps) {
		t.Fatalf("got %v", err)
	}
	if s.Root() != before {
		t.Fatal("state changed")
	}
}

// TestCollateralEncoding: the collateral batch encodes, decodes to the same bytes and public input
// and solves; each malformed collateral field is a *FormatError at its offset.
func TestCollateralEncoding(t *testing.T) {
	s, a, _ := fixture(t)
	d, w, f, tr := collateralTxs(t)
	sealed := sealWith(t, collShape, s, d, a, w, f, tr)
	enc, err := Encode(sealed.Witness)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := Decode(enc, collShape)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Encode(dec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, again) || dec.PublicInput() != sealed.PublicInput || dec.PriorityCount != 2 ||
		!dec.Deposits[1].NoOp || dec.Deposits[1].Step != nil || dec.Transfers[0].Step == nil {
		t.Fatal("round trip differs")
	}
	if err := solves(t, collShape, assignment(t, dec)); err != nil {
		t.Fatalf("decoded witness does not solve: %v", err)
	}
	n, width := collShape.Steps(), collShape.RecordSize()
	records := FixedHeaderSize + 64*(n+1)
	at := map[string]int{} // each group's first slot
	off := records + n*width
	for _, g := range groupsOf(collShape) {
		at[g.name] = off
		off += g.slots * (TradeSlotPrefix + 32*g.per)
	}
	depositSlot := TradeSlotPrefix + 32*groupsOf(collShape)[1].per
	set := func(o int, v ...byte) func([]byte) []byte {
		return func(x []byte) []byte { copy(x[o:], v); return x }
	}
	high := func(o int) func([]byte) []byte {
		return func(x []byte) []byte {
			for i := 0; i < 32; i++ {
				x[o+i] = 0xff
			}
			return x
		}
	}
	for _, c := range []struct {
		name   string
		change func([]byte) []byte
		offset int
	}{
		{"deposit σ ≥ S", set(at["deposit"], 0, 6), at["deposit"]},
		{"padding deposit repeats the trade's σ", set(at["deposit"]+depositSlot, 0, 1), at["deposit"] + depositSlot},
		{"withdrawal no-op flag 2", set(at["withdrawal"]+2, 2), at["withdrawal"] + 2},
		{"padding deposit with an element", set(at["deposit"]+depositSlot+TradeSlotPrefix+7, 1), at["deposit"] + depositSlot + TradeSlotPrefix + 7},
		{"padding deposit's record not zero", set(records+5*width+3, 1), records + 5*width + 3},
		{"transfer's record typed as a withdrawal", set(records+4*width, 2), records + 4*width},
		{"deposit's record padding not zero", set(records+1, 1), records + 1},
		{"transfer's record padding not zero", set(records+4*width+collateralstep.TransferDataBytes, 1), records + 4*width + collateralstep.TransferDataBytes},
		{"forced-withdrawal element not canonical", high(at["forced-withdrawal"] + TradeSlotPrefix + 32), at["forced-withdrawal"] + TradeSlotPrefix + 32},
		{"transfer slots in the header", set(13, 2), 12},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.change(append([]byte(nil), enc...)), collShape)
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Offset != c.offset {
				t.Fatalf("got %v, want a *FormatError at %d", err, c.offset)
			}
		})
	}
}
