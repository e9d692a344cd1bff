package batchv3

import (
	"os"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
)

// TestGroth16ProofOfOneTradeBatch (PERP_PROVE=1, minutes on 2 cores): a real Groth16 setup,
// proof and verification of the 1-slot shape (N = 1, K = 1) with trade A — with PERP_PROVE=mixed
// of the mixed shape with an oracle tick, trade A, a funding tick and trade B — so the circuit's
// commitments (lookup tables, range checks, the σ challenge) work with the prover and not only in
// the test engine; the proof does not verify against another batch's public input.
func TestGroth16ProofOfOneTradeBatch(t *testing.T) {
	mode := os.Getenv("PERP_PROVE")
	if mode != "1" && mode != "mixed" {
		t.Skip("set PERP_PROVE=1 or PERP_PROVE=mixed")
	}
	shape := Shape{Trades: 1, N: 1, K: 1}
	s, a, b := fixture(t)
	var sealed *Sealed
	if mode == "mixed" {
		shape = mixed
		sealed = seal(t, shape, s, oracleTick(t, batchTime-50), a, fundingTick(), b)
	} else {
		sealed = seal(t, shape, s, a)
	}
	start := time.Now()
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, circuitOf(t, shape))
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := groth16.Setup(cs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d constraints, compile + setup %v", cs.GetNbConstraints(), time.Since(start))
	full, err := frontend.NewWitness(sealed.Assignment, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	proof, err := groth16.Prove(cs, pk, full)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("prove %v", time.Since(start))
	public, err := full.Public()
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, vk, public); err != nil {
		t.Fatal(err)
	}
	other := seal(t, shape, s) // the empty batch: another public input
	otherFull, err := frontend.NewWitness(other.Assignment, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	otherPublic, err := otherFull.Public()
	if err != nil {
		t.Fatal(err)
	}
	if groth16.Verify(proof, vk, otherPublic) == nil {
		t.Fatal("the proof verifies against another batch's public input")
	}
}
