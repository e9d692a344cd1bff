package vectors

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// FileTickStepRefusals holds one sequence of tick steps replayed from a full layout v2 state
// (initial: every record, so a reader can build it in its own store): the accepted ticks of
// tick-steps.json's kinds, a refused tick for each rule of tickstep's references
// (ApplyOracleTick, ApplyFundingTick, ApplyFundingPeriodStart) and each of their other refusals
// (ErrUnknownMarket, ErrOutOfRange), then seeded random ticks, some accepted and some refused. Each
// step carries its inputs (the signed reports, Δindex, now, the batch time), the root before and
// either the root after with the public data, or the rules it breaks in the reference's order, or
// the error. Read by the batcher's TickExecutionVectorsTest, which replays it on a RocksDB store.
const FileTickStepRefusals = "tick-step-refusals.json"

type tickRefusalsFile struct {
	Generator     Generator          `json:"generator"`
	Description   string             `json:"description"`
	Domain        tickStepsDomain    `json:"domain"`
	Errors        []string           `json:"errors"` // the refusals that are not rule breaks
	Initial       v2State            `json:"initial"`
	OracleSigners v2SignerSet        `json:"oracleSigners"` // of the initial global leaf
	FeeTiers      v2FeeTiers         `json:"feeTiers"`      // of the initial global leaf
	Steps         []tickRefusalsStep `json:"steps"`
}

type tickRefusalsReport struct {
	Signer    int    `json:"signer"` // slot in the signer tree
	Market    uint32 `json:"market"`
	Price     string `json:"price"`
	Timestamp string `json:"timestamp"`
	Signature string `json:"signature"`
}

// tickRefusalsStep is one step: "oracle tick" (reports; claimedPrice and claimedTimestamp when
// the step checks an engine record's values against the rules), "funding tick" (indexDelta) or
// "funding period start". Accepted: newRoot and publicData; refused: rules or error.
type tickRefusalsStep struct {
	Kind             string               `json:"kind"`
	Note             string               `json:"note"`
	Market           uint8                `json:"market"`
	Now              string               `json:"now"`
	BatchTime        string               `json:"batchTime"`
	Reports          []tickRefusalsReport `json:"reports,omitempty"`
	ClaimedPrice     string               `json:"claimedPrice,omitempty"`
	ClaimedTimestamp string               `json:"claimedTimestamp,omitempty"`
	IndexDelta       string               `json:"indexDelta,omitempty"`
	OldRoot          string               `json:"oldRoot"`
	NewRoot          string               `json:"newRoot,omitempty"`
	PublicData       string               `json:"publicData,omitempty"`
	Rules            []string             `json:"rules,omitempty"`
	Error            string               `json:"error,omitempty"`
}

// Error names of the refusals that are not rule breaks.
const (
	tickErrUnknownMarket = "unknown-market"
	tickErrOutOfRange    = "out-of-range"
)

// tickPlannedReport plans one report: signed by the key of slot signer (keys[7] for a slot without a
// key), or by keys[7] (no signer's key) when forged.
type tickPlannedReport struct {
	signer           int
	market           uint32
	price, timestamp int64
	forged           bool
}

// tickRefusalPlan plans one step; claim is the engine record's (price, timestamp) when set.
type tickRefusalPlan struct {
	note    string
	oracle  *tickstep.OracleTick
	reports []tickPlannedReport
	claim   *[2]int64
	funding *tickstep.FundingTick
	start   *tickstep.FundingPeriodStart
	// deltaPct: the funding tick's Δindex is this percentage of its bound in the state it meets
	deltaPct *int64
}

// tickRefusalsSlotKey: the signer slots of the state and their eddsa.json keys (slot 6 empty
// inside the set).
var tickRefusalsSlotKey = map[int]int{0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 7: 6}

// tickRefusalsState is tick-steps.json's state with a signer in slot 7 (slot 6 left empty),
// market 3 with oracleMaxMovePpm = 2^20 (beyond the tick circuit's bound) and market 4 with an
// oracle price of 2^63 (beyond its range).
func tickRefusalsState(keys []key) (*layoutv2.State, error) {
	s, err := tickStepsState(keys)
	if err != nil {
		return nil, err
	}
	wide := tickStepsRisk
	wide.OracleMaxMovePpm = 1 << 20
	if err := s.SetMarket(3, layoutv2.Market{OraclePrice: 40 << 32, OracleTimestamp: uint64(tickStepsT0 - 10), Risk: wide}); err != nil {
		return nil, err
	}
	if err := s.SetMarket(4, layoutv2.Market{OraclePrice: 1 << 63, OracleTimestamp: uint64(tickStepsT0 - 10),
		FundingTimestamp: uint64(tickStepsT0 - 5_000), Risk: tickStepsRisk}); err != nil {
		return nil, err
	}
	g := s.Global()
	g.OracleSigners[7] = keySigner(keys[6])
	return s, s.SetGlobal(g)
}

func genTickStepRefusals(keys []key) (any, error) {
	s, err := tickRefusalsState(keys)
	if err != nil {
		return nil, err
	}
	d := SignedMessageDomains[0]
	f := &tickRefusalsFile{Generator: generatorInfo(),
		Description: "tick steps of prover-bridge/native/tickstep (ApplyOracleTick, ApplyFundingTick, ApplyFundingPeriodStart) " +
			"replayed in order from the initial state: accepted steps have newRoot and publicData; refused ones the rules " +
			"they break (the references' order) or an error, and leave the state unchanged",
		Domain: tickStepsDomain{ChainID: fmt.Sprint(d.ChainID), Rollup: hexBytes(d.Rollup[:])},
		Errors: []string{tickErrUnknownMarket, tickErrOutOfRange}}
	if f.Initial, err = stateJSONv2("tick-step-refusals", s); err != nil {
		return nil, err
	}
	g := s.Global()
	f.OracleSigners = v2SignerSet{Root: hexFr(layoutv2.OracleSignersTree(&g.OracleSigners).Root())}
	for i := range g.OracleSigners {
		x := &g.OracleSigners[i]
		f.OracleSigners.Slots = append(f.OracleSigners.Slots, v2Signer{KeyX: hexFr(x.KeyX), KeyY: hexFr(x.KeyY), Leaf: hexFr(x.Leaf())})
	}
	h, err := layoutv2.FeeTiersHash(&g.FeeTiers)
	if err != nil {
		return nil, err
	}
	f.FeeTiers = v2FeeTiers{Tiers: tiersJSON(&g.FeeTiers), Hash: hexFr(h)}

	for _, p := range append(tickRefusalPlans(d), tickRandomPlans(s, d)...) {
		v, next, err := tickRefusalStep(s, keys, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.note, err)
		}
		f.Steps = append(f.Steps, v)
		s = next
	}
	return f, nil
}

// tickRefusalPlans: one refused step per rule and error, with accepted steps between them.
func tickRefusalPlans(d messages.Domain) []tickRefusalPlan {
	t0 := tickStepsT0
	T := t0 + 7_300
	p0 := int64(1_000<<32 + 123_456_789)
	oracle := func(note string, market uint8, now, batch int64, rs ...tickPlannedReport) tickRefusalPlan {
		return tickRefusalPlan{note: note, oracle: &tickstep.OracleTick{Domain: d, Market: market, Now: now, BatchTime: batch}, reports: rs}
	}
	r := func(signer int, price, ts int64) tickPlannedReport {
		return tickPlannedReport{signer: signer, price: price, timestamp: ts}
	}
	funding := func(note string, market uint8, now, batch, delta int64) tickRefusalPlan {
		return tickRefusalPlan{note: note, funding: &tickstep.FundingTick{Market: market, Now: now, BatchTime: batch, Delta: delta}}
	}
	start := func(note string, market uint8, now, batch int64) tickRefusalPlan {
		return tickRefusalPlan{note: note, start: &tickstep.FundingPeriodStart{Market: market, Now: now, BatchTime: batch}}
	}
	now := t0 + 10
	ok1, ok2 := r(0, p0+7_000_000, t0+9), r(2, p0-3_000_000, t0+6)
	claimed := func(p tickRefusalPlan, price, ts int64) tickRefusalPlan {
		p.claim = &[2]int64{price, ts}
		return p
	}
	many := make([]tickPlannedReport, 17)
	for i := range many {
		many[i] = r(i%8, p0, t0+9)
	}
	mismatch := r(2, p0, t0+8)
	mismatch.market = 1
	forged := ok2
	forged.forged = true
	// market 0's bound on Δindex for a tick at t0 + 2,600 (Δt = 3,600 from its fundingTimestamp),
	// at the price of the oracle tick accepted before the funding ticks (ok2's, the lower median)
	bound0 := reference.FundingBound(int64(tickStepsRisk.FundingMaxRatePpm), ok2.price, 3_600).Int64()
	return []tickRefusalPlan{
		oracle("one report, quorum 2", 0, now, T, ok1),
		oracle("no report", 0, now, T),
		oracle("a signer outside the set (slot 9, past the last key)", 0, now, T, ok1, r(9, p0, t0+8)),
		oracle("a signer naming the empty slot 6 inside the set", 0, now, T, ok1, r(6, p0, t0+8)),
		oracle("a duplicate signer", 0, now, T, ok1, r(0, p0+1, t0+8)),
		oracle("a stale report (now − maxAge − 1)", 0, now, T, ok1, r(2, p0, now-31)),
		oracle("a report too new (now + maxFuture + 1)", 0, now, T, ok1, r(2, p0, now+6)),
		oracle("not newer than the market's price", 0, t0-40, T, r(0, p0, t0-50), r(2, p0, t0-45)),
		oracle("a move above 2%", 0, now, T, r(0, p0+p0/49, t0+9), r(2, p0+p0/48, t0+8)),
		oracle("a bad signature (another key)", 0, now, T, ok1, forged),
		oracle("after the batch time", 0, now, now-1, ok1, ok2),
		oracle("a report for another market", 0, now, T, ok1, mismatch),
		oracle("a zero price", 0, now, T, ok1, r(2, 0, t0+8)),
		oracle("17 reports, more than the signer tree holds", 0, now, T, many...),
		claimed(oracle("a claimed price that is not the lower median", 0, now, T, ok1, ok2), p0+7_000_000, t0+6),
		claimed(oracle("a claimed timestamp that is not the oldest", 0, now, T, ok1, ok2), p0-3_000_000, t0+9),
		oracle("market 5 is not listed", 5, now, T, ok1, ok2),
		oracle("market 64 is outside the markets tree", 64, now, T, ok1, ok2),
		oracle("a negative tick time", 0, -1, T, ok1, ok2),
		oracle("a negative report timestamp", 0, now, T, ok1, r(2, p0, -1)),
		oracle("market 3's oracleMaxMovePpm is 2^20", 3, now, T, r(0, 40<<32, t0+9), r(2, 40<<32, t0+8)),
		claimed(oracle("market 0, two reports, the claimed outcome is the rules'", 0, now, T, ok1, ok2), p0-3_000_000, t0+6),
		start("a period start on market 0, whose period has started", 0, t0+20, T),
		start("a period start on market 2, which has no price", 2, t0+20, T),
		oracle("market 2's first price (no move bound)", 2, t0+15, T, r(1, 300<<32+77, t0+14), r(5, 301<<32, t0+15)),
		start("a period start before the price (now + maxFuture < oracleTimestamp)", 2, t0+8, T),
		start("a period start at time 0", 2, 0, T),
		start("a period start after the batch time", 2, T+1, T),
		start("a negative period start time", 2, -5, T),
		start("a period start on market 9, not listed", 9, t0+20, T),
		start("market 2's funding period starts", 2, t0+20, T),
		funding("too early (Δt 3,000 s < 3,600 s)", 0, t0+2_000, T, 0),
		funding("Δindex one above the rate bound", 0, t0+2_600, T, bound0+1),
		funding("−Δindex one above the rate bound", 0, t0+2_600, T, -bound0-1),
		funding("now before the market's fundingTimestamp", 0, t0-2_000, T, 0),
		funding("Δindex = −2^63 on a negative index", 1, t0+2_700, T, math.MinInt64),
		funding("after the batch time", 0, t0+2_600, t0+2_599, 0),
		funding("market 3 has no funding period (Δt beyond 10^9 s)", 3, t0+2_600, T, 0),
		funding("market 4's oracle price is 2^63", 4, t0+2_600, T, 0),
		funding("market 6 is not listed", 6, t0+2_600, T, 0),
		funding("a negative batch time", 0, t0+2_600, -1, 0),
		funding("market 0 at the bound", 0, t0+2_600, T, bound0),
		funding("market 0 again too early", 0, t0+2_601, T, 0),
	}
}

// tickRandomPlans: seeded oracle and funding ticks on markets 0 … 2 with a clock moving forward;
// reports of 1 … 4 distinct signers at most 35 s old or 6 s ahead, prices within ±3% of the last
// (the move bound is 2%), Δindex within ±130% of the bound, so some are refused.
func tickRandomPlans(s *layoutv2.State, d messages.Domain) []tickRefusalPlan {
	rs := newStream("tick-step-refusals")
	slots := []int{0, 1, 2, 3, 4, 5, 7}
	now := tickStepsT0 + 10_000
	T := tickStepsT0 + 500_000
	price := map[uint8]int64{}
	for m := uint8(0); m < 3; m++ {
		mk, _ := s.Market(uint64(m))
		price[m] = int64(mk.OraclePrice)
	}
	price[2] = 300 << 32
	var out []tickRefusalPlan
	for i := 0; i < 32; i++ {
		now += 1 + int64(rs.intn(1_500))
		m := uint8(rs.intn(3))
		if rs.intn(3) == 0 {
			pct := rs.i64(130)
			out = append(out, tickRefusalPlan{note: fmt.Sprintf("random %d: funding", i),
				funding: &tickstep.FundingTick{Market: m, Now: now, BatchTime: T}, deltaPct: &pct})
			continue
		}
		p := tickRefusalPlan{note: fmt.Sprintf("random %d: oracle", i), oracle: &tickstep.OracleTick{Domain: d, Market: m, Now: now, BatchTime: T}}
		n := 1 + int(rs.intn(4))
		perm := append([]int(nil), slots...)
		for j := range perm {
			k := j + int(rs.intn(uint64(len(perm)-j)))
			perm[j], perm[k] = perm[k], perm[j]
		}
		for j := 0; j < n; j++ {
			pr := price[m] + price[m]/1_000*rs.i64(30)
			p.reports = append(p.reports, tickPlannedReport{signer: perm[j], market: uint32(m), price: pr, timestamp: now - 35 + int64(rs.intn(42))})
		}
		out = append(out, p)
	}
	return out
}

// tickRefusalStep executes one planned step on s with tickstep's reference and returns the
// vector and the state after (s itself when the step is refused).
func tickRefusalStep(s *layoutv2.State, keys []key, p tickRefusalPlan) (tickRefusalsStep, *layoutv2.State, error) {
	v := tickRefusalsStep{Note: p.note, OldRoot: hexFr(s.Root())}
	var (
		next *layoutv2.State
		pd   []byte
		err  error
	)
	switch {
	case p.oracle != nil:
		t := *p.oracle
		t.Reports = nil
		for _, pr := range p.reports {
			if pr.market == 0 {
				pr.market = uint32(t.Market)
			}
			rep := reference.PriceReport{Market: pr.market, Price: pr.price, Timestamp: pr.timestamp, Signer: pr.signer}
			ki, ok := tickRefusalsSlotKey[pr.signer]
			if !ok {
				ki = 7
			}
			if pr.forged {
				ki = 7
			}
			hh := reference.ReportMessage(rep).Hash(t.Domain)
			b := hh.Bytes()
			if rep.Signature, err = keys[ki].priv.Sign(b[:], poseidon2.NewMerkleDamgardHasher()); err != nil {
				return v, nil, err
			}
			t.Reports = append(t.Reports, rep)
			v.Reports = append(v.Reports, tickRefusalsReport{Signer: rep.Signer, Market: rep.Market, Price: decI64(rep.Price),
				Timestamp: decI64(rep.Timestamp), Signature: hexBytes(rep.Signature)})
		}
		v.Kind, v.Market, v.Now, v.BatchTime = "oracle tick", t.Market, decI64(t.Now), decI64(t.BatchTime)
		next, err = tickstep.ApplyOracleTick(s, t)
		if err == nil {
			m, _ := next.Market(uint64(t.Market))
			if p.claim != nil {
				v.ClaimedPrice, v.ClaimedTimestamp = decI64(p.claim[0]), decI64(p.claim[1])
				// reference.CheckOracleOutcome on an otherwise accepted tick
				var broken []string
				if p.claim[0] != int64(m.OraclePrice) {
					broken = append(broken, string(reference.RuleNotMedian))
				}
				if p.claim[1] != int64(m.OracleTimestamp) {
					broken = append(broken, string(reference.RuleNotOldest))
				}
				if len(broken) > 0 {
					v.Rules = broken
					return v, s, nil
				}
			}
			pd = tickstep.OraclePublicData(t.Market, m.OraclePrice, m.OracleTimestamp, uint64(t.Now))
		}
	case p.funding != nil:
		t := *p.funding
		if p.deltaPct != nil {
			m0, _ := s.Market(uint64(t.Market))
			bound := reference.FundingBound(int64(m0.Risk.FundingMaxRatePpm), int64(m0.OraclePrice), t.Now-int64(m0.FundingTimestamp))
			if d := new(big.Int).Quo(new(big.Int).Mul(bound, big.NewInt(*p.deltaPct)), big.NewInt(100)); d.IsInt64() {
				t.Delta = d.Int64()
			}
		}
		v.Kind, v.Market, v.Now, v.BatchTime, v.IndexDelta = "funding tick", t.Market, decI64(t.Now), decI64(t.BatchTime), decI64(t.Delta)
		next, err = tickstep.ApplyFundingTick(s, t)
		if err == nil {
			m, _ := next.Market(uint64(t.Market))
			pd = tickstep.FundingPublicData(t.Market, m.FundingIndex, uint64(t.Now))
		}
	default:
		t := *p.start
		v.Kind, v.Market, v.Now, v.BatchTime = "funding period start", t.Market, decI64(t.Now), decI64(t.BatchTime)
		next, err = tickstep.ApplyFundingPeriodStart(s, t)
		if err == nil {
			pd = tickstep.FundingPeriodStartPublicData(t.Market, uint64(t.Now))
		}
	}
	var re *tickstep.RuleError
	switch {
	case err == nil:
		v.NewRoot, v.PublicData = hexFr(next.Root()), hexBytes(pd)
		return v, next, nil
	case errors.As(err, &re):
		for _, x := range re.Rules {
			v.Rules = append(v.Rules, string(x))
		}
	case errors.Is(err, tickstep.ErrUnknownMarket):
		v.Error = tickErrUnknownMarket
	case errors.Is(err, tickstep.ErrOutOfRange):
		v.Error = tickErrOutOfRange
	default:
		return v, nil, err
	}
	return v, s, nil
}
