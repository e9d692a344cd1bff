package liqstep

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// TestLiquidationAfterOracleTickSolvesInSequence: account 11 is 500 above its maintenance
// requirement, so the liquidation is refused (not-liquidatable); an oracle tick (tickstep, one
// signed report, the price 1% lower) is proven, and the liquidation on the state the tick
// produced (its new root is the liquidation's old root) is accepted and solves.
func TestLiquidationAfterOracleTickSolvesInSequence(t *testing.T) {
	w := newWorld(t, 1)
	w.setEquity(t, liquidatedID, func(_, mmr int64) int64 { return mmr + 500 })
	signer := key(t, 20)
	g := w.state.Global()
	g.OracleSigners[0] = layoutv2.OracleSigner{KeyX: signer.PublicKey.A.X, KeyY: signer.PublicKey.A.Y}
	if err := w.state.SetGlobal(g); err != nil {
		t.Fatal(err)
	}
	l := w.liquidation(t)
	_, err := ApplyLiquidation(w.state, l)
	onlyRule(t, err, reference.RuleNotLiquidatable)

	const now = 1_800_000_100
	m := testMarket(liqMarket)
	r := reference.PriceReport{Market: liqMarket, Price: int64(m.OraclePrice / 100 * 99), Timestamp: now - 10, Signer: 0}
	h := reference.ReportMessage(r).Hash(demoDomain)
	b := h.Bytes()
	if r.Signature, err = signer.Sign(b[:], poseidon2.NewMerkleDamgardHasher()); err != nil {
		t.Fatal(err)
	}
	tick := tickstep.OracleTick{Domain: demoDomain, Market: liqMarket, Now: now, BatchTime: now, Reports: []reference.PriceReport{r}}
	tw, s1, err := tickstep.WitnessOracle(w.state, tick, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := solve(tickstep.NewOracleCircuit(1, tickstep.OracleSeparator(demoDomain)), tw); err != nil {
		t.Fatalf("the oracle tick does not solve: %v", err)
	}
	if p, _ := s1.Market(liqMarket); p.OraclePrice != uint64(r.Price) {
		t.Fatalf("the tick wrote price %d", p.OraclePrice)
	}

	w.state = s1
	w.feeAtBound(t, &l)
	c, _, err := WitnessLiquidation(s1, l, 1, shapeK(1))
	if err != nil {
		t.Fatalf("the liquidation after the tick is refused: %v", err)
	}
	if c.OldRoot.(interface{ String() string }).String() != rootOf(s1).String() {
		t.Fatal("the liquidation does not start from the tick's new root")
	}
	if err := solve(w.liqCircuit(), c); err != nil {
		t.Fatalf("the liquidation after the tick does not solve: %v", err)
	}
}

// TestTakeoverAfterAFillLiftedTheAccountIsRefused replays §11.3's difference 1 through the steps:
// the fill of 20 at 1,310 (above the oracle price) lifts account 11 above its maintenance
// requirement; the engine would hand the rest of its step to the fund, and the takeover step on the
// state the fill produced is refused (not-liquidatable) and unsatisfiable.
func TestTakeoverAfterAFillLiftedTheAccountIsRefused(t *testing.T) {
	w := newWorld(t, 1)
	l := w.liquidation(t)
	l.Size, l.Price = 20, 1_310
	w.feeAtBound(t, &l)
	c, s1, err := WitnessLiquidation(w.state, l, 1, shapeK(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := solve(w.liqCircuit(), c); err != nil {
		t.Fatalf("the fill does not solve: %v", err)
	}
	w.state = s1
	if e, mmr := w.figures(t, liquidatedID); e < mmr {
		t.Fatalf("the fill did not lift the account: equity %d, MMR %d", e, mmr)
	}
	tk := w.takeover(t)
	before := s1.Root()
	_, err = ApplyTakeover(s1, tk)
	onlyRule(t, err, reference.RuleNotLiquidatable)
	x, _ := w.forcedMove(t, takeoverTx(tk))
	a, err := x.assignTakeover(tk, 1, shapeK(1))
	if err != nil {
		t.Fatal(err)
	}
	if s1.Root() != before || solve(NewTakeoverCircuit(1, shapeK(1)), a) == nil {
		t.Fatal("the takeover after the lifting fill solves, or its refusal changed the state")
	}
}
