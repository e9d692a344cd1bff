package liqstep

import (
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// forcedLiquidation builds the step of a liquidation whatever the reference says.
func (w *world) forcedLiquidation(t testing.TB, l Liquidation) (*LiquidationCircuit, []reference.Rule) {
	t.Helper()
	x, err := executeLiquidation(w.state, l, true)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x.assign(l, w.n, shapeK(w.n))
	if err != nil {
		t.Fatal(err)
	}
	return c, x.broken
}

// forcedMove builds the step of a takeover (counterparty the fund) or a deleveraging whatever the
// reference says.
func (w *world) forcedMove(t testing.TB, tx moveTx) (*moveExec, []reference.Rule) {
	t.Helper()
	x, err := executeMove(w.state, tx, true)
	if err != nil {
		t.Fatal(err)
	}
	return x, x.broken
}

func takeoverTx(tk Takeover) moveTx {
	return moveTx{account: tk.Account, counterparty: FundAccount, market: tk.Market, delta: tk.Delta, price: tk.Price, takeover: true}
}

func deleverageTx(d Deleveraging) moveTx {
	return moveTx{account: d.Account, counterparty: uint64(d.Deleverager), market: d.Market, delta: d.Delta, price: d.Price}
}

// setPosition replaces an account's position in market 3 (entry 0).
func (w *world) setPosition(t testing.TB, id uint64, size int64) {
	t.Helper()
	a, _ := w.state.Account(id)
	a.Positions[0].Size = size
	if err := w.state.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: a.Collateral, Positions: a.Positions}); err != nil {
		t.Fatal(err)
	}
}

// TestLiquidationRuleBrokenAloneIsUnsatisfiable: each rule of perp.LiquidationCircuit broken once
// through the step (N = 1): the reference names exactly that rule, ApplyLiquidation refuses it
// with the state unchanged, and the step built from the forced execution is unsatisfiable.
func TestLiquidationRuleBrokenAloneIsUnsatisfiable(t *testing.T) {
	cases := []struct {
		name   string
		rule   reference.Rule
		break_ func(t *testing.T, w *world, l *Liquidation)
	}{
		{"healthy: equity at maintenance", reference.RuleNotLiquidatable, func(t *testing.T, w *world, l *Liquidation) {
			w.setEquity(t, liquidatedID, func(_, mmr int64) int64 { return mmr })
			w.feeAtBound(t, l)
		}},
		{"healthy: one quantum above maintenance", reference.RuleNotLiquidatable, func(t *testing.T, w *world, l *Liquidation) {
			w.setEquity(t, liquidatedID, func(_, mmr int64) int64 { return mmr + 1 })
			w.feeAtBound(t, l)
		}},
		{"fee one above the equity left after the fill", reference.RuleLiquidationFee, func(t *testing.T, w *world, l *Liquidation) {
			w.setEquity(t, liquidatedID, func(_, _ int64) int64 { return 100 })
			w.feeAtBound(t, l)
			if l.Fee >= 130 {
				t.Fatalf("the equity does not cap the fee: %d", l.Fee)
			}
			l.Fee++
		}},
		{"signature over another price", reference.RuleSignature, func(t *testing.T, w *world, l *Liquidation) {
			l.Liquidator.Order.Price = 1_320
		}},
		{"flip: sells 110 of a long 100", reference.RuleShrink, func(t *testing.T, w *world, l *Liquidation) {
			l.Size = 110
			w.feeAtBound(t, l)
		}},
		{"growth: buys from a resting sell", reference.RuleShrink, func(t *testing.T, w *world, l *Liquidation) {
			l.Liquidator.Order.Side, l.Liquidator.Order.Price = 1, 1_290
			w.sign(t, l)
			w.feeAtBound(t, l)
		}},
		{"price above the liquidator's limit", reference.RuleLimit, func(t *testing.T, w *world, l *Liquidation) {
			l.Price = 1_311
			w.feeAtBound(t, l)
		}},
		{"fee one above its bound", reference.RuleLiquidationFee, func(t *testing.T, w *world, l *Liquidation) { l.Fee++ }},
		{"negative fee", reference.RuleLiquidationFee, func(t *testing.T, w *world, l *Liquidation) { l.Fee = -1 }},
		{"signature over another order", reference.RuleSignature, func(t *testing.T, w *world, l *Liquidation) {
			l.Liquidator.Order.ClientOrderID++
		}},
		{"liquidator below initial margin", reference.RuleMargin, func(t *testing.T, w *world, l *Liquidation) {
			w.setCollateral(t, liquidatorID, -100_000)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, 1)
			l := w.liquidation(t)
			tc.break_(t, w, &l)
			before := w.state.Root()
			_, err := ApplyLiquidation(w.state, l)
			onlyRule(t, err, tc.rule)
			c, broken := w.forcedLiquidation(t, l)
			if len(broken) != 1 || broken[0] != tc.rule {
				t.Fatalf("forced execution breaks %v", broken)
			}
			if w.state.Root() != before {
				t.Fatal("the refusal changed the state")
			}
			if solve(w.liqCircuit(), c) == nil {
				t.Fatal("the step solves with a broken rule")
			}
		})
	}
}

// TestTakeoverRuleBrokenAloneIsUnsatisfiable: each rule of perp.TakeoverCircuit broken once.
func TestTakeoverRuleBrokenAloneIsUnsatisfiable(t *testing.T) {
	cases := []struct {
		name   string
		rule   reference.Rule
		break_ func(t *testing.T, w *world, tk *Takeover)
	}{
		{"at maintenance", reference.RuleNotLiquidatable, func(t *testing.T, w *world, tk *Takeover) {
			w.setEquity(t, liquidatedID, func(_, mmr int64) int64 { return mmr })
			tk.Price = w.bankruptcyPrice(t, liquidatedID, 10)
		}},
		{"flip: 110 of a long 100", reference.RuleShrink, func(t *testing.T, w *world, tk *Takeover) {
			tk.Delta, tk.Price = -110, w.bankruptcyPrice(t, liquidatedID, 110)
		}},
		{"growth", reference.RuleShrink, func(t *testing.T, w *world, tk *Takeover) {
			tk.Delta, tk.Price = 10, w.bankruptcyPrice(t, liquidatedID, -10)
		}},
		{"one above the bankruptcy price", reference.RuleBankruptcyPrice, func(t *testing.T, w *world, tk *Takeover) { tk.Price++ }},
		{"one below the bankruptcy price", reference.RuleBankruptcyPrice, func(t *testing.T, w *world, tk *Takeover) { tk.Price-- }},
		{"the fund's equity goes negative", reference.RuleFundEquity, func(t *testing.T, w *world, tk *Takeover) {
			w.setCollateral(t, FundAccount, -2_000_000)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, 1)
			tk := w.takeover(t)
			tc.break_(t, w, &tk)
			before := w.state.Root()
			_, err := ApplyTakeover(w.state, tk)
			onlyRule(t, err, tc.rule)
			x, broken := w.forcedMove(t, takeoverTx(tk))
			if len(broken) != 1 || broken[0] != tc.rule {
				t.Fatalf("forced execution breaks %v", broken)
			}
			if w.state.Root() != before {
				t.Fatal("the refusal changed the state")
			}
			c, err := x.assignTakeover(tk, 1, shapeK(1))
			if err != nil {
				t.Fatal(err)
			}
			if solve(NewTakeoverCircuit(1, shapeK(1)), c) == nil {
				t.Fatal("the step solves with a broken rule")
			}
		})
	}
}

// TestDeleverageRuleBrokenAloneIsUnsatisfiable: each rule of perp.DeleverageCircuit broken once.
func TestDeleverageRuleBrokenAloneIsUnsatisfiable(t *testing.T) {
	cases := []struct {
		name   string
		rule   reference.Rule
		break_ func(t *testing.T, w *world, d *Deleveraging)
	}{
		{"value 0: not bankrupt", reference.RuleNotBankrupt, func(t *testing.T, w *world, d *Deleveraging) {
			w.setEquity(t, liquidatedID, func(_, _ int64) int64 { return 0 })
			d.Price = w.bankruptcyPrice(t, liquidatedID, 40)
		}},
		{"value 1: not bankrupt", reference.RuleNotBankrupt, func(t *testing.T, w *world, d *Deleveraging) {
			w.setEquity(t, liquidatedID, func(_, _ int64) int64 { return 1 })
			d.Price = w.bankruptcyPrice(t, liquidatedID, 40)
		}},
		{"the deleverager flips (short 30 takes 40)", reference.RuleDeleveragerShrinks, func(t *testing.T, w *world, d *Deleveraging) {
			w.setPosition(t, deleveragerID, -30)
		}},
		{"at the oracle price", reference.RuleBankruptcyPrice, func(t *testing.T, w *world, d *Deleveraging) {
			d.Price = int64(testMarket(liqMarket).OraclePrice >> 32)
		}},
		{"the deleveraged position flips", reference.RuleShrink, func(t *testing.T, w *world, d *Deleveraging) {
			d.Delta, d.Price = -110, w.bankruptcyPrice(t, liquidatedID, 110)
		}},
		{"the deleverager grows", reference.RuleDeleveragerShrinks, func(t *testing.T, w *world, d *Deleveraging) {
			w.setPosition(t, deleveragerID, 150)
		}},
		{"one above the bankruptcy price", reference.RuleBankruptcyPrice, func(t *testing.T, w *world, d *Deleveraging) { d.Price++ }},
		{"one below the bankruptcy price", reference.RuleBankruptcyPrice, func(t *testing.T, w *world, d *Deleveraging) { d.Price-- }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, 1)
			d := w.deleveraging(t)
			tc.break_(t, w, &d)
			before := w.state.Root()
			_, err := ApplyDeleverage(w.state, d)
			onlyRule(t, err, tc.rule)
			x, broken := w.forcedMove(t, deleverageTx(d))
			if len(broken) != 1 || broken[0] != tc.rule {
				t.Fatalf("forced execution breaks %v", broken)
			}
			if w.state.Root() != before {
				t.Fatal("the refusal changed the state")
			}
			c, err := x.assignDeleverage(d, 1, shapeK(1))
			if err != nil {
				t.Fatal(err)
			}
			if solve(NewDeleverageCircuit(1, shapeK(1)), c) == nil {
				t.Fatal("the step solves with a broken rule")
			}
		})
	}
}
