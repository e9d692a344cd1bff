package circuit

// Every rule broken on purpose: each case takes a valid golden batch, breaks exactly one rule
// (re-signing where the signature would otherwise be what fails), recomputes the public input
// with batch.Trace — which follows the circuit's formulas without checking rules — and requires
// that gnark's solver rejects the assignment and that the native check names the same rule.

import (
	"errors"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

func scenarios(t *testing.T) []batch.Scenario {
	t.Helper()
	sc, err := batch.TinyScenarios()
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// clone deep-copies a witness (slots are values; the slice is copied).
func clone(w *batch.Witness) *batch.Witness {
	c := *w
	c.Slots = append([]batch.Slot(nil), w.Slots...)
	return &c
}

func resign(t *testing.T, s *batch.Slot, key byte, owner [20]byte) {
	t.Helper()
	var msg fr.Element
	if s.Type == batch.TxWithdrawal {
		msg = batch.WithdrawalMessage(s.AccountA, owner, s.Amount, s.Nonce)
	} else {
		msg = batch.TransferMessage(s.AccountA, s.AccountB, s.Amount, s.Nonce)
	}
	var err error
	if s.SigRX, s.SigRY, s.SigS, err = batch.SignMessage(batch.TestKey(key), msg); err != nil {
		t.Fatal(err)
	}
}

func expectUnsatisfiable(t *testing.T, w *batch.Witness, rule batch.Rule, tx int) {
	t.Helper()
	_, err := batch.Check(w)
	var re *batch.RuleError
	if !errors.As(err, &re) {
		t.Fatalf("native check accepted the broken batch (err %v)", err)
	}
	if re.Rule != rule || re.TxIndex != tx {
		t.Errorf("native check: got %v, want rule %q at transaction %d", re, rule, tx)
	}
	pi := batch.PublicInput(w, batch.Trace(w))
	if err := solve(w, pi); err == nil {
		t.Fatalf("circuit accepts a batch breaking %q", rule)
	}
}

func TestGoldenScenariosSolve(t *testing.T) {
	for _, s := range scenarios(t) {
		pi, _, _, err := batch.Commitment(s.Witness)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if err := solve(s.Witness, pi); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
		if traced := batch.PublicInput(s.Witness, batch.Trace(s.Witness)); traced != pi {
			t.Errorf("%s: Trace and Check disagree on a valid batch", s.Name)
		}
	}
}

func TestBadSignature(t *testing.T) {
	w := clone(scenarios(t)[1].Witness) // slot 0: transfer 5 → 9, slot 1: withdrawal from 9
	w.Slots[0].SigS.Add(&w.Slots[0].SigS, new(fr.Element).SetOne())
	expectUnsatisfiable(t, w, batch.RuleSignature, 0)
}

func TestSignatureByAnotherKey(t *testing.T) {
	w := clone(scenarios(t)[1].Witness)
	resign(t, &w.Slots[1], 1, batch.TestOwner(2)) // account 9 belongs to key 2
	expectUnsatisfiable(t, w, batch.RuleSignature, 1)
}

func TestSignedFieldChangedAfterSigning(t *testing.T) {
	w := clone(scenarios(t)[1].Witness)
	w.Slots[1].Amount = 119 // the signature covers 120
	expectUnsatisfiable(t, w, batch.RuleSignature, 1)
}

func TestReusedNonce(t *testing.T) {
	sc := scenarios(t)
	// Batch 2 replays batch 1's withdrawal from account 9 with its old nonce 0, validly signed.
	w := clone(sc[2].Witness)
	replay := sc[1].Witness.Slots[1]
	w.Slots[1].Type, w.Slots[1].AccountA, w.Slots[1].AccountB = replay.Type, replay.AccountA, 0
	w.Slots[1].Amount, w.Slots[1].Nonce = replay.Amount, replay.Nonce
	w.Slots[1].SigRX, w.Slots[1].SigRY, w.Slots[1].SigS = replay.SigRX, replay.SigRY, replay.SigS
	relink(t, w, stateAfter(t, sc, 2, 0))
	expectUnsatisfiable(t, w, batch.RuleNonce, 1)
}

func TestOverdraft(t *testing.T) {
	sc := scenarios(t)
	w := clone(sc[1].Witness)
	w.Slots[1].Amount = 50 + 300_000 + 1 // account 9 holds 300,050 before the withdrawal
	resign(t, &w.Slots[1], 2, batch.TestOwner(2))
	relink(t, w, stateAfter(t, sc, 1, 0))
	expectUnsatisfiable(t, w, batch.RuleOverdraft, 1)
}

func TestTransferOverdraft(t *testing.T) {
	sc := scenarios(t)
	w := clone(sc[1].Witness)
	w.Slots[0].Amount = 1_000_001
	resign(t, &w.Slots[0], 1, [20]byte{})
	relink(t, w, stateAfter(t, sc, 1, 0))
	expectUnsatisfiable(t, w, batch.RuleOverdraft, 0)
}

func TestFieldNotBoundToLeaf(t *testing.T) {
	w := clone(scenarios(t)[1].Witness)
	w.Slots[0].A.Before.Account.Collateral += 1_000 // claims more collateral than the leaf holds
	expectUnsatisfiable(t, w, batch.RuleStaleLeafA, 0)
}

func TestKeyNotBoundToLeaf(t *testing.T) {
	w := clone(scenarios(t)[1].Witness)
	k := batch.TestKey(3) // swap in another key and sign with it
	w.Slots[0].A.Before.Account.PublicKeyX, w.Slots[0].A.Before.Account.PublicKeyY = k.PublicKey.A.X, k.PublicKey.A.Y
	resign(t, &w.Slots[0], 3, [20]byte{})
	expectUnsatisfiable(t, w, batch.RuleStaleLeafA, 0)
}

func TestWrongIntermediateRoot(t *testing.T) {
	sc := scenarios(t)
	// A batch [no-op, transfer 5 → 9] on the state after batch 0, so the transfer is the last slot
	// and nothing after it depends on its result.
	st := stateAfter(t, sc, 1, 0)
	b := batch.NewBuilder(st, 2, sc[1].Witness.PriorityHashBefore)
	if err := b.Add(batch.Slot{Type: batch.TxNoop}); err != nil {
		t.Fatal(err)
	}
	if err := b.Transfer(5, 9, 10, batch.TestKey(1)); err != nil {
		t.Fatal(err)
	}
	w, err := b.Finish(2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := batch.Check(w); err != nil {
		t.Fatal(err)
	}
	// The receiver's proof taken against the root before the sender's update.
	w.Slots[1].B = updateOf(t, stateAfter(t, sc, 1, 0), 9)
	expectUnsatisfiable(t, w, batch.RuleStaleLeafB, 1)
}

func TestReceiverMustExist(t *testing.T) {
	sc := scenarios(t)
	w := clone(sc[1].Witness)
	w.Slots[0].AccountB = 11 // an empty slot
	resign(t, &w.Slots[0], 1, [20]byte{})
	relink(t, w, stateAfter(t, sc, 1, 0))
	expectUnsatisfiable(t, w, batch.RuleNoAccount, 0)
}

func TestDepositBindingMismatch(t *testing.T) {
	w := clone(scenarios(t)[2].Witness) // slot 0: deposit into existing account 5
	w.Slots[0].L1Owner = batch.TestOwner(7)
	expectUnsatisfiable(t, w, batch.RuleBinding, 0)
}

func TestAlteredPublicData(t *testing.T) {
	w := scenarios(t)[1].Witness
	pi, _, _, err := batch.Commitment(w)
	if err != nil {
		t.Fatal(err)
	}
	for _, bit := range []int{0, 77, 255} {
		bad := pi
		bad[31-bit/8] ^= 1 << (bit % 8)
		if bad[0]&0xe0 != 0 {
			continue
		}
		if err := solve(w, bad); err == nil {
			t.Errorf("circuit accepts the public input with bit %d flipped", bit)
		}
	}
	// A batch number other than the one committed to.
	w2 := clone(w)
	w2.BatchNumber++
	if err := solve(w2, pi); err == nil {
		t.Error("circuit accepts another batch number under the same public input")
	}
}

func TestTypeOutOfRange(t *testing.T) {
	w := scenarios(t)[0].Witness
	pi, _, _, _ := batch.Commitment(w)
	a := Assign(w, pi)
	a.Slots[1].Type = 4
	if err := solveAssignment(len(w.Slots), a); err == nil {
		t.Error("circuit accepts transaction type 4")
	}
}

// relink recomputes every slot's updates from the state the batch starts in, following the
// circuit's formulas (rules unchecked), so that a broken transaction field is the only defect.
func relink(t *testing.T, w *batch.Witness, st *layout.State) {
	t.Helper()
	if r := st.AccountsRoot(); !r.Equal(&w.AccountsRoot) {
		t.Fatal("relink: state does not match the batch start")
	}
	prio := w.PriorityHashBefore
	for i := range w.Slots {
		s := &w.Slots[i]
		s.A = updateOf(t, st, s.AccountA)
		tr := batch.TraceSlot(i, s, st.AccountsRoot(), prio)
		setLeaf(t, st, s.AccountA, tr.LeafAfterA)
		s.B = updateOf(t, st, s.AccountB)
		tr = batch.TraceSlot(i, s, tr.RootAfterA, prio) // recompute with the new B proof
		setLeaf(t, st, s.AccountB, tr.LeafAfterB)
		prio = tr.PriorityHash
	}
}

func setLeaf(t *testing.T, st *layout.State, id uint32, l batch.AccountLeaf) {
	t.Helper()
	if !l.Exists {
		return
	}
	a := l.Account
	if err := st.SetAccount(uint64(id), layout.AccountFields{PublicKeyX: a.PublicKeyX, PublicKeyY: a.PublicKeyY, L1Owner: a.L1Owner, Nonce: a.Nonce, Collateral: a.Collateral}); err != nil {
		t.Fatal(err)
	}
}

// ---- helpers -------------------------------------------------------------------------------

// stateAfter replays the golden scenarios up to batch `upTo` and, within it, the first `slots`
// slots, returning the resulting state.
func stateAfter(t *testing.T, sc []batch.Scenario, upTo, slots int) *layout.State {
	t.Helper()
	st := layout.NewState()
	for bi := 0; bi <= upTo; bi++ {
		n := len(sc[bi].Witness.Slots)
		if bi == upTo {
			n = slots
		}
		root, prio := sc[bi].Witness.AccountsRoot, sc[bi].Witness.PriorityHashBefore
		for i := 0; i < n; i++ {
			s := sc[bi].Witness.Slots[i]
			tr, err := batch.Apply(i, &s, root, prio)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range []struct {
				id   uint32
				leaf batch.AccountLeaf
			}{{s.AccountA, tr.LeafAfterA}, {s.AccountB, tr.LeafAfterB}} {
				if u.leaf.Exists {
					a := u.leaf.Account
					if err := st.SetAccount(uint64(u.id), layout.AccountFields{PublicKeyX: a.PublicKeyX, PublicKeyY: a.PublicKeyY, L1Owner: a.L1Owner, Nonce: a.Nonce, Collateral: a.Collateral}); err != nil {
						t.Fatal(err)
					}
				}
			}
			root, prio = tr.RootAfterB, tr.PriorityHash
		}
	}
	return st
}

func updateOf(t *testing.T, st *layout.State, id uint32) batch.Update {
	t.Helper()
	p, err := st.AccountProof(uint64(id))
	if err != nil {
		t.Fatal(err)
	}
	var u batch.Update
	copy(u.Siblings[:], p.Siblings)
	if a, ok := st.Account(uint64(id)); ok {
		u.Before = batch.AccountLeaf{Exists: true, Account: a}
	}
	return u
}

// ---- forced withdrawals ---------------------------------------------------------------------

func TestForcedWithdrawalForeignOwner(t *testing.T) {
	sc := scenarios(t)
	w := clone(sc[3].Witness) // slot 0: forced 100 from account 9 (owner 2), slot 1: refused
	w.Slots[0].L1Owner = batch.TestOwner(3)
	relink(t, w, stateAfter(t, sc, 3, 0))
	expectUnsatisfiable(t, w, batch.RuleForcedOwner, 0)
}

func TestForcedWithdrawalOfMissingAccount(t *testing.T) {
	sc := scenarios(t)
	w := clone(sc[3].Witness)
	w.Slots[0].AccountA = 12 // never created
	relink(t, w, stateAfter(t, sc, 3, 0))
	expectUnsatisfiable(t, w, batch.RuleNoAccount, 0)
}

// TestForcedWithdrawalBoundary: an amount equal to the collateral is paid in full, one quantum
// more is refused (paid 0) — natively and in the circuit, whose public input commits to the paid
// amount in the chunk.
func TestForcedWithdrawalBoundary(t *testing.T) {
	k := batch.TestKey(1)
	for _, c := range []struct {
		amount, paid uint64
	}{{100, 100}, {101, 0}, {0, 0}} {
		b := batch.NewBuilder(layout.NewState(), 1, fr.Element{})
		if err := b.Deposit(3, batch.TestOwner(1), k.PublicKey, 100); err != nil {
			t.Fatal(err)
		}
		if err := b.ForcedWithdraw(3, batch.TestOwner(1), c.amount); err != nil {
			t.Fatal(err)
		}
		w, err := b.Finish(2)
		if err != nil {
			t.Fatal(err)
		}
		pi, input, res, err := batch.Commitment(w)
		if err != nil {
			t.Fatal(err)
		}
		if res.Paid[1] != c.paid || res.PriorityCount != 2 {
			t.Errorf("amount %d: paid %d, priority count %d; want paid %d, count 2", c.amount, res.Paid[1], res.PriorityCount, c.paid)
		}
		chunk := input[batch.CommitmentHeaderSize+batch.ChunkSize:]
		if chunk[0] != byte(batch.TxForcedWithdrawal) || chunk[16] != byte(c.paid) {
			t.Errorf("amount %d: chunk %x does not carry type 4 and paid %d", c.amount, chunk[:17], c.paid)
		}
		if err := solve(w, pi); err != nil {
			t.Errorf("amount %d: circuit rejects a valid forced withdrawal: %v", c.amount, err)
		}
		// Claiming the other outcome (paid vs refused) in the public data is unsatisfiable.
		if c.amount == 0 {
			continue // both outcomes pay 0
		}
		forged := batch.Trace(w)
		if c.paid == 0 {
			forged.Paid[1] = c.amount
		} else {
			forged.Paid[1] = 0
		}
		if err := solve(w, batch.PublicInput(w, forged)); err == nil {
			t.Errorf("amount %d: circuit accepts a forged paid amount", c.amount)
		}
	}
}
