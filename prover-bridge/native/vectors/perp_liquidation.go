package vectors

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// FilePerpLiquidation holds liquidation fills, insurance takeovers and deleveragings decided by
// the Go reference the liquidation gadgets are tested against (perp/reference/liquidation.go,
// docs/perp-circuit.md §11): named boundary cases (exactly at maintenance margin and one quantum
// either side, a fee at its bound and one above, deleveraging at value 0 and −1, the bankruptcy
// price's clamps and Σ MMR = 0) and random cases. Read by the sequencer's
// PerpLiquidationVectorsTest, which feeds each to the engine's own functions.
const FilePerpLiquidation = "perp-liquidation-rules.json"

type liqSide struct {
	Collateral string         `json:"collateral"`
	Positions  []perpPosition `json:"positions"`
}

type liqCase struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // liquidation, takeover, deleverage
	// the account liquidated, taken over or deleveraged, and its counterparty (the liquidator —
	// a maker —, the insurance fund, the deleverager)
	Account      liqSide `json:"account"`
	Counterparty liqSide `json:"counterparty"`
	Market       int     `json:"market"`
	Delta        string  `json:"delta"` // the account's signed change of position
	Price        string  `json:"price"`
	Fee          string  `json:"fee,omitempty"`        // liquidation: the fee charged
	FundBefore   string  `json:"fundBefore,omitempty"` // liquidation: the fund's collateral before
	Equity       string  `json:"equity"`               // funding counted, before
	MMR          string  `json:"mmr"`                  // Σ MMR before
	Liquidatable bool    `json:"liquidatable"`         // AccountBook.liquidatable
	Bankrupt     bool    `json:"bankrupt"`             // equity < 0: the deleveraging condition
	Bankruptcy   string  `json:"bankruptcyPrice"`      // of closing −delta from the state before
	FeeBound     string  `json:"feeBound,omitempty"`   // liquidation: the engine's fee
	// the state after (liquidation: with the fee at its bound, as the engine charges it)
	CollateralAfter             string   `json:"collateralAfter"`
	CounterpartyCollateralAfter string   `json:"counterpartyCollateralAfter"`
	FundAfter                   string   `json:"fundAfter,omitempty"`
	Accepted                    bool     `json:"accepted"`
	Broken                      []string `json:"broken"`
}

// liqMarketOut is a market of the vector with its open interest.
type liqMarketOut struct {
	perpMarket
	OpenInterest string `json:"openInterest"`
}

type liqFile struct {
	Generator   Generator      `json:"generator"`
	Description string         `json:"description"`
	FeePpm      string         `json:"liquidationFeePpm"`
	MakerFeePpm string         `json:"makerFeePpm"`
	Markets     []liqMarketOut `json:"markets"`
	Cases       []liqCase      `json:"cases"`
}

const (
	liqFeePpm      = 10_000
	liqMakerFeePpm = 200
	liqMarket      = 0
)

var liqMarkets = []reference.Market{
	{Price: 1300<<32 + 123_456_789, FundingIndex: -5_000_000_000, OpenInterest: 10_000,
		Risk: reference.Risk{IMF: 50_000, MMF: 30_000, Baseline: 100, IncSize: 50, IncIMF: 10_000, MaxPositionSize: 1 << 40, OICap: 1 << 50}},
	{Price: 25<<32 + 1_000_003, FundingIndex: 7_777_777_777, OpenInterest: 10_000,
		Risk: reference.Risk{IMF: 100_000, MMF: 50_000, Baseline: 1_000, IncSize: 1_000, IncIMF: 20_000, MaxPositionSize: 1 << 40, OICap: 1 << 50}},
	{Price: 31_337<<32 + 77, FundingIndex: 0, OpenInterest: 10_000,
		Risk: reference.Risk{IMF: 20_000, MMF: 0, Baseline: 10, IncSize: 10, IncIMF: 5_000, MaxPositionSize: 1 << 40, OICap: 1 << 50}},
}

// liqGen builds the cases in market 0 (or market, where set); the liquidator's orders are signed
// with vector key 0.
type liqGen struct {
	keys   []key
	out    []liqCase
	market int
}

func liqPositions(list []reference.Position) []perpPosition {
	out := []perpPosition{}
	for _, p := range list {
		if p.Size != 0 {
			out = append(out, perpPosition{Market: p.Market, Size: decI64(p.Size), Snapshot: decI64(p.Snapshot)})
		}
	}
	return out
}

// liqHolder: size s of market 0 in entry 0, the others after it, one empty entry last, with the
// collateral that puts the equity (funding counted) at e.
func liqHolder(s int64, others []reference.Position, e int64) reference.Holder {
	return liqHolderIn(liqMarket, s, others, e)
}

// liqHolderIn is liqHolder with entry 0 in market m.
func liqHolderIn(m int, s int64, others []reference.Position, e int64) reference.Holder {
	list := []reference.Position{{}}
	if s != 0 {
		list[0] = reference.Position{Market: m, Size: s, Snapshot: liqMarkets[m].FundingIndex - 3_000_000}
	}
	list = append(append(list, others...), reference.Position{})
	h := reference.Holder{Positions: list}
	eq, _ := liqFigures(h)
	h.Collateral = e - eq
	return h
}

// liqFigures is the holder's equity (funding counted) and Σ MMR.
func liqFigures(h reference.Holder) (int64, int64) {
	a, _, _ := reference.Settle(liqMarkets, h.Collateral, h.Positions, 0, liqMarket, 0, 0, 0)
	return a.Equity0, a.MMR0
}

func rulesOf(b []reference.Rule) []string {
	out := []string{}
	for _, r := range b {
		out = append(out, string(r))
	}
	return out
}

func (g *liqGen) common(name, kind string, h, x reference.Holder, delta, price int64) liqCase {
	e, mmr := liqFigures(h)
	ok, _ := reference.Liquidatable(liqMarkets, h.Collateral, h.Positions)
	b, _ := reference.BankruptcyPrice(liqMarkets, h.Collateral, h.Positions, g.market, -delta)
	return liqCase{Name: name, Kind: kind, Market: g.market, Delta: decI64(delta), Price: decI64(price),
		Account:      liqSide{Collateral: decI64(h.Collateral), Positions: liqPositions(h.Positions)},
		Counterparty: liqSide{Collateral: decI64(x.Collateral), Positions: liqPositions(x.Positions)},
		Equity:       decI64(e), MMR: decI64(mmr), Liquidatable: ok, Bankrupt: e < 0, Bankruptcy: decI64(b)}
}

// liquidation adds a fill of the account's position (delta: its change) at price against a maker
// holding x, with the fee at its bound plus feeOffset.
func (g *liqGen) liquidation(name string, h, x reference.Holder, delta, price, feeOffset int64) error {
	side := uint8(0) // the maker buys what a long sells
	if delta > 0 {
		side = 1
	}
	size := delta
	if size < 0 {
		size = -size
	}
	o := messages.OrderMessage{Account: 5, Market: liqMarket, Side: side, Size: 1 << 40, Price: uint64(price), FeeCap: 1_000,
		Expiry: 1_900_000_000, Nonce: 1}
	s, err := sign(g.keys, 0, []fr.Element{o.Hash(SignedMessageDomains[0])})
	if err != nil {
		return err
	}
	x.Slot = len(x.Positions) - 1
	l := reference.Liquidation{Domain: SignedMessageDomains[0], Market: liqMarket, Price: price, Size: size, Liquidated: h,
		Liquidator: reference.Party{Account: 5, Key: g.keys[0].priv.PublicKey, Collateral: x.Collateral, Positions: x.Positions,
			Slot: x.Slot, FeePpm: liqMakerFeePpm, Order: o, Signature: s.sig},
		FeePpm: liqFeePpm, Fund: 1_000_000, Markets: liqMarkets}
	atBound, _ := reference.Liquidate(l)
	l.Fee = atBound.FeeBound
	atBound, _ = reference.Liquidate(l)
	l.Fee += feeOffset
	_, broken := reference.Liquidate(l)
	c := g.common(name, "liquidation", h, x, delta, price)
	c.Fee, c.FundBefore, c.FeeBound = decI64(l.Fee), decI64(l.Fund), decI64(atBound.FeeBound)
	c.CollateralAfter, c.CounterpartyCollateralAfter = decI64(atBound.Liquidated.Collateral), decI64(atBound.Liquidator.Collateral)
	c.FundAfter = decI64(atBound.FundCollateral)
	c.Accepted, c.Broken = len(broken) == 0, rulesOf(broken)
	g.out = append(g.out, c)
	return nil
}

// takeover adds the fund (x) taking the account's change delta at the bankruptcy price + offset.
func (g *liqGen) takeover(name string, h, x reference.Holder, delta, offset int64) {
	x.Slot = len(x.Positions) - 1
	t := reference.Takeover{Market: g.market, Delta: delta, Account: h, Fund: x, Markets: liqMarkets}
	b, _ := reference.BankruptcyPrice(liqMarkets, h.Collateral, h.Positions, g.market, -delta)
	t.Price = b + offset
	res, broken := reference.InsuranceTakeover(t)
	c := g.common(name, "takeover", h, x, delta, t.Price)
	c.CollateralAfter, c.CounterpartyCollateralAfter = decI64(res.Account.Collateral), decI64(res.Fund.Collateral)
	c.Accepted, c.Broken = len(broken) == 0, rulesOf(broken)
	g.out = append(g.out, c)
}

// deleverage adds the account's change delta against the deleverager x (x's entry 0 holds the
// market) at the bankruptcy price + offset.
func (g *liqGen) deleverage(name string, h, x reference.Holder, delta, offset int64) {
	d := reference.Deleveraging{Market: g.market, Delta: delta, Deleveraged: h, Deleverager: x, Markets: liqMarkets}
	b, _ := reference.BankruptcyPrice(liqMarkets, h.Collateral, h.Positions, g.market, -delta)
	d.Price = b + offset
	res, broken := reference.Deleverage(d)
	c := g.common(name, "deleverage", h, x, delta, d.Price)
	c.CollateralAfter, c.CounterpartyCollateralAfter = decI64(res.Deleveraged.Collateral), decI64(res.Deleverager.Collateral)
	c.Accepted, c.Broken = len(broken) == 0, rulesOf(broken)
	g.out = append(g.out, c)
}

func genPerpLiquidation(keys []key) (any, error) {
	g := &liqGen{keys: keys}
	f := liqFile{Generator: generatorInfo(), FeePpm: decI64(liqFeePpm), MakerFeePpm: decI64(liqMakerFeePpm),
		Description: "zkperp liquidation rules (docs/perp-circuit.md §11) as the Go reference perp/reference decides them: " +
			"liquidation fills (the account against a maker's resting order, no taker fee, the maker's fee never a rebate, " +
			"the liquidation fee to the insurance fund), insurance takeovers and deleveragings at the bankruptcy price. " +
			"Integers are decimal int64; prices of markets 32.32, trade prices integers; equity counts pending funding; " +
			"bankruptcyPrice is Liquidator.bankruptcyPrice of closing −delta; the state after a liquidation is with the fee at its bound"}
	for i, m := range liqMarkets {
		r := m.Risk
		f.Markets = append(f.Markets, liqMarketOut{perpMarket{ID: i, OraclePrice: decI64(m.Price), FundingIndex: decI64(m.FundingIndex), Risk: perpRisk{
			decI64(r.IMF), decI64(r.MMF), decI64(r.Baseline), decI64(r.IncSize), decI64(r.IncIMF), decI64(r.MaxPositionSize), decI64(r.OICap)}},
			decI64(m.OpenInterest)})
	}
	others := []reference.Position{{Market: 1, Size: -3_000, Snapshot: 7_700_000_000}, {Market: 2, Size: 4, Snapshot: -5_000_000_000}}
	maker := liqHolder(0, nil, 500_000)
	fund := liqHolder(0, nil, 2_000_000)
	fund.Positions = fund.Positions[1:]
	for _, withOthers := range []bool{false, true} {
		var os []reference.Position
		suffix := ", one position"
		if withOthers {
			os, suffix = others, ", with positions in markets 1 and 2 (pending funding)"
		}
		at := func(s int64, rel int64) reference.Holder {
			h := liqHolder(s, os, 0)
			_, mmr := liqFigures(h)
			return liqHolder(s, os, mmr+rel)
		}
		steps := []struct {
			name      string
			h         reference.Holder
			delta     int64
			price     int64
			feeOffset int64
		}{
			{"liquidation: equity exactly at maintenance", at(100, 0), -10, 1_295, 0},
			{"liquidation: one quantum below maintenance", at(100, -1), -10, 1_295, 0},
			{"liquidation: one quantum above maintenance", at(100, 1), -10, 1_295, 0},
			{"liquidation: a short one quantum below maintenance", at(-100, -1), 10, 1_305, 0},
			{"liquidation: fee at its bound (1% of the notional)", at(100, -500), -10, 1_295, 0},
			{"liquidation: fee one above its bound", at(100, -500), -10, 1_295, 1},
			{"liquidation: fee at the equity left after the fill", liqHolder(100, os, 91), -10, 1_295, 0},
			{"liquidation: fee one above the equity left after the fill", liqHolder(100, os, 91), -10, 1_295, 1},
			{"liquidation: equity negative after the fill, fee 0", liqHolder(100, os, 20), -10, 1_295, 0},
			{"liquidation: equity negative after the fill, fee 1", liqHolder(100, os, 20), -10, 1_295, 1},
			{"liquidation: the fill flips the position", at(100, -500), -110, 1_295, 0},
			{"liquidation: the fill grows the position", at(100, -500), 10, 1_295, 0},
		}
		for _, s := range steps {
			if err := g.liquidation(s.name+suffix, s.h, maker, s.delta, s.price, s.feeOffset); err != nil {
				return nil, err
			}
		}
		g.takeover("takeover: 10 of a long at the bankruptcy price"+suffix, at(100, -500), fund, -10, 0)
		g.takeover("takeover: the whole long at the bankruptcy price"+suffix, at(100, -500), fund, -100, 0)
		g.takeover("takeover: 10 of a short at the bankruptcy price"+suffix, at(-100, -500), fund, 10, 0)
		g.takeover("takeover: one above the bankruptcy price"+suffix, at(100, -500), fund, -10, 1)
		g.takeover("takeover: equity exactly at maintenance"+suffix, at(100, 0), fund, -10, 0)
		g.takeover("takeover: one quantum below maintenance"+suffix, at(100, -1), fund, -10, 0)
		short := liqHolder(-150, nil, 300_000)
		short.Slot = 0
		long := liqHolder(150, nil, 300_000)
		long.Slot = 0
		g.deleverage("deleverage: value −1"+suffix, liqHolder(100, os, -1), short, -40, 0)
		g.deleverage("deleverage: value 0"+suffix, liqHolder(100, os, 0), short, -40, 0)
		g.deleverage("deleverage: the whole long at value −500"+suffix, liqHolder(100, os, -500), short, -100, 0)
		g.deleverage("deleverage: a short at value −500"+suffix, liqHolder(-100, os, -500), long, 40, 0)
		g.deleverage("deleverage: one below the bankruptcy price"+suffix, liqHolder(100, os, -500), short, -40, -1)
		g.deleverage("deleverage: the deleverager's position grows"+suffix, liqHolder(100, os, -500), long, -40, 0)
	}
	// the bankruptcy price's corners: clamped to 2^31 − 1, clamped to 1, Σ MMR = 0
	short := liqHolder(-150, nil, 300_000)
	short.Slot = 0
	g.deleverage("deleverage: bankruptcy price clamped to 2^31 − 1", liqHolder(1, nil, -10_000_000_000), short, -1, 0)
	small := liqHolder(-10, []reference.Position{{Market: 1, Size: 100_000, Snapshot: 7_700_000_000}}, -10_000_000)
	long := liqHolder(150, nil, 300_000)
	long.Slot = 0
	g.deleverage("deleverage: a short's bankruptcy price clamped to 1", small, long, 10, 0)
	// market 2 has MMF 0: Σ MMR = 0, so a partial close takes no share of the equity
	g.market = 2
	zero := liqHolderIn(2, 40, nil, -100)
	short2 := liqHolderIn(2, -60, nil, 300_000)
	short2.Slot = 0
	g.deleverage("deleverage: Σ MMR = 0, 10 of a long of 40", zero, short2, -10, 0)
	g.deleverage("deleverage: Σ MMR = 0, the whole long", zero, short2, -40, 0)
	g.takeover("takeover: Σ MMR = 0, equity −100 below it", zero, fund, -10, 0)
	g.market = liqMarket
	// random cases around the thresholds
	rnd := newStream("perp-liquidation")
	for i := 0; i < 40; i++ {
		s := 1 + int64(rnd.intn(300))
		if rnd.intn(2) == 0 {
			s = -s
		}
		var os []reference.Position
		if rnd.intn(2) == 0 {
			os = others
		}
		h := liqHolder(s, os, 0)
		_, mmr := liqFigures(h)
		part := -s * int64(1+rnd.intn(105)) / 100
		if part == 0 {
			part = -s
		}
		name := fmt.Sprintf("random %d", i)
		switch rnd.intn(3) {
		case 0:
			h = liqHolder(s, os, mmr+rnd.i64(600)-300)
			price := int64(1_290 + rnd.intn(20))
			if err := g.liquidation(name, h, maker, part, price, int64(rnd.intn(3))-1); err != nil {
				return nil, err
			}
		case 1:
			h = liqHolder(s, os, mmr+rnd.i64(600)-300)
			g.takeover(name, h, fund, part, int64(rnd.intn(3))-1)
		default:
			h = liqHolder(s, os, rnd.i64(2_000))
			x := liqHolder(-s*int64(1+rnd.intn(3)), nil, 300_000)
			x.Slot = 0
			g.deleverage(name, h, x, part, int64(rnd.intn(3))-1)
		}
	}
	f.Cases = g.out
	accepted := 0
	for _, c := range f.Cases {
		if c.Accepted {
			accepted++
		}
	}
	if accepted < 20 || len(f.Cases)-accepted < 20 {
		return nil, fmt.Errorf("one-sided vectors: %d accepted of %d", accepted, len(f.Cases))
	}
	return f, nil
}
