package perp_test

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	geddsa "github.com/consensys/gnark/std/signature/eddsa"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// liqMarket is the market of the liquidation scenarios (oracle ≈ 1,300.03, MMF 3%).
const liqMarket = 3

// otherPositions: count positions in markets other than skip, with pending funding, signs
// alternating with flip.
func otherPositions(markets []reference.Market, skip, count int, flip int) []reference.Position {
	var out []reference.Position
	for m := 0; m < len(markets) && len(out) < count; m++ {
		if m == skip {
			continue
		}
		s := int64(20 + 3*m)
		if (m+flip)%2 == 0 {
			s = -s
		}
		out = append(out, reference.Position{Market: m, Size: s, Snapshot: markets[m].FundingIndex - int64(m+2)*765_432_109})
	}
	return out
}

// holderWith: an account whose entry 0 holds size s of liqMarket (pending funding) and n−1 other
// positions (or an empty entry 0 when s = 0), with the collateral that puts its equity (funding
// counted) at target.
func holderWith(markets []reference.Market, account uint32, n int, s int64, flip int, equity int64) reference.Holder {
	first := reference.Position{}
	if s != 0 {
		first = reference.Position{Market: liqMarket, Size: s, Snapshot: markets[liqMarket].FundingIndex - 2_500_000_000}
	}
	h := reference.Holder{Account: account, Positions: append([]reference.Position{first}, otherPositions(markets, liqMarket, n-1, flip)...)}
	h.Collateral = equity - equityOf(markets, h)
	return h
}

// equityOf is the holder's equity (funding counted) at collateral 0 offset: equity − collateral.
func equityOf(markets []reference.Market, h reference.Holder) int64 {
	a, _, _ := reference.Settle(markets, h.Collateral, h.Positions, 0, h.Positions[0].Market, 0, 0, 0)
	return a.Equity0 - h.Collateral
}

// mmrOf is the holder's Σ MMR at the oracle prices.
func mmrOf(markets []reference.Market, h reference.Holder) int64 {
	a, _, _ := reference.Settle(markets, h.Collateral, h.Positions, 0, h.Positions[0].Market, 0, 0, 0)
	return a.MMR0
}

// setEquity sets the holder's collateral so that its equity is e.
func setEquity(markets []reference.Market, h *reference.Holder, e int64) {
	h.Collateral = e - equityOf(markets, *h)
}

// liqScenario is a liquidation fill with the liquidator's key, so a test can change a field and
// re-sign.
type liqScenario struct {
	l   reference.Liquidation
	key *eddsa.PrivateKey
}

// newLiquidation: account 11 is long 100 of market 3 with n−1 other positions, 500 below its
// maintenance requirement; the liquidator (account 5, a resting buy of 300 at 1,310, 20 filled)
// buys 10 at 1,295; fee rate 1%, the fee at its bound; the fund holds 1,000,000.
func newLiquidation(t testing.TB, n int) *liqScenario {
	markets := newScenario(t, 1).t.Markets
	h := holderWith(markets, 11, n, 100, 0, 0)
	setEquity(markets, &h, mmrOf(markets, h)-500)
	liquidator := reference.Party{
		Account: 5, Collateral: 200_000, Slot: n - 1,
		Positions: append(otherPositions(markets, liqMarket, n-1, 1), reference.Position{}),
		FillNonce: 70_000, FillFilled: 20, FeePpm: 200,
		Order: messages.OrderMessage{Account: 5, Market: liqMarket, Side: 0, ClientOrderID: 90,
			Size: 300, Price: 1_310, FeeCap: 1_000, Expiry: 1_900_000_000, Nonce: 70_000},
	}
	sc := &liqScenario{key: key(t, 1)}
	liquidator.Key = sc.key.PublicKey
	sc.l = reference.Liquidation{Domain: demoDomain, Market: liqMarket, Price: 1_295, Size: 10,
		Liquidated: h, Liquidator: liquidator, FeePpm: 10_000, Fund: 1_000_000, Markets: markets}
	sc.resign(t)
	sc.feeAtBound()
	return sc
}

func (sc *liqScenario) resign(t testing.TB) {
	sc.l.Liquidator.Signature = sign(t, sc.key, sc.l.Domain, sc.l.Liquidator.Order)
}

// feeAtBound sets the fee to the engine's: the bound the reference computes.
func (sc *liqScenario) feeAtBound() {
	res, _ := reference.Liquidate(sc.l)
	sc.l.Fee = res.FeeBound
}

// newTakeover: account 11 (long 100 of market 3, n−1 others, 500 below maintenance) hands 10 to
// the fund (n−1 other positions, 1,000,000 collateral) at its bankruptcy price.
func newTakeover(t testing.TB, n int) reference.Takeover {
	markets := newScenario(t, 1).t.Markets
	h := holderWith(markets, 11, n, 100, 0, 0)
	setEquity(markets, &h, mmrOf(markets, h)-500)
	fund := reference.Holder{Account: reference.FundAccount, Collateral: 1_000_000, Slot: n - 1,
		Positions: append(otherPositions(markets, liqMarket, n-1, 1), reference.Position{})}
	tk := reference.Takeover{Market: liqMarket, Delta: -10, Account: h, Fund: fund, Markets: markets}
	tk.Price = bankruptcyPrice(t, markets, h, -tk.Delta)
	return tk
}

// newDeleverage: account 11 (long 100 of market 3, n−1 others) has equity −500; 40 of its long is
// closed against account 9's short 150 (n−1 others) at its bankruptcy price.
func newDeleverage(t testing.TB, n int) reference.Deleveraging {
	markets := newScenario(t, 1).t.Markets
	h := holderWith(markets, 11, n, 100, 0, -500)
	x := holderWith(markets, 9, n, -150, 1, 300_000)
	d := reference.Deleveraging{Market: liqMarket, Delta: -40, Deleveraged: h, Deleverager: x, Markets: markets}
	d.Price = bankruptcyPrice(t, markets, h, -d.Delta)
	return d
}

func bankruptcyPrice(t testing.TB, markets []reference.Market, h reference.Holder, c int64) int64 {
	b, err := reference.BankruptcyPrice(markets, h.Collateral, h.Positions, liqMarket, c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func marketVars(markets []reference.Market) []perp.MarketVars {
	out := make([]perp.MarketVars, len(markets))
	for i, m := range markets {
		out[i] = perp.MarketVars{Price: bi(m.Price), FundingIndex: bi(m.FundingIndex), OpenInterest: bi(m.OpenInterest),
			IMF: m.Risk.IMF, MMF: m.Risk.MMF, Baseline: m.Risk.Baseline, IncSize: m.Risk.IncSize, IncIMF: m.Risk.IncIMF,
			MaxPositionSize: m.Risk.MaxPositionSize, OICap: m.Risk.OICap}
	}
	return out
}

func selectVars(n, slot int) []frontend.Variable {
	out := make([]frontend.Variable, n)
	for j := range out {
		out[j] = 0
		if j == slot {
			out[j] = 1
		}
	}
	return out
}

// holderVars is a holder's witness with the reference's state after (an empty list after when a
// broken list rule left none).
func holderVars(h reference.Holder, a reference.PartyAfter) perp.HolderVars {
	n := len(h.Positions)
	if len(a.Positions) != n {
		a.Positions = make([]reference.Position, n)
	}
	return perp.HolderVars{Account: h.Account, Collateral: bi(h.Collateral), Positions: positionVars(h.Positions),
		Select: selectVars(n, h.Slot), After: positionVars(a.Positions), CollateralAfter: bi(a.Collateral),
		FundingSettled: bi(a.FundingSettled)}
}

// signedPartyVars is a signing party's witness with the reference's state after.
func signedPartyVars(t testing.TB, p reference.Party, a reference.PartyAfter) perp.PartyVars {
	n := len(p.Positions)
	if len(a.Positions) != n {
		a.Positions = make([]reference.Position, n)
	}
	var sig eddsa.Signature
	if _, err := sig.SetBytes(p.Signature); err != nil {
		t.Fatal(err)
	}
	var s fr.Element
	s.SetBytes(sig.S[:])
	return perp.PartyVars{
		Account: p.Account, Key: geddsa.PublicKey{A: twistededwards.Point{X: p.Key.A.X, Y: p.Key.A.Y}},
		Collateral: bi(p.Collateral), Positions: positionVars(p.Positions), Select: selectVars(n, p.Slot),
		FillNonce: p.FillNonce, FillFilled: p.FillFilled, FeePpm: bi(p.FeePpm), Order: orderVars(p.Order),
		Signature: geddsa.Signature{R: twistededwards.Point{X: sig.R.X, Y: sig.R.Y}, S: s},
		After:     positionVars(a.Positions), CollateralAfter: bi(a.Collateral), FilledAfter: a.FillFilled,
		FundingSettled: bi(a.FundingSettled), FeeOut: bi(a.Fee),
	}
}

func assignLiquidation(t testing.TB, l reference.Liquidation, res reference.LiquidationResult) *perp.LiquidationCircuit {
	c := perp.NewLiquidationCircuit(len(l.Liquidated.Positions), len(l.Markets))
	c.Separator = l.Domain.Separator(messages.Order)
	c.Markets = marketVars(l.Markets)
	c.Market, c.Price, c.Size, c.FeePpm, c.Fee = l.Market, bi(l.Price), bi(l.Size), bi(l.FeePpm), bi(l.Fee)
	c.Liquidated = holderVars(l.Liquidated, res.Liquidated)
	c.Liquidator = signedPartyVars(t, l.Liquidator, res.Liquidator)
	c.FundCollateral, c.FundCollateralAfter = bi(l.Fund), bi(res.FundCollateral)
	c.OpenInterestAfter, c.FeeBalanceDelta = bi(res.OpenInterest), bi(res.FeeBalanceDelta)
	return c
}

func assignTakeover(tk reference.Takeover, res reference.TakeoverResult) *perp.TakeoverCircuit {
	c := perp.NewTakeoverCircuit(len(tk.Account.Positions), len(tk.Markets))
	c.Markets = marketVars(tk.Markets)
	c.Market, c.Delta, c.Price = tk.Market, bi(tk.Delta), bi(tk.Price)
	c.Account, c.Fund = holderVars(tk.Account, res.Account), holderVars(tk.Fund, res.Fund)
	c.OpenInterestAfter = bi(res.OpenInterest)
	return c
}

func assignDeleverage(d reference.Deleveraging, res reference.DeleverageResult) *perp.DeleverageCircuit {
	c := perp.NewDeleverageCircuit(len(d.Deleveraged.Positions), len(d.Markets))
	c.Markets = marketVars(d.Markets)
	c.Market, c.Delta, c.Price = d.Market, bi(d.Delta), bi(d.Price)
	c.Deleveraged, c.Deleverager = holderVars(d.Deleveraged, res.Deleveraged), holderVars(d.Deleverager, res.Deleverager)
	c.OpenInterestAfter = bi(res.OpenInterest)
	return c
}

// solveLiquidation, solveTakeover, solveDeleverage run the test engine on the witness the
// reference computes (so that only a broken rule can fail).
func solveLiquidation(t testing.TB, l reference.Liquidation) error {
	res, _ := reference.Liquidate(l)
	n := len(l.Liquidated.Positions)
	return test.IsSolved(perp.NewLiquidationCircuit(n, len(l.Markets)), assignLiquidation(t, l, res), ecc.BN254.ScalarField())
}

func solveTakeover(tk reference.Takeover) error {
	res, _ := reference.InsuranceTakeover(tk)
	n := len(tk.Account.Positions)
	return test.IsSolved(perp.NewTakeoverCircuit(n, len(tk.Markets)), assignTakeover(tk, res), ecc.BN254.ScalarField())
}

func solveDeleverage(d reference.Deleveraging) error {
	res, _ := reference.Deleverage(d)
	n := len(d.Deleveraged.Positions)
	return test.IsSolved(perp.NewDeleverageCircuit(n, len(d.Markets)), assignDeleverage(d, res), ecc.BN254.ScalarField())
}
