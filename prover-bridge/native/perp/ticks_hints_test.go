package perp_test

import (
	"math/big"
	"sync"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// TestOracleTickHintsCannotBeForged: the oracle tick's median takes 2K comparison bits from
// LessOrEqualHint (each pinned by a range check). Answering any single call wrongly — the bit
// inverted — leaves the compiled system unsatisfied, so a prover cannot change the counts that
// fix the median. K = 5 with 4 reports, two of them equal (the median itself: the calls [p ≤ p]
// occur in both directions and are forged together).
func TestOracleTickHintsCannotBeForged(t *testing.T) {
	sc := newOracleScenario(t, 5, 4)
	out, broken := reference.ApplyOracleTick(sc.t, sc.slots)
	if len(broken) != 0 {
		t.Fatal(broken)
	}
	g := newHintForger(t, perp.NewOracleTickCircuit(sc.slots), assignOracle(t, sc, out.Price, out.Timestamp))
	h := perp.LessOrEqualHint
	calls := g.calls(h)
	// 5 slots × 2 directions, less the repeats: (p, p) once, (0, p) and (p, 0) of the unused slot
	if len(calls) < 7 {
		t.Fatalf("only %d distinct comparison calls", len(calls))
	}
	invert := func(_ *big.Int, _, out []*big.Int) { out[0].SetInt64(1 - out[0].Int64()) }
	for _, target := range calls {
		var s sync.Map
		if err := g.solve(h, target, &s, invert); err == nil {
			t.Errorf("comparison bit inverted on inputs (%s): still solves", target)
		}
	}
	t.Logf("each of %d distinct comparison calls inverted alone is refused", len(calls))
}
