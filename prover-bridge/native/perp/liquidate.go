package perp

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
)

// HolderVars is an account that signs nothing in the transaction (the liquidated account, the
// insurance fund, the deleveraged account, the deleverager): its collateral and position list
// before, the one-hot selection of the market's entry, and (to be compared with the Go reference)
// its state after.
type HolderVars struct {
	Account         frontend.Variable
	Collateral      frontend.Variable
	Positions       []PositionVars
	Select          []frontend.Variable
	After           []PositionVars
	CollateralAfter frontend.Variable
	FundingSettled  frontend.Variable
}

func newHolder(n int) HolderVars {
	return HolderVars{Positions: make([]PositionVars, n), Select: make([]frontend.Variable, n), After: make([]PositionVars, n)}
}

// assertAfter asserts the side's computed state equals the holder's stated state after.
func (h *HolderVars) assertAfter(api frontend.API, r SideResult) {
	api.AssertIsEqual(r.Collateral, h.CollateralAfter)
	api.AssertIsEqual(r.FundingSettled, h.FundingSettled)
	assertPositions(api, r.Positions, h.After)
}

func assertPositions(api frontend.API, got, want []PositionVars) {
	for j := range got {
		api.AssertIsEqual(got[j].Market, want[j].Market)
		api.AssertIsEqual(got[j].Size, want[j].Size)
		api.AssertIsEqual(got[j].Snapshot, want[j].Snapshot)
	}
}

// LiquidationCircuit is one fill of the engine's liquidation order (sequencer/README.md
// "Liquidation", step 5; Settlement.settle with a liquidation taker): the liquidated account's
// position against a resting order signed by the liquidator (the maker), at Price for Size. Its
// rules:
//
//   - the liquidator is a trade's maker: its order's signature, account and market, its limit
//     (LimitPrice, on the side its order names), fill slot, fee rate ≤ its cap with the fee never a
//     rebate (max(0, fee)), the post-trade margin rule, the maximum position size and reduce-only;
//   - the liquidated account is below maintenance margin before the fill (equity < Σ MMR, funding
//     settled, every position at the batch's oracle prices: AccountBook.liquidatable);
//   - its position only shrinks toward zero (AssertShrinks); it pays no taker fee and gets no
//     margin check (the engine's liquidation order has none);
//   - the liquidation fee: rate FeePpm ≤ 10^6 (LiquidationConfig.feePpm), 0 ≤ Fee ≤ ⌈N·FeePpm/10^6⌉
//     and Fee ≤ max(0, equity after the fill); it leaves the account and is credited to the
//     insurance fund's collateral (FundCollateral → FundCollateralAfter);
//   - the fee balance grows by the maker's fee; the market's open interest is updated (cap when it
//     grows).
//
// No Merkle paths: the batch circuit (format v3) embeds these rules between the leaf openings.
type LiquidationCircuit struct {
	Separator           frontend.Variable
	Markets             []MarketVars
	Market, Price, Size frontend.Variable
	FeePpm, Fee         frontend.Variable
	Liquidated          HolderVars
	Liquidator          PartyVars
	FundCollateral      frontend.Variable
	FundCollateralAfter frontend.Variable
	OpenInterestAfter   frontend.Variable
	FeeBalanceDelta     frontend.Variable
}

// NewLiquidationCircuit allocates the circuit for position lists of n entries and k markets.
func NewLiquidationCircuit(n, k int) *LiquidationCircuit {
	c := &LiquidationCircuit{Markets: make([]MarketVars, k), Liquidated: newHolder(n)}
	p := &c.Liquidator
	p.Positions, p.Select, p.After = make([]PositionVars, n), make([]frontend.Variable, n), make([]PositionVars, n)
	return c
}

// Define composes the gadgets.
func (c *LiquidationCircuit) Define(api frontend.API) error {
	return defineSigned(api, c.Markets, c.Constrain)
}

// Constrain adds the liquidation fill's rules over a shared curve, range checker and market vector.
func (c *LiquidationCircuit) Constrain(api frontend.API, curve twistededwards.Curve, a *Arith, table *MarketTable) {
	mk := table.GetWithCaps(c.Market)
	a.Unsigned(c.Size, 64)
	notional := api.Mul(c.Price, c.Size)

	// the liquidator: a maker on the side its order names (0 buy, 1 sell)
	p := &c.Liquidator
	o := p.Order
	OrderSignature(api, curve, c.Separator, o, p.Key, p.Signature)
	api.AssertIsEqual(o.Account, p.Account)
	api.AssertIsEqual(o.Market, c.Market)
	api.AssertIsBoolean(o.Side)
	// a buy pays at most its limit, a sell receives at least it: LimitPrice(x ≤ y) with the
	// operands swapped for a sell
	LimitPrice(a, api.Select(o.Side, o.Price, c.Price), api.Select(o.Side, c.Price, o.Price), true)
	a.Unsigned(c.Price, 64)
	_, filled := FillSlot(a, o.Nonce, o.Size, p.FillNonce, p.FillFilled, c.Size)
	api.AssertIsEqual(filled, p.FilledAfter)
	makerFee := Fee(a, notional, p.FeePpm, o.FeeCap)
	makerFee = api.Mul(a.LE(0, makerFee, 65), makerFee) // no rebate on a liquidation fill
	api.AssertIsEqual(makerFee, p.FeeOut)
	sign := api.Sub(1, api.Mul(2, o.Side)) // +1 buy, −1 sell
	d, cost := api.Mul(sign, c.Size), api.Mul(sign, notional)
	r := SettleAndCheck(a, table, p.Collateral, p.Positions, p.Select, c.Market, mk, d, cost, makerFee)
	api.AssertIsEqual(r.Collateral, p.CollateralAfter)
	api.AssertIsEqual(r.FundingSettled, p.FundingSettled)
	assertPositions(api, r.Positions, p.After)
	PositionLimit(a, r.Abs0, r.Abs1, mk.MaxPositionSize)
	ReduceOnly(api, o.ReduceOnly, r.Reduces)

	// the liquidated account: the other side, the liquidation fee instead of a taker fee
	h := &c.Liquidated
	f := SettleFill(a, table, h.Collateral, h.Positions, h.Select, c.Market, mk, api.Neg(d), api.Neg(cost), c.Fee)
	h.assertAfter(api, f.SideResult)
	a.AssertLE(api.Add(f.Equity0, 1), f.MMR, sumBits) // liquidatable: equity < Σ MMR
	AssertShrinks(a, f.S0, f.S1, f.Abs0, f.Abs1)
	// fee: 0 ≤ Fee ≤ ⌈N·rate/10^6⌉ (0 ≤ rate ≤ 10^6) and Fee ≤ max(0, equity after the fill)
	a.Unsigned(c.FeePpm, 20)
	a.Unsigned(c.Fee, 64)
	a.AssertLE(c.Fee, Fee(a, notional, c.FeePpm, PPM), 64)
	fill := api.Add(f.Equity1, c.Fee)
	a.AssertLE(c.Fee, api.Mul(a.LE(0, fill, sumBits), fill), sumBits)

	// the insurance fund receives the fee (no funding settled on it: Settlement.settle)
	a.Signed(c.FundCollateral, 64)
	fund := api.Add(c.FundCollateral, c.Fee)
	a.Signed(fund, 64)
	api.AssertIsEqual(fund, c.FundCollateralAfter)
	api.AssertIsEqual(makerFee, c.FeeBalanceDelta)
	oi := OpenInterest(a, mk.OpenInterest, mk.OICap,
		[2]frontend.Variable{f.S0, r.S0}, [2]frontend.Variable{f.Abs0, r.Abs0},
		[2]frontend.Variable{f.S1, r.S1}, [2]frontend.Variable{f.Abs1, r.Abs1})
	api.AssertIsEqual(oi, c.OpenInterestAfter)
}
