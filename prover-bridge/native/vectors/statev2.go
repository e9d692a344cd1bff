package vectors

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// FileStateV2 holds the golden vectors of state layout v2 (docs/state-layout.md, "Layout v2"):
// tags, empty roots, position-entry and list packing (valid and refused), every leaf kind, the
// oracle-signer tree, fee tiers, global leaves and full states with account proofs.
const FileStateV2 = "state-v2.json"

type stateV2File struct {
	Generator         Generator            `json:"generator"`
	Depths            map[string]int       `json:"depths"`
	InsuranceFund     string               `json:"insuranceFundAccount"`
	MaxPositions      int                  `json:"maxPositions"`
	FeeTierCount      int                  `json:"feeTierCount"`
	Tags              []v2Tag              `json:"tags"`
	EmptyRoots        map[string]string    `json:"emptyRoots"`
	Entries           []v2Entry            `json:"entries"`
	InvalidEntries    []v2InvalidEntry     `json:"invalidEntries"`
	NonCanonicalLists []v2NonCanonicalList `json:"nonCanonicalLists"`
	PositionLists     []v2PositionList     `json:"positionLists"`
	PositionUpdates   []v2PositionUpdate   `json:"positionUpdates"`
	Accounts          []v2Account          `json:"accounts"`
	Fills             []v2Fill             `json:"fills"`
	Markets           []v2Market           `json:"markets"`
	OracleSignerSets  []v2SignerSet        `json:"oracleSignerSets"`
	FeeTiers          []v2FeeTiers         `json:"feeTiers"`
	InvalidFeeTiers   []v2FeeTiers         `json:"invalidFeeTiers"`
	Globals           []v2Global           `json:"globals"`
	States            []v2State            `json:"states"`
}

type v2Tag struct {
	Name   string `json:"name"`
	String string `json:"string"`
	Value  string `json:"value"`
}

type v2EntryFields struct {
	Market          int    `json:"market"`
	Size            string `json:"size"`
	FundingSnapshot string `json:"fundingSnapshot"`
}

type v2Entry struct {
	v2EntryFields
	Packed string `json:"packed"` // 126-bit value as a 32-byte hex integer
}

type v2InvalidEntry struct {
	v2EntryFields
	Reason string `json:"reason"`
}

type v2NonCanonicalList struct {
	Packed []string `json:"packed"`
	Reason string   `json:"reason"`
}

type v2PositionList struct {
	Entries []v2EntryFields `json:"entries"`
	Packed  []string        `json:"packed"`
}

// v2PositionUpdate is one step of the entry-assignment rule, applied to the list left by the
// previous step (the first to the empty list): the packed list after it, or the refusal.
type v2PositionUpdate struct {
	v2EntryFields
	Packed []string `json:"packed,omitempty"`
	Error  string   `json:"error,omitempty"`
}

type v2Identity struct {
	PublicKeyX string `json:"publicKeyX"`
	PublicKeyY string `json:"publicKeyY"`
	L1Owner    string `json:"l1Owner"`
	FeeTier    int    `json:"feeTier"`
	Hash       string `json:"hash"`
}

type v2Account struct {
	Identity   v2Identity      `json:"identity"`
	Nonce      string          `json:"nonce"`
	Collateral string          `json:"collateral"`
	FillsRoot  string          `json:"fillsRoot"`
	Positions  []v2EntryFields `json:"positions"`
	Packed     []string        `json:"packed"`
	Hash       string          `json:"hash"`
}

type v2Fill struct {
	OrderNonce   string `json:"orderNonce"`
	FilledAmount string `json:"filledAmount"`
	Slot         string `json:"slot"`
	Packed       string `json:"packed"`
	Hash         string `json:"hash"`
}

type v2Risk struct {
	InitialMarginPpm            string `json:"initialMarginPpm"`
	MaintenanceMarginPpm        string `json:"maintenanceMarginPpm"`
	BaselinePositionSize        string `json:"baselinePositionSize"`
	IncrementalPositionSize     string `json:"incrementalPositionSize"`
	IncrementalInitialMarginPpm string `json:"incrementalInitialMarginPpm"`
	MaxPositionSize             string `json:"maxPositionSize"`
	OpenInterestCap             string `json:"openInterestCap"`
	OracleMaxAgeSeconds         string `json:"oracleMaxAgeSeconds"`
	OracleMaxFutureSeconds      string `json:"oracleMaxFutureSeconds"`
	OracleMaxMovePpm            string `json:"oracleMaxMovePpm"`
	FundingMinIntervalSeconds   string `json:"fundingMinIntervalSeconds"`
	FundingMaxRatePpm           string `json:"fundingMaxRatePpm"`
	Hash                        string `json:"hash"`
}

type v2Market struct {
	OraclePrice      string `json:"oraclePrice"`
	OracleTimestamp  string `json:"oracleTimestamp"`
	FundingIndex     string `json:"fundingIndex"`
	FundingTimestamp string `json:"fundingTimestamp"`
	OpenInterest     string `json:"openInterest"`
	Risk             v2Risk `json:"risk"`
	Hash             string `json:"hash"`
}

type v2Signer struct {
	KeyX string `json:"keyX"`
	KeyY string `json:"keyY"`
	Leaf string `json:"leaf"`
}

type v2SignerSet struct {
	Slots []v2Signer `json:"slots"` // 16
	Root  string     `json:"root"`
}

type v2Tier struct {
	MakerPpm int32 `json:"makerPpm"`
	TakerPpm int32 `json:"takerPpm"`
}

type v2FeeTiers struct {
	Tiers []v2Tier `json:"tiers"`
	Hash  string   `json:"hash,omitempty"`
}

type v2Global struct {
	FeeBalance        string `json:"feeBalance"`
	OracleSignersRoot string `json:"oracleSignersRoot"`
	OracleQuorum      int    `json:"oracleQuorum"`
	FeeTiersRoot      string `json:"feeTiersRoot"`
	Hash              string `json:"hash"`
}

// v2StateAccount is an account of a full state: its leaf, the fills its fillsRoot is the root of
// (depth-12 tree, slot = orderNonce mod 2^12, every other slot 0; in increasing slot order) and
// the leaf's accounts-tree proof.
type v2StateAccount struct {
	ID       string    `json:"id"`
	Account  v2Account `json:"account"`
	Fills    []v2Fill  `json:"fills"`
	Siblings []string  `json:"siblings"`
}

// v2StateMarket is a market leaf with its id and its proof siblings (the state files and the
// escape files both list markets so).
type v2StateMarket struct {
	ID       string   `json:"id"`
	Market   v2Market `json:"market"`
	Siblings []string `json:"siblings"`
}

type v2State struct {
	Name         string           `json:"name"`
	Accounts     []v2StateAccount `json:"accounts"` // every non-empty account, with its proof
	Markets      []v2StateMarket  `json:"markets"`
	Global       v2Global         `json:"global"`
	AccountsRoot string           `json:"accountsRoot"`
	MarketsRoot  string           `json:"marketsRoot"`
	Root         string           `json:"root"`
}

func entryFields(e layoutv2.PositionEntry) v2EntryFields {
	return v2EntryFields{Market: int(e.Market), Size: decI64(e.Size), FundingSnapshot: decI64(e.FundingSnapshot)}
}

func entryFieldsList(p *layoutv2.Positions) []v2EntryFields {
	out := make([]v2EntryFields, len(p))
	for i := range p {
		out[i] = entryFields(p[i])
	}
	return out
}

func identityJSON(id layoutv2.Identity) (v2Identity, error) {
	h, err := id.Hash()
	if err != nil {
		return v2Identity{}, err
	}
	return v2Identity{PublicKeyX: hexFr(id.PublicKeyX), PublicKeyY: hexFr(id.PublicKeyY),
		L1Owner: hexBytes(id.L1Owner[:]), FeeTier: int(id.FeeTier), Hash: hexFr(h)}, nil
}

func accountJSON(a layoutv2.Account) (v2Account, error) {
	id, err := identityJSON(a.Identity)
	if err != nil {
		return v2Account{}, err
	}
	q, err := a.Positions.Pack()
	if err != nil {
		return v2Account{}, err
	}
	h, err := a.Hash()
	if err != nil {
		return v2Account{}, err
	}
	return v2Account{Identity: id, Nonce: decU64(a.Nonce), Collateral: decI64(a.Collateral),
		FillsRoot: hexFr(a.FillsRoot), Positions: entryFieldsList(&a.Positions), Packed: hexFrs(q[:]), Hash: hexFr(h)}, nil
}

func fillJSONv2(fl layoutv2.Fill) v2Fill {
	p := fl.Packed()
	return v2Fill{decU64(fl.OrderNonce), decU64(fl.FilledAmount), decU64(layoutv2.FillSlot(fl.OrderNonce)), hexFr(p), hexFr(fl.Hash())}
}

func riskJSONv2(r layoutv2.MarketRisk) v2Risk {
	return v2Risk{decU64(r.InitialMarginPpm), decU64(r.MaintenanceMarginPpm), decU64(r.BaselinePositionSize),
		decU64(r.IncrementalPositionSize), decU64(r.IncrementalInitialMarginPpm), decU64(r.MaxPositionSize),
		decU64(r.OpenInterestCap), decU64(r.OracleMaxAgeSeconds), decU64(r.OracleMaxFutureSeconds),
		decU64(r.OracleMaxMovePpm), decU64(r.FundingMinIntervalSeconds), decU64(r.FundingMaxRatePpm), hexFr(r.Hash())}
}

func marketJSONv2(m layoutv2.Market) v2Market {
	return v2Market{decU64(m.OraclePrice), decU64(m.OracleTimestamp), decI64(m.FundingIndex),
		decU64(m.FundingTimestamp), decU64(m.OpenInterest), riskJSONv2(m.Risk), hexFr(m.Hash())}
}

func tiersJSON(t *[layoutv2.FeeTierCount]layoutv2.FeeTier) []v2Tier {
	out := make([]v2Tier, len(t))
	for i := range t {
		out[i] = v2Tier{t[i].MakerPpm, t[i].TakerPpm}
	}
	return out
}

func globalJSONv2(g layoutv2.Global) (v2Global, error) {
	h, err := g.Hash()
	if err != nil {
		return v2Global{}, err
	}
	tiers, _ := layoutv2.FeeTiersHash(&g.FeeTiers)
	return v2Global{FeeBalance: decI64(g.FeeBalance), OracleSignersRoot: hexFr(layoutv2.OracleSignersTree(&g.OracleSigners).Root()),
		OracleQuorum: int(g.OracleQuorum), FeeTiersRoot: hexFr(tiers), Hash: hexFr(h)}, nil
}

func keySigner(k key) layoutv2.OracleSigner {
	return layoutv2.OracleSigner{KeyX: k.pub.X, KeyY: k.pub.Y}
}

func packedHex(v *big.Int) string { return hexBig32(v) }

func genStateV2(keys []key) (any, error) {
	f := stateV2File{
		Generator: Generator{Program: Program, GnarkCrypto: GnarkCryptoVersion, Gnark: GnarkVersion, LayoutVersion: layoutv2.Version},
		Depths: map[string]int{"accounts": layoutv2.AccountsDepth, "fills": layoutv2.FillsDepth,
			"markets": layoutv2.MarketsDepth, "oracleSigners": layoutv2.OracleSignersDepth},
		InsuranceFund: decU64(layoutv2.InsuranceFundAccount),
		MaxPositions:  layoutv2.MaxPositions,
		FeeTierCount:  layoutv2.FeeTierCount,
		EmptyRoots: map[string]string{
			"accounts": hexFr(layout.EmptyRoot(layoutv2.AccountsDepth)), "fills": hexFr(layout.EmptyRoot(layoutv2.FillsDepth)),
			"markets": hexFr(layout.EmptyRoot(layoutv2.MarketsDepth)), "oracleSigners": hexFr(layout.EmptyRoot(layoutv2.OracleSignersDepth)),
		},
	}
	for _, t := range []struct {
		name, s string
		v       fr.Element
	}{
		{"account", layoutv2.TagAccountString, layoutv2.TagAccount},
		{"accountIdentity", layoutv2.TagAccountIdentityString, layoutv2.TagAccountIdentity},
		{"fill", layoutv2.TagFillString, layoutv2.TagFill},
		{"market", layoutv2.TagMarketString, layoutv2.TagMarket},
		{"marketRisk", layoutv2.TagMarketRiskString, layoutv2.TagMarketRisk},
		{"global", layoutv2.TagGlobalString, layoutv2.TagGlobal},
		{"oracleSigner", layoutv2.TagOracleSignerString, layoutv2.TagOracleSigner},
		{"feeTiers", layoutv2.TagFeeTiersString, layoutv2.TagFeeTiers},
		{"state", layoutv2.TagStateString, layoutv2.TagState},
	} {
		f.Tags = append(f.Tags, v2Tag{t.name, t.s, hexFr(t.v)})
	}

	// Entries: edges, then pseudo-random ones.
	s := newStream("state-v2")
	entries := []layoutv2.PositionEntry{
		{Market: 0, Size: 0, FundingSnapshot: 0},
		{Market: 17, Size: 0, FundingSnapshot: -99}, // empty: stored as 0 whatever market and snapshot
		{Market: 0, Size: 1, FundingSnapshot: 0},
		{Market: 0, Size: -1, FundingSnapshot: 0},
		{Market: 63, Size: layoutv2.MaxAbsSize, FundingSnapshot: math.MaxInt64},
		{Market: 63, Size: -layoutv2.MaxAbsSize, FundingSnapshot: math.MinInt64},
		{Market: 1, Size: 1, FundingSnapshot: -1},
		{Market: 5, Size: -3, FundingSnapshot: 7},
	}
	for i := 0; i < 8; i++ {
		entries = append(entries, layoutv2.PositionEntry{Market: uint8(s.intn(64)), Size: s.i64(layoutv2.MaxAbsSize),
			FundingSnapshot: int64(s.u64())})
	}
	for _, e := range entries {
		v, err := layoutv2.PackEntry(e)
		if err != nil {
			return nil, err
		}
		f.Entries = append(f.Entries, v2Entry{entryFields(e), packedHex(v)})
	}
	for _, e := range []layoutv2.PositionEntry{
		{Market: 1, Size: layoutv2.MaxAbsSize + 1},
		{Market: 1, Size: -layoutv2.MaxAbsSize - 1},
		{Market: 1, Size: math.MinInt64},
		{Market: 64, Size: 1},
		{Market: 255, Size: -1},
	} {
		if _, err := layoutv2.PackEntry(e); !errors.Is(err, layoutv2.ErrPositionOutOfRange) {
			return nil, fmt.Errorf("entry %v not refused: %v", e, err)
		}
		f.InvalidEntries = append(f.InvalidEntries, v2InvalidEntry{entryFields(e), "out-of-range"})
	}

	// Position lists.
	lists := []layoutv2.Positions{
		{},
		{{Market: 5, Size: -3, FundingSnapshot: 7}, {Market: 9, Size: 1, FundingSnapshot: -1}},
		{{}, {}, {}, {}, {}, {}, {}, {Market: 63, Size: layoutv2.MaxAbsSize, FundingSnapshot: math.MaxInt64}},
	}
	var full layoutv2.Positions
	perm := []uint8{3, 0, 63, 12, 7, 40, 1, 22}
	for i := range full {
		full[i] = layoutv2.PositionEntry{Market: perm[i], Size: s.i64(layoutv2.MaxAbsSize), FundingSnapshot: int64(s.u64())}
	}
	lists = append(lists, full)
	for _, p := range lists {
		q, err := p.Pack()
		if err != nil {
			return nil, err
		}
		f.PositionLists = append(f.PositionLists, v2PositionList{entryFieldsList(&p), hexFrs(q[:])})
	}
	// The entry-assignment rule: 8 markets fill the entries in order, a 9th is refused, closing
	// frees entries in place, new markets take the lowest empty entries, updates stay in place.
	var cur layoutv2.Positions
	updates := []layoutv2.PositionEntry{}
	for m := 0; m < 8; m++ {
		updates = append(updates, layoutv2.PositionEntry{Market: uint8(3 + 7*m), Size: s.i64(layoutv2.MaxAbsSize), FundingSnapshot: int64(s.u64())})
	}
	updates = append(updates,
		layoutv2.PositionEntry{Market: 60, Size: 1},                            // 9th market: refused
		layoutv2.PositionEntry{Market: 3 + 7*2, Size: 0, FundingSnapshot: 5},   // close entry 2
		layoutv2.PositionEntry{Market: 3 + 7*5, Size: 0},                       // close entry 5
		layoutv2.PositionEntry{Market: 60, Size: -9, FundingSnapshot: 77},      // takes entry 2
		layoutv2.PositionEntry{Market: 3 + 7*7, Size: 12, FundingSnapshot: -3}, // update entry 7 in place
		layoutv2.PositionEntry{Market: 61, Size: layoutv2.MaxAbsSize},          // takes entry 5
		layoutv2.PositionEntry{Market: 62, Size: 1},                            // full again: refused
		layoutv2.PositionEntry{Market: 1, Size: layoutv2.MaxAbsSize + 1},       // out of range: refused
	)
	for _, u := range updates {
		next, err := cur.Set(u.Market, u.Size, u.FundingSnapshot)
		step := v2PositionUpdate{v2EntryFields: v2EntryFields{Market: int(u.Market), Size: decI64(u.Size), FundingSnapshot: decI64(u.FundingSnapshot)}}
		switch {
		case errors.Is(err, layoutv2.ErrTooManyPositions):
			step.Error = "too-many-positions"
		case errors.Is(err, layoutv2.ErrPositionOutOfRange):
			step.Error = "out-of-range"
		case err != nil:
			return nil, err
		default:
			cur = next
			q, err := cur.Pack()
			if err != nil {
				return nil, err
			}
			step.Packed = hexFrs(q[:])
		}
		f.PositionUpdates = append(f.PositionUpdates, step)
	}

	// Packed lists nothing valid packs to.
	e4, _ := layoutv2.PackEntry(layoutv2.PositionEntry{Market: 4, Size: 10})
	sh := func(v *big.Int, n uint) *big.Int { return new(big.Int).Lsh(v, n) }
	one := big.NewInt(1)
	bad := []struct {
		first  *big.Int
		reason string
	}{
		{new(big.Int).Add(e4, sh(e4, 126)), "duplicate-market"},
		{big.NewInt(5), "non-canonical"},                                        // size field 0 (size −2^55)
		{new(big.Int).Add(big.NewInt(17), sh(sh(one, 55), 6)), "non-canonical"}, // size 0 not stored as 0
		{sh(one, 252), "non-canonical"},
		{sh(big.NewInt(5), 126), "non-canonical"},
	}
	for _, b := range bad {
		q := [layoutv2.PositionElements]fr.Element{}
		q[0] = frFromBig(b.first)
		if _, err := layoutv2.UnpackPositions(q); err == nil {
			return nil, fmt.Errorf("packed list %s accepted", b.first)
		}
		f.NonCanonicalLists = append(f.NonCanonicalLists, v2NonCanonicalList{hexFrs(q[:]), b.reason})
	}

	// Accounts.
	var owner [20]byte
	copy(owner[:], s.bytes(20))
	accounts := []layoutv2.Account{
		{FillsRoot: layout.EmptyRoot(layoutv2.FillsDepth)}, // the insurance fund at genesis
		{Identity: layoutv2.Identity{PublicKeyX: keys[0].pub.X, PublicKeyY: keys[0].pub.Y, L1Owner: owner, FeeTier: 3},
			Nonce: 5, Collateral: -12345, FillsRoot: s.element(), Positions: lists[1]},
		{Identity: layoutv2.Identity{PublicKeyX: keys[1].pub.X, PublicKeyY: keys[1].pub.Y, L1Owner: s.address(), FeeTier: 7},
			Nonce: math.MaxUint64, Collateral: math.MinInt64, FillsRoot: layout.EmptyRoot(layoutv2.FillsDepth), Positions: full},
		{Identity: layoutv2.Identity{PublicKeyX: keys[2].pub.X, PublicKeyY: keys[2].pub.Y, L1Owner: s.address()},
			Nonce: 0, Collateral: math.MaxInt64, FillsRoot: s.element(), Positions: lists[2]},
	}
	for _, a := range accounts {
		j, err := accountJSON(a)
		if err != nil {
			return nil, err
		}
		f.Accounts = append(f.Accounts, j)
	}

	// Fills.
	for _, fl := range []layoutv2.Fill{{OrderNonce: 1}, {OrderNonce: 4096, FilledAmount: 1}, {OrderNonce: 4097, FilledAmount: 12345},
		{OrderNonce: math.MaxUint64, FilledAmount: math.MaxUint64}, {OrderNonce: s.u64(), FilledAmount: s.u64()}} {
		f.Fills = append(f.Fills, fillJSONv2(fl))
	}

	// Markets.
	markets := []layoutv2.Market{
		{},
		{OraclePrice: 1000 << 32, OracleTimestamp: 1_700_000_000, FundingIndex: -5 << 32, FundingTimestamp: 1_700_000_060, OpenInterest: 42,
			Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 1000, IncrementalPositionSize: 500,
				IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1<<55 - 1, OpenInterestCap: 1 << 60, OracleMaxAgeSeconds: 60,
				OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000, FundingMinIntervalSeconds: 3600, FundingMaxRatePpm: 750}},
		{OraclePrice: math.MaxUint64, OracleTimestamp: math.MaxUint64, FundingIndex: math.MinInt64, FundingTimestamp: math.MaxUint64, OpenInterest: math.MaxUint64,
			Risk: layoutv2.MarketRisk{InitialMarginPpm: math.MaxUint64, MaintenanceMarginPpm: math.MaxUint64 - 1,
				BaselinePositionSize: math.MaxUint64 - 2, IncrementalPositionSize: math.MaxUint64 - 3, IncrementalInitialMarginPpm: math.MaxUint64 - 4,
				MaxPositionSize: math.MaxUint64 - 5, OpenInterestCap: math.MaxUint64 - 6, OracleMaxAgeSeconds: math.MaxUint64 - 7,
				OracleMaxFutureSeconds: math.MaxUint64 - 8, OracleMaxMovePpm: math.MaxUint64 - 9, FundingMinIntervalSeconds: math.MaxUint64 - 10,
				FundingMaxRatePpm: math.MaxUint64 - 11}},
	}
	for _, m := range markets {
		f.Markets = append(f.Markets, marketJSONv2(m))
	}

	// Oracle signer sets.
	var empty, some, all [layoutv2.OracleSignerSlots]layoutv2.OracleSigner
	some[0], some[5], some[15] = keySigner(keys[3]), keySigner(keys[4]), keySigner(keys[5])
	for i := range all {
		all[i] = keySigner(keys[i%len(keys)])
		all[i].KeyX.Add(&all[i].KeyX, new(fr.Element).SetUint64(uint64(i/len(keys)))) // distinct slots (not curve points: the tree does not check)
	}
	for _, set := range []*[layoutv2.OracleSignerSlots]layoutv2.OracleSigner{&empty, &some, &all} {
		j := v2SignerSet{Root: hexFr(layoutv2.OracleSignersTree(set).Root())}
		for i := range set {
			j.Slots = append(j.Slots, v2Signer{hexFr(set[i].KeyX), hexFr(set[i].KeyY), hexFr(set[i].Leaf())})
		}
		f.OracleSignerSets = append(f.OracleSignerSets, j)
	}

	// Fee tiers.
	var zero, devnet, extreme [layoutv2.FeeTierCount]layoutv2.FeeTier
	devnet[0] = layoutv2.FeeTier{MakerPpm: -200, TakerPpm: 500}
	devnet[1] = layoutv2.FeeTier{MakerPpm: 0, TakerPpm: 400}
	for i := range extreme {
		extreme[i] = layoutv2.FeeTier{MakerPpm: -layoutv2.MaxFeeRatePpm + int32(i), TakerPpm: layoutv2.MaxFeeRatePpm - int32(i)}
	}
	for _, t := range []*[layoutv2.FeeTierCount]layoutv2.FeeTier{&zero, &devnet, &extreme} {
		h, err := layoutv2.FeeTiersHash(t)
		if err != nil {
			return nil, err
		}
		f.FeeTiers = append(f.FeeTiers, v2FeeTiers{tiersJSON(t), hexFr(h)})
	}
	for _, r := range []int32{layoutv2.MaxFeeRatePpm + 1, -layoutv2.MaxFeeRatePpm - 1} {
		var t [layoutv2.FeeTierCount]layoutv2.FeeTier
		t[4].TakerPpm = r
		if _, err := layoutv2.FeeTiersHash(&t); !errors.Is(err, layoutv2.ErrFeeTierOutOfRange) {
			return nil, fmt.Errorf("fee rate %d not refused", r)
		}
		f.InvalidFeeTiers = append(f.InvalidFeeTiers, v2FeeTiers{Tiers: tiersJSON(&t)})
	}

	// Globals.
	globals := []layoutv2.Global{
		{},
		{FeeBalance: 987654321, OracleSigners: some, OracleQuorum: 2, FeeTiers: devnet},
		{FeeBalance: -1, OracleSigners: all, OracleQuorum: 16, FeeTiers: extreme},
	}
	for _, g := range globals {
		j, err := globalJSONv2(g)
		if err != nil {
			return nil, err
		}
		f.Globals = append(f.Globals, j)
	}

	// Full states.
	genesis := layoutv2.NewState()
	small := layoutv2.NewState()
	steps := []error{
		small.SetAccount(0, layoutv2.AccountFields{Identity: accounts[1].Identity, Nonce: 5, Collateral: 1_000_000, Positions: lists[1]}),
		small.SetAccount(1, layoutv2.AccountFields{Identity: accounts[2].Identity, Nonce: 1, Collateral: -7, Positions: full}),
		small.SetAccount(layoutv2.InsuranceFundAccount, layoutv2.AccountFields{Collateral: 5_000, Positions: layoutv2.Positions{{Market: 9, Size: -1, FundingSnapshot: 3}}}),
		small.SetFill(0, layoutv2.Fill{OrderNonce: 4097, FilledAmount: 3}),
		small.SetFill(0, layoutv2.Fill{OrderNonce: 12, FilledAmount: 1}),
		small.SetFill(1, layoutv2.Fill{OrderNonce: 1, FilledAmount: 99}),
		small.SetMarket(5, markets[1]),
		small.SetMarket(9, markets[1]),
		small.SetMarket(63, markets[2]),
		small.SetGlobal(globals[1]),
	}
	wide := layoutv2.NewState()
	for i := 0; i < 12; i++ {
		id := s.intn(layoutv2.InsuranceFundAccount)
		steps = append(steps, wide.SetAccount(id, layoutv2.AccountFields{Identity: layoutv2.Identity{PublicKeyX: keys[i%len(keys)].pub.X,
			PublicKeyY: keys[i%len(keys)].pub.Y, L1Owner: s.address(), FeeTier: uint8(s.intn(8))}, Nonce: s.intn(1000), Collateral: s.i64(1 << 40),
			Positions: layoutv2.Positions{{Market: uint8(i), Size: s.i64(1 << 30), FundingSnapshot: s.i64(1 << 50)}}}))
		steps = append(steps, wide.SetFill(id, layoutv2.Fill{OrderNonce: 1 + s.intn(1<<20), FilledAmount: s.intn(1 << 20)}))
	}
	steps = append(steps, wide.SetGlobal(globals[2]), wide.SetMarket(0, markets[1]))
	for _, err := range steps {
		if err != nil {
			return nil, err
		}
	}
	for _, st := range []struct {
		name string
		s    *layoutv2.State
	}{{"genesis", genesis}, {"small", small}, {"wide", wide}} {
		j, err := stateJSONv2(st.name, st.s)
		if err != nil {
			return nil, err
		}
		f.States = append(f.States, j)
	}
	return f, nil
}

func stateJSONv2(name string, s *layoutv2.State) (v2State, error) {
	g, err := globalJSONv2(s.Global())
	if err != nil {
		return v2State{}, err
	}
	out := v2State{Name: name, Global: g, AccountsRoot: hexFr(s.AccountsRoot()), MarketsRoot: hexFr(s.MarketsRoot()), Root: hexFr(s.Root())}
	return out, fillStateEntries(&out, s)
}

func fillStateEntries(out *v2State, s *layoutv2.State) error {
	for _, id := range s.AccountIDs() {
		a, _ := s.Account(id)
		j, err := accountJSON(a)
		if err != nil {
			return err
		}
		fills := []v2Fill{} // "fills": [] rather than null for an account without fills
		for _, slot := range s.FillSlots(id) {
			fl, _ := s.Fill(id, slot)
			fills = append(fills, fillJSONv2(fl))
		}
		_, sib, err := s.AccountProof(id)
		if err != nil {
			return err
		}
		out.Accounts = append(out.Accounts, v2StateAccount{decU64(id), j, fills, hexFrs(sib)})
	}
	for _, id := range s.MarketIDs() {
		m, _ := s.Market(id)
		_, sib, err := s.MarketProof(id)
		if err != nil {
			return err
		}
		out.Markets = append(out.Markets, v2StateMarket{decU64(id), marketJSONv2(m), hexFrs(sib)})
	}
	return nil
}
