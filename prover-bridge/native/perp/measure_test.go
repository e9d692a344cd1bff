package perp_test

import (
	"math/big"
	"os"
	"testing"

	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/math/emulated"
	"github.com/consensys/gnark/std/math/emulated/emparams"
	"github.com/consensys/gnark/std/math/uints"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/budget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
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

// tradesCircuit: several trades sharing one range checker and market vector, as in a batch.
type tradesCircuit struct {
	Markets []perp.MarketVars
	Trades  []*perp.TradeCircuit
}

func (c *tradesCircuit) Define(api frontend.API) error {
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	a := &perp.Arith{API: api, RC: rangecheck.New(api)}
	table := perp.NewMarketTable(a, c.Markets)
	for _, t := range c.Trades {
		t.Constrain(api, curve, a, table)
	}
	return nil
}

func newTrades(trades, n int) *tradesCircuit {
	c := &tradesCircuit{Markets: make([]perp.MarketVars, nMarkets)}
	for i := 0; i < trades; i++ {
		tr := perp.NewTradeCircuit(n, 0)
		c.Trades = append(c.Trades, tr)
	}
	return c
}

// accountAccess is the state access of one account in a trade under the proposed layout v2
// (docs/perp-circuit.md): identity pre-hash, two positions per element, the fill leaf packed,
// one fill-tree update of depth fillDepth inside one accounts-tree update of depth 24.
type accountAccess struct {
	PkX, PkY, Owner, Tier, Nonce, Coll0, Coll1, FillsRoot0 frontend.Variable
	Pos0, Pos1                                             [8][3]frontend.Variable
	FillIndex, FillNonce0, Filled0, FillNonce1, Filled1    frontend.Variable
	FillSiblings                                           []frontend.Variable
	Index                                                  frontend.Variable
	Siblings                                               [24]frontend.Variable
	Root0, Root1                                           frontend.Variable
}

func (c *accountAccess) constrain(api frontend.API, p *poseidon2perm.Permutation) {
	hash := func(xs ...frontend.Variable) frontend.Variable {
		var s frontend.Variable = 0
		for _, x := range xs {
			s = p.Compress(s, x)
		}
		return s
	}
	update := func(index frontend.Variable, siblings []frontend.Variable, o, n frontend.Variable) (frontend.Variable, frontend.Variable) {
		bits := api.ToBinary(index, len(siblings))
		for h, s := range siblings {
			lo, ro := api.Select(bits[h], s, o), api.Select(bits[h], o, s)
			ln, rn := api.Select(bits[h], s, n), api.Select(bits[h], n, s)
			o, n = p.Compress(lo, ro), p.Compress(ln, rn)
		}
		return o, n
	}
	// two positions per element: market (6) ‖ size + 2^55 (56) ‖ snapshot + 2^63 (64), twice
	pack := func(list [8][3]frontend.Variable) []frontend.Variable {
		var out []frontend.Variable
		for i := 0; i < 8; i += 2 {
			var e frontend.Variable = 0
			for _, q := range list[i : i+2] {
				e = api.Add(api.Mul(e, new(big.Int).Lsh(big.NewInt(1), 126)), api.Mul(q[0], new(big.Int).Lsh(big.NewInt(1), 120)),
					api.Mul(q[1], new(big.Int).Lsh(big.NewInt(1), 64)), q[2])
			}
			out = append(out, e)
		}
		return out
	}
	tagFill, tagAccount := big.NewInt(0xF111), big.NewInt(0xACC2)
	fill0 := hash(tagFill, api.Add(api.Mul(c.FillNonce0, new(big.Int).Lsh(big.NewInt(1), 64)), c.Filled0))
	fill1 := hash(tagFill, api.Add(api.Mul(c.FillNonce1, new(big.Int).Lsh(big.NewInt(1), 64)), c.Filled1))
	fr0, fr1 := update(c.FillIndex, c.FillSiblings, fill0, fill1)
	api.AssertIsEqual(fr0, c.FillsRoot0)
	id := hash(c.PkX, c.PkY, c.Owner, c.Tier)
	leaf0 := hash(append([]frontend.Variable{tagAccount, id, c.Nonce, c.Coll0, c.FillsRoot0}, pack(c.Pos0)...)...)
	leaf1 := hash(append([]frontend.Variable{tagAccount, id, c.Nonce, c.Coll1, fr1}, pack(c.Pos1)...)...)
	r0, r1 := update(c.Index, c.Siblings[:], leaf0, leaf1)
	api.AssertIsEqual(r0, c.Root0)
	api.AssertIsEqual(r1, c.Root1)
}

// fullTrades: trades with their state access and public data (two Poseidon2 compressions for the
// trade's 36 bytes in the batch's data hash; the blob evaluation term is measured apart).
type fullTrades struct {
	Markets   []perp.MarketVars
	Trades    []*perp.TradeCircuit
	Accounts  [][2]*accountAccess
	Data      [][2]frontend.Variable
	fillDepth int
}

func (c *fullTrades) Define(api frontend.API) error {
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	p, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return err
	}
	a := &perp.Arith{API: api, RC: rangecheck.New(api)}
	table := perp.NewMarketTable(a, c.Markets)
	var acc frontend.Variable = 0
	for i, t := range c.Trades {
		t.Constrain(api, curve, a, table)
		for _, ac := range c.Accounts[i] {
			ac.constrain(api, p)
		}
		acc = p.Compress(p.Compress(acc, c.Data[i][0]), c.Data[i][1])
	}
	api.AssertIsDifferent(acc, 0)
	return nil
}

func newFullTrades(trades, n, fillDepth int) *fullTrades {
	c := &fullTrades{Markets: make([]perp.MarketVars, nMarkets), fillDepth: fillDepth}
	for i := 0; i < trades; i++ {
		c.Trades = append(c.Trades, perp.NewTradeCircuit(n, 0))
		c.Accounts = append(c.Accounts, [2]*accountAccess{
			{FillSiblings: make([]frontend.Variable, fillDepth)}, {FillSiblings: make([]frontend.Variable, fillDepth)}})
		c.Data = append(c.Data, [2]frontend.Variable{})
	}
	return c
}

// TestMeasureFullTrade: the marginal cost of a trade with its state access under the proposed
// layout v2 (8-entry position lists, fill trees of depth 16 and 12) and its public data.
func TestMeasureFullTrade(t *testing.T) {
	if os.Getenv("PERP_MEASURE") == "" {
		t.Skip("set PERP_MEASURE=1")
	}
	for _, d := range []int{16, 12} {
		one, three := budget.Count(t, newFullTrades(1, 8, d)), budget.Count(t, newFullTrades(3, 8, d))
		t.Logf("fill depth %d: 1 trade %d, 3 trades %d: marginal full trade %d constraints", d, one, three, (three-one)/2)
	}
}

// TestMeasureMarginalTrade: the cost of one more trade in a batch (range-check tables and the market
// vector shared), with 1, 4 and 8 positions per account.
func TestMeasureMarginalTrade(t *testing.T) {
	if os.Getenv("PERP_MEASURE") == "" {
		t.Skip("set PERP_MEASURE=1")
	}
	for _, n := range []int{1, 4, 8} {
		one, four := budget.Count(t, newTrades(1, n)), budget.Count(t, newTrades(4, n))
		t.Logf("N=%d: 1 trade %d, 4 trades %d: marginal trade %d constraints", n, one, four, (four-one)/3)
	}
}

func TestMeasureDesignCosts(t *testing.T) {
	if os.Getenv("PERP_MEASURE") == "" {
		t.Skip("set PERP_MEASURE=1")
	}
	c10 := budget.Count(t, &compressCircuit{X: make([]frontend.Variable, 10)})
	c20 := budget.Count(t, &compressCircuit{X: make([]frontend.Variable, 20)})
	t.Logf("Poseidon2 compression: %d constraints each (10 → 20)", (c20-c10)/10)
	for _, d := range []int{6, 16, 24} {
		t.Logf("Merkle update depth %d: %d constraints", d, budget.Count(t, &merkleCircuit{Siblings: make([]frontend.Variable, d)}))
	}
	s := map[int]int{}
	for _, n := range []int{64, 128, 512} {
		s[n] = budget.Count(t, &shaCircuit{In: make([]uints.U8, n)})
		t.Logf("SHA-256 of %d bytes: %d constraints", n, s[n])
	}
	t.Logf("SHA-256 marginal: %.1f constraints per byte (64 → 128), %.1f (128 → 512)", float64(s[128]-s[64])/64, float64(s[512]-s[128])/384)
	b16 := budget.Count(t, &blobCircuit{D: make([]emulated.Element[emparams.BLS12381Fr], 16), W: make([]emulated.Element[emparams.BLS12381Fr], 16)})
	b64 := budget.Count(t, &blobCircuit{D: make([]emulated.Element[emparams.BLS12381Fr], 64), W: make([]emulated.Element[emparams.BLS12381Fr], 64)})
	t.Logf("EIP-4844 barycentric term (emulated BLS12-381 Fr): %d constraints per 31-byte element (16 → 64); 16 elements: %d in all", (b64-b16)/48, b16)
}
