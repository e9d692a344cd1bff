package circuit

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

func key(t testing.TB, i byte) *eddsa.PrivateKey {
	seed := bytes.Repeat([]byte{i + 1}, 32)
	k, err := eddsa.GenerateKey(bytes.NewReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func owner(i byte) (a [20]byte) {
	a[0], a[19] = 0xaa, i
	return a
}

// validWitness: two deposits, a transfer and a withdrawal in a batch of 4.
func validWitness(t testing.TB) *batch.Witness {
	st := layout.NewState()
	b := batch.NewBuilder(st, 7, fr.Element{})
	k1, k2 := key(t, 1), key(t, 2)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.Deposit(5, owner(1), k1.PublicKey, 1000))
	must(b.Deposit(9, owner(2), k2.PublicKey, 50))
	must(b.Transfer(5, 9, 300, k1))
	must(b.Withdraw(9, 120, k2))
	w, err := b.Finish(4)
	must(err)
	return w
}

func solve(w *batch.Witness, pi [32]byte) error {
	return solveAssignment(len(w.Slots), Assign(w, pi))
}

func solveAssignment(n int, a *Batch) error {
	return test.IsSolved(New(n), a, ecc.BN254.ScalarField())
}

func TestValidBatchSolves(t *testing.T) {
	w := validWitness(t)
	pi, _, _, err := batch.Commitment(w)
	if err != nil {
		t.Fatal(err)
	}
	if err := solve(w, pi); err != nil {
		t.Fatalf("valid batch does not solve: %v", err)
	}
}

// TestConstraintCount compiles the circuit for 1 and 2 slots and compares with the counts checked in
// to constraints.csv: a count that grows fails the test (update the file deliberately, with the
// reason, when a change is worth its cost); one that shrinks asks for the file to be updated.
// Every slot carries the same gadgets whatever its transaction type, so the cost of a deposit, a
// withdrawal, a transfer and a no-op is the same: the marginal cost of a slot.
func TestConstraintCount(t *testing.T) {
	raw, err := os.ReadFile("constraints.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n")[1:] {
		parts := strings.Split(line, ",")
		n, err := strconv.Atoi(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		want[parts[0]] = n
	}
	got := map[int]int{}
	for _, n := range []int{1, 2, 8} {
		cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, New(n))
		if err != nil {
			t.Fatal(err)
		}
		got[n] = cs.GetNbConstraints()
		key := fmt.Sprintf("batch of %d slot", n)
		if n > 1 {
			key += "s"
		}
		switch w, ok := want[key]; {
		case !ok:
			t.Errorf("constraints.csv has no line %q", key)
		case got[n] > w:
			t.Errorf("%s: %d constraints, more than the %d checked in", key, got[n], w)
		case got[n] < w:
			t.Errorf("%s: %d constraints, fewer than the %d checked in: update constraints.csv", key, got[n], w)
		}
	}
	t.Logf("marginal slot (any transaction type): %d constraints from 1 to 2 slots, %d averaged from 2 to 8", got[2]-got[1], (got[8]-got[2])/6)
}
