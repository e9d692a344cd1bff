package liqstep

import (
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// Holder is an account leaf a step changes without a signature of its owner (the liquidated
// account, the fund in a takeover, both accounts of a deleveraging): the identity hash, nonce and
// fills root, which the step does not change, and the 24 siblings of its path from the leaf
// upward. Its collateral and list before and after are the rule witness (perp.HolderVars).
type Holder struct {
	Identity, Nonce, FillsRoot frontend.Variable
	Path                       [layoutv2.AccountsDepth]frontend.Variable
}

// Fund is the insurance fund's leaf in a liquidation, where only its collateral changes (it
// receives the fee; no funding is settled on it, as Settlement.settle): its packed list is opened
// as the leaf holds it and rehashed unchanged.
type Fund struct {
	Identity, Nonce, FillsRoot frontend.Variable
	List                       [layoutv2.PositionElements]frontend.Variable
	Path                       [layoutv2.AccountsDepth]frontend.Variable
}

var tagAccount = func() *big.Int { t := layoutv2.TagAccount; return t.BigInt(new(big.Int)) }()

// fundBits are the path bits of account 2^24 − 1: all ones, constants of the circuit.
var fundBits = func() []frontend.Variable {
	b := make([]frontend.Variable, layoutv2.AccountsDepth)
	for i := range b {
		b[i] = 1
	}
	return b
}()

// update returns the roots of a sparse Merkle tree (layout §3) with the leaf at the path given by
// bits (leaf upward) set to old and to new, over the same siblings.
func update(env *stepenv.Env, bits, siblings []frontend.Variable, old, new frontend.Variable) (frontend.Variable, frontend.Variable) {
	api := env.API
	for h, s := range siblings {
		d := api.Mul(bits[h], api.Sub(s, old))
		old = env.Perm.Compress(api.Add(old, d), api.Sub(s, d))
		e := api.Mul(bits[h], api.Sub(s, new))
		new = env.Perm.Compress(api.Add(new, e), api.Sub(s, e))
	}
	return old, new
}

// lowestEmpty is layout v2's list rule the rule gadgets leave open (§9.4): if the selected entry
// is empty (a position the account did not hold), no entry before it is empty.
func lowestEmpty(api frontend.API, list []perp.PositionVars, sel []frontend.Variable) {
	var emptyBefore frontend.Variable = 0
	for j, e := range list {
		empty := api.IsZero(e.Size)
		api.AssertIsEqual(api.Mul(sel[j], empty, emptyBefore), 0)
		emptyBefore = api.Or(emptyBefore, empty)
	}
}

// holderUpdate opens a holder's leaf at the path given by bits and returns the accounts root
// before and after its update (collateral and list from the rule witness).
func holderUpdate(env *stepenv.Env, bits []frontend.Variable, o *Holder, h *perp.HolderVars) (frontend.Variable, frontend.Variable) {
	lowestEmpty(env.API, h.Positions, h.Select)
	lay := env.Layout
	leaf0 := lay.AccountLeaf(o.Identity, o.Nonce, h.Collateral, o.FillsRoot, perpstep.Entries(h.Positions))
	leaf1 := lay.AccountLeaf(o.Identity, o.Nonce, h.CollateralAfter, o.FillsRoot, perpstep.Entries(h.After))
	return update(env, bits, o.Path[:], leaf0, leaf1)
}

// fundUpdate opens the fund's leaf at account 2^24 − 1 and returns the accounts root before and
// after its collateral moves from collateral to after.
func fundUpdate(env *stepenv.Env, o *Fund, collateral, after frontend.Variable) (frontend.Variable, frontend.Variable) {
	lay, q := env.Layout, o.List
	leaf0 := lay.Hash(tagAccount, o.Identity, o.Nonce, collateral, o.FillsRoot, q[0], q[1], q[2], q[3])
	leaf1 := lay.Hash(tagAccount, o.Identity, o.Nonce, after, o.FillsRoot, q[0], q[1], q[2], q[3])
	return update(env, fundBits, o.Path[:], leaf0, leaf1)
}

// signer is what makerUpdate returns: the accounts root before and after the liquidator's update
// and the bits of its id and of its order's nonce the paths used.
type signer struct {
	rootBefore, rootAfter  frontend.Variable
	accountBits, nonceBits []frontend.Variable
}

// makerUpdate opens the liquidator's leaf (its identity holds the key that verified the order)
// and its order's fill leaf (slot nonce mod 2^12, an empty slot the leaf 0) and returns the roots
// before and after its update.
func makerUpdate(env *stepenv.Env, p *perp.PartyVars, o *perpstep.AccountOpening) signer {
	api, lay := env.API, env.Layout
	lowestEmpty(api, p.Positions, p.Select)
	nonceBits := api.ToBinary(p.Order.Nonce, 64)
	slotEmpty := api.IsZero(p.FillNonce)
	api.AssertIsEqual(api.Mul(slotEmpty, p.FillFilled), 0)
	fill0 := api.Mul(api.Sub(1, slotEmpty), lay.FillLeaf(p.FillNonce, p.FillFilled))
	fill1 := lay.FillLeaf(p.Order.Nonce, p.FilledAfter)
	fills0, fills1 := update(env, nonceBits[:layoutv2.FillsDepth], o.FillPath[:], fill0, fill1)
	api.AssertIsEqual(fills0, o.FillsRoot)
	id := lay.IdentityHash(gadget.Identity{PublicKeyX: p.Key.A.X, PublicKeyY: p.Key.A.Y, L1Owner: o.L1Owner, FeeTier: o.FeeTier})
	leaf0 := lay.AccountLeaf(id, o.Nonce, p.Collateral, o.FillsRoot, perpstep.Entries(p.Positions))
	leaf1 := lay.AccountLeaf(id, o.Nonce, p.CollateralAfter, fills1, perpstep.Entries(p.After))
	bits := api.ToBinary(p.Account, layoutv2.AccountsDepth)
	r0, r1 := update(env, bits, o.AccountPath[:], leaf0, leaf1)
	return signer{rootBefore: r0, rootAfter: r1, accountBits: bits, nonceBits: nonceBits}
}

// marketUpdate opens the step's market leaf (its table entry, the timestamps and tick bounds of
// the opening) at the path given by the market id's 6 bits and returns the bits and the markets
// root before and after its open interest becomes oiAfter.
func marketUpdate(env *stepenv.Env, table *perp.MarketTable, market frontend.Variable, m *perpstep.MarketOpening,
	oiAfter frontend.Variable) ([]frontend.Variable, frontend.Variable, frontend.Variable) {
	lay := env.Layout
	mk := table.GetWithCaps(market)
	risk := gadget.MarketRisk{mk.IMF, mk.MMF, mk.Baseline, mk.IncSize, mk.IncIMF, mk.MaxPositionSize, mk.OICap,
		m.TickBounds[0], m.TickBounds[1], m.TickBounds[2], m.TickBounds[3], m.TickBounds[4]}
	h := lay.MarketRiskHash(risk)
	leaf0 := lay.MarketLeaf(mk.Price, m.OracleTimestamp, mk.FundingIndex, m.FundingTimestamp, mk.OpenInterest, h)
	leaf1 := lay.MarketLeaf(mk.Price, m.OracleTimestamp, mk.FundingIndex, m.FundingTimestamp, oiAfter, h)
	bits := env.API.ToBinary(market, layoutv2.MarketsDepth)
	r0, r1 := update(env, bits, m.Path[:], leaf0, leaf1)
	return bits, r0, r1
}

// bytesBE is n big-endian bytes of boolean-constrained bits (low first, at least 8n of them, or
// fewer with the high bits 0): each a linear combination of its bits, in 0 … 255 at no cost.
func bytesBE(api frontend.API, bits []frontend.Variable, n int) []frontend.Variable {
	out := make([]frontend.Variable, n)
	for k := range out {
		var b frontend.Variable = 0
		low := 8 * (n - 1 - k)
		for i := 7; i >= 0; i-- {
			if low+i < len(bits) {
				b = api.Add(api.Mul(b, 2), bits[low+i])
			} else {
				b = api.Mul(b, 2)
			}
		}
		out[k] = b
	}
	return out
}

// concat joins byte slices.
func concat(parts ...[]frontend.Variable) []frontend.Variable {
	var out []frontend.Variable
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
