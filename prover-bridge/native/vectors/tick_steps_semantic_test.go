package vectors

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// tick-steps.json recomputed without package tickstep: the public data from the engine-side
// values with the byte layout of docs/perp-circuit.md §10 written out here, the leaf after from
// the leaf before and the public data (what L1 does), both roots from the leaf, its path, the
// accounts root and the global leaf, and the steps chained root to root.
func TestTickStepsRecomputeByHand(t *testing.T) {
	var f tickStepsFile
	load(t, FileTickSteps, &f)
	if f.TypeBytes != (tickStepTypeBytes{8, 9, 10}) {
		t.Fatalf("type bytes %+v", f.TypeBytes)
	}
	kinds := map[string]int{}
	for i, s := range f.Steps {
		kinds[s.Kind]++
		be := func(b []byte, x uint64) []byte { return binary.BigEndian.AppendUint64(b, x) }
		after := s.MarketBefore
		var want []byte
		switch s.Kind {
		case "oracle tick":
			want = be(be(be([]byte{8, s.Market}, u64(t, s.Price)), u64(t, s.Timestamp)), u64(t, s.Now))
			after.OraclePrice, after.OracleTimestamp = s.Price, s.Timestamp
			if len(s.Reports) < f.Quorum {
				t.Fatalf("step %d: %d reports", i, len(s.Reports))
			}
		case "funding tick":
			if i64(t, s.IndexAfter) != i64(t, s.MarketBefore.FundingIndex)+i64(t, s.IndexDelta) {
				t.Fatalf("step %d: indexAfter is not index + Δ", i)
			}
			want = be(be([]byte{9, s.Market}, uint64(i64(t, s.IndexAfter))), u64(t, s.Now))
			after.FundingIndex, after.FundingTimestamp = s.IndexAfter, s.Now
		case "funding period start":
			if s.MarketBefore.FundingTimestamp != "0" {
				t.Fatalf("step %d: a period start on a started market", i)
			}
			want = be([]byte{10, s.Market}, u64(t, s.Now))
			after.FundingTimestamp = s.Now
		default:
			t.Fatalf("step %d: kind %q", i, s.Kind)
		}
		if !bytes.Equal(hexb(t, s.PublicData), want) {
			t.Fatalf("step %d (%s): public data %s, by hand %x", i, s.Note, s.PublicData, want)
		}
		if u64(t, s.Now) > u64(t, s.BatchTime) {
			t.Fatalf("step %d: now after T", i)
		}
		after.Hash = s.MarketAfter.Hash
		if after != s.MarketAfter {
			t.Fatalf("step %d: the leaf rebuilt from the public data %+v is not %+v", i, after, s.MarketAfter)
		}
		path := frs(t, s.MarketPath)
		if len(path) != 6 {
			t.Fatalf("step %d: path of %d", i, len(path))
		}
		root := func(leaf fr.Element) fr.Element {
			for h := range path {
				if s.Market>>h&1 == 1 {
					leaf = gcCompress(t, path[h], leaf)
				} else {
					leaf = gcCompress(t, leaf, path[h])
				}
			}
			return layout.Hash(layout.Tag("zkperp/state/v2"), fe(t, s.AccountsRoot), leaf, fe(t, s.GlobalLeaf))
		}
		m0, m1 := marketHashByHand(t, s.MarketBefore), marketHashByHand(t, s.MarketAfter)
		if m0 != fe(t, s.MarketBefore.Hash) || m1 != fe(t, s.MarketAfter.Hash) {
			t.Fatalf("step %d: market hashes", i)
		}
		if root(m0) != fe(t, s.OldRoot) || root(m1) != fe(t, s.NewRoot) {
			t.Fatalf("step %d: roots", i)
		}
		if i > 0 && f.Steps[i-1].NewRoot != s.OldRoot {
			t.Fatalf("step %d does not start from step %d's root", i, i-1)
		}
	}
	if kinds["oracle tick"] < 3 || kinds["funding tick"] < 3 || kinds["funding period start"] < 1 {
		t.Fatalf("kinds %v", kinds)
	}
}
