package perp_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

var listSizes = []int{1, 8}

// TestValidLiquidationSolves: the liquidation fill of newLiquidation (500 below maintenance, fee
// at its bound) is accepted by the reference and solves, with 1 and 8 positions per account; the
// fee goes from the account to the fund, and the fund's collateral grows by exactly the fee.
func TestValidLiquidationSolves(t *testing.T) {
	for _, n := range listSizes {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			sc := newLiquidation(t, n)
			res, broken := reference.Liquidate(sc.l)
			if len(broken) != 0 {
				t.Fatalf("the reference refuses the valid liquidation: %v", broken)
			}
			a := res.Liquidated
			if a.Equity0 >= a.MMR0 || sc.l.Fee <= 0 || res.FundCollateral != sc.l.Fund+sc.l.Fee {
				t.Fatalf("scenario: equity %d, MMR %d, fee %d, fund %d → %d", a.Equity0, a.MMR0, sc.l.Fee, sc.l.Fund, res.FundCollateral)
			}
			// collateral after = before + funding + 10 · 1,295 − fee
			if a.Collateral != sc.l.Liquidated.Collateral+a.FundingSettled+10*1_295-sc.l.Fee {
				t.Fatalf("liquidated collateral %d", a.Collateral)
			}
			t.Logf("equity %d < MMR %d; fee %d (bound %d); liquidator fee %d", a.Equity0, a.MMR0, sc.l.Fee, res.FeeBound, res.Liquidator.Fee)
			if err := solveLiquidation(t, sc.l); err != nil {
				t.Fatalf("valid liquidation does not solve: %v", err)
			}
		})
	}
}

// TestValidTakeoverSolves: the fund takes 10 of the long at the bankruptcy price; both
// collaterals change by exactly c · b.
func TestValidTakeoverSolves(t *testing.T) {
	for _, n := range listSizes {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			tk := newTakeover(t, n)
			res, broken := reference.InsuranceTakeover(tk)
			if len(broken) != 0 {
				t.Fatalf("the reference refuses the valid takeover: %v", broken)
			}
			c := -tk.Delta
			if res.Account.Collateral != tk.Account.Collateral+res.Account.FundingSettled+c*tk.Price ||
				res.Fund.Collateral != tk.Fund.Collateral+res.Fund.FundingSettled-c*tk.Price {
				t.Fatalf("collaterals %d, %d", res.Account.Collateral, res.Fund.Collateral)
			}
			t.Logf("bankruptcy price %d; account equity %d → %d, MMR %d → %d", tk.Price, res.Account.Equity0, res.Account.Equity1, res.Account.MMR0, res.Account.MMR1)
			if err := solveTakeover(tk); err != nil {
				t.Fatalf("valid takeover does not solve: %v", err)
			}
		})
	}
}

// TestValidDeleverageSolves: 40 of the bankrupt long against the short, at the bankruptcy price
// (above the oracle price: the account's loss is passed on), both collaterals change exactly.
func TestValidDeleverageSolves(t *testing.T) {
	for _, n := range listSizes {
		for _, delta := range []int64{-40, -100} {
			t.Run(fmt.Sprintf("N=%d/delta=%d", n, delta), func(t *testing.T) {
				d := newDeleverage(t, n)
				d.Delta = delta
				d.Price = bankruptcyPrice(t, d.Markets, d.Deleveraged, -delta)
				res, broken := reference.Deleverage(d)
				if len(broken) != 0 {
					t.Fatalf("the reference refuses the valid deleveraging: %v", broken)
				}
				c := -d.Delta
				if res.Deleveraged.Collateral != d.Deleveraged.Collateral+res.Deleveraged.FundingSettled+c*d.Price ||
					res.Deleverager.Collateral != d.Deleverager.Collateral+res.Deleverager.FundingSettled-c*d.Price {
					t.Fatalf("collaterals %d, %d", res.Deleveraged.Collateral, res.Deleverager.Collateral)
				}
				if d.Price <= int64(uint64(d.Markets[liqMarket].Price)>>32) {
					t.Fatalf("bankruptcy price %d of a bankrupt long is not above the oracle", d.Price)
				}
				// equity / MMR never falls for the closed account; a whole close leaves equity ≥ 0 only
				// if the account had no other position (here it keeps its others)
				t.Logf("bankruptcy price %d; equity %d → %d", d.Price, res.Deleveraged.Equity0, res.Deleveraged.Equity1)
				if err := solveDeleverage(d); err != nil {
					t.Fatalf("valid deleveraging does not solve: %v", err)
				}
			})
		}
	}
}

// Each case breaks one rule alone: the reference reports exactly that rule and the circuit is
// unsatisfiable (the witness's outputs recomputed by the reference). With 1 and 8 positions.
func TestLiquidationRulesBrokenAloneAreUnsatisfiable(t *testing.T) {
	healthy := func(above int64) func(t *testing.T, sc *liqScenario) {
		return func(t *testing.T, sc *liqScenario) {
			setEquity(sc.l.Markets, &sc.l.Liquidated, mmrOf(sc.l.Markets, sc.l.Liquidated)+above)
			sc.feeAtBound()
		}
	}
	cases := []struct {
		name   string
		rule   reference.Rule
		break_ func(t *testing.T, sc *liqScenario)
	}{
		{"healthy account: equity exactly at maintenance", reference.RuleNotLiquidatable, healthy(0)},
		{"healthy account: one quantum above maintenance", reference.RuleNotLiquidatable, healthy(1)},
		{"the fill flips the position", reference.RuleShrink, func(t *testing.T, sc *liqScenario) {
			sc.l.Size = 110
			sc.feeAtBound()
		}},
		{"the fill grows the position", reference.RuleShrink, func(t *testing.T, sc *liqScenario) {
			sc.l.Liquidator.Order.Side, sc.l.Liquidator.Order.Price = 1, 1_290
			sc.resign(t)
			sc.feeAtBound()
		}},
		{"price above the liquidator's buy limit", reference.RuleLimit, func(t *testing.T, sc *liqScenario) {
			sc.l.Price = 1_311
			sc.feeAtBound()
		}},
		{"fee one above its bound", reference.RuleLiquidationFee, func(t *testing.T, sc *liqScenario) { sc.l.Fee++ }},
		{"fee one above the equity left", reference.RuleLiquidationFee, func(t *testing.T, sc *liqScenario) {
			// equity after the fill 40: the bound is the equity, not 1% of the notional
			setEquity(sc.l.Markets, &sc.l.Liquidated, 40+10*(1_300-1_295)+1)
			sc.feeAtBound()
			if sc.l.Fee >= 130 {
				t.Fatalf("the bound %d is not the equity", sc.l.Fee)
			}
			sc.l.Fee++
		}},
		{"negative fee", reference.RuleLiquidationFee, func(t *testing.T, sc *liqScenario) { sc.l.Fee = -1 }},
		{"liquidator's signature over another price", reference.RuleSignature, func(t *testing.T, sc *liqScenario) {
			sc.l.Liquidator.Order.Price = 1_400
			sc.resign(t)
			sc.l.Liquidator.Order.Price = 1_310
		}},
		{"liquidator below initial margin", reference.RuleMargin, func(t *testing.T, sc *liqScenario) {
			sc.l.Liquidator.Collateral = -5_000
		}},
	}
	for _, n := range listSizes {
		for _, c := range cases {
			t.Run(fmt.Sprintf("N=%d/%s", n, c.name), func(t *testing.T) {
				sc := newLiquidation(t, n)
				c.break_(t, sc)
				if _, broken := reference.Liquidate(sc.l); !reflect.DeepEqual(broken, []reference.Rule{c.rule}) {
					t.Fatalf("the reference reports %v, want only %s", broken, c.rule)
				}
				if err := solveLiquidation(t, sc.l); err == nil {
					t.Fatalf("breaking %s alone still solves", c.rule)
				}
			})
		}
	}
}

// TestLiquidationBoundaries: one quantum below maintenance and a fee exactly at an equity-capped
// bound both solve.
func TestLiquidationBoundaries(t *testing.T) {
	for _, n := range listSizes {
		sc := newLiquidation(t, n)
		setEquity(sc.l.Markets, &sc.l.Liquidated, mmrOf(sc.l.Markets, sc.l.Liquidated)-1)
		sc.feeAtBound()
		if _, b := reference.Liquidate(sc.l); len(b) != 0 {
			t.Fatalf("N=%d one below maintenance: %v", n, b)
		}
		if err := solveLiquidation(t, sc.l); err != nil {
			t.Fatalf("N=%d one below maintenance does not solve: %v", n, err)
		}
		setEquity(sc.l.Markets, &sc.l.Liquidated, 40+10*(1_300-1_295)+1)
		sc.feeAtBound()
		if _, b := reference.Liquidate(sc.l); len(b) != 0 || sc.l.Fee >= 130 {
			t.Fatalf("N=%d equity-capped fee %d: %v", n, sc.l.Fee, b)
		}
		if err := solveLiquidation(t, sc.l); err != nil {
			t.Fatalf("N=%d equity-capped fee does not solve: %v", n, err)
		}
	}
}

func TestTakeoverRulesBrokenAloneAreUnsatisfiable(t *testing.T) {
	repriced := func(tk *reference.Takeover) {
		tk.Price = bankruptcyPrice(t, tk.Markets, tk.Account, -tk.Delta)
	}
	cases := []struct {
		name   string
		rule   reference.Rule
		break_ func(tk *reference.Takeover)
	}{
		{"healthy account: equity exactly at maintenance", reference.RuleNotLiquidatable, func(tk *reference.Takeover) {
			setEquity(tk.Markets, &tk.Account, mmrOf(tk.Markets, tk.Account))
			repriced(tk)
		}},
		{"the takeover flips the position", reference.RuleShrink, func(tk *reference.Takeover) { tk.Delta = -101; repriced(tk) }},
		{"the takeover grows the position", reference.RuleShrink, func(tk *reference.Takeover) { tk.Delta = 10; repriced(tk) }},
		{"one above the bankruptcy price", reference.RuleBankruptcyPrice, func(tk *reference.Takeover) { tk.Price++ }},
		{"one below the bankruptcy price", reference.RuleBankruptcyPrice, func(tk *reference.Takeover) { tk.Price-- }},
		{"the fund's equity would go negative", reference.RuleFundEquity, func(tk *reference.Takeover) {
			setEquity(tk.Markets, &tk.Fund, 10*tk.Price-10*1_300-200)
		}},
	}
	for _, n := range listSizes {
		for _, c := range cases {
			t.Run(fmt.Sprintf("N=%d/%s", n, c.name), func(t *testing.T) {
				tk := newTakeover(t, n)
				c.break_(&tk)
				if _, broken := reference.InsuranceTakeover(tk); !reflect.DeepEqual(broken, []reference.Rule{c.rule}) {
					t.Fatalf("the reference reports %v, want only %s", broken, c.rule)
				}
				if err := solveTakeover(tk); err == nil {
					t.Fatalf("breaking %s alone still solves", c.rule)
				}
			})
		}
	}
}

func TestDeleverageRulesBrokenAloneAreUnsatisfiable(t *testing.T) {
	repriced := func(d *reference.Deleveraging) {
		d.Price = bankruptcyPrice(t, d.Markets, d.Deleveraged, -d.Delta)
	}
	bankrupt := func(e int64) func(d *reference.Deleveraging) {
		return func(d *reference.Deleveraging) {
			setEquity(d.Markets, &d.Deleveraged, e)
			repriced(d)
		}
	}
	cases := []struct {
		name   string
		rule   reference.Rule
		break_ func(d *reference.Deleveraging)
	}{
		{"account of value 0", reference.RuleNotBankrupt, bankrupt(0)},
		{"account of value 1", reference.RuleNotBankrupt, bankrupt(1)},
		{"the deleverager's position grows", reference.RuleDeleveragerShrinks, func(d *reference.Deleveraging) {
			d.Deleverager = holderWith(d.Markets, 9, len(d.Deleverager.Positions), 150, 1, 300_000)
		}},
		{"the deleverager's position flips", reference.RuleDeleveragerShrinks, func(d *reference.Deleveraging) {
			d.Deleverager = holderWith(d.Markets, 9, len(d.Deleverager.Positions), -30, 1, 300_000)
		}},
		{"the deleveraged position flips", reference.RuleShrink, func(d *reference.Deleveraging) { d.Delta = -120; repriced(d) }},
		{"one above the bankruptcy price", reference.RuleBankruptcyPrice, func(d *reference.Deleveraging) { d.Price++ }},
		{"one below the bankruptcy price", reference.RuleBankruptcyPrice, func(d *reference.Deleveraging) { d.Price-- }},
		{"at the oracle price", reference.RuleBankruptcyPrice, func(d *reference.Deleveraging) { d.Price = 1_300 }},
	}
	for _, n := range listSizes {
		for _, c := range cases {
			t.Run(fmt.Sprintf("N=%d/%s", n, c.name), func(t *testing.T) {
				d := newDeleverage(t, n)
				c.break_(&d)
				if _, broken := reference.Deleverage(d); !reflect.DeepEqual(broken, []reference.Rule{c.rule}) {
					t.Fatalf("the reference reports %v, want only %s", broken, c.rule)
				}
				if err := solveDeleverage(d); err == nil {
					t.Fatalf("breaking %s alone still solves", c.rule)
				}
			})
		}
	}
}

// TestDeleverageBoundary: value −1 is deleveraged (solves), value 0 is not (above).
func TestDeleverageBoundary(t *testing.T) {
	for _, n := range listSizes {
		d := newDeleverage(t, n)
		setEquity(d.Markets, &d.Deleveraged, -1)
		d.Price = bankruptcyPrice(t, d.Markets, d.Deleveraged, -d.Delta)
		if _, b := reference.Deleverage(d); len(b) != 0 {
			t.Fatalf("N=%d value −1: %v", n, b)
		}
		if err := solveDeleverage(d); err != nil {
			t.Fatalf("N=%d value −1 does not solve: %v", n, err)
		}
	}
}
