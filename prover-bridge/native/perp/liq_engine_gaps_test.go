package perp_test

import (
	"reflect"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// The two sequences below are what the engine does (docs/perp-circuit.md §11.3, differences 1
// and 3) and what the circuit refuses; they pin the gaps the batcher must close.

// TestDeleveragePartSplitAcrossCounterparties: the engine prices every counterparty's share of a
// part at the part's bankruptcy price, computed once (Liquidator.deleverage). The whole part
// against one counterparty at that price solves; split 8 + 92, the second share at the part's
// price (1,331) is refused — its own bankruptcy price after the first share is 1,330.
func TestDeleveragePartSplitAcrossCounterparties(t *testing.T) {
	d := newDeleverage(t, 1)
	setEquity(d.Markets, &d.Deleveraged, -3_000)
	part := bankruptcyPrice(t, d.Markets, d.Deleveraged, 100)
	whole := d
	whole.Delta, whole.Price = -100, part
	if _, b := reference.Deleverage(whole); len(b) != 0 {
		t.Fatalf("the whole part at its price: %v", b)
	}
	if err := solveDeleverage(whole); err != nil {
		t.Fatalf("the whole part at its price does not solve: %v", err)
	}
	first := d
	first.Delta, first.Price = -8, part
	res, _ := reference.Deleverage(first)
	second := d
	second.Deleveraged.Collateral, second.Deleveraged.Positions = res.Deleveraged.Collateral, res.Deleveraged.Positions
	second.Delta, second.Price = -92, part
	if _, b := reference.Deleverage(second); !reflect.DeepEqual(b, []reference.Rule{reference.RuleBankruptcyPrice}) {
		t.Fatalf("the second share at the part's price %d: %v", part, b)
	}
	if err := solveDeleverage(second); err == nil {
		t.Fatal("the second share at the part's price solves")
	}
	own := bankruptcyPrice(t, d.Markets, second.Deleveraged, 92)
	second.Price = own
	if _, b := reference.Deleverage(second); len(b) != 0 || own == part {
		t.Fatalf("the second share at its own price %d (part %d): %v", own, part, b)
	}
	t.Logf("part price %d, the second share's own %d", part, own)
}

// TestTakeoverAfterFillsLiftedTheAccount replays the first step of the engine's
// LiquidationScenarioTest.twentyTimesLongThroughACrashIsLiquidatedPartiallyThenFully (market BTC
// of RiskMathTest: IMF 5%, MMF 3%, no trading fees; liquidation fee 1%): account 1, long 100 with
// collateral −95,000, at oracle 975 (equity 2,500 < Σ MMR 2,925) sells 30 of its 52-step to a bid
// at 970 (fee 291, collateral −66,191, fund 291), which leaves equity 2,059 ≥ Σ MMR 2,048; the
// engine then hands the other 22 to the fund at 946 (its InsuranceTakeover record). The reference
// and the circuit accept the fill with the engine's numbers and refuse that takeover
// (docs/perp-circuit.md §11.3, difference 1).
func TestTakeoverAfterFillsLiftedTheAccount(t *testing.T) {
	btc := reference.Risk{IMF: 50_000, MMF: 30_000, Baseline: 100, IncSize: 50, IncIMF: 10_000, MaxPositionSize: 1_000, OICap: 10_000}
	markets := []reference.Market{{Price: 1 << 32, Risk: btc}, {Price: 975 << 32, OpenInterest: 100, Risk: btc}}
	k := key(t, 3)
	o := messages.OrderMessage{Account: 3, Market: 1, Side: 0, Size: 30, Price: 970, FeeCap: 0, Expiry: 1_900_000_000, Nonce: 1}
	l := reference.Liquidation{Domain: demoDomain, Market: 1, Price: 970, Size: 30, FeePpm: 10_000, Fee: 291, Fund: 0, Markets: markets,
		Liquidated: reference.Holder{Account: 1, Collateral: -95_000, Positions: []reference.Position{{Market: 1, Size: 100}}},
		Liquidator: reference.Party{Account: 3, Key: k.PublicKey, Collateral: 1_000_000, Positions: []reference.Position{{}},
			Order: o, Signature: sign(t, k, demoDomain, o)}}
	res, b := reference.Liquidate(l)
	if len(b) != 0 || res.FeeBound != 291 || res.Liquidated.Collateral != -66_191 || res.Liquidator.Collateral != 970_900 || res.FundCollateral != 291 {
		t.Fatalf("the fill: %v, fee bound %d, collaterals %d, %d, fund %d", b, res.FeeBound, res.Liquidated.Collateral, res.Liquidator.Collateral, res.FundCollateral)
	}
	if err := solveLiquidation(t, l); err != nil {
		t.Fatalf("the fill does not solve: %v", err)
	}
	if res.Liquidated.Equity1 != 2_059 || res.Liquidated.MMR1 != 2_048 {
		t.Fatalf("after the fill: equity %d, Σ MMR %d", res.Liquidated.Equity1, res.Liquidated.MMR1)
	}
	tk := reference.Takeover{Market: 1, Delta: -22, Price: 946, Markets: markets,
		Account: reference.Holder{Account: 1, Collateral: res.Liquidated.Collateral, Positions: res.Liquidated.Positions},
		Fund:    reference.Holder{Account: reference.FundAccount, Collateral: 291, Positions: []reference.Position{{}}}}
	tr, b := reference.InsuranceTakeover(tk)
	if !reflect.DeepEqual(b, []reference.Rule{reference.RuleNotLiquidatable}) || tr.BankruptcyPrice != 946 ||
		tr.Account.Collateral != -45_379 || tr.Fund.Collateral != -20_521 {
		t.Fatalf("the rest's takeover: %v, price %d, collaterals %d, %d", b, tr.BankruptcyPrice, tr.Account.Collateral, tr.Fund.Collateral)
	}
	if err := solveTakeover(tk); err == nil {
		t.Fatal("the takeover of a no longer liquidatable account solves")
	}
}

// TestBankruptAccountsSecondPositionAfterRounding: a bankrupt account (value −1) with a short 20
// in market 0 and a long 100 in market 3 has every position closed, ascending market id
// (Liquidator.step). The first close, at the short's bankruptcy price (rounded in the account's
// favour), leaves its equity at 19 ≥ 0; the engine goes on to deleverage the long in the same
// step, which the deleveraging circuit refuses (not-bankrupt): docs/perp-circuit.md §11.3,
// difference 2.
func TestBankruptAccountsSecondPositionAfterRounding(t *testing.T) {
	d := newDeleverage(t, 2)
	setEquity(d.Markets, &d.Deleveraged, -1)
	short := d.Deleveraged.Positions[1]
	if short.Market != 0 || short.Size != -20 {
		t.Fatalf("scenario: entry 1 is %+v", short)
	}
	first := d
	first.Market, first.Delta = 0, 20
	first.Deleveraged.Slot = 1
	first.Deleverager = reference.Holder{Account: 9, Collateral: 300_000, Positions: []reference.Position{{Market: 0, Size: 60, Snapshot: d.Markets[0].FundingIndex}, {}}}
	first.Price = bankruptcyPrice0(t, first)
	res, b := reference.Deleverage(first)
	if len(b) != 0 {
		t.Fatalf("the first close: %v", b)
	}
	if err := solveDeleverage(first); err != nil {
		t.Fatalf("the first close does not solve: %v", err)
	}
	if res.Deleveraged.Equity1 != 19 {
		t.Fatalf("equity after the first close: %d", res.Deleveraged.Equity1)
	}
	second := d
	second.Deleveraged.Collateral, second.Deleveraged.Positions = res.Deleveraged.Collateral, res.Deleveraged.Positions
	second.Delta = -100
	second.Price = bankruptcyPrice(t, d.Markets, second.Deleveraged, 100)
	if _, b := reference.Deleverage(second); !reflect.DeepEqual(b, []reference.Rule{reference.RuleNotBankrupt}) {
		t.Fatalf("the second close: %v", b)
	}
	if err := solveDeleverage(second); err == nil {
		t.Fatal("the second close of an account of value 19 solves")
	}
}

// bankruptcyPrice0 is the bankruptcy price of a deleveraging's close in its own market.
func bankruptcyPrice0(t *testing.T, d reference.Deleveraging) int64 {
	b, err := reference.BankruptcyPrice(d.Markets, d.Deleveraged.Collateral, d.Deleveraged.Positions, d.Market, -d.Delta)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
