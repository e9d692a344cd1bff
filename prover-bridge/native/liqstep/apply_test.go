package liqstep

import (
	"bytes"
	"errors"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// credit is the funding an account's list earns when settled (hand formula ⌊−(F − snap)·s / 2^32⌋).
func credit(list layoutv2.Positions) int64 {
	var sum int64
	for _, e := range list {
		if !e.Empty() {
			sum += floorDiv(-(testMarket(int(e.Market)).FundingIndex-e.FundingSnapshot)*e.Size, 1<<32)
		}
	}
	return sum
}

func account(t testing.TB, s *layoutv2.State, id uint64) layoutv2.Account {
	t.Helper()
	a, ok := s.Account(id)
	if !ok {
		t.Fatalf("no account %d", id)
	}
	return a
}

// TestApplyWritesTheState checks the new states against hand-computed figures (N = 1): the
// liquidation's fee ⌈12,950 · 1%⌉ = 130 moves to the fund, the maker fee ⌈12,950 · 200 / 10^6⌉ = 3
// to the fee balance, the liquidator's fill slot to 30, its new long in entry 0; the takeover
// moves 10 into the fund's lowest empty entry at c·b; the deleveraging lowers the open interest
// by 40. Untouched accounts keep their leaves.
func TestApplyWritesTheState(t *testing.T) {
	w := newWorld(t, 1)
	l := w.liquidation(t)
	if l.Fee != 130 {
		t.Fatalf("fee %d, want 130", l.Fee)
	}
	s, err := ApplyLiquidation(w.state, l)
	if err != nil {
		t.Fatal(err)
	}
	a0, a1 := account(t, w.state, liquidatedID), account(t, s, liquidatedID)
	if want := a0.Collateral + credit(a0.Positions) + 12_950 - 130; a1.Collateral != want || a1.Positions[0].Size != 90 {
		t.Errorf("liquidated: collateral %d (want %d), size %d", a1.Collateral, want, a1.Positions[0].Size)
	}
	m1 := account(t, s, liquidatorID)
	if want := 200_000 - 12_950 - int64(3); m1.Collateral != want || m1.Positions[0] != (layoutv2.PositionEntry{Market: liqMarket, Size: 10, FundingSnapshot: testMarket(liqMarket).FundingIndex}) {
		t.Errorf("liquidator: collateral %d (want %d), entry %+v", m1.Collateral, want, m1.Positions[0])
	}
	if f, _ := s.Fill(liquidatorID, layoutv2.FillSlot(70_000)); f != (layoutv2.Fill{OrderNonce: 70_000, FilledAmount: 30}) {
		t.Errorf("fill %+v", f)
	}
	if f := account(t, s, FundAccount); f.Collateral != 1_000_130 {
		t.Errorf("fund %d", f.Collateral)
	}
	if g := s.Global(); g.FeeBalance != 1_003 {
		t.Errorf("fee balance %d", g.FeeBalance)
	}
	if m, _ := s.Market(liqMarket); m.OpenInterest != 5_000 {
		t.Errorf("open interest %d", m.OpenInterest)
	}
	for _, id := range []uint64{deleveragerID, bystanderID} {
		if x, y := account(t, w.state, id), account(t, s, id); x.Collateral != y.Collateral || x.Positions != y.Positions {
			t.Errorf("account %d changed", id)
		}
	}

	tk := w.takeover(t)
	s, err = ApplyTakeover(w.state, tk)
	if err != nil {
		t.Fatal(err)
	}
	f0, f1 := account(t, w.state, FundAccount), account(t, s, FundAccount)
	if want := f0.Collateral - 10*tk.Price; f1.Collateral != want || f1.Positions[0] != (layoutv2.PositionEntry{Market: liqMarket, Size: 10, FundingSnapshot: testMarket(liqMarket).FundingIndex}) {
		t.Errorf("fund: collateral %d (want %d), entry %+v", f1.Collateral, want, f1.Positions[0])
	}
	if a := account(t, s, liquidatedID); a.Collateral != a0.Collateral+credit(a0.Positions)+10*tk.Price || a.Positions[0].Size != 90 {
		t.Errorf("account: collateral %d, size %d", a.Collateral, a.Positions[0].Size)
	}
	if m, _ := s.Market(liqMarket); m.OpenInterest != 5_000 {
		t.Errorf("open interest %d", m.OpenInterest)
	}

	d := w.deleveraging(t)
	a0 = account(t, w.state, liquidatedID)
	s, err = ApplyDeleverage(w.state, d)
	if err != nil {
		t.Fatal(err)
	}
	x0, x1 := account(t, w.state, deleveragerID), account(t, s, deleveragerID)
	if want := x0.Collateral + credit(x0.Positions) - 40*d.Price; x1.Collateral != want || x1.Positions[0].Size != -110 {
		t.Errorf("deleverager: collateral %d (want %d), size %d", x1.Collateral, want, x1.Positions[0].Size)
	}
	if a := account(t, s, liquidatedID); a.Collateral != a0.Collateral+credit(a0.Positions)+40*d.Price || a.Positions[0].Size != 60 {
		t.Errorf("deleveraged: collateral %d, size %d", a.Collateral, a.Positions[0].Size)
	}
	if m, _ := s.Market(liqMarket); m.OpenInterest != 4_960 {
		t.Errorf("open interest %d", m.OpenInterest)
	}
}

// TestTypedRefusals: unlisted market, missing account, the same account on both sides, the fund
// as the liquidated or deleveraged account or as a liquidator, a price ≥ 2^32, a fund with 8
// positions and none in the market, a shape too small: typed errors, the state unchanged.
func TestTypedRefusals(t *testing.T) {
	w := newWorld(t, 1)
	before := w.state.Root()
	l := w.liquidation(t)
	tk := w.takeover(t)
	cases := []struct {
		name string
		err  error
		run  func() error
	}{
		{"liquidation in an unlisted market", ErrUnknownMarket, func() error { x := l; x.Market = 9; _, err := ApplyLiquidation(w.state, x); return err }},
		{"liquidation of a missing account", ErrNoAccount, func() error { x := l; x.Account = 77; _, err := ApplyLiquidation(w.state, x); return err }},
		{"liquidator is the liquidated account", ErrSameAccount, func() error { x := l; x.Account = liquidatorID; _, err := ApplyLiquidation(w.state, x); return err }},
		{"the fund liquidated", ErrFundAccount, func() error {
			x := l
			x.Account = uint32(FundAccount)
			_, err := ApplyLiquidation(w.state, x)
			return err
		}},
		{"the fund as a liquidator", ErrFundAccount, func() error {
			x := l
			x.Liquidator.Order.Account = uint32(FundAccount)
			_, err := ApplyLiquidation(w.state, x)
			return err
		}},
		{"price 2^32", ErrOutOfRange, func() error { x := l; x.Price = 1 << 32; _, err := ApplyLiquidation(w.state, x); return err }},
		{"takeover of the fund", ErrFundAccount, func() error {
			x := tk
			x.Account = uint32(FundAccount)
			_, err := ApplyTakeover(w.state, x)
			return err
		}},
		{"takeover of a missing account", ErrNoAccount, func() error { x := tk; x.Account = 77; _, err := ApplyTakeover(w.state, x); return err }},
		{"deleveraging of the fund", ErrFundAccount, func() error {
			_, err := ApplyDeleverage(w.state, Deleveraging{Account: uint32(FundAccount), Deleverager: deleveragerID, Market: liqMarket, Delta: -1, Price: 1})
			return err
		}},
		{"deleveraging against itself", ErrSameAccount, func() error {
			_, err := ApplyDeleverage(w.state, Deleveraging{Account: liquidatedID, Deleverager: liquidatedID, Market: liqMarket, Delta: -1, Price: 1})
			return err
		}},
		{"liquidation witness with the market outside the table (k = 2)", ErrShape, func() error { _, _, err := WitnessLiquidation(w.state, l, 1, 2); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); !errors.Is(err, tc.err) {
				t.Fatalf("got %v, want %v", err, tc.err)
			}
			if w.state.Root() != before {
				t.Fatal("the refusal changed the state")
			}
		})
	}
	// a shape of one entry for an account holding two positions
	w2 := newWorld(t, 2)
	if _, _, err := WitnessLiquidation(w2.state, w2.liquidation(t), 1, 4); !errors.Is(err, ErrShape) {
		t.Fatalf("two positions in a one-entry shape: %v", err)
	}
	// the fund's 8 entries taken by other markets: the takeover needs a 9th
	w3 := newWorld(t, 1)
	if err := w3.state.SetMarket(8, testMarket(8)); err != nil {
		t.Fatal(err)
	}
	var full layoutv2.Positions
	for j, m := range []uint8{0, 1, 2, 4, 5, 6, 7, 8} {
		full[j] = layoutv2.PositionEntry{Market: m, Size: 1, FundingSnapshot: testMarket(int(m)).FundingIndex}
	}
	f := account(t, w3.state, FundAccount)
	if err := w3.state.SetAccount(FundAccount, layoutv2.AccountFields{Identity: f.Identity, Collateral: f.Collateral, Positions: full}); err != nil {
		t.Fatal(err)
	}
	before3 := w3.state.Root()
	if _, err := ApplyTakeover(w3.state, w3.takeover(t)); !errors.Is(err, ErrTooManyPositions) || w3.state.Root() != before3 {
		t.Fatalf("a 9th position for the fund: %v", err)
	}
}

// TestPublicDataEncoding: the three encodings against bytes written by hand.
func TestPublicDataEncoding(t *testing.T) {
	l := Liquidation{Market: 3, Price: 1_295, Size: 10, Account: 11, Fee: 130,
		Liquidator: perpstep.SignedOrder{}}
	l.Liquidator.Order.Account, l.Liquidator.Order.Nonce = 5, 70_000
	want := []byte{0x06, 0, 0, 11, 0, 0, 5, 3, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0x05, 0x0f, 0, 0, 0, 0, 0, 0x01, 0x11, 0x70, 0, 0, 0, 0, 0, 0, 0, 130}
	if got := LiquidationPublicData(l); !bytes.Equal(got, want) || len(got) != LiquidationDataBytes {
		t.Errorf("liquidation % x", got)
	}
	tk := Takeover{Account: 0xabcdef, Market: 63, Delta: -(1<<55 - 1), Price: 1<<31 - 1}
	want = []byte{0x07, 0xab, 0xcd, 0xef, 63, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff}
	if got := TakeoverPublicData(tk); !bytes.Equal(got, want) || len(got) != TakeoverDataBytes {
		t.Errorf("takeover % x", got)
	}
	d := Deleveraging{Account: 11, Deleverager: uint32(FundAccount), Market: 3, Delta: 40, Price: 1}
	want = []byte{0x0b, 0, 0, 11, 0xff, 0xff, 0xff, 3, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0, 1}
	if got := DeleveragePublicData(d); !bytes.Equal(got, want) || len(got) != DeleverageDataBytes {
		t.Errorf("deleverage % x", got)
	}
}
