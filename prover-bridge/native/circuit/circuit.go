package circuit

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/math/uints"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

func init() {
	solver.RegisterHint(bytesBigEndianHint, CoverableHint)
}

// AccountLeaf is an account leaf preimage in the circuit.
type AccountLeaf struct {
	Exists        frontend.Variable
	PublicKeyX    frontend.Variable
	PublicKeyY    frontend.Variable
	L1Owner       frontend.Variable
	Nonce         frontend.Variable
	Collateral    frontend.Variable
	PositionsRoot frontend.Variable
	FillsRoot     frontend.Variable
}

// Update is one accounts-tree update: the leaf before and the path's siblings.
type Update struct {
	Before   AccountLeaf
	Siblings [layout.AccountsDepth]frontend.Variable
}

// Slot is one transaction slot.
type Slot struct {
	Type     frontend.Variable
	AccountA frontend.Variable
	AccountB frontend.Variable
	Amount   frontend.Variable
	Nonce    frontend.Variable
	L1Owner  frontend.Variable
	PubKeyX  frontend.Variable
	PubKeyY  frontend.Variable
	SigRX    frontend.Variable
	SigRY    frontend.Variable
	SigS     frontend.Variable
	A, B     Update
}

// Batch is the batch circuit. Build the circuit shape with [New]; assign with [Assign].
type Batch struct {
	PublicInput frontend.Variable `gnark:",public"`

	BatchNumber        frontend.Variable
	AccountsRoot       frontend.Variable
	MarketsRoot        frontend.Variable
	GlobalLeaf         frontend.Variable
	PriorityHashBefore frontend.Variable
	Slots              []Slot
}

// New returns the circuit shape for batchSize slots.
func New(batchSize int) *Batch {
	return &Batch{Slots: make([]Slot, batchSize)}
}

var (
	two63           = new(big.Int).Lsh(big.NewInt(1), 63)
	emptyPositions  = toBig(layout.EmptyRoot(layout.PositionsDepth))
	emptyFills      = toBig(layout.EmptyRoot(layout.FillsDepth))
	tagAccount      = toBig(layout.TagAccount)
	tagState        = toBig(layout.TagState)
	tagWithdrawal   = toBig(batch.TagWithdrawal)
	tagTransfer     = toBig(batch.TagTransfer)
	tagDeposit      = toBig(batch.TagDeposit)
	tagForced       = toBig(batch.TagForced)
	errShapeMissing = fmt.Errorf("circuit: no slots (build the circuit with New)")
)

type gadgets struct {
	api   frontend.API
	perm  *poseidon2perm.Permutation
	curve twistededwards.Curve
	bytes *uints.Bytes
	rc    frontend.Rangechecker
}

// hash is H(x1, …, xn): Merkle–Damgård over Compress with IV 0 (layout v1 §2).
func (g *gadgets) hash(xs ...frontend.Variable) frontend.Variable {
	var s frontend.Variable = 0
	for _, x := range xs {
		s = g.perm.Compress(s, x)
	}
	return s
}

func (g *gadgets) accountHash(pkX, pkY, owner, nonce, coll, pos, fills frontend.Variable) frontend.Variable {
	return g.hash(tagAccount, pkX, pkY, owner, nonce, coll, pos, fills)
}

// merkleUpdate hashes oldLeaf and newLeaf up the same path; bits are the index bits, low first.
func (g *gadgets) merkleUpdate(bits []frontend.Variable, siblings []frontend.Variable, oldLeaf, newLeaf frontend.Variable) (oldRoot, newRoot frontend.Variable) {
	api := g.api
	o, n := oldLeaf, newLeaf
	for h := range siblings {
		// left = bit ? sibling : acc; right = bit ? acc : sibling — one product per path.
		d := api.Mul(bits[h], api.Sub(siblings[h], o))
		o = g.perm.Compress(api.Add(o, d), api.Sub(siblings[h], d))
		e := api.Mul(bits[h], api.Sub(siblings[h], n))
		n = g.perm.Compress(api.Add(n, e), api.Sub(siblings[h], e))
	}
	return o, n
}

// bytesBE returns v as n range-checked big-endian bytes; the solver fails if v ≥ 256^n.
func (g *gadgets) bytesBE(v frontend.Variable, n int) []uints.U8 {
	api := g.api
	raw, err := api.Compiler().NewHint(bytesBigEndianHint, n, v)
	if err != nil {
		panic(err)
	}
	out := make([]uints.U8, n)
	var acc frontend.Variable = 0
	for i := range raw {
		out[i] = g.bytes.ValueOf(raw[i])
		acc = api.Add(api.Mul(acc, 256), g.bytes.Value(out[i]))
	}
	api.AssertIsEqual(acc, v)
	return out
}

// CoverableHint (a solver hint of the forced-withdrawal gadget) returns 1 if inputs[0] − inputs[1] ≥ 0 as signed values (field elements above
// r/2 read as negative), else 0: whether a collateral covers an amount.
func CoverableHint(mod *big.Int, inputs []*big.Int, outputs []*big.Int) error {
	signed := func(v *big.Int) *big.Int {
		half := new(big.Int).Rsh(mod, 1)
		if v.Cmp(half) > 0 {
			return new(big.Int).Sub(v, mod)
		}
		return new(big.Int).Set(v)
	}
	if signed(inputs[0]).Cmp(signed(inputs[1])) >= 0 {
		outputs[0].SetUint64(1)
	} else {
		outputs[0].SetUint64(0)
	}
	return nil
}

// bytesBigEndianHint splits inputs[0] into len(outputs) big-endian bytes.
func bytesBigEndianHint(_ *big.Int, inputs []*big.Int, outputs []*big.Int) error {
	v := new(big.Int).Set(inputs[0])
	b := v.Bytes()
	if len(b) > len(outputs) {
		return fmt.Errorf("value needs %d bytes, only %d available", len(b), len(outputs))
	}
	pad := len(outputs) - len(b)
	for i := range outputs {
		if i < pad {
			outputs[i].SetUint64(0)
		} else {
			outputs[i].SetUint64(uint64(b[i-pad]))
		}
	}
	return nil
}

// Define implements frontend.Circuit.
func (c *Batch) Define(api frontend.API) error {
	if len(c.Slots) == 0 {
		return errShapeMissing
	}
	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return err
	}
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	bapi, err := uints.NewBytes(api)
	if err != nil {
		return err
	}
	g := &gadgets{api: api, perm: perm, curve: curve, bytes: bapi, rc: rangecheck.New(api)}

	root := c.AccountsRoot
	priority := c.PriorityHashBefore
	var count frontend.Variable = 0
	chunks := make([]uints.U8, 0, len(c.Slots)*batch.ChunkSize)
	for i := range c.Slots {
		var chunk []uints.U8
		var isPriority frontend.Variable
		root, priority, chunk, isPriority = g.slot(&c.Slots[i], root, priority)
		count = api.Add(count, isPriority)
		chunks = append(chunks, chunk...)
	}

	oldState := g.hash(tagState, c.AccountsRoot, c.MarketsRoot, c.GlobalLeaf)
	newState := g.hash(tagState, root, c.MarketsRoot, c.GlobalLeaf)
	input := make([]uints.U8, 0, batch.CommitmentInputSize(len(c.Slots)))
	input = append(input, g.bytesBE(oldState, 32)...)
	input = append(input, g.bytesBE(newState, 32)...)
	input = append(input, g.bytesBE(c.BatchNumber, 8)...)
	input = append(input, g.bytesBE(c.PriorityHashBefore, 32)...)
	input = append(input, g.bytesBE(priority, 32)...)
	input = append(input, g.bytesBE(count, 4)...)
	input = append(input, chunks...)

	sha, err := sha2.New(api)
	if err != nil {
		return err
	}
	sha.Write(input)
	digest := sha.Sum()
	top := api.ToBinary(bapi.Value(digest[0]), 8)
	pi := api.FromBinary(top[:5]...) // the digest's top three bits are dropped
	for _, b := range digest[1:] {
		pi = api.Add(api.Mul(pi, 256), bapi.Value(b))
	}
	api.AssertIsEqual(pi, c.PublicInput)
	return nil
}

func toBig(e fr.Element) *big.Int { return e.BigInt(new(big.Int)) }
