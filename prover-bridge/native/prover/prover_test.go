package prover

import (
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark/constraint/solver"
	fcs "github.com/consensys/gnark/frontend/cs"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/circuit"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

func TestProveVerifyTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("setup and proving take tens of seconds")
	}
	// The shared key cache (as the JNI bridge and zkprover use), so the setup runs once per machine.
	dir := os.Getenv("ZKPERP_KEYS")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(home, ".cache", "zkperp", "keys")
	}
	p, err := Open(dir, Shapes["tiny"], os.Stderr)
	var km *KeyMismatchError
	if errors.As(err, &km) {
		// The cache holds keys of an older circuit: it is a cache, so set up again.
		t.Logf("stale keys (%v); setting up again", err)
		ccs, cerr := Compile(Shapes["tiny"])
		if cerr != nil {
			t.Fatal(cerr)
		}
		m, merr := expectedManifest(Shapes["tiny"], messages.Domain{}, ccs)
		if merr != nil {
			t.Fatal(merr)
		}
		if err := os.RemoveAll(ShapeDir(dir, "tiny", m.ConstraintSystem)); err != nil {
			t.Fatal(err)
		}
		p, err = Open(dir, Shapes["tiny"], os.Stderr)
	}
	if err != nil {
		t.Fatal(err)
	}
	sc, err := batch.TinyScenarios()
	if err != nil {
		t.Fatal(err)
	}
	w := sc[1].Witness.Encode()
	if err := p.Check(w); err != nil {
		t.Fatal(err)
	}
	proof, err := p.Prove(w)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Verify(proof.Raw, proof.PublicInput); err != nil {
		t.Fatalf("valid proof rejected: %v", err)
	}
	bad := proof.PublicInput
	bad[31] ^= 1
	var ve *VerifyError
	if err := p.Verify(proof.Raw, bad); !errors.As(err, &ve) {
		t.Fatalf("proof verified against another public input: %v", err)
	}
	t.Logf("constraints %d, proof %d bytes raw, %d bytes solidity", p.Constraints(), len(proof.Raw), len(proof.Solidity))
}

// TestCheckUsesTheRealSolver: Check solves the compiled constraint system (with the commitment
// challenge derived by hashing) and reports a witness the solver refuses. The witness here passes
// the native rules only because the public input is not part of them: Check recomputes it, so to
// reach the solver we run solve() directly on an assignment with a wrong public input.
func TestCheckUsesTheRealSolver(t *testing.T) {
	ccs, err := Compile(Shapes["tiny"])
	if err != nil {
		t.Fatal(err)
	}
	p := &Prover{shape: Shapes["tiny"], circuit: v2Circuit{batchSize: Shapes["tiny"].BatchSize}, ccs: ccs}
	sc, err := batch.TinyScenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sc {
		if err := p.Check(s.Witness.Encode()); err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
	}
	pi, _, _, _ := batch.Commitment(sc[1].Witness)
	pi[31] ^= 1
	var ue *UnsatisfiableError
	full, err := fullWitness(circuit.Assign(sc[1].Witness, pi))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.solve(full); !errors.As(err, &ue) || ue.TxIndex != -1 {
		t.Fatalf("solver accepted a wrong public input: %v", err)
	}
}

// TestMismatchedKeysAreRefused: a manifest that does not match the circuit is refused with a
// *KeyMismatchError naming the difference, and nothing is overwritten.
func TestMismatchedKeysAreRefused(t *testing.T) {
	dir := t.TempDir()
	ccs, err := Compile(Shapes["tiny"])
	if err != nil {
		t.Fatal(err)
	}
	m, err := expectedManifest(Shapes["tiny"], messages.Domain{}, ccs)
	if err != nil {
		t.Fatal(err)
	}
	shapeDir := ShapeDir(dir, "tiny", m.ConstraintSystem)
	if err := os.MkdirAll(shapeDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		change func(*Manifest)
		want   string
	}{
		{"gnark version", func(m *Manifest) { m.Gnark = "v0.15.0" }, "gnark version"},
		{"circuit", func(m *Manifest) { m.ConstraintSystem = "00" }, "constraint system hash"},
		{"constraints", func(m *Manifest) { m.Constraints++ }, "constraint count"},
		{"file hash", func(m *Manifest) {}, "SHA-256"},
	} {
		bad := m
		c.change(&bad)
		bad.Files = map[string]string{pkFile: "x", vkFile: "x", verifierFile: "x"}
		js, _ := json.Marshal(bad)
		for _, f := range []string{manifestFile, pkFile, vkFile, verifierFile} {
			content := []byte("x")
			if f == manifestFile {
				content = js
			}
			if err := os.WriteFile(filepath.Join(shapeDir, f), content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Open(dir, Shapes["tiny"], nil)
		var km *KeyMismatchError
		if !errors.As(err, &km) || !strings.Contains(km.Error(), c.want) {
			t.Errorf("%s: got %v, want a KeyMismatchError about %q", c.name, err, c.want)
		}
		if b, _ := os.ReadFile(filepath.Join(shapeDir, pkFile)); string(b) != "x" {
			t.Errorf("%s: the key file was overwritten", c.name)
		}
	}
}

// TestForcedWithdrawalFlagCannotBeForged: the forced-withdrawal gadget takes "the collateral covers
// the amount" from a solver hint. A prover that answers the hint wrongly — to pay a request the
// account cannot cover, or to refuse one it can — leaves the constraint system unsatisfied,
// whatever public input it then claims.
func TestForcedWithdrawalFlagCannotBeForged(t *testing.T) {
	sc, err := batch.TinyScenarios()
	if err != nil {
		t.Fatal(err)
	}
	w := sc[3].Witness // forced withdrawals: one paid, one refused
	ccs, err := Compile(Shapes["tiny"])
	if err != nil {
		t.Fatal(err)
	}
	p := &Prover{shape: Shapes["tiny"], circuit: v2Circuit{batchSize: Shapes["tiny"].BatchSize}, ccs: ccs}
	full, _, err := p.prepare(w.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.solve(full); err != nil {
		t.Fatalf("honest hint: %v", err)
	}
	inverted := func(mod *big.Int, in []*big.Int, out []*big.Int) error {
		if err := circuit.CoverableHint(mod, in, out); err != nil {
			return err
		}
		out[0].SetUint64(1 - out[0].Uint64())
		return nil
	}
	err = ccs.IsSolved(full,
		solver.OverrideHint(solver.GetHintID(fcs.Bsb22CommitmentComputePlaceholder), commitmentChallenge),
		solver.OverrideHint(solver.GetHintID(circuit.CoverableHint), inverted))
	if err == nil {
		t.Fatal("the circuit accepts a forged coverage flag")
	}
}
