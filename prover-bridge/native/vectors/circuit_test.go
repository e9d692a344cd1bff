package vectors

// Circuit cross-checks: the vectors are fed to gnark circuits built from the same standard-library
// gadgets the zkperp circuit uses, and solved with gnark's test engine on BN254 (no setup, no
// proving). A vector that solves is what the circuit computes.

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	poseidon2hash "github.com/consensys/gnark/std/hash/poseidon2"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"
	"github.com/consensys/gnark/test"
)

var scalarField = ecc.BN254.ScalarField()

func solves(circuit, assignment frontend.Circuit) error {
	return test.IsSolved(circuit, assignment, scalarField)
}

// --- (a) Poseidon2 -------------------------------------------------------------------------------

type permutationCircuit struct {
	In  [2]frontend.Variable
	Out [2]frontend.Variable
}

func (c *permutationCircuit) Define(api frontend.API) error {
	p, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return err
	}
	state := []frontend.Variable{c.In[0], c.In[1]}
	if err := p.Permutation(state); err != nil {
		return err
	}
	api.AssertIsEqual(state[0], c.Out[0])
	api.AssertIsEqual(state[1], c.Out[1])
	return nil
}

type compressCircuit struct {
	Left, Right, Out frontend.Variable
}

func (c *compressCircuit) Define(api frontend.API) error {
	p, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(p.Compress(c.Left, c.Right), c.Out)
	return nil
}

type hashCircuit struct {
	In  []frontend.Variable
	Out frontend.Variable
}

func (c *hashCircuit) Define(api frontend.API) error {
	h, err := poseidon2hash.New(api)
	if err != nil {
		return err
	}
	h.Write(c.In...)
	api.AssertIsEqual(h.Sum(), c.Out)
	return nil
}

func vars(ss []string) []frontend.Variable {
	out := make([]frontend.Variable, len(ss))
	for i, s := range ss {
		out[i] = s // gnark parses "0x…" strings as hex integers
	}
	return out
}

func TestCircuitPoseidon2MatchesVectors(t *testing.T) {
	v := loadPoseidon2(t)
	for i, c := range v.Permutation {
		w := &permutationCircuit{In: [2]frontend.Variable{c.Input[0], c.Input[1]}, Out: [2]frontend.Variable{c.Output[0], c.Output[1]}}
		if err := solves(&permutationCircuit{}, w); err != nil {
			t.Errorf("permutation %d: circuit disagrees: %v", i, err)
		}
	}
	for i, c := range v.Compress {
		if err := solves(&compressCircuit{}, &compressCircuit{Left: c.Left, Right: c.Right, Out: c.Output}); err != nil {
			t.Errorf("compress %d: circuit disagrees: %v", i, err)
		}
	}
	for i, c := range v.Hash {
		n := len(c.Inputs)
		if err := solves(&hashCircuit{In: make([]frontend.Variable, n)}, &hashCircuit{In: vars(c.Inputs), Out: c.Output}); err != nil {
			t.Errorf("hash %d (%d inputs): circuit disagrees: %v", i, n, err)
		}
	}
	// The check has teeth: a wrong output does not solve.
	c := v.Compress[len(v.Compress)-1]
	if err := solves(&compressCircuit{}, &compressCircuit{Left: c.Left, Right: c.Right, Out: c.Left}); err == nil {
		t.Error("compress circuit solved with a wrong output")
	}
}

// --- (b) EdDSA -----------------------------------------------------------------------------------

type eddsaCircuit struct {
	PublicKey eddsa.PublicKey
	Signature eddsa.Signature
	Message   frontend.Variable
}

func (c *eddsaCircuit) Define(api frontend.API) error {
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	h, err := poseidon2hash.New(api)
	if err != nil {
		return err
	}
	return eddsa.Verify(curve, c.Signature, c.Message, c.PublicKey, h)
}

func TestCircuitEdDSAAcceptsVectors(t *testing.T) {
	v := loadEdDSA(t)
	r := scalarField
	checked := 0
	for i, s := range v.Signatures {
		if len(s.Message) != 1 {
			continue // the circuit signs one field element
		}
		k := v.Keys[s.SeedIndex]
		w := &eddsaCircuit{Message: s.Message[0]}
		w.PublicKey.A.X, w.PublicKey.A.Y = k.PublicKeyX, k.PublicKeyY
		w.Signature.R.X, w.Signature.R.Y = s.RX, s.RY
		w.Signature.S = s.S
		if err := solves(&eddsaCircuit{}, w); err != nil {
			t.Errorf("signature %d: circuit rejects a valid signature: %v", i, err)
		}
		checked++
		// A wrong message must not solve.
		m := new(big.Int).SetBytes(hexb(t, s.Message[0]))
		m.Add(m, big.NewInt(1)).Mod(m, r)
		w.Message = m
		if err := solves(&eddsaCircuit{}, w); err == nil {
			t.Errorf("signature %d: circuit accepts a wrong message", i)
		}
	}
	if checked < 16 {
		t.Errorf("only %d one-element signatures checked", checked)
	}
}

// --- (c) account-tree inclusion --------------------------------------------------------------

// accountInclusionCircuit hashes an account leaf from its fields (with the account tag) and
// hashes it up 24 levels, left or right by the bits of the account index.
type accountInclusionCircuit struct {
	Fields   [7]frontend.Variable // publicKeyX, publicKeyY, l1Owner, nonce, collateral, positionsRoot, fillsRoot
	Leaf     frontend.Variable
	Index    frontend.Variable
	Siblings [24]frontend.Variable
	Root     frontend.Variable

	tag   *big.Int `gnark:"-"`
	empty bool     `gnark:"-"` // prove an empty slot: the leaf is 0 and Fields are unused
}

func (c *accountInclusionCircuit) Define(api frontend.API) error {
	p, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return err
	}
	var acc frontend.Variable = 0
	if !c.empty {
		h, err := poseidon2hash.New(api)
		if err != nil {
			return err
		}
		h.Write(c.tag)
		h.Write(c.Fields[:]...)
		acc = h.Sum()
	}
	api.AssertIsEqual(acc, c.Leaf)
	bits := api.ToBinary(c.Index, len(c.Siblings))
	for h := range c.Siblings {
		left := api.Select(bits[h], c.Siblings[h], acc)
		right := api.Select(bits[h], acc, c.Siblings[h])
		acc = p.Compress(left, right)
	}
	api.AssertIsEqual(acc, c.Root)
	return nil
}

func TestCircuitAccountInclusionMatchesStateVectors(t *testing.T) {
	var v tState
	load(t, FileState, &v)
	tag := new(big.Int).SetBytes(hexb(t, v.Tags.Account))
	checked, empties := 0, 0
	for _, sc := range v.Scenarios {
		// Account fields: the last setAccount step of each account; its subtree roots: any of its
		// position and fill proofs.
		fields := map[uint64]tStep{}
		for _, raw := range sc.Steps {
			var st tStep
			strictDecodeJSON(t, raw, &st)
			if st.Op == "setAccount" {
				fields[*st.Account] = st
			}
		}
		var proofs []tProof
		positionsRoot, fillsRoot := map[uint64]string{}, map[uint64]string{}
		for _, raw := range sc.Proofs {
			var p tProof
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatal(err)
			}
			proofs = append(proofs, p)
			switch p.Kind {
			case "position":
				positionsRoot[*p.Account] = p.PositionsRoot
			case "fill":
				fillsRoot[*p.Account] = p.FillsRoot
			}
		}
		for _, p := range proofs {
			if p.Kind != "account" {
				continue
			}
			id := *p.Account
			w := &accountInclusionCircuit{Leaf: p.Leaf, Index: id, Root: p.AccountsRoot}
			for h, s := range p.Siblings {
				w.Siblings[h] = s
			}
			circuit := &accountInclusionCircuit{tag: tag}
			if st, ok := fields[id]; ok {
				pr, fr := positionsRoot[id], fillsRoot[id]
				if pr == "" || fr == "" {
					t.Fatalf("%s: account %d has no position or fill proof to take its subtree roots from", sc.Name, id)
				}
				w.Fields = [7]frontend.Variable{st.PublicKeyX, st.PublicKeyY, st.L1Owner, st.Nonce, signedVar(t, st.Collateral), pr, fr}
				checked++
			} else {
				circuit.empty, w.Fields = true, [7]frontend.Variable{0, 0, 0, 0, 0, 0, 0}
				empties++
			}
			if err := solves(circuit, w); err != nil {
				t.Errorf("%s: account %d: circuit disagrees with the vector: %v", sc.Name, id, err)
			}
			// A wrong sibling must not solve.
			w.Siblings[23] = p.Siblings[0]
			if p.Siblings[23] != p.Siblings[0] {
				if err := solves(circuit, w); err == nil {
					t.Errorf("%s: account %d: circuit accepts a wrong sibling", sc.Name, id)
				}
			}
		}
	}
	if checked < 5 || empties < 3 {
		t.Errorf("checked %d accounts and %d empty slots", checked, empties)
	}
}

// signedVar embeds a decimal i64 as x mod r for the circuit.
func signedVar(t *testing.T, s string) *big.Int {
	x := big.NewInt(i64(t, s))
	return x.Mod(x, scalarField)
}
