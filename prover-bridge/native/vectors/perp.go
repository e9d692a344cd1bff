package vectors

import (
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// FilePerpArithmetic holds the risk engine's integer arithmetic as the trade circuit mirrors it
// (Go reference perp/reference, written from sequencer/README.md "Formulas"): every RiskMath
// function on edge cases (rounding boundaries, the size-dependent initial-margin steps, overflow)
// and random inputs, and maker fills checked by the post-trade rule at the collateral boundary
// (the lowest collateral accepted and one quantum less). Read by the sequencer's
// PerpArithmeticVectorsTest.
const FilePerpArithmetic = "perp-trade-arithmetic.json"

type perpArithCase struct {
	Fn       string   `json:"fn"`
	Args     []string `json:"args"`
	Result   string   `json:"result"` // "" when overflow
	Overflow bool     `json:"overflow"`
}

type perpRisk struct {
	InitialMarginPpm            string `json:"initialMarginPpm"`
	MaintenanceMarginPpm        string `json:"maintenanceMarginPpm"`
	BaselinePositionSize        string `json:"baselinePositionSize"`
	IncrementalPositionSize     string `json:"incrementalPositionSize"`
	IncrementalInitialMarginPpm string `json:"incrementalInitialMarginPpm"`
	MaxPositionSize             string `json:"maxPositionSize"`
	OpenInterestCap             string `json:"openInterestCap"`
}

type perpMarket struct {
	ID           int      `json:"id"`
	OraclePrice  string   `json:"oraclePrice"`
	FundingIndex string   `json:"fundingIndex"`
	Risk         perpRisk `json:"risk"`
}

type perpPosition struct {
	Market   int    `json:"market"`
	Size     string `json:"size"`
	Snapshot string `json:"snapshot"`
}

type perpFillCase struct {
	Name       string         `json:"name"`
	Collateral string         `json:"collateral"`
	Positions  []perpPosition `json:"positions"`
	Market     int            `json:"market"`
	Side       string         `json:"side"`
	Size       string         `json:"size"`
	Price      string         `json:"price"`
	Fee        string         `json:"fee"`
	Accepted   bool           `json:"accepted"`
	Equity0    string         `json:"equity0"`
	MMR0       string         `json:"mmr0"`
	Equity1    string         `json:"equity1"`
	IMR1       string         `json:"imr1"`
	MMR1       string         `json:"mmr1"`
}

type perpArithFile struct {
	Generator   Generator       `json:"generator"`
	Description string          `json:"description"`
	Arithmetic  []perpArithCase `json:"arithmetic"`
	MakerFeePpm string          `json:"makerFeePpm"`
	TakerFeePpm string          `json:"takerFeePpm"`
	Markets     []perpMarket    `json:"markets"`
	MakerFills  []perpFillCase  `json:"makerFills"`
}

const (
	perpMakerFee = 200
	perpTakerFee = 500
)

func perpCase(fn string, r int64, err error, args ...int64) perpArithCase {
	c := perpArithCase{Fn: fn}
	for _, a := range args {
		c.Args = append(c.Args, decI64(a))
	}
	if err != nil {
		c.Overflow = true
	} else {
		c.Result = decI64(r)
	}
	return c
}

func genPerpArithmetic() (any, error) {
	const maxI, minI = int64(1<<63 - 1), int64(-1 << 63)
	f := perpArithFile{
		Generator: generatorInfo(),
		Description: "zkperp risk arithmetic (sequencer/README.md \"Formulas\", RiskMath) as the perp trade circuit " +
			"computes it; args and results are decimal int64; overflow = RiskMath throws ArithmeticException. " +
			"makerFills: one maker fill (funding settled on every position, then the fill at the integer price with the " +
			"maker fee) and whether the post-trade rule accepts it; risk per market as in MarketRisk",
		MakerFeePpm: decI64(perpMakerFee), TakerFeePpm: decI64(perpTakerFee),
	}
	add := func(c perpArithCase) { f.Arithmetic = append(f.Arithmetic, c) }
	sizes := []int64{0, 1, -1, 7, -7, 100, -100, 151, -151, 1 << 31, -(1 << 31), 1<<62 - 1, maxI, minI}
	prices := []int64{0, 1, 1<<32 - 1, 1 << 32, 1<<32 + 1, 1000<<32 + 123_456_789, 1 << 40, 1<<62 + 5}
	for _, s := range sizes {
		for _, p := range prices {
			v, err := reference.Value(s, p)
			add(perpCase("value", v, err, s, p))
			n, err := reference.Notional(s, p)
			add(perpCase("notional", n, err, s, p))
		}
	}
	amounts := []int64{0, 1, 999_999, 1_000_000, 1_000_001, 2_499_999, 1 << 40, 1<<62 + 3, maxI}
	for _, x := range amounts {
		for _, r := range []int64{0, 1, 100, 499_999, 500_000, 999_999, 1_000_000} {
			u, err := reference.MulPpmUp(x, r)
			add(perpCase("mulPpmUp", u, err, x, r))
			d, err := reference.MulPpmDown(x, r)
			add(perpCase("mulPpmDown", d, err, x, r))
		}
		for _, r := range []int64{-1_000_000, -100, -1, 0, 1, 500, 1_000_000} {
			fe, err := reference.Fee(x, r)
			add(perpCase("fee", fe, err, x, r))
		}
	}
	risks := []reference.Risk{
		{IMF: 50_000, MMF: 30_000, Baseline: 100, IncSize: 50, IncIMF: 10_000, MaxPositionSize: 1, OICap: 1},
		{IMF: 100_000, MMF: 50_000, Baseline: 0, IncSize: 1, IncIMF: 0, MaxPositionSize: 1, OICap: 1},
		{IMF: 990_000, MMF: 500_000, Baseline: 10, IncSize: 3, IncIMF: 7_000, MaxPositionSize: 1, OICap: 1},
		{IMF: 20_000, MMF: 0, Baseline: 1 << 40, IncSize: 1 << 20, IncIMF: 1, MaxPositionSize: 1, OICap: 1},
	}
	riskArgs := func(r reference.Risk) []int64 { return []int64{r.IMF, r.MMF, r.Baseline, r.IncSize, r.IncIMF} }
	for _, r := range risks {
		for _, abs := range []int64{0, 1, r.Baseline - 1, r.Baseline, r.Baseline + 1, r.Baseline + r.IncSize - 1, r.Baseline + r.IncSize,
			r.Baseline + r.IncSize + 1, r.Baseline + 3*r.IncSize, r.Baseline + 3*r.IncSize + 1, 1 << 30, maxI} {
			if abs < 0 {
				continue
			}
			add(perpCase("initialMarginPpm", reference.IMF(abs, r), nil, append([]int64{abs}, riskArgs(r)...)...))
		}
		for _, s := range []int64{1, -1, 100, -100, 101, -150, 151, -1 << 30, 1 << 40} {
			for _, p := range []int64{1 << 32, 999<<32 + 4_294_967_295, 31_337<<32 + 1} {
				i, err := reference.IMR(s, p, r)
				add(perpCase("initialRequirement", i, err, append([]int64{s, p}, riskArgs(r)...)...))
				m, err := reference.MMR(s, p, r)
				add(perpCase("maintenanceRequirement", m, err, append([]int64{s, p}, riskArgs(r)...)...))
			}
		}
	}
	for _, c := range [][3]int64{
		{150, 0, 1 << 31}, {-150, 0, 1 << 31}, {150, 1 << 31, 1<<31 + 1_431_655_765}, {-150, 1 << 31, 1<<31 + 1_431_655_765},
		{1, 0, 1}, {-1, 0, 1}, {1, 1, 0}, {-1, 1, 0}, {7, 5, 5}, {1 << 40, -(1 << 40), 1 << 40},
		{maxI, 0, 1 << 32}, {minI, 0, 1}, {1, minI, maxI}, {1, maxI, -1}, {3, -7_000_000_000, 9_000_000_000},
	} {
		v, err := reference.FundingCredit(c[0], c[1], c[2])
		add(perpCase("fundingCredit", v, err, c[0], c[1], c[2]))
	}
	rnd := newStream("perp-arithmetic")
	for i := 0; i < 40; i++ {
		s, p := rnd.i64(1<<40), int64(rnd.intn(1<<50))
		v, err := reference.Value(s, p)
		add(perpCase("value", v, err, s, p))
		n, err := reference.Notional(s, p)
		add(perpCase("notional", n, err, s, p))
		x, r := int64(rnd.intn(1<<55)), rnd.i64(1_000_000)
		fe, err := reference.Fee(x, r)
		add(perpCase("fee", fe, err, x, r))
		risk := risks[rnd.intn(uint64(len(risks)))]
		i1, err := reference.IMR(s, p, risk)
		add(perpCase("initialRequirement", i1, err, append([]int64{s, p}, riskArgs(risk)...)...))
		snap, idx := rnd.i64(1<<50), rnd.i64(1<<50)
		fc, err := reference.FundingCredit(s, snap, idx)
		add(perpCase("fundingCredit", fc, err, s, snap, idx))
	}
	fills, markets, err := genPerpMakerFills()
	if err != nil {
		return nil, err
	}
	f.MakerFills, f.Markets = fills, markets
	return f, nil
}

// genPerpMakerFills: maker fills at the margin boundary. For each scenario, the lowest collateral
// the post-trade rule accepts (found by bisection on the reference) and one quantum less.
func genPerpMakerFills() ([]perpFillCase, []perpMarket, error) {
	markets := []reference.Market{
		{Price: 1000<<32 + 2_147_483_648, FundingIndex: 3_000_000_000, Risk: reference.Risk{IMF: 50_000, MMF: 30_000, Baseline: 100, IncSize: 50, IncIMF: 10_000, MaxPositionSize: 1 << 40, OICap: 1 << 50}},
		{Price: 25<<32 + 1_000_003, FundingIndex: -7_777_777_777, Risk: reference.Risk{IMF: 100_000, MMF: 50_000, Baseline: 1_000, IncSize: 1_000, IncIMF: 20_000, MaxPositionSize: 1 << 40, OICap: 1 << 50}},
		{Price: 31_337<<32 + 77, FundingIndex: 0, Risk: reference.Risk{IMF: 20_000, MMF: 0, Baseline: 10, IncSize: 10, IncIMF: 5_000, MaxPositionSize: 1 << 40, OICap: 1 << 50}},
	}
	var outMarkets []perpMarket
	for i, m := range markets {
		r := m.Risk
		outMarkets = append(outMarkets, perpMarket{ID: i, OraclePrice: decI64(m.Price), FundingIndex: decI64(m.FundingIndex), Risk: perpRisk{
			decI64(r.IMF), decI64(r.MMF), decI64(r.Baseline), decI64(r.IncSize), decI64(r.IncIMF), decI64(r.MaxPositionSize), decI64(r.OICap)}})
	}
	others := []reference.Position{{Market: 1, Size: -3_000, Snapshot: -7_000_000_000}, {Market: 2, Size: 4, Snapshot: -5_000_000_000}}
	type scenario struct {
		name      string
		positions []reference.Position
		market    int
		d, price  int64
	}
	var scenarios []scenario
	for _, withOthers := range []bool{false, true} {
		base := func(ps ...reference.Position) []reference.Position {
			out := append([]reference.Position(nil), ps...)
			if withOthers {
				out = append(out, others...)
			}
			return out
		}
		suffix := ""
		if withOthers {
			suffix = ", with positions in markets 1 and 2 (pending funding)"
		}
		scenarios = append(scenarios,
			scenario{"opens a long" + suffix, base(), 0, 60, 1_001},
			scenario{"opens a short" + suffix, base(), 0, -60, 999},
			scenario{"grows a long to the first IMF step (150)" + suffix, base(reference.Position{Market: 0, Size: 90, Snapshot: 1_000_000_000}), 0, 60, 1_000},
			scenario{"grows a long one past the first IMF step (151)" + suffix, base(reference.Position{Market: 0, Size: 90, Snapshot: 1_000_000_000}), 0, 61, 1_000},
			scenario{"grows a short across three IMF steps" + suffix, base(reference.Position{Market: 0, Size: -90, Snapshot: 5_000_000_000}), 0, -111, 1_000},
			scenario{"reduces a short (reduce rule)" + suffix, base(reference.Position{Market: 0, Size: -100, Snapshot: 2_000_000_000}), 0, 60, 1_010},
			scenario{"reduces a long at a loss (reduce rule)" + suffix, base(reference.Position{Market: 0, Size: 200, Snapshot: 2_000_000_000}), 0, -150, 990},
			scenario{"closes a short" + suffix, base(reference.Position{Market: 0, Size: -100, Snapshot: 2_000_000_000}), 0, 100, 1_010},
			scenario{"flips a short to a long" + suffix, base(reference.Position{Market: 0, Size: -30, Snapshot: 2_000_000_000}), 0, 60, 1_001},
			scenario{"opens in a fractional-price market" + suffix, base(), 1, -2_500, 25},
		)
	}
	var out []perpFillCase
	for _, sc := range scenarios {
		list := append(append([]reference.Position(nil), sc.positions...), reference.Position{})
		slot := len(list) - 1
		for j, p := range list {
			if p.Size != 0 && p.Market == sc.market {
				slot = j
			}
		}
		size := sc.d
		if size < 0 {
			size = -size
		}
		fee, err := reference.Fee(sc.price*size, perpMakerFee)
		if err != nil {
			return nil, nil, err
		}
		accept := func(c int64) (reference.PartyAfter, bool) {
			a, ok, inRange := reference.Settle(markets, c, list, slot, sc.market, sc.d, sc.price, fee)
			return a, ok && inRange
		}
		lo, hi := int64(-1_000_000_000_000), int64(1_000_000_000_000)
		if _, ok := accept(hi); !ok {
			return nil, nil, fmt.Errorf("%s: refused with ample collateral", sc.name)
		}
		if _, ok := accept(lo); ok {
			return nil, nil, fmt.Errorf("%s: accepted with a huge debt", sc.name)
		}
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if _, ok := accept(mid); ok {
				hi = mid
			} else {
				lo = mid
			}
		}
		for _, c := range []int64{hi, hi - 1} {
			a, ok := accept(c)
			fc := perpFillCase{Name: sc.name, Collateral: decI64(c), Positions: []perpPosition{}, Market: sc.market, Side: "BUY", Size: decI64(size),
				Price: decI64(sc.price), Fee: decI64(fee), Accepted: ok, Equity0: decI64(a.Equity0), MMR0: decI64(a.MMR0),
				Equity1: decI64(a.Equity1), IMR1: decI64(a.IMR1), MMR1: decI64(a.MMR1)}
			if sc.d < 0 {
				fc.Side = "SELL"
			}
			for _, p := range sc.positions {
				fc.Positions = append(fc.Positions, perpPosition{Market: p.Market, Size: decI64(p.Size), Snapshot: decI64(p.Snapshot)})
			}
			out = append(out, fc)
		}
	}
	return out, outMarkets, nil
}
