package perp_test

import (
	"os"
	"testing"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/math/emulated"
	"github.com/consensys/gnark/std/math/emulated/emparams"
	"github.com/consensys/gnark/std/math/uints"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
)

// The public-data and state-access costs docs/perp-circuit.md chooses with. Slow (SHA-256 of
// 512 bytes); run with PERP_MEASURE=1 go test ./perp -run TestMeasure -v.

type compressCircuit struct {
	X []frontend.Variable
}

func (c *compressCircuit) Define(api frontend.API) error {
	p, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return err
	}
	var s frontend.Variable = 0
	for _, x := range c.X {
		s = p.Compress(s, x)
	}
	api.AssertIsDifferent(s, 0)
	return nil
}

// merkleCircuit: an update of one leaf in a tree of depth len(Siblings) (old and new root from the
// same siblings), as the batch circuit does it.
type merkleCircuit struct {
	Index             frontend.Variable
	Old, New, OldRoot frontend.Variable
	NewRoot           frontend.Variable
	Siblings          []frontend.Variable
}

func (c *merkleCircuit) Define(api frontend.API) error {
	p, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return err
	}
	bits := api.ToBinary(c.Index, len(c.Siblings))
	o, n := c.Old, c.New
	for h, s := range c.Siblings {
		lo, ro := api.Select(bits[h], s, o), api.Select(bits[h], o, s)
		ln, rn := api.Select(bits[h], s, n), api.Select(bits[h], n, s)
		o, n = p.Compress(lo, ro), p.Compress(ln, rn)
	}
	api.AssertIsEqual(o, c.OldRoot)
	api.AssertIsEqual(n, c.NewRoot)
	return nil
}

type shaCircuit struct {
	In  []uints.U8
	Out [32]uints.U8
}

func (c *shaCircuit) Define(api frontend.API) error {
	h, err := sha2.New(api)
	if err != nil {
		return err
	}
	h.Write(c.In)
	bapi, err := uints.NewBytes(api)
	if err != nil {
		return err
	}
	for i, b := range h.Sum() {
		bapi.AssertIsEqual(b, c.Out[i])
	}
	return nil
}

// blobCircuit: the per-element work of an EIP-4844 equivalence proof (barycentric evaluation of the
// blob polynomial at a challenge, in BLS12-381's scalar field emulated over BN254): per element one
// division d_i·ω_i / (z − ω_i) and one addition.
type blobCircuit struct {
	D, W []emulated.Element[emparams.BLS12381Fr]
	Z    emulated.Element[emparams.BLS12381Fr]
	Y    emulated.Element[emparams.BLS12381Fr]
}

func (c *blobCircuit) Define(api frontend.API) error {
	f, err := emulated.NewField[emparams.BLS12381Fr](api)
	if err != nil {
		return err
	}
	acc := f.Zero()
	for i := range c.D {
		acc = f.Add(acc, f.Div(f.Mul(&c.D[i], &c.W[i]), f.Sub(&c.Z, &c.W[i])))
	}
	f.AssertIsEqual(acc, &c.Y)
	return nil
}

func TestMeasureDesignCosts(t *testing.T) {
	if os.Getenv("PERP_MEASURE") == "" {
		t.Skip("set PERP_MEASURE=1")
	}
	c10 := count(t, &compressCircuit{X: make([]frontend.Variable, 10)})
	c20 := count(t, &compressCircuit{X: make([]frontend.Variable, 20)})
	t.Logf("Poseidon2 compression: %d constraints each (10 → 20)", (c20-c10)/10)
	for _, d := range []int{6, 16, 24} {
		t.Logf("Merkle update depth %d: %d constraints", d, count(t, &merkleCircuit{Siblings: make([]frontend.Variable, d)}))
	}
	s := map[int]int{}
	for _, n := range []int{64, 128, 512} {
		s[n] = count(t, &shaCircuit{In: make([]uints.U8, n)})
		t.Logf("SHA-256 of %d bytes: %d constraints", n, s[n])
	}
	t.Logf("SHA-256 marginal: %.1f constraints per byte (64 → 128), %.1f (128 → 512)", float64(s[128]-s[64])/64, float64(s[512]-s[128])/384)
	b16 := count(t, &blobCircuit{D: make([]emulated.Element[emparams.BLS12381Fr], 16), W: make([]emulated.Element[emparams.BLS12381Fr], 16)})
	b64 := count(t, &blobCircuit{D: make([]emulated.Element[emparams.BLS12381Fr], 64), W: make([]emulated.Element[emparams.BLS12381Fr], 64)})
	t.Logf("EIP-4844 barycentric term (emulated BLS12-381 Fr): %d constraints per 31-byte element (16 → 64)", (b64-b16)/48)
}
