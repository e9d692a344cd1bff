package vectors

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// FilePerpTickRules holds the oracle price tick and funding tick rules as the tick gadgets mirror
// them (Go reference perp/reference/ticks.go, written from OracleAggregator and
// FundingTickCalculator): named boundary cases of the median, the staleness window, the not-newer
// rule, the move bound, the quorum, the signer set and the funding bound and interval, and random
// cases. Each case says whether the engine must accept it, the rejection it must report (the
// first rule broken in the engine's order) and, if accepted, the result. Read by the sequencer's
// PerpTickVectorsTest, which runs OracleAggregator, PremiumSampler and FundingTickCalculator.
const FilePerpTickRules = "perp-tick-rules.json"

// tickSigners is the number of signer keys of the oracle cases (keys 0 … 5 of eddsa.json); key 6
// signs as a signer outside the set.
const tickSigners = 6

type tickReport struct {
	Market    uint32 `json:"market"`
	Price     string `json:"price"`
	Timestamp string `json:"timestamp"`
	Signer    int    `json:"signer"`
	Signature string `json:"signature"`
}

type oracleTickCase struct {
	Name              string       `json:"name"`
	Market            uint32       `json:"market"`
	Domain            int          `json:"domain"` // index into signed-messages.json's domains: the deployment verifying
	Quorum            int          `json:"quorum"`
	MaxAgeSeconds     string       `json:"maxAgeSeconds"`
	MaxFutureSeconds  string       `json:"maxFutureSeconds"`
	MaxMovePpm        string       `json:"maxMovePpm"`
	PreviousPrice     string       `json:"previousPrice"` // "0": the market has no price yet
	PreviousTimestamp string       `json:"previousTimestamp"`
	Now               string       `json:"now"`
	Reports           []tickReport `json:"reports"`
	Accepted          bool         `json:"accepted"`
	Reason            string       `json:"reason"`    // OracleRejection name; "" when accepted
	Price             string       `json:"price"`     // the lower median, when accepted
	Timestamp         string       `json:"timestamp"` // the oldest report's timestamp, when accepted
}

type fundingTickCase struct {
	Name               string `json:"name"`
	Price              string `json:"price"`
	IndexBefore        string `json:"indexBefore"`
	TimestampBefore    string `json:"timestampBefore"`
	MinIntervalSeconds string `json:"minIntervalSeconds"`
	MaxRatePpm         string `json:"maxRatePpm"`
	Now                string `json:"now"`
	IndexDelta         string `json:"indexDelta"`
	Accepted           bool   `json:"accepted"`
	Reason             string `json:"reason"`     // TOO_EARLY, a FundingRejection name or INDEX_OVERFLOW; "" when accepted
	IndexAfter         string `json:"indexAfter"` // when accepted
}

type tickSigner struct {
	KeyIndex  int    `json:"keyIndex"`
	PublicKey string `json:"publicKey"`
}

type perpTickFile struct {
	Generator    Generator         `json:"generator"`
	Description  string            `json:"description"`
	Domains      []tickDomain      `json:"domains"`
	Signers      []tickSigner      `json:"signers"`
	Outsider     tickSigner        `json:"outsider"`
	OracleTicks  []oracleTickCase  `json:"oracleTicks"`
	FundingTicks []fundingTickCase `json:"fundingTicks"`
}

type tickDomain struct {
	ChainID string `json:"chainId"`
	Rollup  string `json:"rollup"`
}

const (
	tickMarket = 3
	tickNow    = int64(1_765_000_000)
	tickPrice  = int64(1_300) << 32
)

// tickGen signs reports with the vector keys.
type tickGen struct {
	keys []key
	pubs []eddsa.PublicKey
}

func (g *tickGen) sign(d messages.Domain, r *reference.PriceReport) error {
	ki := r.Signer
	if ki < 0 || ki >= tickSigners {
		ki = tickSigners // the outsider
	}
	h := reference.ReportMessage(*r).Hash(d)
	s, err := sign(g.keys, ki, []fr.Element{h})
	if err != nil {
		return err
	}
	r.Signature = s.sig
	return nil
}

// baseTick: market 3, six signers, quorum 3, max age 30 s, max future 5 s, max move 2%, last price
// 1,300 (32.32) a minute ago; n reports (n ≤ 6) from signers 0, 2, 3, 5, 1, 4 with a tie.
func baseTick(g *tickGen, n int) reference.OracleTick {
	t := reference.OracleTick{Domain: SignedMessageDomains[0], Market: tickMarket, Signers: g.pubs, Quorum: 3,
		MaxAge: 30, MaxFuture: 5, MaxMovePpm: 20_000, PrevPrice: tickPrice, PrevTime: tickNow - 60,
		Now: tickNow, BatchTime: tickNow}
	order := []int{0, 2, 3, 5, 1, 4}
	prices := []int64{tickPrice + 7_000_000, tickPrice - 3_000_000_000, tickPrice + 7_000_000, tickPrice + 9_100_000_000, tickPrice - 11, tickPrice + 1}
	for i := 0; i < n; i++ {
		t.Reports = append(t.Reports, reference.PriceReport{Market: tickMarket, Price: prices[i], Timestamp: tickNow - int64(3*i) + 2, Signer: order[i]})
	}
	return t
}

func (g *tickGen) oracleCase(name string, t reference.OracleTick, domain int, resign bool) (oracleTickCase, error) {
	if resign {
		for i := range t.Reports {
			if err := g.sign(SignedMessageDomains[domain], &t.Reports[i]); err != nil {
				return oracleTickCase{}, err
			}
		}
	}
	out, broken := reference.ApplyOracleTick(t, reference.MaxOracleSigners)
	c := oracleTickCase{Name: name, Market: t.Market, Domain: 0, Quorum: t.Quorum,
		MaxAgeSeconds: decI64(t.MaxAge), MaxFutureSeconds: decI64(t.MaxFuture), MaxMovePpm: decI64(t.MaxMovePpm),
		PreviousPrice: decI64(t.PrevPrice), PreviousTimestamp: decI64(t.PrevTime), Now: decI64(t.Now),
		Accepted: len(broken) == 0}
	for _, r := range t.Reports {
		c.Reports = append(c.Reports, tickReport{Market: r.Market, Price: decI64(r.Price), Timestamp: decI64(r.Timestamp),
			Signer: r.Signer, Signature: hexBytes(r.Signature)})
	}
	if c.Accepted {
		c.Price, c.Timestamp = decI64(out.Price), decI64(out.Timestamp)
	} else {
		c.Reason = string(broken[0])
	}
	return c, nil
}

func fundingCase(name string, f reference.FundingTick) fundingTickCase {
	out, broken := reference.ApplyFundingTick(f)
	c := fundingTickCase{Name: name, Price: decI64(f.Price), IndexBefore: decI64(f.IndexBefore), TimestampBefore: decI64(f.TimeBefore),
		MinIntervalSeconds: decI64(f.MinInterval), MaxRatePpm: decI64(f.MaxRatePpm), Now: decI64(f.Now),
		IndexDelta: decI64(f.Delta), Accepted: len(broken) == 0}
	if c.Accepted {
		c.IndexAfter = decI64(out.Index)
	} else {
		c.Reason = string(broken[0])
	}
	return c
}

func genPerpTicks(keys []key) (any, error) {
	g := &tickGen{keys: keys}
	for i := 0; i < tickSigners; i++ {
		g.pubs = append(g.pubs, keys[i].priv.PublicKey)
	}
	f := perpTickFile{
		Generator: generatorInfo(),
		Description: "zkperp oracle price tick and funding tick rules as the perp tick gadgets check them " +
			"(docs/perp-circuit.md, Go reference perp/reference/ticks.go). Oracle: signers[i] is slot i of the market's " +
			"signer list (keys from eddsa.json), reports signed (format 2) in domains[domain] except where a case signs " +
			"for another; previousPrice 0 = no price yet; reason = the OracleRejection the engine reports first. Funding: " +
			"the period started at timestampBefore (the engine's fundingTimestamp), minIntervalSeconds = FundingConfig." +
			"tickIntervalSeconds; reason TOO_EARLY = PremiumSampler.tick is not due, INDEX_OVERFLOW = FundingState.apply's " +
			"addExact, else the FundingRejection. Integers are decimal int64 strings.",
		Outsider: tickSigner{KeyIndex: tickSigners, PublicKey: hexBytes(keys[tickSigners].pubEnc)},
	}
	for _, d := range SignedMessageDomains {
		f.Domains = append(f.Domains, tickDomain{ChainID: fmt.Sprint(d.ChainID), Rollup: hexBytes(d.Rollup[:])})
	}
	for i := 0; i < tickSigners; i++ {
		f.Signers = append(f.Signers, tickSigner{KeyIndex: i, PublicKey: hexBytes(keys[i].pubEnc)})
	}
	add := func(name string, t reference.OracleTick, domain int) error {
		c, err := g.oracleCase(name, t, domain, true)
		if err != nil {
			return err
		}
		f.OracleTicks = append(f.OracleTicks, c)
		return nil
	}
	type named struct {
		name   string
		n      int
		domain int
		edit   func(t *reference.OracleTick)
	}
	median := func(t *reference.OracleTick) int64 { return reference.LowerMedian(t.Reports) }
	oldest := func(t *reference.OracleTick) int64 {
		out, _ := reference.ApplyOracleTick(*t, reference.MaxOracleSigners)
		return out.Timestamp
	}
	cases := []named{
		{"median of 3", 3, 0, nil},
		{"lower median of 4 (with a tie)", 4, 0, nil},
		{"median of 5", 5, 0, nil},
		{"lower median of 6", 6, 0, nil},
		{"one report, quorum 1", 1, 0, func(t *reference.OracleTick) { t.Quorum = 1 }},
		{"reports in any order", 5, 0, func(t *reference.OracleTick) {
			t.Reports[0], t.Reports[4] = t.Reports[4], t.Reports[0]
		}},
		{"first price: no not-newer or move rule", 3, 0, func(t *reference.OracleTick) { t.PrevPrice, t.PrevTime, t.MaxMovePpm = 0, tickNow+100, 1 }},
		{"exactly the quorum", 4, 0, func(t *reference.OracleTick) { t.Quorum = 4 }},
		{"one report fewer than the quorum", 4, 0, func(t *reference.OracleTick) { t.Quorum = 5 }},
		{"a signer outside the set", 4, 0, func(t *reference.OracleTick) { t.Reports[1].Signer = 9 }},
		{"the same signer twice", 4, 0, func(t *reference.OracleTick) { t.Reports[2].Signer = t.Reports[0].Signer }},
		{"a zero price", 4, 0, func(t *reference.OracleTick) { t.Reports[1].Price = 0 }},
		{"timestamp exactly now − maxAge", 4, 0, func(t *reference.OracleTick) { t.Reports[1].Timestamp = t.Now - t.MaxAge }},
		{"timestamp one second staler", 4, 0, func(t *reference.OracleTick) { t.Reports[1].Timestamp = t.Now - t.MaxAge - 1 }},
		{"timestamp exactly now + maxFuture", 4, 0, func(t *reference.OracleTick) { t.Reports[0].Timestamp = t.Now + t.MaxFuture }},
		{"timestamp one second too new", 4, 0, func(t *reference.OracleTick) { t.Reports[0].Timestamp = t.Now + t.MaxFuture + 1 }},
		{"oldest report one second after the last price", 4, 0, func(t *reference.OracleTick) { t.PrevTime = oldest(t) - 1 }},
		{"oldest report at the last price's time", 4, 0, func(t *reference.OracleTick) { t.PrevTime = oldest(t) }},
		{"move up by exactly the bound", 5, 0, func(t *reference.OracleTick) { t.PrevPrice = (50*median(t) + 50) / 51 }},
		{"move up by one more", 5, 0, func(t *reference.OracleTick) { t.PrevPrice = (50*median(t)+50)/51 - 1 }},
		{"move down by exactly the bound", 5, 0, func(t *reference.OracleTick) { t.PrevPrice = 50 * median(t) / 49 }},
		{"move down by one more", 5, 0, func(t *reference.OracleTick) { t.PrevPrice = 50*median(t)/49 + 1 }},
		{"a report for another market", 4, 0, func(t *reference.OracleTick) { t.Reports[1].Market = tickMarket + 1 }},
		{"reports signed for another deployment", 4, 1, nil},
	}
	for _, c := range cases {
		t := baseTick(g, c.n)
		if c.edit != nil {
			c.edit(&t)
		}
		if err := add(c.name, t, c.domain); err != nil {
			return nil, err
		}
	}
	// a signature changed after signing (S's low byte)
	t := baseTick(g, 4)
	for i := range t.Reports {
		if err := g.sign(t.Domain, &t.Reports[i]); err != nil {
			return nil, err
		}
	}
	t.Reports[2].Signature = append([]byte(nil), t.Reports[2].Signature...)
	t.Reports[2].Signature[63] ^= 1
	c, err := g.oracleCase("a signature changed after signing", t, 0, false)
	if err != nil {
		return nil, err
	}
	f.OracleTicks = append(f.OracleTicks, c)

	rnd := tickRand{newStream("perp-ticks")}
	for i := 0; i < 120; i++ {
		n := 1 + rnd.Intn(tickSigners)
		t := baseTick(g, n)
		perm := rnd.Perm(tickSigners)
		for j := range t.Reports {
			r := &t.Reports[j]
			r.Signer = perm[j]
			switch rnd.Intn(30) {
			case 0:
				r.Signer = tickSigners + rnd.Intn(10)
			case 1:
				r.Signer = t.Reports[0].Signer
			}
			r.Price = tickPrice + rnd.Int63n(4)*rnd.Int63n(40_000_000_000) - 60_000_000_000
			if rnd.Intn(40) == 0 {
				r.Price = 0
			}
			r.Timestamp = t.Now - t.MaxAge + rnd.Int63n(t.MaxAge+t.MaxFuture+1)
			if rnd.Intn(12) == 0 {
				r.Timestamp = []int64{t.Now - t.MaxAge - 1, t.Now - t.MaxAge, t.Now + t.MaxFuture, t.Now + t.MaxFuture + 1}[rnd.Intn(4)]
			}
		}
		t.Quorum = 1 + rnd.Intn(n)
		if rnd.Intn(10) == 0 && n < tickSigners {
			t.Quorum = n + 1
		}
		t.MaxMovePpm = 1 + rnd.Int63n(30_000)
		if rnd.Intn(6) == 0 {
			t.PrevPrice = 0
		} else {
			t.PrevPrice = tickPrice + rnd.Int63n(60_000_000_000) - 30_000_000_000
		}
		t.PrevTime = t.Now - 600
		if rnd.Intn(5) == 0 {
			t.PrevTime = t.Now - t.MaxAge - 2 + rnd.Int63n(t.MaxAge+4)
		}
		if err := add(fmt.Sprintf("random %d", i), t, 0); err != nil {
			return nil, err
		}
	}

	// funding: price 1,300, index −5·2^32, last tick 3,700 s ago, minimum interval 3,600 s, max rate
	// 7,500 ppm per 8 hours
	base := func() reference.FundingTick {
		return reference.FundingTick{Price: tickPrice, IndexBefore: -5 << 32, TimeBefore: tickNow - 3_700, MinInterval: 3_600,
			MaxRatePpm: 7_500, Now: tickNow, BatchTime: tickNow}
	}
	bound := func(f reference.FundingTick) int64 {
		return reference.FundingBound(f.MaxRatePpm, f.Price, f.Now-f.TimeBefore).Int64()
	}
	fcases := []struct {
		name string
		edit func(f *reference.FundingTick)
	}{
		{"exactly the bound", func(f *reference.FundingTick) { f.Delta = bound(*f) }},
		{"one quantum above the bound", func(f *reference.FundingTick) { f.Delta = bound(*f) + 1 }},
		{"exactly minus the bound", func(f *reference.FundingTick) { f.Delta = -bound(*f) }},
		{"one quantum below minus the bound", func(f *reference.FundingTick) { f.Delta = -bound(*f) - 1 }},
		{"exactly the minimum interval", func(f *reference.FundingTick) { f.TimeBefore = f.Now - f.MinInterval; f.Delta = bound(*f) }},
		{"one second too early", func(f *reference.FundingTick) { f.TimeBefore = f.Now - f.MinInterval + 1 }},
		{"zero change", func(f *reference.FundingTick) { f.Delta = 0 }},
		{"no oracle price", func(f *reference.FundingTick) { f.Price = 0 }},
		{"interval 10^9 s", func(f *reference.FundingTick) {
			f.TimeBefore = f.Now - reference.MaxFundingInterval
			f.Delta = -bound(*f)
		}},
		{"interval 10^9 + 1 s", func(f *reference.FundingTick) { f.TimeBefore = f.Now - reference.MaxFundingInterval - 1 }},
		{"bound above int64", func(f *reference.FundingTick) {
			f.MaxRatePpm, f.TimeBefore, f.Price, f.IndexBefore, f.Delta = reference.MaxFundingRatePpm, f.Now-reference.MaxFundingInterval, 1<<62, 0, 1<<63-1
		}},
		{"minimum int64 change", func(f *reference.FundingTick) {
			f.MaxRatePpm, f.TimeBefore, f.Price, f.IndexBefore, f.Delta = reference.MaxFundingRatePpm, f.Now-reference.MaxFundingInterval, 1<<62, 0, -1<<63
		}},
		{"index reaches the int64 maximum", func(f *reference.FundingTick) { f.Delta = bound(*f); f.IndexBefore = 1<<63 - 1 - f.Delta }},
		{"index overflows", func(f *reference.FundingTick) { f.Delta = bound(*f); f.IndexBefore = 1<<63 - 1 - f.Delta + 1 }},
		{"zero maximum rate, zero change", func(f *reference.FundingTick) { f.MaxRatePpm, f.Delta = 0, 0 }},
		{"zero maximum rate, one quantum", func(f *reference.FundingTick) { f.MaxRatePpm, f.Delta = 0, 1 }},
	}
	for _, c := range fcases {
		ft := base()
		ft.Delta = bound(ft) * 4 / 5
		c.edit(&ft)
		f.FundingTicks = append(f.FundingTicks, fundingCase(c.name, ft))
	}
	for i := 0; i < 300; i++ {
		ft := base()
		ft.Price = 1 + rnd.Int63n(1<<(1+rnd.Intn(62)))
		ft.MinInterval = 1 + rnd.Int63n(7_200)
		ft.TimeBefore = ft.Now - ft.MinInterval - rnd.Int63n(5) + 2
		if rnd.Intn(20) == 0 {
			ft.TimeBefore = ft.Now - reference.MaxFundingInterval - rnd.Int63n(3) + 1
		}
		ft.MaxRatePpm = rnd.Int63n(1 + rnd.Int63n(reference.MaxFundingRatePpm))
		b := reference.FundingBound(ft.MaxRatePpm, ft.Price, max(ft.Now-ft.TimeBefore, 1))
		if b.IsInt64() {
			ft.Delta = b.Int64() + rnd.Int63n(3) - 1
		} else {
			ft.Delta = 1<<63 - 1 - rnd.Int63n(3)
		}
		if rnd.Intn(2) == 0 {
			ft.Delta = -ft.Delta
		}
		ft.IndexBefore = rnd.Int63() - rnd.Int63()
		f.FundingTicks = append(f.FundingTicks, fundingCase(fmt.Sprintf("random %d", i), ft))
	}
	return f, nil
}

// tickRand draws the random cases from the vectors' deterministic SHA-256 stream.
type tickRand struct{ s *stream }

func (r tickRand) Intn(n int) int       { return int(r.s.intn(uint64(n))) }
func (r tickRand) Int63n(n int64) int64 { return int64(r.s.intn(uint64(n))) }
func (r tickRand) Int63() int64         { return int64(r.s.u64() >> 1) }
func (r tickRand) Perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- { // Fisher–Yates
		j := r.Intn(i + 1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}
