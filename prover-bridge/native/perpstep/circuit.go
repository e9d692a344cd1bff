package perpstep

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// AccountOpening is what the step opens of one account besides the rule witness in
// perp.PartyVars (key, collateral, list, fill slot): the identity fields a trade does not change,
// the nonce, the fills root before, and the two paths.
type AccountOpening struct {
	L1Owner, FeeTier, Nonce, FillsRoot frontend.Variable
	AccountPath                        [layoutv2.AccountsDepth]frontend.Variable
	FillPath                           [layoutv2.FillsDepth]frontend.Variable
}

// MarketOpening is the trade's market leaf: the fields the rules do not read (timestamps, the
// five tick bounds of the risk hash) and its path; the others are read from the market table and
// must equal the table's entry for the market.
type MarketOpening struct {
	OracleTimestamp, FundingTimestamp frontend.Variable
	TickBounds                        [5]frontend.Variable // oracleMaxAge, oracleMaxFuture, oracleMaxMove, fundingMinInterval, fundingMaxRate
	Path                              [layoutv2.MarketsDepth]frontend.Variable
}

// TableOpening opens one entry of the market table (id = its index) in the old markets tree: the
// leaf fields the table does not hold and the path. Listed = 0 opens an empty slot (leaf 0); the
// entry's values are then only range-checked (no account can hold a position in an unlisted
// market, since a position is only opened by a trade in an opened, hence listed, market).
type TableOpening struct {
	Listed                            frontend.Variable
	OracleTimestamp, FundingTimestamp frontend.Variable
	TickBounds                        [5]frontend.Variable
	Path                              [layoutv2.MarketsDepth]frontend.Variable
}

// GlobalOpening is the global leaf's content.
type GlobalOpening struct {
	FeeBalance, OracleSignersRoot, OracleQuorum, FeeTiersRoot frontend.Variable
}

// TradeTransition is the witness of one trade as a state transition, without public roots: what a
// batch circuit embeds in a trade slot (its Transition returns the roots it proves).
type TradeTransition struct {
	Trade         perp.TradeCircuit // orders, signatures, fill, the rules' witness and results; Markets is the market table
	Buyer, Seller AccountOpening
	Market        MarketOpening
	Global        GlobalOpening
	Table         []TableOpening // empty: the table is free except the trade's market; else one per table entry

	separator *big.Int // D_order of the deployment, a constant of the circuit
}

// TradeStep proves that NewRoot follows from OldRoot by one trade (see the package doc): the
// standalone circuit over a TradeTransition.
type TradeStep struct {
	OldRoot, NewRoot frontend.Variable `gnark:",public"`
	TradeTransition
}

// NewTradeStep allocates the step for n list entries read by the rules (n ≤ 8) and a market
// table of k markets, for the deployment whose order separator is separator.
func NewTradeStep(n, k int, separator *big.Int) *TradeStep {
	if n < 1 || n > layoutv2.MaxPositions {
		panic("perpstep: n must be 1 … 8")
	}
	return &TradeStep{TradeTransition: TradeTransition{Trade: *perp.NewTradeCircuit(n, k), separator: separator}}
}

// NewTradeStepBound is NewTradeStep with every market of the table opened in the old markets tree
// (6-level path at its id), so no market value read by the rules is free.
func NewTradeStepBound(n, k int, separator *big.Int) *TradeStep {
	c := NewTradeStep(n, k, separator)
	c.Table = make([]TableOpening, k)
	return c
}

// TypeTrade is the type byte of a trade's public data (format v3, docs/batch-format.md).
const TypeTrade = 5

// PublicDataSize is the length of a trade's public data (docs/perp-circuit.md §5): type ‖ buyer
// (3) ‖ seller (3) ‖ market (1) ‖ size (7) ‖ price (4) ‖ buyer order nonce (8) ‖ seller order nonce
// (8), big-endian.
const PublicDataSize = 1 + 3 + 3 + 1 + 7 + 4 + 8 + 8

// MaxPrice bounds a trade's price (exclusive): the public data carries it in 4 bytes.
const MaxPrice = 1 << 32

// Define is the standalone step: the trade's Transition over its own Env, with public OldRoot and
// NewRoot. The trade carries no time, so the Env's batch time is unused (0).
func (c *TradeStep) Define(api frontend.API) error {
	env, err := stepenv.New(api, 0)
	if err != nil {
		return err
	}
	tr, err := c.Transition(env)
	if err != nil {
		return err
	}
	api.AssertIsEqual(tr.OldRoot, c.OldRoot)
	api.AssertIsEqual(tr.NewRoot, c.NewRoot)
	return nil
}

// Transition composes the openings, the rules and the new leaves over env's shared gadgets and
// returns the state roots before and after the trade (computed from the openings; a TradeStep's
// OldRoot / NewRoot are read only by its Define) and the trade's public data. A trade consumes
// no priority operation and carries no time (its orders have no time field the circuit reads:
// env.BatchTime is not used).
func (c *TradeTransition) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	api, perm, lay, curve, a := env.API, env.Perm, env.Layout, env.Curve, env.Arith
	t := &c.Trade
	api.AssertIsEqual(t.Separator, c.separator)
	table := perp.NewMarketTable(a, t.Markets)
	// the trade's rules (perp.TradeCircuit): signatures, order binding, limit, fill slots, fees,
	// funding settlement, fill, margin, position size, reduce-only, open interest
	t.Constrain(api, curve, a, table)

	// the market: its table entry is the opened leaf, the new leaf carries the new open interest
	mk := table.GetWithCaps(t.Market)
	risk := gadget.MarketRisk{mk.IMF, mk.MMF, mk.Baseline, mk.IncSize, mk.IncIMF, mk.MaxPositionSize, mk.OICap,
		c.Market.TickBounds[0], c.Market.TickBounds[1], c.Market.TickBounds[2], c.Market.TickBounds[3], c.Market.TickBounds[4]}
	riskHash := lay.MarketRiskHash(risk)
	m := c.Market
	market0 := lay.MarketLeaf(mk.Price, m.OracleTimestamp, mk.FundingIndex, m.FundingTimestamp, mk.OpenInterest, riskHash)
	market1 := lay.MarketLeaf(mk.Price, m.OracleTimestamp, mk.FundingIndex, m.FundingTimestamp, t.OpenInterestAfter, riskHash)
	marketBits := api.ToBinary(t.Market, layoutv2.MarketsDepth)
	markets0, markets1 := UpdateRoots(api, perm, marketBits, m.Path[:], market0, market1)
	for i, o := range c.Table {
		e := t.Markets[i]
		api.AssertIsBoolean(o.Listed)
		h := lay.MarketRiskHash(gadget.MarketRisk{e.IMF, e.MMF, e.Baseline, e.IncSize, e.IncIMF, e.MaxPositionSize, e.OICap,
			o.TickBounds[0], o.TickBounds[1], o.TickBounds[2], o.TickBounds[3], o.TickBounds[4]})
		leaf := api.Mul(o.Listed, lay.MarketLeaf(e.Price, o.OracleTimestamp, e.FundingIndex, o.FundingTimestamp, e.OpenInterest, h))
		for level, sib := range o.Path {
			if (i>>level)&1 == 0 {
				leaf = perm.Compress(leaf, sib)
			} else {
				leaf = perm.Compress(sib, leaf)
			}
		}
		api.AssertIsEqual(leaf, markets0)
	}

	// the accounts, buyer first; the seller's path is taken in the tree after the buyer's update
	api.AssertIsDifferent(t.Buyer.Account, t.Seller.Account)
	buyer := account(api, perm, lay, &t.Buyer, &c.Buyer)
	seller := account(api, perm, lay, &t.Seller, &c.Seller)
	api.AssertIsEqual(buyer.rootAfter, seller.rootBefore)

	// the global leaf: the fee balance grows by the trade's fees
	g := c.Global
	global0 := lay.GlobalLeaf(g.FeeBalance, g.OracleSignersRoot, g.OracleQuorum, g.FeeTiersRoot)
	global1 := lay.GlobalLeaf(api.Add(g.FeeBalance, t.FeeBalanceDelta), g.OracleSignersRoot, g.OracleQuorum, g.FeeTiersRoot)

	// public data (docs/perp-circuit.md §5), big-endian bytes of bit decompositions: the account,
	// market and nonce bits are those the paths and the fill slot already use; size and price are
	// decomposed here (size < 2^56 since |position| < 2^55 before and after; price < 2^32)
	pd := make([]frontend.Variable, 0, PublicDataSize)
	pd = append(pd, TypeTrade)
	pd = append(pd, bytesBE(api, buyer.accountBits, 3)...)
	pd = append(pd, bytesBE(api, seller.accountBits, 3)...)
	pd = append(pd, bytesBE(api, append(marketBits, 0, 0), 1)...)
	pd = append(pd, bytesBE(api, api.ToBinary(t.Size, 56), 7)...)
	pd = append(pd, bytesBE(api, api.ToBinary(t.Price, 32), 4)...)
	pd = append(pd, bytesBE(api, buyer.nonceBits, 8)...)
	pd = append(pd, bytesBE(api, seller.nonceBits, 8)...)

	return stepenv.Transition{
		OldRoot:    lay.StateRoot(buyer.rootBefore, markets0, global0),
		NewRoot:    lay.StateRoot(seller.rootAfter, markets1, global1),
		PublicData: pd,
		IsPriority: 0,
		PriorityOp: 0,
	}, nil
}

// bytesBE is n big-endian bytes of the boolean-constrained bits (low first, 8n of them): each a
// linear combination of its bits, so in 0 … 255 at no extra constraint.
func bytesBE(api frontend.API, bits []frontend.Variable, n int) []frontend.Variable {
	out := make([]frontend.Variable, n)
	for k := range out {
		var b frontend.Variable = 0
		low := 8 * (n - 1 - k)
		for i := 7; i >= 0; i-- {
			b = api.Add(api.Mul(b, 2), bits[low+i])
		}
		out[k] = b
	}
	return out
}

// accessed is what account returns: the accounts root before and after this account's update,
// and the bit decompositions of its id and its order's nonce that the paths used.
type accessed struct {
	rootBefore, rootAfter  frontend.Variable
	accountBits, nonceBits []frontend.Variable
}

// account opens one account's leaf and fill leaf, checks the lowest-empty-entry rule of the
// selected entry, and returns the accounts root before and after this account's update.
func account(api frontend.API, perm *poseidon2perm.Permutation, lay *gadget.Layout, p *perp.PartyVars,
	o *AccountOpening) accessed {
	// layout v2 §9.4: a new position takes the lowest-index empty entry. SettleAndCheck already
	// forces the entry holding the market to be selected; if the selected entry is empty, no
	// entry before it may be empty.
	var emptyBefore frontend.Variable = 0
	for j, e := range p.Positions {
		empty := api.IsZero(e.Size)
		api.AssertIsEqual(api.Mul(p.Select[j], empty, emptyBefore), 0)
		emptyBefore = api.Or(emptyBefore, empty)
	}

	// the fill leaf: slot = order nonce mod 2^12; an empty slot is the leaf 0
	nonceBits := api.ToBinary(p.Order.Nonce, 64)
	slotEmpty := api.IsZero(p.FillNonce)
	api.AssertIsEqual(api.Mul(slotEmpty, p.FillFilled), 0)
	fill0 := api.Mul(api.Sub(1, slotEmpty), lay.FillLeaf(p.FillNonce, p.FillFilled))
	fill1 := lay.FillLeaf(p.Order.Nonce, p.FilledAfter)
	fills0, fills1 := UpdateRoots(api, perm, nonceBits[:layoutv2.FillsDepth], o.FillPath[:], fill0, fill1)
	api.AssertIsEqual(fills0, o.FillsRoot)

	// the account leaf before and after: the identity binds the order's key
	id := lay.IdentityHash(gadget.Identity{PublicKeyX: p.Key.A.X, PublicKeyY: p.Key.A.Y, L1Owner: o.L1Owner, FeeTier: o.FeeTier})
	leaf0 := lay.AccountLeaf(id, o.Nonce, p.Collateral, o.FillsRoot, Entries(p.Positions))
	leaf1 := lay.AccountLeaf(id, o.Nonce, p.CollateralAfter, fills1, Entries(p.After))
	accountBits := api.ToBinary(p.Account, layoutv2.AccountsDepth)
	r0, r1 := UpdateRoots(api, perm, accountBits, o.AccountPath[:], leaf0, leaf1)
	return accessed{rootBefore: r0, rootAfter: r1, accountBits: accountBits, nonceBits: nonceBits}
}

// Entries is the layout's 8-entry list from the n entries the rules read; the others are 0.
func Entries(list []perp.PositionVars) [layoutv2.MaxPositions]gadget.Entry {
	var out [layoutv2.MaxPositions]gadget.Entry
	for j := range out {
		out[j] = gadget.Entry{Market: 0, Size: 0, Snapshot: 0}
		if j < len(list) {
			out[j] = gadget.Entry{Market: list[j].Market, Size: list[j].Size, Snapshot: list[j].Snapshot}
		}
	}
	return out
}

// UpdateRoots returns the roots of a sparse Merkle tree (layout §3) with the leaf at the path
// given by bits (from the leaf upward) set to old and to new, over the same siblings.
func UpdateRoots(api frontend.API, perm *poseidon2perm.Permutation, bits, siblings []frontend.Variable, old, new frontend.Variable) (frontend.Variable, frontend.Variable) {
	for h, s := range siblings {
		lo, ro := api.Select(bits[h], s, old), api.Select(bits[h], old, s)
		ln, rn := api.Select(bits[h], s, new), api.Select(bits[h], new, s)
		old, new = perm.Compress(lo, ro), perm.Compress(ln, rn)
	}
	return old, new
}

var (
	_ stepenv.Step = (*TradeStep)(nil)
	_ stepenv.Step = (*TradeTransition)(nil)
)
