package vectors

import (
	"math/big"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// The checks below recompute escape-v2.json from its fields with big integers, layout.Hash and
// layout.RootFromProof (the account and market leaves by hand, as for state-v2.json), not with
// package escape, so a bug in the escape reference cannot confirm itself.

func floorDiv32(v *big.Int) *big.Int {
	return new(big.Int).Div(v, new(big.Int).Lsh(big.NewInt(1), 32)) // Euclidean = floor for 2^32 > 0
}

func TestEscapeV2VectorsRecomputeByHand(t *testing.T) {
	var v escapeV2File
	load(t, FileEscapeV2, &v)
	if v.Generator.LayoutVersion != 2 || v.InsuranceFund != "16777215" {
		t.Fatalf("generator %+v, fund %s", v.Generator, v.InsuranceFund)
	}
	held := map[int]bool{} // position counts covered: 0, 1, 2, 8
	refused, negative := 0, 0
	for _, s := range v.States {
		marketsRoot, globalLeaf := fe(t, s.MarketsRoot), fe(t, s.GlobalLeaf)
		if layout.Hash(layout.Tag("zkperp/state/v2"), fe(t, s.AccountsRoot), marketsRoot, globalLeaf) != fe(t, s.Root) {
			t.Fatalf("%s: state root", s.Name)
		}
		for _, e := range s.Escapes {
			leaf := accountHashByHand(t, e.Account)
			if leaf != fe(t, e.Account.Hash) {
				t.Fatalf("%s/%s: account hash", s.Name, e.Name)
			}
			if layout.RootFromProof(u64(t, e.AccountID), leaf, frs(t, e.AccountSiblings)) != fe(t, s.AccountsRoot) || len(e.AccountSiblings) != 24 {
				t.Fatalf("%s/%s: account path", s.Name, e.Name)
			}
			total := dec(t, e.Account.Collateral)
			next := 0
			for i, p := range e.Account.Positions {
				size := dec(t, p.Size)
				if size.Sign() == 0 {
					continue
				}
				if next >= len(e.Markets) || u64(t, e.Markets[next].ID) != uint64(p.Market) {
					t.Fatalf("%s/%s: entry %d has no market proof in order", s.Name, e.Name, i)
				}
				mp := e.Markets[next]
				if len(mp.Siblings) != 6 || layout.RootFromProof(uint64(p.Market), marketHashByHand(t, mp.Market), frs(t, mp.Siblings)) != marketsRoot {
					t.Fatalf("%s/%s: market %d path", s.Name, e.Name, p.Market)
				}
				funding := new(big.Int).Sub(dec(t, mp.Market.FundingIndex), dec(t, p.FundingSnapshot))
				funding = floorDiv32(funding.Mul(funding, size).Neg(funding))
				value := floorDiv32(new(big.Int).Mul(size, dec(t, mp.Market.OraclePrice)))
				if e.Refused == "" {
					got := e.Entries[next]
					if got.Entry != i || dec(t, got.Funding).Cmp(funding) != 0 || dec(t, got.Value).Cmp(value) != 0 {
						t.Fatalf("%s/%s: entry %d: %+v, by hand funding %v value %v", s.Name, e.Name, i, got, funding, value)
					}
				}
				total.Add(total, funding).Add(total, value)
				next++
			}
			if next != len(e.Markets) {
				t.Fatalf("%s/%s: %d market proofs for %d positions", s.Name, e.Name, len(e.Markets), next)
			}
			held[next] = true
			if e.Refused != "" {
				if e.Refused != "insurance-fund" || e.AccountID != v.InsuranceFund {
					t.Fatalf("%s/%s: refused %q", s.Name, e.Name, e.Refused)
				}
				refused++
				continue
			}
			payout := new(big.Int)
			if total.Sign() > 0 {
				payout.Set(total)
			} else {
				negative++
			}
			if dec(t, e.Total).Cmp(total) != 0 || dec(t, e.Payout).Cmp(payout) != 0 {
				t.Fatalf("%s/%s: total %s payout %s, by hand %v %v", s.Name, e.Name, e.Total, e.Payout, total, payout)
			}
		}
	}
	for _, n := range []int{0, 1, 2, 8} {
		if !held[n] {
			t.Errorf("no escape with %d positions", n)
		}
	}
	if refused == 0 || negative == 0 {
		t.Errorf("%d refused escapes, %d negative totals: both cases must be covered", refused, negative)
	}
}
