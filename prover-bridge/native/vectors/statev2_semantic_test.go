package vectors

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// The checks below recompute state-v2.json from its fields with plain big-integer arithmetic and
// layout.Hash, not with package layoutv2, so a bug in layoutv2 cannot confirm itself.

func packEntryByHand(t *testing.T, e v2EntryFields) *big.Int {
	size := dec(t, e.Size)
	if size.Sign() == 0 {
		return new(big.Int)
	}
	v := new(big.Int).Add(dec(t, e.FundingSnapshot), new(big.Int).Lsh(big.NewInt(1), 63))
	v.Lsh(v, 56)
	v.Add(v, new(big.Int).Add(size, new(big.Int).Lsh(big.NewInt(1), 55)))
	v.Lsh(v, 6)
	return v.Add(v, big.NewInt(int64(e.Market)))
}

func packListByHand(t *testing.T, entries []v2EntryFields) []fr.Element {
	if len(entries) != 8 {
		t.Fatalf("%d entries", len(entries))
	}
	out := make([]fr.Element, 4)
	for k := range out {
		v := new(big.Int).Lsh(packEntryByHand(t, entries[2*k+1]), 126)
		out[k] = frFromBig(v.Add(v, packEntryByHand(t, entries[2*k])))
	}
	return out
}

func i64Fr(t *testing.T, s string) fr.Element { return frFromBig(dec(t, s)) } // SetBigInt reduces mod r

func accountHashByHand(t *testing.T, a v2Account) fr.Element {
	var owner [20]byte
	copy(owner[:], hexb(t, a.Identity.L1Owner))
	id := layout.Hash(layout.Tag("zkperp/account-identity/v2"), fe(t, a.Identity.PublicKeyX), fe(t, a.Identity.PublicKeyY),
		layout.Address(owner), layout.U64(uint64(a.Identity.FeeTier)))
	if id != fe(t, a.Identity.Hash) {
		t.Fatal("identity hash")
	}
	q := packListByHand(t, a.Positions)
	for k := range q {
		if q[k] != fe(t, a.Packed[k]) {
			t.Fatalf("packed q%d", k+1)
		}
	}
	return layout.Hash(layout.Tag("zkperp/account/v2"), id, i64Fr(t, a.Nonce), i64Fr(t, a.Collateral), fe(t, a.FillsRoot), q[0], q[1], q[2], q[3])
}

func marketHashByHand(t *testing.T, m v2Market) fr.Element {
	r := m.Risk
	risk := layout.Hash(layout.Tag("zkperp/market-risk/v2"), i64Fr(t, r.InitialMarginPpm), i64Fr(t, r.MaintenanceMarginPpm),
		i64Fr(t, r.BaselinePositionSize), i64Fr(t, r.IncrementalPositionSize), i64Fr(t, r.IncrementalInitialMarginPpm),
		i64Fr(t, r.MaxPositionSize), i64Fr(t, r.OpenInterestCap), i64Fr(t, r.OracleMaxAgeSeconds), i64Fr(t, r.OracleMaxFutureSeconds),
		i64Fr(t, r.OracleMaxMovePpm), i64Fr(t, r.FundingMinIntervalSeconds), i64Fr(t, r.FundingMaxRatePpm))
	if risk != fe(t, r.Hash) {
		t.Fatal("risk hash")
	}
	return layout.Hash(layout.Tag("zkperp/market/v2"), i64Fr(t, m.OraclePrice), i64Fr(t, m.OracleTimestamp),
		i64Fr(t, m.FundingIndex), i64Fr(t, m.FundingTimestamp), i64Fr(t, m.OpenInterest), risk)
}

func TestStateV2VectorsRecomputeByHand(t *testing.T) {
	var v stateV2File
	load(t, FileStateV2, &v)
	if v.Generator.LayoutVersion != 2 || v.InsuranceFund != "16777215" {
		t.Fatalf("generator %+v, fund %s", v.Generator, v.InsuranceFund)
	}
	for _, e := range v.Entries {
		if got := packEntryByHand(t, e.v2EntryFields); hexBig32(got) != e.Packed || got.BitLen() > 126 {
			t.Errorf("entry %+v packs to %s by hand, file %s", e.v2EntryFields, hexBig32(got), e.Packed)
		}
	}
	for _, l := range v.PositionLists {
		q := packListByHand(t, l.Entries)
		for k := range q {
			if hexFr(q[k]) != l.Packed[k] {
				t.Errorf("list q%d", k+1)
			}
		}
	}
	// the entry-assignment rule, replayed on a plain list of entries
	cur := make([]v2EntryFields, 8)
	for i := range cur {
		cur[i] = v2EntryFields{Size: "0", FundingSnapshot: "0"}
	}
	refused := 0
	for _, u := range v.PositionUpdates {
		held, free := -1, -1
		for i, e := range cur {
			if e.Size != "0" && e.Market == u.Market {
				held = i
			}
			if e.Size == "0" && free < 0 {
				free = i
			}
		}
		size := dec(t, u.Size)
		outOfRange := size.CmpAbs(new(big.Int).Lsh(big.NewInt(1), 55)) >= 0
		want := ""
		switch {
		case outOfRange:
			want = "out-of-range"
		case held >= 0 && size.Sign() == 0:
			cur[held] = v2EntryFields{Size: "0", FundingSnapshot: "0"}
		case held >= 0:
			cur[held] = u.v2EntryFields
		case size.Sign() == 0:
		case free < 0:
			want = "too-many-positions"
		default:
			cur[free] = u.v2EntryFields
		}
		if u.Error != want {
			t.Fatalf("update %+v: error %q, want %q", u, u.Error, want)
		}
		if want != "" {
			refused++
			continue
		}
		q := packListByHand(t, cur)
		for k := range q {
			if hexFr(q[k]) != u.Packed[k] {
				t.Fatalf("update %+v: q%d differs", u, k+1)
			}
		}
	}
	if refused != 3 {
		t.Fatalf("%d refused updates, want 3", refused)
	}
	for _, a := range v.Accounts {
		if accountHashByHand(t, a) != fe(t, a.Hash) {
			t.Errorf("account hash")
		}
	}
	for _, f := range v.Fills {
		p := new(big.Int).Add(dec(t, f.OrderNonce), new(big.Int).Lsh(dec(t, f.FilledAmount), 64))
		if hexFr(frFromBig(p)) != f.Packed || layout.Hash(layout.Tag("zkperp/fill/v2"), frFromBig(p)) != fe(t, f.Hash) {
			t.Errorf("fill %+v", f)
		}
		if dec(t, f.Slot).Cmp(new(big.Int).Mod(dec(t, f.OrderNonce), big.NewInt(4096))) != 0 {
			t.Errorf("fill slot %+v", f)
		}
	}
	for _, m := range v.Markets {
		if marketHashByHand(t, m) != fe(t, m.Hash) {
			t.Errorf("market hash")
		}
	}
	for _, set := range v.OracleSignerSets {
		tree := layout.NewSparseTree(4)
		for i, s := range set.Slots {
			x, y := fe(t, s.KeyX), fe(t, s.KeyY)
			want := fr.Element{}
			if !x.IsZero() || !y.IsZero() {
				want = layout.Hash(layout.Tag("zkperp/oracle-signer/v2"), x, y)
			}
			if want != fe(t, s.Leaf) {
				t.Errorf("signer leaf %d", i)
			}
			_ = tree.Update(uint64(i), want)
		}
		if tree.Root() != fe(t, set.Root) {
			t.Errorf("signer root")
		}
	}
	for _, ft := range v.FeeTiers {
		xs := []fr.Element{layout.Tag("zkperp/fee-tiers/v2")}
		for _, tier := range ft.Tiers {
			xs = append(xs, layout.U64(uint64(int64(tier.MakerPpm)+1<<20)), layout.U64(uint64(int64(tier.TakerPpm)+1<<20)))
		}
		if len(ft.Tiers) != 8 || layout.Hash(xs...) != fe(t, ft.Hash) {
			t.Errorf("fee tiers %+v", ft.Tiers)
		}
	}
	for _, g := range v.Globals {
		h := layout.Hash(layout.Tag("zkperp/global/v2"), i64Fr(t, g.FeeBalance), fe(t, g.OracleSignersRoot),
			layout.U64(uint64(g.OracleQuorum)), fe(t, g.FeeTiersRoot))
		if h != fe(t, g.Hash) {
			t.Errorf("global hash")
		}
	}
	nFills := 0
	for _, s := range v.States {
		accountsRoot, marketsRoot := fe(t, s.AccountsRoot), fe(t, s.MarketsRoot)
		fund := false
		for _, a := range s.Accounts {
			// the fills root is the depth-12 tree of the listed fills (slot = nonce mod 4096)
			fills := layout.NewSparseTree(12)
			last := big.NewInt(-1)
			for _, f := range a.Fills {
				nonce := dec(t, f.OrderNonce)
				slot := new(big.Int).Mod(nonce, big.NewInt(4096))
				p := new(big.Int).Add(nonce, new(big.Int).Lsh(dec(t, f.FilledAmount), 64))
				leaf := layout.Hash(layout.Tag("zkperp/fill/v2"), frFromBig(p))
				if nonce.Sign() == 0 || slot.Cmp(last) <= 0 || slot.Cmp(dec(t, f.Slot)) != 0 ||
					hexFr(frFromBig(p)) != f.Packed || leaf != fe(t, f.Hash) {
					t.Errorf("%s: account %s fill %+v", s.Name, a.ID, f)
				}
				last = slot
				_ = fills.Update(slot.Uint64(), leaf)
			}
			if fills.Root() != fe(t, a.Account.FillsRoot) {
				t.Errorf("%s: account %s fills root is not the root of its listed fills", s.Name, a.ID)
			}
			nFills += len(a.Fills)
			leaf := accountHashByHand(t, a.Account)
			if leaf != fe(t, a.Account.Hash) || len(a.Siblings) != 24 ||
				!layout.VerifyProof(u64(t, a.ID), leaf, frs(t, a.Siblings), accountsRoot) {
				t.Errorf("%s: account %s does not prove", s.Name, a.ID)
			}
			fund = fund || a.ID == "16777215"
		}
		for _, m := range s.Markets {
			if !layout.VerifyProof(u64(t, m.ID), marketHashByHand(t, m.Market), frs(t, m.Siblings), marketsRoot) {
				t.Errorf("%s: market %s does not prove", s.Name, m.ID)
			}
		}
		if len(s.Markets) == 0 && marketsRoot != layout.EmptyRoot(6) {
			t.Errorf("%s: markets root of no market", s.Name)
		}
		if !fund {
			t.Errorf("%s: no insurance fund account", s.Name)
		}
		if layout.Hash(layout.Tag("zkperp/state/v2"), accountsRoot, marketsRoot, fe(t, s.Global.Hash)) != fe(t, s.Root) {
			t.Errorf("%s: state root", s.Name)
		}
	}
	if nFills == 0 {
		t.Error("no state lists a fill")
	}
}

func frs(t *testing.T, ss []string) []fr.Element {
	out := make([]fr.Element, len(ss))
	for i, s := range ss {
		out[i] = fe(t, s)
	}
	return out
}
