package vectors

import (
	"fmt"
	"math"
	"slices"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

type stateFile struct {
	Generator   Generator      `json:"generator"`
	Depths      depthsInfo     `json:"depths"`
	Tags        tagsInfo       `json:"tags"`
	EmptyRoots  emptyRootsInfo `json:"emptyRoots"`
	GenesisRoot string         `json:"genesisRoot"`
	Leaves      []leafCase     `json:"leaves"`
	Scenarios   []scenario     `json:"scenarios"`
}

type depthsInfo struct {
	Accounts  int `json:"accounts"`
	Positions int `json:"positions"`
	Fills     int `json:"fills"`
	Markets   int `json:"markets"`
}

type tagsInfo struct {
	Account    string `json:"account"`
	Position   string `json:"position"`
	Fill       string `json:"fill"`
	Market     string `json:"market"`
	MarketRisk string `json:"marketRisk"`
	Global     string `json:"global"`
	State      string `json:"state"`
}

type emptyRootsInfo struct {
	Accounts  string `json:"accounts"`
	Positions string `json:"positions"`
	Fills     string `json:"fills"`
	Markets   string `json:"markets"`
}

type leafCase struct {
	Kind   string `json:"kind"`
	Fields any    `json:"fields"`
	Hash   string `json:"hash"`
}

type accountFieldsJSON struct {
	PublicKeyX    string `json:"publicKeyX"`
	PublicKeyY    string `json:"publicKeyY"`
	L1Owner       string `json:"l1Owner"`
	Nonce         string `json:"nonce"`
	Collateral    string `json:"collateral"`
	PositionsRoot string `json:"positionsRoot"`
	FillsRoot     string `json:"fillsRoot"`
}

type positionFieldsJSON struct {
	Size                 string `json:"size"`
	FundingIndexSnapshot string `json:"fundingIndexSnapshot"`
}

type fillFieldsJSON struct {
	OrderNonce   string `json:"orderNonce"`
	FilledAmount string `json:"filledAmount"`
}

type marketFieldsJSON struct {
	OraclePrice      string `json:"oraclePrice"`
	OracleTimestamp  string `json:"oracleTimestamp"`
	FundingIndex     string `json:"fundingIndex"`
	FundingTimestamp string `json:"fundingTimestamp"`
	OpenInterest     string `json:"openInterest"`
	RiskHash         string `json:"riskHash"`
}

type riskJSON struct {
	InitialMarginPpm            string `json:"initialMarginPpm"`
	MaintenanceMarginPpm        string `json:"maintenanceMarginPpm"`
	BaselinePositionSize        string `json:"baselinePositionSize"`
	IncrementalPositionSize     string `json:"incrementalPositionSize"`
	IncrementalInitialMarginPpm string `json:"incrementalInitialMarginPpm"`
	MaxPositionSize             string `json:"maxPositionSize"`
	OpenInterestCap             string `json:"openInterestCap"`
}

type globalFieldsJSON struct {
	InsuranceFund string `json:"insuranceFund"`
	FeeBalance    string `json:"feeBalance"`
}

type scenario struct {
	Name   string     `json:"name"`
	Steps  []any      `json:"steps"`
	Roots  []string   `json:"roots"`
	Proofs []any      `json:"proofs"`
	Final  finalRoots `json:"final"`
}

type opSetAccount struct {
	Op         string `json:"op"`
	Account    uint64 `json:"account"`
	PublicKeyX string `json:"publicKeyX"`
	PublicKeyY string `json:"publicKeyY"`
	L1Owner    string `json:"l1Owner"`
	Nonce      string `json:"nonce"`
	Collateral string `json:"collateral"`
}

type opSetPosition struct {
	Op                   string `json:"op"`
	Account              uint64 `json:"account"`
	Market               uint64 `json:"market"`
	Size                 string `json:"size"`
	FundingIndexSnapshot string `json:"fundingIndexSnapshot"`
}

type opSetFill struct {
	Op           string `json:"op"`
	Account      uint64 `json:"account"`
	Nonce        string `json:"nonce"`
	FilledAmount string `json:"filledAmount"`
}

type opSetMarket struct {
	Op               string   `json:"op"`
	Market           uint64   `json:"market"`
	OraclePrice      string   `json:"oraclePrice"`
	OracleTimestamp  string   `json:"oracleTimestamp"`
	FundingIndex     string   `json:"fundingIndex"`
	FundingTimestamp string   `json:"fundingTimestamp"`
	OpenInterest     string   `json:"openInterest"`
	Risk             riskJSON `json:"risk"`
}

type opSetGlobal struct {
	Op            string `json:"op"`
	InsuranceFund string `json:"insuranceFund"`
	FeeBalance    string `json:"feeBalance"`
}

type accountProofJSON struct {
	Kind         string   `json:"kind"`
	Account      uint64   `json:"account"`
	Leaf         string   `json:"leaf"`
	Siblings     []string `json:"siblings"`
	AccountsRoot string   `json:"accountsRoot"`
}

type positionProofJSON struct {
	Kind          string   `json:"kind"`
	Account       uint64   `json:"account"`
	Market        uint64   `json:"market"`
	Leaf          string   `json:"leaf"`
	Siblings      []string `json:"siblings"`
	PositionsRoot string   `json:"positionsRoot"`
}

type fillProofJSON struct {
	Kind      string   `json:"kind"`
	Account   uint64   `json:"account"`
	Slot      uint64   `json:"slot"`
	Leaf      string   `json:"leaf"`
	Siblings  []string `json:"siblings"`
	FillsRoot string   `json:"fillsRoot"`
}

type marketProofJSON struct {
	Kind        string   `json:"kind"`
	Market      uint64   `json:"market"`
	Leaf        string   `json:"leaf"`
	Siblings    []string `json:"siblings"`
	MarketsRoot string   `json:"marketsRoot"`
}

type finalRoots struct {
	AccountsRoot string `json:"accountsRoot"`
	MarketsRoot  string `json:"marketsRoot"`
	GlobalLeaf   string `json:"globalLeaf"`
	StateRoot    string `json:"stateRoot"`
}

func riskToJSON(r layout.MarketRisk) riskJSON {
	return riskJSON{
		InitialMarginPpm: decU64(r.InitialMarginPpm), MaintenanceMarginPpm: decU64(r.MaintenanceMarginPpm),
		BaselinePositionSize: decU64(r.BaselinePositionSize), IncrementalPositionSize: decU64(r.IncrementalPositionSize),
		IncrementalInitialMarginPpm: decU64(r.IncrementalInitialMarginPpm), MaxPositionSize: decU64(r.MaxPositionSize),
		OpenInterestCap: decU64(r.OpenInterestCap),
	}
}

// --- leaves ---------------------------------------------------------------------------------

func accountLeafCase(a layout.Account) leafCase {
	return leafCase{Kind: "account", Hash: hexFr(a.Hash()), Fields: accountFieldsJSON{
		PublicKeyX: hexFr(a.PublicKeyX), PublicKeyY: hexFr(a.PublicKeyY), L1Owner: hexBytes(a.L1Owner[:]),
		Nonce: decU64(a.Nonce), Collateral: decI64(a.Collateral),
		PositionsRoot: hexFr(a.PositionsRoot), FillsRoot: hexFr(a.FillsRoot),
	}}
}

func positionLeafCase(p layout.Position) leafCase {
	return leafCase{Kind: "position", Hash: hexFr(p.Hash()), Fields: positionFieldsJSON{
		Size: decI64(p.Size), FundingIndexSnapshot: decI64(p.FundingIndexSnapshot),
	}}
}

func fillLeafCase(f layout.Fill) leafCase {
	return leafCase{Kind: "fill", Hash: hexFr(f.Hash()), Fields: fillFieldsJSON{
		OrderNonce: decU64(f.OrderNonce), FilledAmount: decU64(f.FilledAmount),
	}}
}

func marketLeafCase(m layout.Market) leafCase {
	return leafCase{Kind: "market", Hash: hexFr(m.Hash()), Fields: marketFieldsJSON{
		OraclePrice: decU64(m.OraclePrice), OracleTimestamp: decU64(m.OracleTimestamp),
		FundingIndex: decI64(m.FundingIndex), FundingTimestamp: decU64(m.FundingTimestamp),
		OpenInterest: decU64(m.OpenInterest), RiskHash: hexFr(m.Risk.Hash()),
	}}
}

func riskLeafCase(r layout.MarketRisk) leafCase {
	return leafCase{Kind: "marketRisk", Hash: hexFr(r.Hash()), Fields: riskToJSON(r)}
}

func globalLeafCase(g layout.Global) leafCase {
	return leafCase{Kind: "global", Hash: hexFr(g.Hash()), Fields: globalFieldsJSON{
		InsuranceFund: decI64(g.InsuranceFund), FeeBalance: decI64(g.FeeBalance),
	}}
}

var defaultRisk = layout.MarketRisk{
	InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 1_000_000,
	IncrementalPositionSize: 500_000, IncrementalInitialMarginPpm: 10_000,
	MaxPositionSize: 100_000_000, OpenInterestCap: 1_000_000_000,
}

var maxRisk = layout.MarketRisk{
	InitialMarginPpm: math.MaxUint64, MaintenanceMarginPpm: math.MaxUint64, BaselinePositionSize: math.MaxUint64,
	IncrementalPositionSize: math.MaxUint64, IncrementalInitialMarginPpm: math.MaxUint64,
	MaxPositionSize: math.MaxUint64, OpenInterestCap: math.MaxUint64,
}

const price32 = 1 << 32 // fixed point with 32 fractional bits

func ownerAddress(label string) [20]byte { return newStream("owner-" + label).address() }

func genLeaves(keys []key) []leafCase {
	rnd := newStream("leaves")
	allFF := [20]byte{}
	for i := range allFF {
		allFF[i] = 0xff
	}
	var out []leafCase
	for _, a := range []layout.Account{
		{PublicKeyX: keys[0].pub.X, PublicKeyY: keys[0].pub.Y, L1Owner: ownerAddress("leaf-0"),
			PositionsRoot: layout.EmptyRoot(layout.PositionsDepth), FillsRoot: layout.EmptyRoot(layout.FillsDepth)},
		{L1Owner: ownerAddress("leaf-1"), Nonce: 3, Collateral: -5, PositionsRoot: rnd.element(), FillsRoot: rnd.element()},
		{PublicKeyX: keys[1].pub.X, PublicKeyY: keys[1].pub.Y, L1Owner: allFF, Nonce: math.MaxUint64, Collateral: math.MaxInt64,
			PositionsRoot: rnd.element(), FillsRoot: rnd.element()},
		{PublicKeyX: keys[2].pub.X, PublicKeyY: keys[2].pub.Y, Nonce: 1, Collateral: math.MinInt64,
			PositionsRoot: layout.EmptyRoot(layout.PositionsDepth), FillsRoot: rnd.element()},
	} {
		out = append(out, accountLeafCase(a))
	}
	for _, p := range []layout.Position{
		{Size: -7, FundingIndexSnapshot: 12}, {Size: 1, FundingIndexSnapshot: 0},
		{Size: math.MaxInt64, FundingIndexSnapshot: math.MinInt64}, {Size: math.MinInt64, FundingIndexSnapshot: math.MaxInt64},
		{Size: 0, FundingIndexSnapshot: 12}, {Size: 0, FundingIndexSnapshot: 0},
	} {
		out = append(out, positionLeafCase(p))
	}
	for _, f := range []layout.Fill{{OrderNonce: 1, FilledAmount: 0}, {OrderNonce: 70000, FilledAmount: 3},
		{OrderNonce: math.MaxUint64, FilledAmount: math.MaxUint64}} {
		out = append(out, fillLeafCase(f))
	}
	risks := []layout.MarketRisk{defaultRisk, {}, maxRisk}
	for _, r := range risks {
		out = append(out, riskLeafCase(r))
	}
	for _, m := range []layout.Market{
		{OraclePrice: 65_000 * price32, OracleTimestamp: 1_700_000_000, FundingIndex: 0, FundingTimestamp: 1_700_000_000, OpenInterest: 0, Risk: defaultRisk},
		{OraclePrice: 3_500*price32 + 1<<31, OracleTimestamp: 1_700_000_123, FundingIndex: -(3 * price32), FundingTimestamp: 1_699_999_999, OpenInterest: 12_345, Risk: defaultRisk},
		{OraclePrice: math.MaxUint64, OracleTimestamp: math.MaxUint64, FundingIndex: math.MinInt64, FundingTimestamp: math.MaxUint64, OpenInterest: math.MaxUint64, Risk: maxRisk},
		{FundingIndex: math.MaxInt64, Risk: layout.MarketRisk{}},
	} {
		out = append(out, marketLeafCase(m))
	}
	for _, g := range []layout.Global{{}, {InsuranceFund: 100, FeeBalance: -1}, {InsuranceFund: math.MaxInt64, FeeBalance: math.MinInt64}} {
		out = append(out, globalLeafCase(g))
	}
	return out
}

// --- scenarios ------------------------------------------------------------------------------

type builder struct {
	name   string
	st     *layout.State
	steps  []any
	roots  []string
	proofs []any
}

func newBuilder(name string) *builder { return &builder{name: name, st: layout.NewState()} }

func (b *builder) record(step any) {
	b.steps = append(b.steps, step)
	b.roots = append(b.roots, hexFr(b.st.Root()))
}

func (b *builder) setAccount(id uint64, f layout.AccountFields) error {
	if err := b.st.SetAccount(id, f); err != nil {
		return err
	}
	b.record(opSetAccount{Op: "setAccount", Account: id, PublicKeyX: hexFr(f.PublicKeyX), PublicKeyY: hexFr(f.PublicKeyY),
		L1Owner: hexBytes(f.L1Owner[:]), Nonce: decU64(f.Nonce), Collateral: decI64(f.Collateral)})
	return nil
}

func (b *builder) setPosition(account, market uint64, p layout.Position) error {
	if _, ok := b.st.Account(account); !ok {
		return fmt.Errorf("setPosition on missing account %d", account)
	}
	if err := b.st.SetPosition(account, market, p); err != nil {
		return err
	}
	b.record(opSetPosition{Op: "setPosition", Account: account, Market: market, Size: decI64(p.Size),
		FundingIndexSnapshot: decI64(p.FundingIndexSnapshot)})
	return nil
}

// setFill writes a fill and checks that the write obeys the replay rule: the slot is empty, holds a
// lower nonce (take-over), or holds the same nonce with no smaller filled amount.
func (b *builder) setFill(account uint64, f layout.Fill) error {
	if _, ok := b.st.Account(account); !ok {
		return fmt.Errorf("setFill on missing account %d", account)
	}
	if old, ok := b.st.Fill(account, layout.FillSlot(f.OrderNonce)); ok {
		if old.OrderNonce > f.OrderNonce || (old.OrderNonce == f.OrderNonce && old.FilledAmount > f.FilledAmount) {
			return fmt.Errorf("fill %+v would violate the replay rule over %+v", f, old)
		}
	}
	if err := b.st.SetFill(account, f); err != nil {
		return err
	}
	b.record(opSetFill{Op: "setFill", Account: account, Nonce: decU64(f.OrderNonce), FilledAmount: decU64(f.FilledAmount)})
	return nil
}

func (b *builder) setMarket(id uint64, m layout.Market) error {
	if err := b.st.SetMarket(id, m); err != nil {
		return err
	}
	b.record(opSetMarket{Op: "setMarket", Market: id, OraclePrice: decU64(m.OraclePrice), OracleTimestamp: decU64(m.OracleTimestamp),
		FundingIndex: decI64(m.FundingIndex), FundingTimestamp: decU64(m.FundingTimestamp), OpenInterest: decU64(m.OpenInterest),
		Risk: riskToJSON(m.Risk)})
	return nil
}

func (b *builder) setGlobal(g layout.Global) {
	b.st.SetGlobal(g)
	b.record(opSetGlobal{Op: "setGlobal", InsuranceFund: decI64(g.InsuranceFund), FeeBalance: decI64(g.FeeBalance)})
}

func checkProof(p layout.Proof, what string) error {
	if !p.Verify() {
		return fmt.Errorf("%s: proof does not verify", what)
	}
	return nil
}

// proveAccount adds the account's proof and, if the account exists, proofs of the given position
// markets and fill slots in its subtrees (each chained to the account leaf).
func (b *builder) proveAccount(id uint64, markets, slots []uint64) error {
	p, err := b.st.AccountProof(id)
	if err != nil {
		return err
	}
	if err := checkProof(p, fmt.Sprintf("account %d", id)); err != nil {
		return err
	}
	acct, exists := b.st.Account(id)
	if exists {
		if h := acct.Hash(); !h.Equal(&p.Leaf) {
			return fmt.Errorf("account %d: proof leaf is not the account hash", id)
		}
	} else if !p.Leaf.IsZero() || len(markets)+len(slots) > 0 {
		return fmt.Errorf("account %d: missing account with a leaf or sub-proofs", id)
	}
	b.proofs = append(b.proofs, accountProofJSON{Kind: "account", Account: id, Leaf: hexFr(p.Leaf), Siblings: hexFrs(p.Siblings), AccountsRoot: hexFr(p.Root)})
	for _, m := range markets {
		pp, err := b.st.PositionProof(id, m)
		if err != nil {
			return err
		}
		if err := checkProof(pp, fmt.Sprintf("position %d/%d", id, m)); err != nil {
			return err
		}
		if !pp.Root.Equal(&acct.PositionsRoot) {
			return fmt.Errorf("position %d/%d: root is not the account's positionsRoot", id, m)
		}
		b.proofs = append(b.proofs, positionProofJSON{Kind: "position", Account: id, Market: m, Leaf: hexFr(pp.Leaf), Siblings: hexFrs(pp.Siblings), PositionsRoot: hexFr(pp.Root)})
	}
	for _, s := range slots {
		fp, err := b.st.FillProof(id, s)
		if err != nil {
			return err
		}
		if err := checkProof(fp, fmt.Sprintf("fill %d/%d", id, s)); err != nil {
			return err
		}
		if !fp.Root.Equal(&acct.FillsRoot) {
			return fmt.Errorf("fill %d/%d: root is not the account's fillsRoot", id, s)
		}
		b.proofs = append(b.proofs, fillProofJSON{Kind: "fill", Account: id, Slot: s, Leaf: hexFr(fp.Leaf), Siblings: hexFrs(fp.Siblings), FillsRoot: hexFr(fp.Root)})
	}
	return nil
}

func (b *builder) proveMarket(id uint64) error {
	p, err := b.st.MarketProof(id)
	if err != nil {
		return err
	}
	if err := checkProof(p, fmt.Sprintf("market %d", id)); err != nil {
		return err
	}
	b.proofs = append(b.proofs, marketProofJSON{Kind: "market", Market: id, Leaf: hexFr(p.Leaf), Siblings: hexFrs(p.Siblings), MarketsRoot: hexFr(p.Root)})
	return nil
}

func (b *builder) finish() scenario {
	return scenario{Name: b.name, Steps: b.steps, Roots: b.roots, Proofs: b.proofs, Final: finalRoots{
		AccountsRoot: hexFr(b.st.AccountsRoot()), MarketsRoot: hexFr(b.st.MarketsRoot()),
		GlobalLeaf: hexFr(b.st.GlobalLeaf()), StateRoot: hexFr(b.st.Root()),
	}}
}

func keyFields(k *key, owner [20]byte, nonce uint64, collateral int64) layout.AccountFields {
	f := layout.AccountFields{L1Owner: owner, Nonce: nonce, Collateral: collateral}
	if k != nil {
		f.PublicKeyX, f.PublicKeyY = k.pub.X, k.pub.Y
	}
	return f
}

// first runs fns in order and returns the first error.
func first(fns ...func() error) error {
	for _, f := range fns {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

func scenarioSmall(keys []key) (scenario, error) {
	b := newBuilder("small")
	m3 := layout.Market{OraclePrice: 65_000 * price32, OracleTimestamp: 1_700_000_000, FundingIndex: 12,
		FundingTimestamp: 1_700_000_000, OpenInterest: 7, Risk: defaultRisk}
	err := first(
		func() error { return b.setMarket(3, m3) },
		func() error { return b.setAccount(5, keyFields(&keys[0], ownerAddress("small-5"), 0, 1_000_000)) },
		func() error { return b.setAccount(9, keyFields(&keys[1], ownerAddress("small-9"), 0, 500_000)) },
		func() error { return b.setPosition(5, 3, layout.Position{Size: -7, FundingIndexSnapshot: 12}) },
		func() error { return b.setPosition(9, 3, layout.Position{Size: 7, FundingIndexSnapshot: 12}) },
		func() error { return b.setFill(5, layout.Fill{OrderNonce: 70000, FilledAmount: 3}) },
		func() error { return b.setFill(9, layout.Fill{OrderNonce: 1, FilledAmount: 3}) },
		func() error { b.setGlobal(layout.Global{InsuranceFund: 1_000, FeeBalance: 25}); return nil },
		func() error { return b.proveAccount(5, []uint64{3, 4}, []uint64{layout.FillSlot(70000), 0}) },
		func() error { return b.proveAccount(9, []uint64{3}, []uint64{1, 4464}) },
		func() error { return b.proveAccount(6, nil, nil) },
		func() error { return b.proveMarket(3) },
		func() error { return b.proveMarket(0) },
	)
	return b.finish(), err
}

func scenarioEdges(keys []key) (scenario, error) {
	b := newBuilder("edges")
	const last = 1<<layout.AccountsDepth - 1
	var allFF [20]byte
	for i := range allFF {
		allFF[i] = 0xff
	}
	var rootBeforeTempPosition string
	err := first(
		func() error { return b.setAccount(0, keyFields(nil, [20]byte{}, 0, 0)) },
		func() error { return b.setAccount(last, keyFields(&keys[2], allFF, math.MaxUint64, math.MinInt64)) },
		func() error {
			return b.setPosition(0, 0, layout.Position{Size: math.MaxInt64, FundingIndexSnapshot: math.MinInt64})
		},
		func() error {
			return b.setPosition(0, 63, layout.Position{Size: math.MinInt64, FundingIndexSnapshot: math.MaxInt64})
		},
		func() error {
			rootBeforeTempPosition = b.roots[len(b.roots)-1]
			return b.setPosition(last, 5, layout.Position{Size: 10, FundingIndexSnapshot: 3})
		},
		func() error { return b.setPosition(last, 5, layout.Position{Size: 0, FundingIndexSnapshot: 3}) },
		func() error {
			if b.roots[len(b.roots)-1] != rootBeforeTempPosition {
				return fmt.Errorf("setting a position back to size 0 does not restore the root")
			}
			return b.setFill(0, layout.Fill{OrderNonce: 5, FilledAmount: 1})
		},
		func() error { return b.setFill(0, layout.Fill{OrderNonce: 5, FilledAmount: 4}) },
		func() error { return b.setFill(0, layout.Fill{OrderNonce: 5 + 1<<16, FilledAmount: 0}) }, // take-over
		func() error { return b.setFill(0, layout.Fill{OrderNonce: 1<<16 - 1, FilledAmount: math.MaxUint64}) },
		func() error { return b.setFill(0, layout.Fill{OrderNonce: math.MaxUint64, FilledAmount: 2}) },
		// The account is updated after its subtrees changed: its positions and fills are kept.
		func() error { return b.setAccount(0, keyFields(&keys[3], ownerAddress("edges-0"), 1, -1)) },
		func() error {
			return b.setMarket(0, layout.Market{OraclePrice: 1, OracleTimestamp: 0, FundingIndex: math.MinInt64, FundingTimestamp: 0, OpenInterest: 0, Risk: layout.MarketRisk{}})
		},
		func() error {
			return b.setMarket(63, layout.Market{OraclePrice: math.MaxUint64, OracleTimestamp: math.MaxUint64, FundingIndex: math.MaxInt64,
				FundingTimestamp: math.MaxUint64, OpenInterest: math.MaxUint64, Risk: maxRisk})
		},
		func() error {
			b.setGlobal(layout.Global{InsuranceFund: math.MaxInt64, FeeBalance: math.MinInt64})
			return nil
		},
		func() error {
			return b.proveAccount(0, []uint64{0, 63, 1}, []uint64{5, 1<<16 - 1, layout.FillSlot(math.MaxUint64), 6})
		},
		func() error { return b.proveAccount(last, []uint64{5, 63}, []uint64{0, 1<<16 - 1}) },
		func() error { return b.proveAccount(1, nil, nil) },
		func() error { return b.proveAccount(last-1, nil, nil) },
		func() error { return b.proveMarket(0) },
		func() error { return b.proveMarket(63) },
		func() error { return b.proveMarket(1) },
	)
	return b.finish(), err
}

func scenarioRandom(keys []key) (scenario, error) {
	b := newBuilder("random")
	rnd := newStream("scenario-random")
	distinct := func(n int, bound uint64) []uint64 {
		var out []uint64
		seen := map[uint64]bool{}
		for len(out) < n {
			v := rnd.intn(bound)
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		return out
	}
	accounts := distinct(6, 1<<layout.AccountsDepth)
	markets := distinct(4, 1<<layout.MarketsDepth)
	const steps = 40
	for len(b.steps) < steps {
		acct := accounts[rnd.intn(uint64(len(accounts)))]
		_, exists := b.st.Account(acct)
		var err error
		switch op := rnd.intn(14); {
		case op < 3 || !exists && op < 11:
			var k *key
			if ki := rnd.intn(NumKeys + 1); ki < NumKeys {
				k = &keys[ki]
			}
			err = b.setAccount(acct, keyFields(k, ownerAddress(fmt.Sprintf("random-%d", acct)), rnd.intn(100), rnd.i64(1_000_000_000)))
		case op < 7:
			m := markets[rnd.intn(uint64(len(markets)))]
			size := rnd.i64(1_000)
			if rnd.intn(4) == 0 {
				size = 0 // close the position
			}
			snapshot := rnd.i64(1 << 40)
			if mk, ok := b.st.Market(m); ok {
				snapshot = mk.FundingIndex
			}
			err = b.setPosition(acct, m, layout.Position{Size: size, FundingIndexSnapshot: snapshot})
		case op < 11:
			nonce := 1 + rnd.intn(200_000)
			filled := rnd.intn(1_000)
			if old, ok := b.st.Fill(acct, layout.FillSlot(nonce)); ok && old.OrderNonce >= nonce {
				nonce, filled = old.OrderNonce, old.FilledAmount+filled // fill the same order further
			}
			err = b.setFill(acct, layout.Fill{OrderNonce: nonce, FilledAmount: filled})
		case op < 13:
			m := markets[rnd.intn(uint64(len(markets)))]
			risk := defaultRisk
			risk.InitialMarginPpm = 20_000 + rnd.intn(80_000)
			risk.MaintenanceMarginPpm = risk.InitialMarginPpm / 2
			ts := 1_700_000_000 + rnd.intn(1_000_000)
			err = b.setMarket(m, layout.Market{OraclePrice: (1 + rnd.intn(100_000)) * price32, OracleTimestamp: ts,
				FundingIndex: rnd.i64(1 << 40), FundingTimestamp: ts - rnd.intn(3_600), OpenInterest: rnd.intn(1_000_000), Risk: risk})
		default:
			b.setGlobal(layout.Global{InsuranceFund: rnd.i64(1 << 50), FeeBalance: rnd.i64(1 << 50)})
		}
		if err != nil {
			return scenario{}, err
		}
	}
	for _, a := range accounts {
		if _, ok := b.st.Account(a); !ok {
			if err := b.proveAccount(a, nil, nil); err != nil {
				return scenario{}, err
			}
			continue
		}
		var slots []uint64
		for s := uint64(0); s < 1<<layout.FillsDepth; s++ {
			if _, ok := b.st.Fill(a, s); ok {
				slots = append(slots, s)
			}
		}
		for s := uint64(1<<layout.FillsDepth - 1); ; s-- { // and the highest empty slot
			if _, ok := b.st.Fill(a, s); !ok {
				slots = append(slots, s)
				break
			}
		}
		if err := b.proveAccount(a, markets, slots); err != nil {
			return scenario{}, err
		}
	}
	// Empty slots: an account id and a market id that the scenario never uses.
	extra := distinct(8, 1<<layout.AccountsDepth)
	for _, a := range extra {
		if _, ok := b.st.Account(a); !ok {
			if err := b.proveAccount(a, nil, nil); err != nil {
				return scenario{}, err
			}
			break
		}
	}
	for _, m := range markets {
		if err := b.proveMarket(m); err != nil {
			return scenario{}, err
		}
	}
	for m := uint64(0); m < 1<<layout.MarketsDepth; m++ {
		if _, ok := b.st.Market(m); !ok && !slices.Contains(markets, m) {
			if err := b.proveMarket(m); err != nil {
				return scenario{}, err
			}
			break
		}
	}
	return b.finish(), nil
}

func genState(keys []key) (any, error) {
	f := stateFile{
		Generator: generatorInfo(),
		Depths:    depthsInfo{layout.AccountsDepth, layout.PositionsDepth, layout.FillsDepth, layout.MarketsDepth},
		Tags: tagsInfo{
			Account: hexFr(layout.TagAccount), Position: hexFr(layout.TagPosition), Fill: hexFr(layout.TagFill),
			Market: hexFr(layout.TagMarket), MarketRisk: hexFr(layout.TagMarketRisk), Global: hexFr(layout.TagGlobal),
			State: hexFr(layout.TagState),
		},
		EmptyRoots: emptyRootsInfo{
			Accounts: hexFr(layout.EmptyRoot(layout.AccountsDepth)), Positions: hexFr(layout.EmptyRoot(layout.PositionsDepth)),
			Fills: hexFr(layout.EmptyRoot(layout.FillsDepth)), Markets: hexFr(layout.EmptyRoot(layout.MarketsDepth)),
		},
		GenesisRoot: hexFr(layout.GenesisRoot()),
		Leaves:      genLeaves(keys),
	}
	for i, gen := range []func([]key) (scenario, error){scenarioSmall, scenarioEdges, scenarioRandom} {
		s, err := gen(keys)
		if err != nil {
			return nil, fmt.Errorf("scenario %d: %w", i, err)
		}
		f.Scenarios = append(f.Scenarios, s)
	}
	return f, nil
}
