package perp

import (
	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/rangecheck"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// PartyVars is one account of a trade: its key, collateral and position list before, the fill leaf
// of its order's nonce slot, its fee rate, its order and signature, and (to be compared with the
// Go reference) its state after.
type PartyVars struct {
	Account                frontend.Variable
	Key                    eddsa.PublicKey
	Collateral             frontend.Variable
	Positions              []PositionVars
	Select                 []frontend.Variable // one-hot: the entry of the trade's market
	FillNonce, FillFilled  frontend.Variable
	FeePpm                 frontend.Variable
	Order                  messages.OrderVars
	Signature              eddsa.Signature
	After                  []PositionVars
	CollateralAfter        frontend.Variable
	FilledAfter            frontend.Variable
	FundingSettled, FeeOut frontend.Variable
}

// TradeCircuit is one trade (a buy order against a sell order) with every rule of the trade
// transaction, over two accounts with a position list of N entries each and the batch's market
// vector. It has no Merkle paths: it is the rule set the batch circuit (format v3) will embed
// between the account-leaf openings (docs/perp-circuit.md).
type TradeCircuit struct {
	Separator         frontend.Variable // D_order of the deployment
	Markets           []MarketVars
	Market            frontend.Variable
	Price, Size       frontend.Variable
	Buyer, Seller     PartyVars
	OpenInterestAfter frontend.Variable
	FeeBalanceDelta   frontend.Variable
}

// NewTradeCircuit allocates the circuit for position lists of n entries and k markets.
func NewTradeCircuit(n, k int) *TradeCircuit {
	c := &TradeCircuit{Markets: make([]MarketVars, k)}
	for _, p := range []*PartyVars{&c.Buyer, &c.Seller} {
		p.Positions = make([]PositionVars, n)
		p.Select = make([]frontend.Variable, n)
		p.After = make([]PositionVars, n)
	}
	return c
}

// Define composes the gadgets.
func (c *TradeCircuit) Define(api frontend.API) error {
	return defineSigned(api, c.Markets, c.Constrain)
}

// defineSigned is the Define of a standalone circuit that checks signed orders: it builds the
// BN254 twisted Edwards curve, one range checker and the market table of markets, and runs
// constrain over them.
func defineSigned(api frontend.API, markets []MarketVars,
	constrain func(api frontend.API, curve twistededwards.Curve, a *Arith, table *MarketTable)) error {
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	a := &Arith{API: api, RC: rangecheck.New(api)}
	constrain(api, curve, a, NewMarketTable(a, markets))
	return nil
}

// Constrain adds the trade's rules over a shared curve, range checker and market vector (a batch
// of several trades builds these once; c.Markets is then unused).
func (c *TradeCircuit) Constrain(api frontend.API, curve twistededwards.Curve, a *Arith, table *MarketTable) {
	mk := table.GetWithCaps(c.Market)
	a.Unsigned(c.Size, 64)
	notional := api.Mul(c.Price, c.Size)

	var s0, abs0, s1, abs1 [2]frontend.Variable
	var fees [2]frontend.Variable
	for i, p := range []*PartyVars{&c.Buyer, &c.Seller} {
		buy := i == 0
		o := p.Order
		OrderSignature(api, curve, c.Separator, o, p.Key, p.Signature)
		api.AssertIsEqual(o.Account, p.Account)
		api.AssertIsEqual(o.Market, c.Market)
		side, d, cost := 0, c.Size, notional
		if !buy {
			side, d, cost = 1, api.Neg(c.Size), api.Neg(notional)
		}
		api.AssertIsEqual(o.Side, side)
		LimitPrice(a, c.Price, o.Price, buy)
		_, filled := FillSlot(a, o.Nonce, o.Size, p.FillNonce, p.FillFilled, c.Size)
		api.AssertIsEqual(filled, p.FilledAfter)
		fees[i] = Fee(a, notional, p.FeePpm, o.FeeCap)
		api.AssertIsEqual(fees[i], p.FeeOut)
		r := SettleAndCheck(a, table, p.Collateral, p.Positions, p.Select, c.Market, mk, d, cost, fees[i])
		api.AssertIsEqual(r.Collateral, p.CollateralAfter)
		api.AssertIsEqual(r.FundingSettled, p.FundingSettled)
		for j := range r.Positions {
			api.AssertIsEqual(r.Positions[j].Market, p.After[j].Market)
			api.AssertIsEqual(r.Positions[j].Size, p.After[j].Size)
			api.AssertIsEqual(r.Positions[j].Snapshot, p.After[j].Snapshot)
		}
		PositionLimit(a, r.Abs0, r.Abs1, mk.MaxPositionSize)
		ReduceOnly(api, o.ReduceOnly, r.Reduces)
		s0[i], abs0[i], s1[i], abs1[i] = r.S0, r.Abs0, r.S1, r.Abs1
	}
	// the fee balance never decreases: every taker rate covers every maker rebate (RiskConfig)
	a.Unsigned(api.Add(c.Buyer.FeePpm, c.Seller.FeePpm), 21)
	api.AssertIsEqual(api.Add(fees[0], fees[1]), c.FeeBalanceDelta)
	oi := OpenInterest(a, mk.OpenInterest, mk.OICap, s0, abs0, s1, abs1)
	api.AssertIsEqual(oi, c.OpenInterestAfter)
}
