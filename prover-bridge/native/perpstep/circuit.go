package perpstep

import (
	"math/big"

	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
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

// TradeStep proves that NewRoot follows from OldRoot by one trade (see the package doc).
type TradeStep struct {
	OldRoot, NewRoot frontend.Variable `gnark:",public"`
	Trade            perp.TradeCircuit // orders, signatures, fill, the rules' witness and results; Markets is the market table
	Buyer, Seller    AccountOpening
	Market           MarketOpening
	Global           GlobalOpening
	Table            []TableOpening // empty: the table is free except the trade's market; else one per table entry

	separator *big.Int // D_order of the deployment, a constant of the circuit
}

// NewTradeStep allocates the step for n list entries read by the rules (n ≤ 8) and a market
// table of k markets, for the deployment whose order separator is separator.
func NewTradeStep(n, k int, separator *big.Int) *TradeStep {
	if n < 1 || n > layoutv2.MaxPositions {
		panic("perpstep: n must be 1 … 8")
	}
	return &TradeStep{Trade: *perp.NewTradeCircuit(n, k), separator: separator}
}

// NewTradeStepBound is NewTradeStep with every market of the table opened in the old markets tree
// (6-level path at its id), so no market value read by the rules is free.
func NewTradeStepBound(n, k int, separator *big.Int) *TradeStep {
	c := NewTradeStep(n, k, separator)
	c.Table = make([]TableOpening, k)
	return c
}

// Define composes the openings, the rules and the new leaves.
func (c *TradeStep) Define(api frontend.API) error {
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return err
	}
	rc := rangecheck.New(api)
	a := &perp.Arith{API: api, RC: rc}
	lay, err := gadget.New(api, rc)
	if err != nil {
		return err
	}
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
	markets0, markets1 := update(api, perm, api.ToBinary(t.Market, layoutv2.MarketsDepth), m.Path[:], market0, market1)
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
	accounts0, mid := account(api, perm, lay, &t.Buyer, &c.Buyer)
	mid2, accounts1 := account(api, perm, lay, &t.Seller, &c.Seller)
	api.AssertIsEqual(mid, mid2)

	// the global leaf: the fee balance grows by the trade's fees
	g := c.Global
	global0 := lay.GlobalLeaf(g.FeeBalance, g.OracleSignersRoot, g.OracleQuorum, g.FeeTiersRoot)
	global1 := lay.GlobalLeaf(api.Add(g.FeeBalance, t.FeeBalanceDelta), g.OracleSignersRoot, g.OracleQuorum, g.FeeTiersRoot)

	api.AssertIsEqual(lay.StateRoot(accounts0, markets0, global0), c.OldRoot)
	api.AssertIsEqual(lay.StateRoot(accounts1, markets1, global1), c.NewRoot)
	return nil
}

// account opens one account's leaf and fill leaf, checks the lowest-empty-entry rule of the
// selected entry, and returns the accounts root before and after this account's update.
func account(api frontend.API, perm *poseidon2perm.Permutation, lay *gadget.Layout, p *perp.PartyVars,
	o *AccountOpening) (frontend.Variable, frontend.Variable) {
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
	fills0, fills1 := update(api, perm, nonceBits[:layoutv2.FillsDepth], o.FillPath[:], fill0, fill1)
	api.AssertIsEqual(fills0, o.FillsRoot)

	// the account leaf before and after: the identity binds the order's key
	id := lay.IdentityHash(gadget.Identity{PublicKeyX: p.Key.A.X, PublicKeyY: p.Key.A.Y, L1Owner: o.L1Owner, FeeTier: o.FeeTier})
	leaf0 := lay.AccountLeaf(id, o.Nonce, p.Collateral, o.FillsRoot, entries(p.Positions))
	leaf1 := lay.AccountLeaf(id, o.Nonce, p.CollateralAfter, fills1, entries(p.After))
	return update(api, perm, api.ToBinary(p.Account, layoutv2.AccountsDepth), o.AccountPath[:], leaf0, leaf1)
}

// entries is the layout's 8-entry list from the n entries the rules read; the others are 0.
func entries(list []perp.PositionVars) [layoutv2.MaxPositions]gadget.Entry {
	var out [layoutv2.MaxPositions]gadget.Entry
	for j := range out {
		out[j] = gadget.Entry{Market: 0, Size: 0, Snapshot: 0}
		if j < len(list) {
			out[j] = gadget.Entry{Market: list[j].Market, Size: list[j].Size, Snapshot: list[j].Snapshot}
		}
	}
	return out
}

// update returns the roots of a sparse Merkle tree (layout §3) with the leaf at the path given
// by bits (from the leaf upward) set to old and to new, over the same siblings.
func update(api frontend.API, perm *poseidon2perm.Permutation, bits, siblings []frontend.Variable, old, new frontend.Variable) (frontend.Variable, frontend.Variable) {
	for h, s := range siblings {
		lo, ro := api.Select(bits[h], s, old), api.Select(bits[h], old, s)
		ln, rn := api.Select(bits[h], s, new), api.Select(bits[h], new, s)
		old, new = perm.Compress(lo, ro), perm.Compress(ln, rn)
	}
	return old, new
}
