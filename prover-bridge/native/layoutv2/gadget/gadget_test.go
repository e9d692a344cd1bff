package gadget

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/rangecheck"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

func big64(x int64) *big.Int {
	e := layout.I64(x)
	return e.BigInt(new(big.Int))
}

func frBig(e fr.Element) *big.Int { return e.BigInt(new(big.Int)) }

type accountCircuit struct {
	ID                           Identity
	Nonce, Collateral, FillsRoot frontend.Variable
	List                         [layoutv2.MaxPositions]Entry
	Leaf                         frontend.Variable `gnark:",public"`
}

func (c *accountCircuit) Define(api frontend.API) error {
	l, err := New(api, rangecheck.New(api))
	if err != nil {
		return err
	}
	api.AssertIsEqual(l.AccountLeaf(l.IdentityHash(c.ID), c.Nonce, c.Collateral, c.FillsRoot, c.List), c.Leaf)
	return nil
}

func accountAssignment(a layoutv2.Account) *accountCircuit {
	c := &accountCircuit{
		ID: Identity{PublicKeyX: frBig(a.Identity.PublicKeyX), PublicKeyY: frBig(a.Identity.PublicKeyY),
			L1Owner: new(big.Int).SetBytes(a.Identity.L1Owner[:]), FeeTier: a.Identity.FeeTier},
		Nonce: new(big.Int).SetUint64(a.Nonce), Collateral: big64(a.Collateral), FillsRoot: frBig(a.FillsRoot),
	}
	for i, e := range a.Positions {
		if e.Empty() {
			c.List[i] = Entry{Market: 0, Size: 0, Snapshot: 0}
			continue
		}
		c.List[i] = Entry{Market: e.Market, Size: big64(e.Size), Snapshot: big64(e.FundingSnapshot)}
	}
	h, err := a.Hash()
	if err != nil {
		panic(err)
	}
	c.Leaf = frBig(h)
	return c
}

func randomAccount(rng *rand.Rand) layoutv2.Account {
	var owner [20]byte
	for i := range owner {
		owner[i] = byte(rng.Uint32())
	}
	var x, y fr.Element
	x.SetUint64(rng.Uint64())
	y.SetUint64(rng.Uint64())
	a := layoutv2.Account{Identity: layoutv2.Identity{PublicKeyX: x, PublicKeyY: y, L1Owner: owner, FeeTier: uint8(rng.IntN(8))},
		Nonce: rng.Uint64(), Collateral: int64(rng.Uint64()), FillsRoot: layout.EmptyRoot(layoutv2.FillsDepth)}
	markets := rng.Perm(64)
	for i := range a.Positions {
		if rng.IntN(3) == 0 {
			continue
		}
		size := rng.Int64N(2*layoutv2.MaxAbsSize) - layoutv2.MaxAbsSize + 1
		if size == 0 {
			size = 1
		}
		a.Positions[i] = layoutv2.PositionEntry{Market: uint8(markets[i]), Size: size, FundingSnapshot: int64(rng.Uint64())}
	}
	return a
}

var field = ecc.BN254.ScalarField()

// num reads back an assigned value as an integer (reduced mod r, as the circuit sees it).
func num(v frontend.Variable) *big.Int {
	var out big.Int
	switch x := v.(type) {
	case *big.Int:
		out.Set(x)
	case int:
		out.SetInt64(int64(x))
	case int64:
		out.SetInt64(x)
	case uint8:
		out.SetUint64(uint64(x))
	case uint64:
		out.SetUint64(x)
	default:
		panic("unexpected assignment type")
	}
	return out.Mod(&out, field)
}

func fe(v *big.Int) fr.Element {
	var e fr.Element
	e.SetBigInt(v)
	return e
}

// uncheckedAccountLeaf hashes the assignment with the packing formula and no range or
// distinctness check: the leaf a circuit without those checks would accept. A mutation that keeps
// this equal to the public leaf is refused by the checks alone.
func uncheckedAccountLeaf(c *accountCircuit) *big.Int {
	id := layout.Hash(layoutv2.TagAccountIdentity, fe(num(c.ID.PublicKeyX)), fe(num(c.ID.PublicKeyY)), fe(num(c.ID.L1Owner)), fe(num(c.ID.FeeTier)))
	var q [4]fr.Element
	for k := range q {
		v := new(big.Int)
		for half := 1; half >= 0; half-- {
			e := c.List[2*k+half]
			entry := new(big.Int)
			if num(e.Size).Sign() != 0 {
				size := new(big.Int).Add(num(e.Size), two55)
				snap := new(big.Int).Add(num(e.Snapshot), two63)
				entry.Add(num(e.Market), new(big.Int).Lsh(size, 6))
				entry.Add(entry, new(big.Int).Lsh(snap, 62))
			} else {
				entry.Add(num(e.Market), new(big.Int).Lsh(num(e.Snapshot), 62))
			}
			v.Lsh(v, 126)
			v.Add(v, entry)
		}
		q[k] = fe(v)
	}
	h := layout.Hash(layoutv2.TagAccount, id, fe(num(c.Nonce)), fe(num(c.Collateral)), fe(num(c.FillsRoot)), q[0], q[1], q[2], q[3])
	return frBig(h)
}

func TestAccountLeafMatchesLayoutV2(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	accounts := []layoutv2.Account{{FillsRoot: layout.EmptyRoot(layoutv2.FillsDepth)}} // the fund at genesis
	edge := randomAccount(rng)
	edge.Collateral = math.MinInt64
	edge.Nonce = math.MaxUint64
	edge.Positions[0] = layoutv2.PositionEntry{Market: 63, Size: layoutv2.MaxAbsSize, FundingSnapshot: math.MaxInt64}
	edge.Positions[1] = layoutv2.PositionEntry{Market: 62, Size: -layoutv2.MaxAbsSize, FundingSnapshot: math.MinInt64}
	edge.Positions[2], edge.Positions[3] = layoutv2.PositionEntry{}, layoutv2.PositionEntry{}
	accounts = append(accounts, edge)
	for i := 0; i < 4; i++ {
		accounts = append(accounts, randomAccount(rng))
	}
	for i, a := range accounts {
		if err := test.IsSolved(&accountCircuit{}, accountAssignment(a), field); err != nil {
			t.Fatalf("account %d: %v", i, err)
		}
	}
}

func TestAccountLeafRefusesWhatLayoutV2Refuses(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	base := randomAccount(rng)
	base.Positions[0] = layoutv2.PositionEntry{Market: 5, Size: 10, FundingSnapshot: 3}
	base.Positions[1] = layoutv2.PositionEntry{}
	cases := map[string]func(c *accountCircuit){
		"size 2^55": func(c *accountCircuit) { c.List[0].Size = two55 },
		"size -2^55 (would pack to 0)": func(c *accountCircuit) {
			c.List[0] = Entry{Market: 0, Size: big64(-1 << 55), Snapshot: big64(math.MinInt64)}
		},
		"market 64":                   func(c *accountCircuit) { c.List[0].Market = 64 },
		"empty entry with a market":   func(c *accountCircuit) { c.List[1].Market = 5 },
		"empty entry with a snapshot": func(c *accountCircuit) { c.List[1].Snapshot = 1 },
		"market held twice":           func(c *accountCircuit) { c.List[1] = Entry{Market: 5, Size: 1, Snapshot: 0} },
		"fee tier 8":                  func(c *accountCircuit) { c.ID.FeeTier = 8 },
		"snapshot not an int64":       func(c *accountCircuit) { c.List[0].Snapshot = two64 },
		"nonce 2^64":                  func(c *accountCircuit) { c.Nonce = two64 },
	}
	if err := test.IsSolved(&accountCircuit{}, accountAssignment(base), field); err != nil {
		t.Fatalf("base account: %v", err)
	}
	if uncheckedAccountLeaf(accountAssignment(base)).Cmp(num(accountAssignment(base).Leaf)) != 0 {
		t.Fatal("the unchecked formula differs from layoutv2 on a valid account")
	}
	for name, mutate := range cases {
		c := accountAssignment(base)
		mutate(c)
		c.Leaf = uncheckedAccountLeaf(c) // only the gadget's checks can refuse it
		if err := test.IsSolved(&accountCircuit{}, c, field); err == nil {
			t.Errorf("%s: solved, want refused", name)
		}
	}
}

// The empty entry alone packs to 0, so the fund's genesis leaf is what layoutv2 computes with an
// all-empty list; a list whose entry −2^55 / market 0 / snapshot −2^63 packs to 0 too is refused
// above ("size -2^55").

type globalCircuit struct {
	FeeBalance, Quorum frontend.Variable
	Keys               [layoutv2.OracleSignerSlots][2]frontend.Variable
	Rates              [2 * layoutv2.FeeTierCount]frontend.Variable
	Leaf               frontend.Variable `gnark:",public"`
}

func (c *globalCircuit) Define(api frontend.API) error {
	l, err := New(api, rangecheck.New(api))
	if err != nil {
		return err
	}
	api.AssertIsEqual(l.GlobalLeaf(c.FeeBalance, l.OracleSignersRoot(c.Keys), c.Quorum, l.FeeTiersHash(c.Rates)), c.Leaf)
	return nil
}

func globalAssignment(g layoutv2.Global) *globalCircuit {
	c := &globalCircuit{FeeBalance: big64(g.FeeBalance), Quorum: g.OracleQuorum}
	for i, s := range g.OracleSigners {
		c.Keys[i] = [2]frontend.Variable{frBig(s.KeyX), frBig(s.KeyY)}
	}
	for i, t := range g.FeeTiers {
		c.Rates[2*i], c.Rates[2*i+1] = big64(int64(t.MakerPpm)), big64(int64(t.TakerPpm))
	}
	h, err := g.Hash()
	if err != nil {
		panic(err)
	}
	c.Leaf = frBig(h)
	return c
}

func TestGlobalLeafMatchesLayoutV2(t *testing.T) {
	var g layoutv2.Global
	if err := test.IsSolved(&globalCircuit{}, globalAssignment(g), field); err != nil {
		t.Fatalf("genesis global: %v", err)
	}
	g = layoutv2.Global{FeeBalance: -7, OracleQuorum: 16}
	g.OracleSigners[0].KeyX.SetUint64(3)
	g.OracleSigners[0].KeyY.SetUint64(4)
	g.OracleSigners[15].KeyY.SetUint64(9)
	g.FeeTiers[0] = layoutv2.FeeTier{MakerPpm: -layoutv2.MaxFeeRatePpm, TakerPpm: layoutv2.MaxFeeRatePpm}
	g.FeeTiers[7] = layoutv2.FeeTier{MakerPpm: -200, TakerPpm: 500}
	if err := test.IsSolved(&globalCircuit{}, globalAssignment(g), field); err != nil {
		t.Fatalf("global: %v", err)
	}
	for name, mutate := range map[string]func(c *globalCircuit){
		"rate 10^6 + 1":  func(c *globalCircuit) { c.Rates[3] = layoutv2.MaxFeeRatePpm + 1 },
		"rate -10^6 - 1": func(c *globalCircuit) { c.Rates[4] = big64(-layoutv2.MaxFeeRatePpm - 1) },
		"quorum 17":      func(c *globalCircuit) { c.Quorum = 17 },
	} {
		c := globalAssignment(g)
		mutate(c)
		c.Leaf = uncheckedGlobalLeaf(c, g)
		if err := test.IsSolved(&globalCircuit{}, c, field); err == nil {
			t.Errorf("%s: solved, want refused", name)
		}
	}
}

// uncheckedGlobalLeaf hashes the assignment's rates and quorum with no range check.
func uncheckedGlobalLeaf(c *globalCircuit, g layoutv2.Global) *big.Int {
	xs := []fr.Element{layoutv2.TagFeeTiers}
	for _, r := range c.Rates {
		xs = append(xs, fe(new(big.Int).Add(num(r), big.NewInt(layoutv2.FeeRateOffset))))
	}
	tiers := layout.Hash(xs...)
	signers := layoutv2.OracleSignersTree(&g.OracleSigners).Root()
	return frBig(layout.Hash(layoutv2.TagGlobal, fe(num(c.FeeBalance)), signers, fe(num(c.Quorum)), tiers))
}

type marketFillCircuit struct {
	Price, PriceTime, Index, IndexTime, OI frontend.Variable
	Risk                                   MarketRisk
	Nonce, Filled                          frontend.Variable
	MarketLeaf, FillLeaf                   frontend.Variable `gnark:",public"`
}

func (c *marketFillCircuit) Define(api frontend.API) error {
	l, err := New(api, rangecheck.New(api))
	if err != nil {
		return err
	}
	api.AssertIsEqual(l.MarketLeaf(c.Price, c.PriceTime, c.Index, c.IndexTime, c.OI, l.MarketRiskHash(c.Risk)), c.MarketLeaf)
	api.AssertIsEqual(l.FillLeaf(c.Nonce, c.Filled), c.FillLeaf)
	return nil
}

func TestMarketAndFillLeavesMatchLayoutV2(t *testing.T) {
	m := layoutv2.Market{OraclePrice: 1000 << 32, OracleTimestamp: 1_700_000_000, FundingIndex: -5 << 32, FundingTimestamp: 1_700_000_060,
		OpenInterest: 42, Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 1000,
			IncrementalPositionSize: 500, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1<<55 - 1, OpenInterestCap: math.MaxUint64,
			OracleMaxAgeSeconds: 60, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000, FundingMinIntervalSeconds: 3600, FundingMaxRatePpm: 750}}
	f := layoutv2.Fill{OrderNonce: math.MaxUint64, FilledAmount: 12345}
	r := m.Risk
	c := &marketFillCircuit{Price: m.OraclePrice, PriceTime: m.OracleTimestamp, Index: big64(m.FundingIndex), IndexTime: m.FundingTimestamp,
		OI: m.OpenInterest, Nonce: f.OrderNonce, Filled: f.FilledAmount, MarketLeaf: frBig(m.Hash()), FillLeaf: frBig(f.Hash()),
		Risk: MarketRisk{r.InitialMarginPpm, r.MaintenanceMarginPpm, r.BaselinePositionSize, r.IncrementalPositionSize,
			r.IncrementalInitialMarginPpm, r.MaxPositionSize, new(big.Int).SetUint64(r.OpenInterestCap), r.OracleMaxAgeSeconds,
			r.OracleMaxFutureSeconds, r.OracleMaxMovePpm, r.FundingMinIntervalSeconds, r.FundingMaxRatePpm}}
	if err := test.IsSolved(&marketFillCircuit{}, c, field); err != nil {
		t.Fatal(err)
	}
	bad := *c
	// filled 2^64 − 1 + 1 with nonce − 2^64: the same packed element as a valid pair would need a
	// nonce ≥ 2^64; here nonce 0 and filled 2^64 hash like nonce 2^128 — refused by the range check
	bad.Nonce, bad.Filled = 0, two64
	bad.FillLeaf = frBig(layout.Hash(layoutv2.TagFill, fe(new(big.Int).Lsh(two64, 64))))
	if err := test.IsSolved(&marketFillCircuit{}, &bad, field); err == nil {
		t.Fatal("filled 2^64 solved")
	}
}
