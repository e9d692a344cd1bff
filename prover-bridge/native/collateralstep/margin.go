package collateralstep

import (
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// Margin is what a debit (withdrawal, transfer) from an account that may hold positions opens
// besides its leaf: the account's 8 list entries and the market table (ids 0 … K − 1), every
// table market opened in the old markets root, so no price, funding index or risk parameter the
// rule reads is free.
type Margin struct {
	List    [layoutv2.MaxPositions]gadget.Entry
	Markets []perp.MarketVars // the table: index = market id
	Table   []MarketOpening   // one per table market
}

// MarketOpening is one table market's leaf fields that perp.MarketVars does not hold, and its
// 6-level path. Listed = 0 opens an empty slot (leaf 0): its values are only range-checked, and no
// position can name it (positions are opened by trades in listed markets only).
type MarketOpening struct {
	Listed                            frontend.Variable
	OracleTimestamp, FundingTimestamp frontend.Variable
	TickBounds                        [5]frontend.Variable // oracleMaxAge, oracleMaxFuture, oracleMaxMove, fundingMinInterval, fundingMaxRate
	Path                              [layoutv2.MarketsDepth]frontend.Variable
}

func newMargin(k int) []Margin {
	return []Margin{{Markets: make([]perp.MarketVars, k), Table: make([]MarketOpening, k)}}
}

// marginBits bounds |free collateral − amount|: equity and Σ requirements are below 2^104 in
// absolute value (perp's bounds), the amount below 2^63.
const marginBits = 106

// table builds the market table and opens every entry in the markets root. Each of its lookup
// tables needs a query, so the caps of market 0 are read once (3 lookups).
func (m *Margin) table(env *stepenv.Env, marketsRoot frontend.Variable) *perp.MarketTable {
	t := perp.NewMarketTable(env.Arith, m.Markets)
	m.bind(env, marketsRoot)
	t.GetWithCaps(0)
	return t
}

// settleList settles funding on every entry of a list (RiskMath.fundingCredit; the snapshot of a
// held position moves to its market's index) and returns the sum of the credits, of the values
// and of the initial requirements at the table's prices (RiskMath.value, initialRequirement), and
// the list after.
func settleList(env *stepenv.Env, table *perp.MarketTable, list [layoutv2.MaxPositions]gadget.Entry) (credits, values, imrs frontend.Variable, after [layoutv2.MaxPositions]gadget.Entry) {
	api, a := env.API, env.Arith
	credits, values, imrs = 0, 0, 0
	for j, e := range list {
		mk := table.Get(e.Market)
		credits = api.Add(credits, perp.FundingCredit(a, e.Size, e.Snapshot, mk.FundingIndex))
		value, imr, _, _ := perp.PositionRisk(a, e.Size, mk)
		values = api.Add(values, value)
		imrs = api.Add(imrs, imr)
		held := api.Sub(1, api.IsZero(e.Size))
		after[j] = gadget.Entry{Market: e.Market, Size: e.Size, Snapshot: api.Mul(held, mk.FundingIndex)}
	}
	return credits, values, imrs, after
}

// settle settles the account's list and returns the free collateral before any debit, equity −
// Σ initial requirements at the oracle prices (AccountBook.freeCollateral), the sum of the funding
// credits and the list after.
func (m *Margin) settle(env *stepenv.Env, table *perp.MarketTable, collateral frontend.Variable) (free, credits frontend.Variable, after [layoutv2.MaxPositions]gadget.Entry) {
	api := env.API
	credits, values, imrs, after := settleList(env, table, m.List)
	return api.Sub(api.Add(collateral, credits, values), imrs), credits, after
}

// credited is an account the step credits (a deposit, a transfer's receiver) as the engine does
// (Settlement.credit, transfer): funding settled on every entry, then the amount added. It returns
// the leaf before and after.
func credited(env *stepenv.Env, table *perp.MarketTable, list []gadget.Entry, identity, nonce, collateral, fillsRoot, amount frontend.Variable) (old, next frontend.Variable) {
	api := env.API
	var l [layoutv2.MaxPositions]gadget.Entry
	copy(l[:], list)
	credits, _, _, after := settleList(env, table, l)
	old = env.Layout.AccountLeaf(identity, nonce, collateral, fillsRoot, l)
	next = env.Layout.AccountLeaf(identity, nonce, api.Add(collateral, credits, amount), fillsRoot, after)
	return old, next
}

// debit is the engine's collateral debit (Settlement.withdraw and transfer's sender): funding is
// settled on every entry, and the amount must not exceed the free collateral
// (INSUFFICIENT_FREE_COLLATERAL). It returns the account leaf before and after (nonce → newNonce,
// collateral → collateral + Σ credits − amount, list with the new snapshots).
func (m *Margin) debit(env *stepenv.Env, table *perp.MarketTable, identity, nonce, newNonce, collateral, fillsRoot, amount frontend.Variable) (old, next frontend.Variable) {
	api := env.API
	free, credits, after := m.settle(env, table, collateral)
	env.Arith.AssertLE(amount, free, marginBits)
	old = env.Layout.AccountLeaf(identity, nonce, collateral, fillsRoot, m.List)
	next = env.Layout.AccountLeaf(identity, newNonce, api.Sub(api.Add(collateral, credits), amount), fillsRoot, after)
	return old, next
}

// forced is a forced withdrawal by the engine's rule (SequencerCore.serveForcedWithdrawal): if the
// free collateral covers the amount it is debited as a withdrawal is (funding settled), else
// nothing changes. covers is the prover's claim, pinned by one range check either way. It returns
// the leaf before and after and what is paid.
func (m *Margin) forced(env *stepenv.Env, identity, nonce, collateral, fillsRoot, amount, covers, marketsRoot frontend.Variable) (old, next, paid frontend.Variable) {
	api := env.API
	free, credits, settled := m.settle(env, m.table(env, marketsRoot), collateral)
	diff := api.Sub(free, amount)
	env.RC.Check(api.Select(covers, diff, api.Sub(api.Neg(diff), 1)), marginBits)
	var after [layoutv2.MaxPositions]gadget.Entry
	for j, e := range m.List {
		after[j] = gadget.Entry{Market: e.Market, Size: e.Size, Snapshot: api.Select(covers, settled[j].Snapshot, e.Snapshot)}
	}
	paid = api.Mul(covers, amount)
	old = env.Layout.AccountLeaf(identity, nonce, collateral, fillsRoot, m.List)
	next = env.Layout.AccountLeaf(identity, nonce, api.Add(collateral, api.Mul(covers, api.Sub(credits, amount))), fillsRoot, after)
	return old, next, paid
}

// bind opens every table market in the markets root.
func (m *Margin) bind(env *stepenv.Env, marketsRoot frontend.Variable) {
	api := env.API
	for i, o := range m.Table {
		e := m.Markets[i]
		api.AssertIsBoolean(o.Listed)
		h := env.Layout.MarketRiskHash(gadget.MarketRisk{e.IMF, e.MMF, e.Baseline, e.IncSize, e.IncIMF, e.MaxPositionSize, e.OICap,
			o.TickBounds[0], o.TickBounds[1], o.TickBounds[2], o.TickBounds[3], o.TickBounds[4]})
		leaf := api.Mul(o.Listed, env.Layout.MarketLeaf(e.Price, o.OracleTimestamp, e.FundingIndex, o.FundingTimestamp, e.OpenInterest, h))
		for level, sib := range o.Path {
			if (i>>level)&1 == 0 {
				leaf = env.Perm.Compress(leaf, sib)
			} else {
				leaf = env.Perm.Compress(sib, leaf)
			}
		}
		api.AssertIsEqual(leaf, marketsRoot)
	}
}
