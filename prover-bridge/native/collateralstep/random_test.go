package collateralstep

import (
	"math/big"
	"math/rand"
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// TestRandomTransactionsAgreeWithReference: random transactions of the four types on the margin
// scenario (accounts with and without positions, funding pending, a negative collateral, the
// fund), with fields drawn near the rules' edges (amounts around the free collateral, nonces off
// by one, wrong owners and keys), each accepted one applied before the next: in the margin shape the
// witness built by the circuit's formulas solves exactly when the reference accepts, and then
// with the reference's new root.
func TestRandomTransactionsAgreeWithReference(t *testing.T) {
	rnd := rand.New(rand.NewSource(16))
	s := marginState(t)
	ids := []uint32{sibling, sender, holder, receiver, empty, negative, trader, fund}
	keyOf := map[uint32]byte{sibling: 4, sender: 5, holder: 6, receiver: 7, empty: 8, negative: 10, trader: 12, fund: 5}
	owners := [][20]byte{ownerA, ownerB, ownerC, {}}
	pick := func() uint32 { return ids[rnd.Intn(len(ids))] }
	amount := func(id uint32) uint64 {
		a, ok := s.Account(uint64(id))
		base := uint64(100)
		if ok {
			if st, err := settle(s, a); err == nil && st.free > 0 {
				base = uint64(st.free)
			}
		}
		switch rnd.Intn(4) {
		case 0:
			return base
		case 1:
			return base + 1
		case 2:
			return uint64(rnd.Int63n(int64(base) + 1))
		}
		return uint64(rnd.Intn(3))
	}
	nonceOf := func(id uint32) uint64 {
		a, _ := s.Account(uint64(id))
		return a.Nonce + uint64(rnd.Intn(3)/2) // off by one a third of the time
	}
	accepted, refused := 0, 0
	for i := 0; i < 48; i++ {
		var (
			shape, w frontend.Circuit
			applyErr error
			root     frontend.Variable // the reference's new root
			wroot    frontend.Variable // the witness's
			next     *layoutv2.State
			built    bool
		)
		switch i % 4 {
		case 0:
			id := pick()
			k := key(t, keyOf[id])
			if rnd.Intn(4) == 0 {
				k = key(t, 9)
			}
			d := Deposit{Account: id, L1Owner: owners[rnd.Intn(3)], PublicKeyX: k.PublicKey.A.X, PublicKeyY: k.PublicKey.A.Y, Amount: amount(id)}
			n, err := ApplyDeposit(s, d)
			applyErr = err
			if err == nil {
				next, root = n, el(n.Root())
			}
			if e, err := executeDeposit(s, d, true, tableK); err == nil {
				shape, w, wroot, built = depositShape(e.circuit), e.circuit, e.circuit.NewRoot, true
			}
		case 1:
			id := pick()
			signer := keyOf[id]
			if rnd.Intn(5) == 0 {
				signer = 9
			}
			wd := withdrawal(t, signer, demoDomain, wm(id, owners[rnd.Intn(4)], amount(id), nonceOf(id)))
			n, err := ApplyWithdrawal(s, wd)
			applyErr = err
			if err == nil {
				next, root = n, el(n.Root())
			}
			if e, err := executeWithdrawal(s, wd, true, tableK); err == nil {
				shape, w, wroot, built = withdrawalShape(e.circuit), e.circuit, e.circuit.NewRoot, true
			}
		case 2:
			from, to := pick(), pick()
			tr := transfer(t, keyOf[from], demoDomain, tm(from, to, amount(from), nonceOf(from)))
			n, err := ApplyTransfer(s, tr)
			applyErr = err
			if err == nil {
				next, root = n, el(n.Root())
			}
			if e, err := executeTransfer(s, tr, true, tableK); err == nil {
				shape, w, wroot, built = transferShape(e.circuit), e.circuit, e.circuit.NewRoot, true
			}
		case 3:
			id := pick()
			a, _ := s.Account(uint64(id))
			owner := a.Identity.L1Owner
			if rnd.Intn(5) == 0 {
				owner = owners[rnd.Intn(4)]
			}
			f := ForcedWithdrawal{Account: id, L1Owner: owner, Amount: amount(id)}
			n, err := ApplyForcedWithdrawal(s, f)
			applyErr = err
			if err == nil {
				next, root = n, el(n.Root())
			}
			if e, err := executeForced(s, f, true, tableK); err == nil {
				shape, w, wroot, built = forcedShape(e.circuit), e.circuit, e.circuit.NewRoot, true
			}
		}
		if applyErr == nil {
			accepted++
			if !built {
				t.Fatalf("case %d: accepted but no witness", i)
			}
			if wroot.(*big.Int).Cmp(root.(*big.Int)) != 0 {
				t.Fatalf("case %d: the witness's new root is not the reference's", i)
			}
			if err := solve(shape, w); err != nil {
				t.Fatalf("case %d: accepted by the reference, the circuit refuses: %v", i, err)
			}
			s = next // the next transactions run on the new state
			continue
		}
		refused++
		if built {
			if err := solve(shape, w); err == nil {
				t.Fatalf("case %d: refused by the reference (%v), the circuit accepts", i, applyErr)
			}
		}
	}
	t.Logf("%d accepted, %d refused", accepted, refused)
	if accepted < 10 || refused < 10 {
		t.Fatalf("%d accepted, %d refused: the draws miss one side", accepted, refused)
	}
}
