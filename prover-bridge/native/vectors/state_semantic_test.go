package vectors

// state.json is checked against a naive model written here: leaves are hashed with gnark-crypto's
// Merkle–Damgård hasher, roots are recomputed recursively from the set of non-empty leaves with
// gnark-crypto's Compress, and nothing from the layout package is used.

import (
	"bytes"
	"encoding/json"
	"math/big"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

type tState struct {
	Generator tGenerator `json:"generator"`
	Depths    struct {
		Accounts  int `json:"accounts"`
		Positions int `json:"positions"`
		Fills     int `json:"fills"`
		Markets   int `json:"markets"`
	} `json:"depths"`
	Tags struct {
		Account    string `json:"account"`
		Position   string `json:"position"`
		Fill       string `json:"fill"`
		Market     string `json:"market"`
		MarketRisk string `json:"marketRisk"`
		Global     string `json:"global"`
		State      string `json:"state"`
	} `json:"tags"`
	EmptyRoots struct {
		Accounts  string `json:"accounts"`
		Positions string `json:"positions"`
		Fills     string `json:"fills"`
		Markets   string `json:"markets"`
	} `json:"emptyRoots"`
	GenesisRoot string `json:"genesisRoot"`
	Leaves      []struct {
		Kind   string          `json:"kind"`
		Fields json.RawMessage `json:"fields"`
		Hash   string          `json:"hash"`
	} `json:"leaves"`
	Scenarios []tScenario `json:"scenarios"`
}

type tScenario struct {
	Name   string            `json:"name"`
	Steps  []json.RawMessage `json:"steps"`
	Roots  []string          `json:"roots"`
	Proofs []json.RawMessage `json:"proofs"`
	Final  struct {
		AccountsRoot string `json:"accountsRoot"`
		MarketsRoot  string `json:"marketsRoot"`
		GlobalLeaf   string `json:"globalLeaf"`
		StateRoot    string `json:"stateRoot"`
	} `json:"final"`
}

type tAccountFields struct {
	PublicKeyX    string `json:"publicKeyX"`
	PublicKeyY    string `json:"publicKeyY"`
	L1Owner       string `json:"l1Owner"`
	Nonce         string `json:"nonce"`
	Collateral    string `json:"collateral"`
	PositionsRoot string `json:"positionsRoot"`
	FillsRoot     string `json:"fillsRoot"`
}

type tRisk struct {
	InitialMarginPpm            string `json:"initialMarginPpm"`
	MaintenanceMarginPpm        string `json:"maintenanceMarginPpm"`
	BaselinePositionSize        string `json:"baselinePositionSize"`
	IncrementalPositionSize     string `json:"incrementalPositionSize"`
	IncrementalInitialMarginPpm string `json:"incrementalInitialMarginPpm"`
	MaxPositionSize             string `json:"maxPositionSize"`
	OpenInterestCap             string `json:"openInterestCap"`
}

type tMarketFields struct {
	OraclePrice      string `json:"oraclePrice"`
	OracleTimestamp  string `json:"oracleTimestamp"`
	FundingIndex     string `json:"fundingIndex"`
	FundingTimestamp string `json:"fundingTimestamp"`
	OpenInterest     string `json:"openInterest"`
	RiskHash         string `json:"riskHash"`
}

type tStep struct {
	Op string `json:"op"`
	// setAccount
	Account    *uint64 `json:"account"`
	PublicKeyX string  `json:"publicKeyX"`
	PublicKeyY string  `json:"publicKeyY"`
	L1Owner    string  `json:"l1Owner"`
	Nonce      string  `json:"nonce"`
	Collateral string  `json:"collateral"`
	// setPosition
	Market               *uint64 `json:"market"`
	Size                 string  `json:"size"`
	FundingIndexSnapshot string  `json:"fundingIndexSnapshot"`
	// setFill
	FilledAmount string `json:"filledAmount"`
	// setMarket
	OraclePrice      string `json:"oraclePrice"`
	OracleTimestamp  string `json:"oracleTimestamp"`
	FundingIndex     string `json:"fundingIndex"`
	FundingTimestamp string `json:"fundingTimestamp"`
	OpenInterest     string `json:"openInterest"`
	Risk             *tRisk `json:"risk"`
	// setGlobal
	InsuranceFund string `json:"insuranceFund"`
	FeeBalance    string `json:"feeBalance"`
}

type tProof struct {
	Kind          string   `json:"kind"`
	Account       *uint64  `json:"account"`
	Market        *uint64  `json:"market"`
	Slot          *uint64  `json:"slot"`
	Leaf          string   `json:"leaf"`
	Siblings      []string `json:"siblings"`
	AccountsRoot  string   `json:"accountsRoot"`
	PositionsRoot string   `json:"positionsRoot"`
	FillsRoot     string   `json:"fillsRoot"`
	MarketsRoot   string   `json:"marketsRoot"`
}

// Exact key sets of each step and proof kind, in order.
var (
	stepKeys = map[string][]string{
		"setAccount":  {"op", "account", "publicKeyX", "publicKeyY", "l1Owner", "nonce", "collateral"},
		"setPosition": {"op", "account", "market", "size", "fundingIndexSnapshot"},
		"setFill":     {"op", "account", "nonce", "filledAmount"},
		"setMarket":   {"op", "market", "oraclePrice", "oracleTimestamp", "fundingIndex", "fundingTimestamp", "openInterest", "risk"},
		"setGlobal":   {"op", "insuranceFund", "feeBalance"},
	}
	proofKeys = map[string][]string{
		"account":  {"kind", "account", "leaf", "siblings", "accountsRoot"},
		"position": {"kind", "account", "market", "leaf", "siblings", "positionsRoot"},
		"fill":     {"kind", "account", "slot", "leaf", "siblings", "fillsRoot"},
		"market":   {"kind", "market", "leaf", "siblings", "marketsRoot"},
	}
)

// objectKeys returns the keys of a JSON object in document order.
func objectKeys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	var keys []string
	for d.More() {
		k, err := d.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func strictDecodeJSON(t *testing.T, raw json.RawMessage, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		t.Fatalf("%v in %s", err, raw)
	}
}

type naive struct {
	t                      *testing.T
	z                      []fr.Element // empty subtree hashes Z_0 … Z_24
	tagAccount, tagPos     fr.Element
	tagFill, tagMarket     fr.Element
	tagRisk, tagGlobal     fr.Element
	tagState               fr.Element
	depthA, depthP, depthF int
	depthM                 int
}

type nAccount struct {
	fields    []fr.Element // publicKeyX, publicKeyY, l1Owner, nonce, collateral
	positions map[uint64]fr.Element
	fills     map[uint64]fr.Element
	fillNonce map[uint64]uint64
	fillAmt   map[uint64]uint64
}

type nState struct {
	accounts map[uint64]*nAccount
	markets  map[uint64]fr.Element
	global   fr.Element
}

// root recomputes a sparse tree root from its non-empty leaves, recursively.
func (n *naive) root(depth int, leaves map[uint64]fr.Element) fr.Element {
	type item struct {
		i uint64
		v fr.Element
	}
	var items []item
	for i, v := range leaves {
		if i >= uint64(1)<<depth {
			n.t.Fatalf("index %d out of range for depth %d", i, depth)
		}
		if !v.IsZero() {
			items = append(items, item{i, v})
		}
	}
	var rec func(h int, items []item) fr.Element
	rec = func(h int, items []item) fr.Element {
		if len(items) == 0 {
			return n.z[h]
		}
		if h == 0 {
			return items[0].v
		}
		var l, r []item
		for _, it := range items {
			if (it.i>>(h-1))&1 == 0 {
				l = append(l, it)
			} else {
				r = append(r, it)
			}
		}
		return gcCompress(n.t, rec(h-1, l), rec(h-1, r))
	}
	return rec(depth, items)
}

func (n *naive) accountLeaf(a *nAccount) fr.Element {
	xs := append([]fr.Element{n.tagAccount}, a.fields...)
	xs = append(xs, n.root(n.depthP, a.positions), n.root(n.depthF, a.fills))
	return gcHash(n.t, xs...)
}

func (n *naive) accountsRoot(s *nState) fr.Element {
	leaves := map[uint64]fr.Element{}
	for id, a := range s.accounts {
		leaves[id] = n.accountLeaf(a)
	}
	return n.root(n.depthA, leaves)
}

func (n *naive) stateRoot(s *nState) fr.Element {
	return gcHash(n.t, n.tagState, n.accountsRoot(s), n.root(n.depthM, s.markets), s.global)
}

func (n *naive) riskHash(r *tRisk) fr.Element {
	t := n.t
	return gcHash(t, n.tagRisk, feU64(u64(t, r.InitialMarginPpm)), feU64(u64(t, r.MaintenanceMarginPpm)),
		feU64(u64(t, r.BaselinePositionSize)), feU64(u64(t, r.IncrementalPositionSize)),
		feU64(u64(t, r.IncrementalInitialMarginPpm)), feU64(u64(t, r.MaxPositionSize)), feU64(u64(t, r.OpenInterestCap)))
}

func address(t *testing.T, s string) fr.Element {
	t.Helper()
	b := hexb(t, s)
	if len(b) != 20 {
		t.Fatalf("l1Owner %s is not 20 bytes", s)
	}
	return feBytes(b)
}

func tagOf(s string) fr.Element { return feBytes([]byte(s)) }

func TestStateVectorsAgainstNaiveModel(t *testing.T) {
	var v tState
	load(t, FileState, &v)
	checkGenerator(t, v.Generator)
	if v.Depths.Accounts != 24 || v.Depths.Positions != 6 || v.Depths.Fills != 16 || v.Depths.Markets != 6 {
		t.Fatalf("depths %+v", v.Depths)
	}
	n := &naive{t: t, depthA: 24, depthP: 6, depthF: 16, depthM: 6,
		tagAccount: tagOf("zkperp/account/v1"), tagPos: tagOf("zkperp/position/v1"), tagFill: tagOf("zkperp/fill/v1"),
		tagMarket: tagOf("zkperp/market/v1"), tagRisk: tagOf("zkperp/market-risk/v1"), tagGlobal: tagOf("zkperp/global/v1"),
		tagState: tagOf("zkperp/state/v1")}
	for _, c := range []struct {
		got  string
		want fr.Element
	}{{v.Tags.Account, n.tagAccount}, {v.Tags.Position, n.tagPos}, {v.Tags.Fill, n.tagFill}, {v.Tags.Market, n.tagMarket},
		{v.Tags.MarketRisk, n.tagRisk}, {v.Tags.Global, n.tagGlobal}, {v.Tags.State, n.tagState}} {
		if got := fe(t, c.got); !got.Equal(&c.want) {
			t.Errorf("tag %s is not the big-endian ASCII string", c.got)
		}
	}
	n.z = make([]fr.Element, 25)
	for h := 1; h <= 24; h++ {
		n.z[h] = gcCompress(t, n.z[h-1], n.z[h-1])
	}
	for _, c := range []struct {
		got string
		h   int
	}{{v.EmptyRoots.Accounts, 24}, {v.EmptyRoots.Positions, 6}, {v.EmptyRoots.Fills, 16}, {v.EmptyRoots.Markets, 6}} {
		if got := fe(t, c.got); !got.Equal(&n.z[c.h]) {
			t.Errorf("empty root Z%d differs", c.h)
		}
	}
	genesis := gcHash(t, n.tagState, n.z[24], n.z[6], gcHash(t, n.tagGlobal, fr.Element{}, fr.Element{}))
	if got := fe(t, v.GenesisRoot); !got.Equal(&genesis) {
		t.Error("genesis root differs")
	}

	// Leaves.
	kinds := map[string]int{}
	zeroPosition := false
	for i, l := range v.Leaves {
		kinds[l.Kind]++
		var want fr.Element
		switch l.Kind {
		case "account":
			var f tAccountFields
			strictDecodeJSON(t, l.Fields, &f)
			want = gcHash(t, n.tagAccount, fe(t, f.PublicKeyX), fe(t, f.PublicKeyY), address(t, f.L1Owner),
				feU64(u64(t, f.Nonce)), feI64(i64(t, f.Collateral)), fe(t, f.PositionsRoot), fe(t, f.FillsRoot))
		case "position":
			var f struct {
				Size                 string `json:"size"`
				FundingIndexSnapshot string `json:"fundingIndexSnapshot"`
			}
			strictDecodeJSON(t, l.Fields, &f)
			if size := i64(t, f.Size); size != 0 {
				want = gcHash(t, n.tagPos, feI64(size), feI64(i64(t, f.FundingIndexSnapshot)))
			} else {
				zeroPosition = true
			}
		case "fill":
			var f struct {
				OrderNonce   string `json:"orderNonce"`
				FilledAmount string `json:"filledAmount"`
			}
			strictDecodeJSON(t, l.Fields, &f)
			want = gcHash(t, n.tagFill, feU64(u64(t, f.OrderNonce)), feU64(u64(t, f.FilledAmount)))
		case "marketRisk":
			var f tRisk
			strictDecodeJSON(t, l.Fields, &f)
			want = n.riskHash(&f)
		case "market":
			var f tMarketFields
			strictDecodeJSON(t, l.Fields, &f)
			want = gcHash(t, n.tagMarket, feU64(u64(t, f.OraclePrice)), feU64(u64(t, f.OracleTimestamp)), feI64(i64(t, f.FundingIndex)),
				feU64(u64(t, f.FundingTimestamp)), feU64(u64(t, f.OpenInterest)), fe(t, f.RiskHash))
		case "global":
			var f struct {
				InsuranceFund string `json:"insuranceFund"`
				FeeBalance    string `json:"feeBalance"`
			}
			strictDecodeJSON(t, l.Fields, &f)
			want = gcHash(t, n.tagGlobal, feI64(i64(t, f.InsuranceFund)), feI64(i64(t, f.FeeBalance)))
		default:
			t.Fatalf("leaf %d: unknown kind %q", i, l.Kind)
		}
		if got := fe(t, l.Hash); !got.Equal(&want) {
			t.Errorf("leaf %d (%s): hash differs from the naive recomputation", i, l.Kind)
		}
	}
	for _, k := range []string{"account", "position", "fill", "market", "marketRisk", "global"} {
		if kinds[k] < 2 {
			t.Errorf("only %d %s leaves", kinds[k], k)
		}
	}
	if !zeroPosition {
		t.Error("no position leaf of size 0")
	}

	if len(v.Scenarios) < 3 {
		t.Fatalf("%d scenarios", len(v.Scenarios))
	}
	for _, sc := range v.Scenarios {
		t.Run(sc.Name, func(t *testing.T) { n.t = t; n.checkScenario(sc) })
	}
}

func (n *naive) checkScenario(sc tScenario) {
	t := n.t
	s := &nState{accounts: map[uint64]*nAccount{}, markets: map[uint64]fr.Element{}, global: gcHash(t, n.tagGlobal, fr.Element{}, fr.Element{})}
	if len(sc.Roots) != len(sc.Steps) {
		t.Fatalf("%d roots for %d steps", len(sc.Roots), len(sc.Steps))
	}
	ops := map[string]int{}
	for i, raw := range sc.Steps {
		var st tStep
		strictDecodeJSON(t, raw, &st)
		if want, ok := stepKeys[st.Op]; !ok || !slices.Equal(objectKeys(t, raw), want) {
			t.Fatalf("step %d: op %q with keys %v", i, st.Op, objectKeys(t, raw))
		}
		ops[st.Op]++
		switch st.Op {
		case "setAccount":
			a, ok := s.accounts[*st.Account]
			if !ok { // a new account starts with empty subtrees
				a = &nAccount{positions: map[uint64]fr.Element{}, fills: map[uint64]fr.Element{}, fillNonce: map[uint64]uint64{}, fillAmt: map[uint64]uint64{}}
				s.accounts[*st.Account] = a
			}
			a.fields = []fr.Element{fe(t, st.PublicKeyX), fe(t, st.PublicKeyY), address(t, st.L1Owner), feU64(u64(t, st.Nonce)), feI64(i64(t, st.Collateral))}
		case "setPosition":
			a, ok := s.accounts[*st.Account]
			if !ok {
				t.Fatalf("step %d: position of missing account %d", i, *st.Account)
			}
			var leaf fr.Element
			if size := i64(t, st.Size); size != 0 {
				leaf = gcHash(t, n.tagPos, feI64(size), feI64(i64(t, st.FundingIndexSnapshot)))
			}
			a.positions[*st.Market] = leaf
		case "setFill":
			a, ok := s.accounts[*st.Account]
			if !ok {
				t.Fatalf("step %d: fill of missing account %d", i, *st.Account)
			}
			nonce, amt := u64(t, st.Nonce), u64(t, st.FilledAmount)
			slot := nonce % (1 << 16)
			if old, ok := a.fillNonce[slot]; ok && (old > nonce || old == nonce && a.fillAmt[slot] > amt) {
				t.Fatalf("step %d: fill (%d, %d) violates the replay rule over nonce %d", i, nonce, amt, old)
			}
			a.fillNonce[slot], a.fillAmt[slot] = nonce, amt
			a.fills[slot] = gcHash(t, n.tagFill, feU64(nonce), feU64(amt))
		case "setMarket":
			s.markets[*st.Market] = gcHash(t, n.tagMarket, feU64(u64(t, st.OraclePrice)), feU64(u64(t, st.OracleTimestamp)),
				feI64(i64(t, st.FundingIndex)), feU64(u64(t, st.FundingTimestamp)), feU64(u64(t, st.OpenInterest)), n.riskHash(st.Risk))
		case "setGlobal":
			s.global = gcHash(t, n.tagGlobal, feI64(i64(t, st.InsuranceFund)), feI64(i64(t, st.FeeBalance)))
		}
		if got, want := fe(t, sc.Roots[i]), n.stateRoot(s); !got.Equal(&want) {
			t.Fatalf("root after step %d (%s) differs from the naive model", i, st.Op)
		}
	}
	for _, op := range []string{"setAccount", "setPosition", "setFill", "setMarket", "setGlobal"} {
		if ops[op] == 0 {
			t.Errorf("no %s step", op)
		}
	}

	accountsRoot, marketsRoot := n.accountsRoot(s), n.root(n.depthM, s.markets)
	emptyProofs := map[string]int{}
	for i, raw := range sc.Proofs {
		var p tProof
		strictDecodeJSON(t, raw, &p)
		if want, ok := proofKeys[p.Kind]; !ok || !slices.Equal(objectKeys(t, raw), want) {
			t.Fatalf("proof %d: kind %q with keys %v", i, p.Kind, objectKeys(t, raw))
		}
		var index uint64
		var depth int
		var wantLeaf, wantRoot fr.Element
		var rootField string
		switch p.Kind {
		case "account":
			index, depth, rootField, wantRoot = *p.Account, n.depthA, p.AccountsRoot, accountsRoot
			if a, ok := s.accounts[index]; ok {
				wantLeaf = n.accountLeaf(a)
			}
		case "position", "fill":
			a, ok := s.accounts[*p.Account]
			if !ok {
				t.Fatalf("proof %d: %s proof for missing account", i, p.Kind)
			}
			if p.Kind == "position" {
				index, depth, rootField = *p.Market, n.depthP, p.PositionsRoot
				wantLeaf, wantRoot = a.positions[index], n.root(n.depthP, a.positions)
			} else {
				index, depth, rootField = *p.Slot, n.depthF, p.FillsRoot
				wantLeaf, wantRoot = a.fills[index], n.root(n.depthF, a.fills)
			}
		case "market":
			index, depth, rootField, wantRoot = *p.Market, n.depthM, p.MarketsRoot, marketsRoot
			wantLeaf = s.markets[index]
		}
		if len(p.Siblings) != depth {
			t.Fatalf("proof %d: %d siblings, want %d", i, len(p.Siblings), depth)
		}
		leaf := fe(t, p.Leaf)
		if !leaf.Equal(&wantLeaf) {
			t.Errorf("proof %d (%s %d): leaf differs from the model", i, p.Kind, index)
		}
		if leaf.IsZero() {
			emptyProofs[p.Kind]++
		}
		acc := leaf
		for h, sib := range p.Siblings {
			if (index>>h)&1 == 0 {
				acc = gcCompress(t, acc, fe(t, sib))
			} else {
				acc = gcCompress(t, fe(t, sib), acc)
			}
		}
		if root := fe(t, rootField); !acc.Equal(&root) || !root.Equal(&wantRoot) {
			t.Errorf("proof %d (%s %d): does not hash to the model's root", i, p.Kind, index)
		}
	}
	for _, k := range []string{"account", "position", "fill", "market"} {
		if emptyProofs[k] == 0 {
			t.Errorf("no empty-slot %s proof", k)
		}
	}

	globalLeaf := s.global
	stateRoot := gcHash(t, n.tagState, accountsRoot, marketsRoot, globalLeaf)
	for _, c := range []struct {
		got  string
		want fr.Element
	}{{sc.Final.AccountsRoot, accountsRoot}, {sc.Final.MarketsRoot, marketsRoot}, {sc.Final.GlobalLeaf, globalLeaf}, {sc.Final.StateRoot, stateRoot}} {
		if got := fe(t, c.got); !got.Equal(&c.want) {
			t.Errorf("final %s differs from the model", c.got)
		}
	}
	if sc.Final.StateRoot != sc.Roots[len(sc.Roots)-1] {
		t.Error("final stateRoot is not the last step's root")
	}
}

// TestEdgeScenarioCoverage pins what the "edges" scenario is for.
func TestEdgeScenarioCoverage(t *testing.T) {
	var v tState
	load(t, FileState, &v)
	var sc *tScenario
	for i := range v.Scenarios {
		if v.Scenarios[i].Name == "edges" {
			sc = &v.Scenarios[i]
		}
	}
	if sc == nil {
		t.Fatal("no edges scenario")
	}
	accounts, markets := map[uint64]bool{}, map[uint64]bool{}
	removed, takeover, updatedAfterSubtrees := false, false, false
	touched := map[uint64]bool{}
	slotNonce := map[[2]uint64]*big.Int{}
	for _, raw := range sc.Steps {
		var st tStep
		strictDecodeJSON(t, raw, &st)
		switch st.Op {
		case "setAccount":
			if accounts[*st.Account] && touched[*st.Account] {
				updatedAfterSubtrees = true
			}
			accounts[*st.Account] = true
		case "setPosition":
			markets[*st.Market] = true
			touched[*st.Account] = true
			if st.Size == "0" {
				removed = true
			}
		case "setFill":
			touched[*st.Account] = true
			nonce := dec(t, st.Nonce)
			key := [2]uint64{*st.Account, new(big.Int).Mod(nonce, big.NewInt(1<<16)).Uint64()}
			if old, ok := slotNonce[key]; ok && new(big.Int).Sub(nonce, old).Cmp(big.NewInt(1<<16)) == 0 {
				takeover = true
			}
			slotNonce[key] = nonce
		}
	}
	if !accounts[0] || !accounts[1<<24-1] || !markets[0] || !markets[63] || !removed || !takeover || !updatedAfterSubtrees {
		t.Errorf("edges scenario coverage: accounts %v markets %v removed %v takeover %v updated %v",
			accounts, markets, removed, takeover, updatedAfterSubtrees)
	}
}
