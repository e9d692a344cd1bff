package liqstep

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

func plusOne(v frontend.Variable) *big.Int {
	switch x := v.(type) {
	case *big.Int:
		return new(big.Int).Add(x, big.NewInt(1))
	case uint64:
		return new(big.Int).Add(new(big.Int).SetUint64(x), big.NewInt(1))
	case uint32:
		return big.NewInt(int64(x) + 1)
	case uint8:
		return big.NewInt(int64(x) + 1)
	case int:
		return big.NewInt(int64(x) + 1)
	}
	panic("plusOne: unexpected witness type")
}

// idBytes writes an account id into 3 bytes of public data at offset.
func idBytes(pd []frontend.Variable, offset int, id uint64) {
	for i := 0; i < 3; i++ {
		pd[offset+i] = byte(id >> (8 * (2 - i)))
	}
}

// TestLiquidationBindingsAreUnsatisfiable: the valid liquidation with one opened value that is not
// in the old root (each account path, the fill path, the market path, a table path, the fund's
// collateral before and after together so the rules still hold, the liquidated identity, the
// liquidator's nonce, the market's timestamp, the fee balance), with another account id than the
// path's (the public data written for that id), the fund or the liquidator as the liquidated
// account, or a wrong new root: unsatisfiable.
func TestLiquidationBindingsAreUnsatisfiable(t *testing.T) {
	w := newWorld(t, 1)
	l := w.liquidation(t)
	fresh := func() *LiquidationCircuit {
		c, _, err := WitnessLiquidation(w.state, l, 1, shapeK(1))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if err := solve(w.liqCircuit(), fresh()); err != nil {
		t.Fatal(err)
	}
	next, err := ApplyLiquidation(w.state, l)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(c *LiquidationCircuit){
		"liquidated path, level 0":  func(c *LiquidationCircuit) { c.Step.Liquidated.Path[0] = plusOne(c.Step.Liquidated.Path[0]) },
		"liquidated path, level 23": func(c *LiquidationCircuit) { c.Step.Liquidated.Path[23] = plusOne(c.Step.Liquidated.Path[23]) },
		"liquidator path": func(c *LiquidationCircuit) {
			c.Step.Liquidator.AccountPath[5] = plusOne(c.Step.Liquidator.AccountPath[5])
		},
		"liquidator fill path":    func(c *LiquidationCircuit) { c.Step.Liquidator.FillPath[3] = plusOne(c.Step.Liquidator.FillPath[3]) },
		"fund path":               func(c *LiquidationCircuit) { c.Step.Fund.Path[0] = plusOne(c.Step.Fund.Path[0]) },
		"market path":             func(c *LiquidationCircuit) { c.Step.Market.Path[2] = plusOne(c.Step.Market.Path[2]) },
		"table path of market 0":  func(c *LiquidationCircuit) { c.Step.Table[0].Path[1] = plusOne(c.Step.Table[0].Path[1]) },
		"table price of market 1": func(c *LiquidationCircuit) { c.Step.Rules.Markets[1].Price = plusOne(c.Step.Rules.Markets[1].Price) },
		"liquidated identity":     func(c *LiquidationCircuit) { c.Step.Liquidated.Identity = plusOne(c.Step.Liquidated.Identity) },
		"liquidator nonce":        func(c *LiquidationCircuit) { c.Step.Liquidator.Nonce = plusOne(c.Step.Liquidator.Nonce) },
		"market oracle timestamp": func(c *LiquidationCircuit) { c.Step.Market.OracleTimestamp = plusOne(c.Step.Market.OracleTimestamp) },
		"fee balance":             func(c *LiquidationCircuit) { c.Step.Global.FeeBalance = plusOne(c.Step.Global.FeeBalance) },
		"fund collateral before and after": func(c *LiquidationCircuit) {
			c.Step.Rules.FundCollateral = plusOne(c.Step.Rules.FundCollateral)
			c.Step.Rules.FundCollateralAfter = plusOne(c.Step.Rules.FundCollateralAfter)
		},
		"another liquidated id (12) over account 11's path": func(c *LiquidationCircuit) {
			c.Step.Rules.Liquidated.Account = bystanderID
			idBytes(c.PublicData, 1, bystanderID)
		},
		"the fund as the liquidated account": func(c *LiquidationCircuit) {
			c.Step.Rules.Liquidated.Account = FundAccount
			idBytes(c.PublicData, 1, FundAccount)
		},
		"the liquidator as the liquidated account": func(c *LiquidationCircuit) {
			c.Step.Rules.Liquidated.Account = liquidatorID
			idBytes(c.PublicData, 1, liquidatorID)
		},
		"the old root of another state": func(c *LiquidationCircuit) { c.OldRoot = rootOf(next) },
	}
	for what, change := range map[string]func(s *layoutv2.State){
		"fund collateral + 1":       func(s *layoutv2.State) { bump(t, s, FundAccount, 1) },
		"liquidated collateral + 1": func(s *layoutv2.State) { bump(t, s, liquidatedID, 1) },
		"open interest + 1": func(s *layoutv2.State) {
			m, _ := s.Market(liqMarket)
			m.OpenInterest++
			_ = s.SetMarket(liqMarket, m)
		},
		"fee balance + 1": func(s *layoutv2.State) { g := s.Global(); g.FeeBalance++; _ = s.SetGlobal(g) },
		"the old state":   nil,
	} {
		s := w.state
		if change != nil {
			s, _ = ApplyLiquidation(w.state, l)
			change(s)
		}
		root := rootOf(s)
		cases["new root of a state with "+what] = func(c *LiquidationCircuit) { c.NewRoot = root }
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			c := fresh()
			change(c)
			if solve(w.liqCircuit(), c) == nil {
				t.Fatal("solves")
			}
		})
	}
}

// bump adds d to an account's collateral.
func bump(t testing.TB, s *layoutv2.State, id uint64, d int64) {
	t.Helper()
	a, _ := s.Account(id)
	if err := s.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: a.Collateral + d, Positions: a.Positions}); err != nil {
		t.Fatal(err)
	}
}

// TestTakeoverCounterpartyMustBeTheFund: the takeover executed with account 9 (short 150) in the
// fund's place, which the reference's rules accept (a consistent witness with account 9's leaf and
// path), is unsatisfiable: the fund is the constant leaf 2^24 − 1.
func TestTakeoverCounterpartyMustBeTheFund(t *testing.T) {
	w := newWorld(t, 1)
	tk := w.takeover(t)
	tx := takeoverTx(tk)
	tx.counterparty = deleveragerID
	x, broken := w.forcedMove(t, tx)
	if len(broken) != 0 {
		t.Fatalf("the reference refuses the takeover by account 9: %v", broken)
	}
	c, err := x.assignTakeover(tk, 1, shapeK(1))
	if err != nil {
		t.Fatal(err)
	}
	if solve(NewTakeoverCircuit(1, shapeK(1)), c) == nil {
		t.Fatal("a takeover by account 9 solves")
	}
	// the same witness with the fund's id in the rules (so only the path refuses it)
	c.Step.Rules.Fund.Account = FundAccount
	if solve(NewTakeoverCircuit(1, shapeK(1)), c) == nil {
		t.Fatal("account 9's leaf solves at the fund's path")
	}
}

// TestMoveBindingsAreUnsatisfiable: a takeover and a deleveraging with a changed path sibling, the
// account id of another leaf, the fund as the deleveraged account, the same account on both sides,
// or the new root of a state with one collateral changed: unsatisfiable.
func TestMoveBindingsAreUnsatisfiable(t *testing.T) {
	w := newWorld(t, 1)
	tk := w.takeover(t)
	tcases := map[string]func(c *TakeoverCircuit){
		"account path": func(c *TakeoverCircuit) { c.Step.Account.Path[7] = plusOne(c.Step.Account.Path[7]) },
		"fund path":    func(c *TakeoverCircuit) { c.Step.Fund.Path[23] = plusOne(c.Step.Fund.Path[23]) },
		"fund nonce":   func(c *TakeoverCircuit) { c.Step.Fund.Nonce = plusOne(c.Step.Fund.Nonce) },
		"table funding index": func(c *TakeoverCircuit) {
			c.Step.Rules.Markets[0].FundingIndex = plusOne(c.Step.Rules.Markets[0].FundingIndex)
		},
		"global leaf": func(c *TakeoverCircuit) { c.Step.GlobalLeaf = plusOne(c.Step.GlobalLeaf) },
		"another account id (12)": func(c *TakeoverCircuit) {
			c.Step.Rules.Account.Account = bystanderID
			idBytes(c.PublicData, 1, bystanderID)
		},
		"the fund as the account": func(c *TakeoverCircuit) {
			c.Step.Rules.Account.Account = FundAccount
			idBytes(c.PublicData, 1, FundAccount)
		},
	}
	next, err := ApplyTakeover(w.state, tk)
	if err != nil {
		t.Fatal(err)
	}
	bump(t, next, FundAccount, 1)
	root := rootOf(next)
	tcases["new root with the fund's collateral + 1"] = func(c *TakeoverCircuit) { c.NewRoot = root }
	for name, change := range tcases {
		t.Run("takeover/"+name, func(t *testing.T) {
			c, _, err := WitnessTakeover(w.state, tk, 1, shapeK(1))
			if err != nil {
				t.Fatal(err)
			}
			change(c)
			if solve(NewTakeoverCircuit(1, shapeK(1)), c) == nil {
				t.Fatal("solves")
			}
		})
	}

	wd := newWorld(t, 1)
	d := wd.deleveraging(t)
	dcases := map[string]func(c *DeleverageCircuit){
		"deleveraged path":       func(c *DeleverageCircuit) { c.Step.Deleveraged.Path[0] = plusOne(c.Step.Deleveraged.Path[0]) },
		"deleverager path":       func(c *DeleverageCircuit) { c.Step.Deleverager.Path[12] = plusOne(c.Step.Deleverager.Path[12]) },
		"deleverager fills root": func(c *DeleverageCircuit) { c.Step.Deleverager.FillsRoot = plusOne(c.Step.Deleverager.FillsRoot) },
		"another deleverager id (12)": func(c *DeleverageCircuit) {
			c.Step.Rules.Deleverager.Account = bystanderID
			idBytes(c.PublicData, 4, bystanderID)
		},
		"the fund as the deleveraged": func(c *DeleverageCircuit) {
			c.Step.Rules.Deleveraged.Account = FundAccount
			idBytes(c.PublicData, 1, FundAccount)
		},
		"the same account on both sides": func(c *DeleverageCircuit) {
			c.Step.Rules.Deleverager.Account = liquidatedID
			idBytes(c.PublicData, 4, liquidatedID)
		},
	}
	dnext, err := ApplyDeleverage(wd.state, d)
	if err != nil {
		t.Fatal(err)
	}
	bump(t, dnext, deleveragerID, 1)
	droot := rootOf(dnext)
	dcases["new root with the deleverager's collateral + 1"] = func(c *DeleverageCircuit) { c.NewRoot = droot }
	for name, change := range dcases {
		t.Run("deleverage/"+name, func(t *testing.T) {
			c, _, err := WitnessDeleverage(wd.state, d, 1, shapeK(1))
			if err != nil {
				t.Fatal(err)
			}
			change(c)
			if solve(NewDeleverageCircuit(1, shapeK(1)), c) == nil {
				t.Fatal("solves")
			}
		})
	}
}
