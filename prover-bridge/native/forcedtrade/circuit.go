package forcedtrade

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	poseidon2hash "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// Party is one account of the forced trade as the step opens it: its leaf's fields, the n list
// entries the rules read (entries n … 7 are fixed empty), the one-hot entry of the trade's
// market (any entry when none is free: the settlement then reads it as empty), and its 24-level
// path (B's is taken after A's update). Shift is added to the cost the settlement gadget sees and
// subtracted from its collateral and equity again, so that its int64 check of the new collateral
// holds when that collateral is out of range (reason 6); any value proves the same figures.
type Party struct {
	KeyX, KeyY, L1Owner, FeeTier, Nonce, Collateral, FillsRoot frontend.Variable
	Positions                                                  []perp.PositionVars
	Select                                                     []frontend.Variable
	Path                                                       [layoutv2.AccountsDepth]frontend.Variable
	Shift                                                      frontend.Variable
}

// ForcedTradeTransition is one forced trade as a state transition over layout v2
// (docs/perp-circuit.md §12), without public inputs: what a batch slot would embed (its
// Transition returns the roots and the operation). It consumes the priority operation
// H(TAG_FORCED_TRADE, e1, e2, ownerA, R, S), every field of which is a witness here, and either
// executes the trade (Reason 0) or proves it invalid (Reason 4 unknown market, 1 stale, 2 bad
// signature, 5 no free entry, 6 out of range, 3 risk), reasons taken in that order. The market
// table (k markets) is opened entry by entry in the old markets root, so no price or risk
// parameter the decision reads is free.
type ForcedTradeTransition struct {
	Message      messages.ForcedTradeVars
	OwnerA       frontend.Variable
	RX, RY, S    frontend.Variable // B's signature
	Reason       frontend.Variable // reference.Reason
	A, B         Party
	FillNonce    frontend.Variable // A's fill slot Nonce mod 2^12 before
	FillFilled   frontend.Variable
	FillPath     [layoutv2.FillsDepth]frontend.Variable
	Markets      []perp.MarketVars       // the table, id = index
	Table        []perpstep.TableOpening // each entry's opening in the old markets root
	Market       perpstep.MarketOpening  // the trade's market leaf, updated (open interest)
	MarketListed frontend.Variable       // 0: the market's leaf is the empty leaf (reason 4, unknown market)
	GlobalLeaf   frontend.Variable

	separator *big.Int // D_forced_trade of the deployment, a constant of the circuit
}

// Step is the standalone circuit of one forced trade: public old root, new root and the priority
// operation it consumes, over a ForcedTradeTransition.
type Step struct {
	OldRoot, NewRoot, PriorityOp frontend.Variable `gnark:",public"`
	ForcedTradeTransition
}

// NewStep allocates the step for n list entries read per account (1 … 8) and a table of k
// markets, for the deployment whose forced-trade separator is separator (Separator).
func NewStep(n, k int, separator *big.Int) *Step {
	if n < 1 || n > layoutv2.MaxPositions || k < 1 || k > 1<<layoutv2.MarketsDepth {
		panic("forcedtrade: n must be 1 … 8 and k 1 … 64")
	}
	c := &Step{ForcedTradeTransition: ForcedTradeTransition{Markets: make([]perp.MarketVars, k),
		Table: make([]perpstep.TableOpening, k), separator: separator}}
	for _, p := range []*Party{&c.A, &c.B} {
		p.Positions = make([]perp.PositionVars, n)
		p.Select = make([]frontend.Variable, n)
	}
	return c
}

// Define proves the transition from OldRoot to NewRoot consuming PriorityOp. A forced trade
// carries no time: the Env's batch time is unused (0).
func (c *Step) Define(api frontend.API) error {
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
	api.AssertIsEqual(tr.PriorityOp, c.PriorityOp)
	return nil
}

// Transition implements stepenv.Step: the decision and the new leaves over env's shared gadgets;
// it returns the state roots before and after, IsPriority = 1 and the operation hash. No public
// data: a batch slot adds the record (PublicDataVars; batchv3.ForcedTradeStep).
func (c *ForcedTradeTransition) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	api := env.API
	a, lay, perm := env.Arith, env.Layout, env.Perm
	m := c.Message

	// the operation: every field bound; the message B signed
	e1, e2 := messages.ForcedTradePacked(api, m)
	msg := messages.ForcedTradeHash(api, c.separator, e1, e2)
	op := lay.Hash(tagOp, e1, e2, c.OwnerA, c.RX, c.RY, c.S)

	// the outcome: one of seven
	exec := api.IsZero(c.Reason)
	isStale := api.IsZero(api.Sub(c.Reason, int(1)))
	isSig := api.IsZero(api.Sub(c.Reason, int(2)))
	isRisk := api.IsZero(api.Sub(c.Reason, int(3)))
	isUnknown := api.IsZero(api.Sub(c.Reason, int(4)))
	isNoFree := api.IsZero(api.Sub(c.Reason, int(5)))
	isRange := api.IsZero(api.Sub(c.Reason, int(6)))
	api.AssertIsEqual(api.Add(exec, isStale, isSig, isRisk, isUnknown, isNoFree, isRange), 1)
	api.AssertIsBoolean(c.MarketListed)
	unlisted := api.Sub(1, c.MarketListed)

	// stale: A's slot Nonce mod 2^12 holds a nonce ≥ Nonce (L1 queues only Nonce ≥ 1)
	a.Unsigned(api.Sub(m.Nonce, 1), 64)
	a.Unsigned(c.FillNonce, 64)
	a.Unsigned(c.FillFilled, 64)
	stale := a.LE(m.Nonce, c.FillNonce, 65)

	// B's signature, computed: R off the curve is invalid (and replaced by the base point in the
	// equation, whose additions are then complete)
	sigOK, err := signatureValid(env, c.B.KeyX, c.B.KeyY, c.RX, c.RY, c.S, msg)
	if err != nil {
		return stepenv.Transition{}, err
	}

	// the trade's figures over the opened table (perp's gadgets; no fee)
	table, bindTable := liqstep.OpenTable(c.Markets, c.Table)(env)
	mk := table.GetWithCaps(m.Market)
	dA := api.Select(m.ABuys, m.Size, api.Neg(m.Size))
	costA := api.Select(m.ABuys, m.Amount, api.Neg(m.Amount))
	fullA, fullB := c.A.full(api, m.Market), c.B.full(api, m.Market)
	noFree := api.Or(fullA, fullB)
	fa := c.A.settle(a, table, m.Market, mk, dA, costA, fullA)
	fb := c.B.settle(a, table, m.Market, mk, api.Neg(dA), api.Neg(costA), fullB)
	marginA, _ := perp.MarginHolds(a, fa.S0, fa.S1, fa.Abs0, fa.Abs1, fa.Equity0, fa.MMR, fa.Equity1, fa.IMR1, fa.MMR1)
	marginB, _ := perp.MarginHolds(a, fb.S0, fb.S1, fb.Abs0, fb.Abs1, fb.Equity0, fb.MMR, fb.Equity1, fb.IMR1, fb.MMR1)
	oi, oiFits, oiOK := openInterest(a, mk, fa, fb)
	riskOK := api.Mul(marginA, marginB, sizeLimitHolds(a, fa, mk), sizeLimitHolds(a, fb, mk), oiOK)
	// out of range: a value the execution writes does not fit layout v2 (asserted by the leaf
	// gadgets when it executes; here a bit)
	inRange := api.Mul(sideFits(a, fa), sideFits(a, fb), oiFits)

	// the decision, in order: unknown market, stale, signature, no free entry, out of range, risk
	// (each term a bit that must be 0, so each sum is 0 exactly when every term is)
	api.AssertIsEqual(api.Mul(exec, api.Add(unlisted, stale, api.Sub(1, sigOK), noFree, api.Sub(1, inRange), api.Sub(1, riskOK))), 0)
	api.AssertIsEqual(api.Mul(isUnknown, c.MarketListed), 0)
	api.AssertIsEqual(api.Mul(isStale, api.Add(unlisted, api.Sub(1, stale))), 0)
	api.AssertIsEqual(api.Mul(isSig, api.Add(unlisted, stale, sigOK)), 0)
	api.AssertIsEqual(api.Mul(isNoFree, api.Add(unlisted, stale, api.Sub(1, sigOK), api.Sub(1, noFree))), 0)
	api.AssertIsEqual(api.Mul(isRange, api.Add(unlisted, stale, api.Sub(1, sigOK), noFree, inRange)), 0)
	api.AssertIsEqual(api.Mul(isRisk, api.Add(unlisted, stale, api.Sub(1, sigOK), noFree, api.Sub(1, inRange), riskOK)), 0)

	// the market table and the trade's market leaf in the old markets root; the new leaf carries
	// the new open interest when the trade executes
	riskHash := lay.MarketRiskHash(gadget.MarketRisk{mk.IMF, mk.MMF, mk.Baseline, mk.IncSize, mk.IncIMF, mk.MaxPositionSize,
		mk.OICap, c.Market.TickBounds[0], c.Market.TickBounds[1], c.Market.TickBounds[2], c.Market.TickBounds[3], c.Market.TickBounds[4]})
	market0 := api.Mul(c.MarketListed,
		lay.MarketLeaf(mk.Price, c.Market.OracleTimestamp, mk.FundingIndex, c.Market.FundingTimestamp, mk.OpenInterest, riskHash))
	market1 := api.Mul(c.MarketListed, lay.MarketLeaf(mk.Price, c.Market.OracleTimestamp, mk.FundingIndex, c.Market.FundingTimestamp,
		api.Select(exec, oi, mk.OpenInterest), riskHash))
	marketsRoot0, mNew := perpstep.UpdateRoots(api, perm, api.ToBinary(m.Market, layoutv2.MarketsDepth), c.Market.Path[:], market0, market1)
	bindTable(marketsRoot0)

	// A's fill slot: taken over by (Nonce, Size) when the trade executes
	nonceBits := api.ToBinary(m.Nonce, 64)
	slotEmpty := api.IsZero(c.FillNonce)
	api.AssertIsEqual(api.Mul(slotEmpty, c.FillFilled), 0)
	fill0 := api.Mul(api.Sub(1, slotEmpty), lay.FillLeaf(c.FillNonce, c.FillFilled))
	fill1 := api.Select(exec, lay.FillLeaf(m.Nonce, m.Size), fill0)
	fills0, fills1 := perpstep.UpdateRoots(api, perm, nonceBits[:layoutv2.FillsDepth], c.FillPath[:], fill0, fill1)
	api.AssertIsEqual(fills0, c.A.FillsRoot)

	// the accounts: A (its owner is the requester) first, then B in the tree after A's update
	api.AssertIsEqual(c.A.L1Owner, c.OwnerA)
	api.AssertIsDifferent(m.AccountA, m.AccountB)
	rA0, rA1 := c.A.update(env, m.AccountA, fa, exec, fills1)
	rB0, rB1 := c.B.update(env, m.AccountB, fb, exec, c.B.FillsRoot)
	api.AssertIsEqual(rA1, rB0)

	return stepenv.Transition{
		OldRoot:    lay.StateRoot(rA0, marketsRoot0, c.GlobalLeaf),
		NewRoot:    lay.StateRoot(rB1, mNew, c.GlobalLeaf),
		IsPriority: 1,
		PriorityOp: op,
	}, nil
}

// signatureValid is the bit "sig verifies msg under (x, y)": R on the curve and gnark's cofactored
// eddsa.IsValid (which asserts S below the subgroup order: L1 queues no other S). The key is an
// account's, on the curve (asserted).
func signatureValid(env *stepenv.Env, x, y, rx, ry, s, msg frontend.Variable) (frontend.Variable, error) {
	api, curve := env.API, env.Curve
	key := eddsa.PublicKey{A: twistededwards.Point{X: x, Y: y}}
	curve.AssertIsOnCurve(key.A)
	// −x² + y² = 1 + d·x²·y²
	x2, y2 := api.Mul(rx, rx), api.Mul(ry, ry)
	d := curve.Params().D
	onCurve := api.IsZero(api.Sub(api.Sub(y2, x2), api.Add(1, api.Mul(d, x2, y2))))
	base := curve.Params().Base
	r := twistededwards.Point{X: api.Select(onCurve, rx, base[0]), Y: api.Select(onCurve, ry, base[1])}
	h, err := poseidon2hash.New(api)
	if err != nil {
		return nil, err
	}
	valid, err := eddsa.IsValid(curve, eddsa.Signature{R: r, S: s}, msg, key, h)
	if err != nil {
		return nil, err
	}
	return api.Mul(onCurve, valid), nil
}

// sizeLimitHolds is the bit of the engine's POSITION_SIZE_LIMIT (perp.PositionLimit): a growing
// position stays within maxPositionSize.
func sizeLimitHolds(a *perp.Arith, f perp.FillFigures, mk perp.MarketVars) frontend.Variable {
	api := a.API
	grows := a.LE(api.Add(f.Abs0, 1), f.Abs1, 66)
	within := a.LE(f.Abs1, mk.MaxPositionSize, 66)
	return api.Sub(1, api.Mul(grows, api.Sub(1, within)))
}

// openInterest is the market's open interest after both sides move (perp.OpenInterest's sum of
// the long sizes), the bit "it fits u64" and the bit of its cap rule: it did not grow, or it is
// within the cap. The old open interest is a u64 and each side's sizes are below 2^65 in absolute
// value (the message's size is range-checked to 64 bits), so |next| < 2^67.
func openInterest(a *perp.Arith, mk perp.MarketVars, fa, fb perp.FillFigures) (next, fits, ok frontend.Variable) {
	api := a.API
	next = mk.OpenInterest
	for _, f := range []perp.FillFigures{fa, fb} {
		next = api.Add(next, api.Div(api.Sub(api.Add(f.S1, f.Abs1), api.Add(f.S0, f.Abs0)), 2))
	}
	fits = api.Mul(a.LE(0, next, 68), a.LE(next, maxU64, 68))
	notGrown := a.LE(next, mk.OpenInterest, 68)
	within := a.LE(next, mk.OICap, 68)
	return next, fits, api.Or(notGrown, within)
}

// Layout v2's widths of the written values (docs/state-layout.md §9.3, §9.4, §9.6).
var (
	maxU64     = new(big.Int).SetUint64(1<<64 - 1)
	minI64     = big.NewInt(-1 << 63)
	maxI64     = big.NewInt(1<<63 - 1)
	maxAbsSize = big.NewInt(1<<55 - 1)
)

// collateralBits bounds |new collateral − an int64 bound|: an int64 collateral, at most 8
// funding credits of |index − snapshot|·|size| / 2^32 < 2^64·2^55 / 2^32 = 2^87 each, and an
// amount below 2^64 (its packed width) stay below 2^91.
const collateralBits = 92

// sideFits is the bit "the side's new collateral is an int64 and its new position size has
// |size| ≤ 2^55 − 1" (|s₁| < 2^65: an old size below 2^55 moved by the message's 64-bit size).
func sideFits(a *perp.Arith, f perp.FillFigures) frontend.Variable {
	api := a.API
	return api.Mul(a.LE(minI64, f.Collateral, collateralBits), a.LE(f.Collateral, maxI64, collateralBits), a.LE(f.Abs1, maxAbsSize, 66))
}

// full is the bit "no entry of the party's list is empty or holds market": all 8 entries hold
// other markets (reason 5). With n < 8 entries read, entries n … 7 are empty and the bit is 0.
func (p *Party) full(api frontend.API, market frontend.Variable) frontend.Variable {
	if len(p.Positions) < layoutv2.MaxPositions {
		return 0
	}
	var all frontend.Variable = 1
	for _, e := range p.Positions {
		other := api.Sub(1, api.IsZero(api.Sub(e.Market, market)))
		all = api.Mul(all, api.Sub(1, api.IsZero(e.Size)), other)
	}
	return all
}

// settle is perp.SettleFill of the party's side at cost, with the selected entry read as empty
// when the list is full (so the gadget's "selected entry holds the market or is empty" holds; the
// figures are then unused, reason 5 coming first), and the collateral's Shift taken out again:
// the returned collateral and equity are exact, in range or not.
func (p *Party) settle(a *perp.Arith, table *perp.MarketTable, market frontend.Variable, mk perp.MarketVars,
	d, cost, full frontend.Variable) perp.FillFigures {
	api := a.API
	list := p.Positions
	if len(list) == layoutv2.MaxPositions {
		list = make([]perp.PositionVars, len(p.Positions))
		for j, e := range p.Positions {
			keep := api.Sub(1, api.Mul(full, p.Select[j]))
			list[j] = perp.PositionVars{Market: api.Mul(keep, e.Market), Size: api.Mul(keep, e.Size), Snapshot: api.Mul(keep, e.Snapshot)}
		}
	}
	f := perp.SettleFill(a, table, p.Collateral, list, p.Select, market, mk, d, api.Sub(cost, p.Shift), 0)
	f.Collateral = api.Sub(f.Collateral, p.Shift)
	f.Equity1 = api.Sub(f.Equity1, p.Shift)
	return f
}

// update opens the party's leaf at id and returns the accounts root before and after: the new
// leaf carries the side's figures when exec is 1, and the old values (funding not settled either)
// when 0; fillsAfter is the fills root after. It also checks layout v2's list rule the fill
// gadgets leave open: a new position takes the lowest-index empty entry.
func (p *Party) update(env *stepenv.Env, id frontend.Variable, f perp.FillFigures, exec, fillsAfter frontend.Variable) (r0, r1 frontend.Variable) {
	api, lay := env.API, env.Layout
	var emptyBefore frontend.Variable = 0
	for j, e := range p.Positions {
		empty := api.IsZero(e.Size)
		api.AssertIsEqual(api.Mul(p.Select[j], empty, emptyBefore), 0)
		emptyBefore = api.Or(emptyBefore, empty)
	}
	ident := lay.IdentityHash(gadget.Identity{PublicKeyX: p.KeyX, PublicKeyY: p.KeyY, L1Owner: p.L1Owner, FeeTier: p.FeeTier})
	after := make([]perp.PositionVars, len(p.Positions))
	for j, e := range p.Positions {
		n := f.Positions[j]
		after[j] = perp.PositionVars{Market: api.Select(exec, n.Market, e.Market), Size: api.Select(exec, n.Size, e.Size),
			Snapshot: api.Select(exec, n.Snapshot, e.Snapshot)}
	}
	leaf0 := lay.AccountLeaf(ident, p.Nonce, p.Collateral, p.FillsRoot, perpstep.Entries(p.Positions))
	leaf1 := lay.AccountLeaf(ident, p.Nonce, api.Select(exec, f.Collateral, p.Collateral), fillsAfter, perpstep.Entries(after))
	return perpstep.UpdateRoots(api, env.Perm, api.ToBinary(id, layoutv2.AccountsDepth), p.Path[:], leaf0, leaf1)
}

var (
	_ stepenv.Step = (*Step)(nil)
	_ stepenv.Step = (*ForcedTradeTransition)(nil)
)
