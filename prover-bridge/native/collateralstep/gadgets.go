package collateralstep

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

func init() {
	solver.RegisterHint(bytesHint)
}

// Leaf is an account leaf as a step opens it: the identity's preimage, nonce, collateral, fills
// root, and the 24 siblings of its path (from the leaf upward). The position list is opened
// separately where a step reads it (List), or fixed empty where the step requires that.
type Leaf struct {
	PublicKeyX, PublicKeyY, L1Owner, FeeTier frontend.Variable
	Nonce, Collateral, FillsRoot             frontend.Variable
	Path                                     [layoutv2.AccountsDepth]frontend.Variable
}

// List is an account's packed position list q1 … q4 (docs/state-layout.md §9.4), opened as the
// leaf holds it; a step that does not change the list rehashes the same four elements.
type List [layoutv2.PositionElements]frontend.Variable

// Credited is an account a step only credits (a transfer's receiver): its identity hash is opened
// as a whole, since nothing of it is read. The no-position shape rehashes its packed List
// unchanged; the margin shape reads its 8 Entries (List 0) and settles their funding.
type Credited struct {
	Identity, Nonce, Collateral, FillsRoot frontend.Variable
	List                                   List
	Entries                                []gadget.Entry // empty, or 8 in the margin shape
	Path                                   [layoutv2.AccountsDepth]frontend.Variable
}

// Rest is the part of the state root a collateral step does not change.
type Rest struct {
	MarketsRoot, GlobalLeaf frontend.Variable
}

func toBig(v interface{ BigInt(*big.Int) *big.Int }) *big.Int { return v.BigInt(new(big.Int)) }

var (
	tagAccount  = toBig(&layoutv2.TagAccount)
	tagDeposit  = toBig(&batch.TagDeposit)
	tagForced   = toBig(&batch.TagForced)
	emptyFills  = func() *big.Int { z := layout.EmptyRoot(layoutv2.FillsDepth); return toBig(&z) }()
	two63       = new(big.Int).Lsh(big.NewInt(1), 63)
	fundAccount = layoutv2.InsuranceFundAccount
)

// emptyList is the list of an account with no position: q1 = … = q4 = 0.
var emptyList = List{0, 0, 0, 0}

// accountLeaf is H(TAG_ACCOUNT_V2, identity, nonce, collateral, fillsRoot, q1, …, q4) with nonce a
// u64 and collateral an i64.
func accountLeaf(env *stepenv.Env, identity, nonce, collateral, fillsRoot frontend.Variable, q List) frontend.Variable {
	env.RC.Check(nonce, 64)
	signed64(env, collateral)
	return env.Layout.Hash(tagAccount, identity, nonce, collateral, fillsRoot, q[0], q[1], q[2], q[3])
}

// identity is the identity hash of an opened leaf (l1Owner < 2^160, feeTier < 8).
func identity(env *stepenv.Env, l *Leaf) frontend.Variable {
	return env.Layout.IdentityHash(gadget.Identity{PublicKeyX: l.PublicKeyX, PublicKeyY: l.PublicKeyY, L1Owner: l.L1Owner, FeeTier: l.FeeTier})
}

// signed64 constrains x to the field image of an int64.
func signed64(env *stepenv.Env, x frontend.Variable) {
	env.RC.Check(env.API.Add(x, two63), 64)
}

// update returns the accounts roots with the leaf at the path given by bits (leaf upward) set to
// old and to new, over the same siblings.
func update(env *stepenv.Env, bits []frontend.Variable, siblings []frontend.Variable, old, new frontend.Variable) (frontend.Variable, frontend.Variable) {
	api := env.API
	for h, s := range siblings {
		// left = bit ? sibling : acc; right = bit ? acc : sibling — one product per path
		d := api.Mul(bits[h], api.Sub(s, old))
		old = env.Perm.Compress(api.Add(old, d), api.Sub(s, d))
		e := api.Mul(bits[h], api.Sub(s, new))
		new = env.Perm.Compress(api.Add(new, e), api.Sub(s, e))
	}
	return old, new
}

// accountBits decomposes an account id into its 24 path bits (low first), which also range-checks
// it below 2^24, and refuses the insurance fund's id when notFund is set.
func accountBits(env *stepenv.Env, account frontend.Variable, notFund bool) []frontend.Variable {
	if notFund {
		env.API.AssertIsDifferent(account, fundAccount)
	}
	return env.API.ToBinary(account, layoutv2.AccountsDepth)
}

// idBytes is a 24-bit account id as 3 big-endian bytes, from its path bits (no constraint).
func idBytes(env *stepenv.Env, bits []frontend.Variable) []frontend.Variable {
	out := make([]frontend.Variable, 3)
	for i := range out {
		lo := 8 * (2 - i)
		out[i] = env.API.FromBinary(bits[lo : lo+8]...)
	}
	return out
}

// bytesBE returns v as n big-endian bytes, each range-checked to 8 bits, recomposed to v: the
// solver fails (and no assignment satisfies the system) if v ≥ 256^n.
func bytesBE(env *stepenv.Env, v frontend.Variable, n int) []frontend.Variable {
	api := env.API
	out, err := api.Compiler().NewHint(bytesHint, n, v)
	if err != nil {
		panic(err)
	}
	var acc frontend.Variable = 0
	for _, b := range out {
		env.RC.Check(b, 8)
		acc = api.Add(api.Mul(acc, 256), b)
	}
	api.AssertIsEqual(acc, v)
	return out
}

// amountBytes is an amount as 8 big-endian bytes, constrained below 2^63.
func amountBytes(env *stepenv.Env, amount frontend.Variable) []frontend.Variable {
	b := bytesBE(env, amount, 8)
	env.RC.Check(b[0], 7)
	return b
}

// bytesHint splits inputs[0] into len(outputs) big-endian bytes.
func bytesHint(_ *big.Int, inputs []*big.Int, outputs []*big.Int) error {
	b := inputs[0].Bytes()
	if len(b) > len(outputs) {
		return fmt.Errorf("collateralstep: value needs %d bytes, %d available", len(b), len(outputs))
	}
	pad := len(outputs) - len(b)
	for i := range outputs {
		outputs[i].SetUint64(0)
		if i >= pad {
			outputs[i].SetUint64(uint64(b[i-pad]))
		}
	}
	return nil
}

// concat joins byte slices.
func concat(parts ...[]frontend.Variable) []frontend.Variable {
	var out []frontend.Variable
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
