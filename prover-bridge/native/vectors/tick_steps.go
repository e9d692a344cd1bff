package vectors

import (
	"bytes"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// FileTickSteps holds a sequence of tick steps (tickstep: oracle price ticks, funding ticks,
// funding period starts) executed one after the other on a layout v2 state, each with the
// engine-side values it is built from (the PriceTickApplied, FundingTickApplied and
// FundingPeriodStarted records' fields), the market leaf before it with its path, the state roots
// before and after, and the public data the step's witness carries (the bytes the circuit is
// asserted against). Read by the batcher's TickStepsVectorsTest, which encodes the same bytes
// from the engine-side values and rebuilds the new root from the old leaf and the public data.
const FileTickSteps = "tick-steps.json"

type tickStepsFile struct {
	Generator   Generator          `json:"generator"`
	Description string             `json:"description"`
	TypeBytes   tickStepTypeBytes  `json:"typeBytes"`
	Domain      tickStepsDomain    `json:"domain"` // the deployment that verifies the reports
	Steps       []tickStepVector   `json:"steps"`
	Signers     []tickStepSignerPK `json:"signers"` // the global leaf's signer slots 0 … n−1
	Quorum      int                `json:"quorum"`
}

type tickStepTypeBytes struct {
	OracleTick         int `json:"oracleTick"`
	FundingTick        int `json:"fundingTick"`
	FundingPeriodStart int `json:"fundingPeriodStart"`
}

type tickStepsDomain struct {
	ChainID string `json:"chainId"`
	Rollup  string `json:"rollup"`
}

type tickStepSignerPK struct {
	Key  int    `json:"key"` // index into eddsa.json's keys
	KeyX string `json:"keyX"`
	KeyY string `json:"keyY"`
}

type tickStepReport struct {
	Signer    int    `json:"signer"` // slot in the signer tree
	Price     string `json:"price"`
	Timestamp string `json:"timestamp"`
	Signature string `json:"signature"`
}

// tickStepVector is one step. Engine-side values by kind: "oracle tick" — price, timestamp, now
// (PriceTickApplied) and the command's reports; "funding tick" — indexDelta, indexAfter, now
// (FundingTickApplied's timestamp); "funding period start" — now (FundingPeriodStarted's
// timestamp).
type tickStepVector struct {
	Kind         string           `json:"kind"`
	Note         string           `json:"note"`
	Market       uint8            `json:"market"`
	Now          string           `json:"now"`
	BatchTime    string           `json:"batchTime"`
	Price        string           `json:"price,omitempty"`
	Timestamp    string           `json:"timestamp,omitempty"`
	Reports      []tickStepReport `json:"reports,omitempty"`
	IndexDelta   string           `json:"indexDelta,omitempty"`
	IndexAfter   string           `json:"indexAfter,omitempty"`
	MarketBefore v2Market         `json:"marketBefore"`
	MarketAfter  v2Market         `json:"marketAfter"`
	MarketPath   []string         `json:"marketPath"` // 6 siblings, leaf level first
	AccountsRoot string           `json:"accountsRoot"`
	GlobalLeaf   string           `json:"globalLeaf"`
	OldRoot      string           `json:"oldRoot"`
	NewRoot      string           `json:"newRoot"`
	PublicData   string           `json:"publicData"`
}

const tickStepsT0 = int64(1_800_000_000)

// tickStepsRisk: oracle window 30 s back, 5 s ahead, moves ≤ 2%; funding at least every hour,
// at most 7,500 ppm per 8 hours.
var tickStepsRisk = layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 100,
	IncrementalPositionSize: 50, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1_000_000, OpenInterestCap: 1_000_000,
	OracleMaxAgeSeconds: 30, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 20_000, FundingMinIntervalSeconds: 3_600, FundingMaxRatePpm: 7_500}

// tickStepsState: markets 0 and 1 priced and funded, market 2 listed without a price or a funding
// period (as the engine holds a new market), six signers (eddsa.json keys 0 … 5) with quorum 2,
// one account so the accounts root is not empty.
func tickStepsState(keys []key) (*layoutv2.State, error) {
	s := layoutv2.NewState()
	for id, m := range []layoutv2.Market{
		{OraclePrice: 1_000<<32 + 123_456_789, OracleTimestamp: uint64(tickStepsT0 - 50), FundingIndex: 2_000_000_000,
			FundingTimestamp: uint64(tickStepsT0 - 1_000), OpenInterest: 700, Risk: tickStepsRisk},
		{OraclePrice: 25_000 << 32, OracleTimestamp: uint64(tickStepsT0 - 20), FundingIndex: -7_000_000_000,
			FundingTimestamp: uint64(tickStepsT0 - 3_000), OpenInterest: 40, Risk: tickStepsRisk},
		{Risk: tickStepsRisk},
	} {
		if err := s.SetMarket(uint64(id), m); err != nil {
			return nil, err
		}
	}
	g := s.Global()
	g.FeeBalance, g.OracleQuorum = 12_345, 2
	for i := 0; i < tickStepSigners; i++ {
		g.OracleSigners[i] = keySigner(keys[i])
	}
	if err := s.SetGlobal(g); err != nil {
		return nil, err
	}
	id := keys[7].priv.PublicKey.A
	err := s.SetAccount(4, layoutv2.AccountFields{Identity: layoutv2.Identity{PublicKeyX: id.X, PublicKeyY: id.Y,
		L1Owner: [20]byte{0x44, 19: 0x04}}, Nonce: 3, Collateral: 50_000})
	return s, err
}

const tickStepSigners = 6

type tickStepPlan struct {
	note     string
	oracle   *tickstep.OracleTick
	funding  *tickstep.FundingTick
	start    *tickstep.FundingPeriodStart
	deltaPct int64 // funding: Δindex as a percentage of the bound (sign included)
}

func genTickSteps(keys []key) (any, error) {
	s, err := tickStepsState(keys)
	if err != nil {
		return nil, err
	}
	d := SignedMessageDomains[0]
	f := &tickStepsFile{Generator: generatorInfo(), Quorum: 2,
		Description: "tick steps of prover-bridge/native/tickstep executed in order on one layout v2 state; " +
			"publicData is the step witness's public data (big-endian, type byte first); the engine-side values " +
			"(price, timestamp, now; indexDelta, indexAfter, now; now) are the records' fields the batcher encodes",
		TypeBytes: tickStepTypeBytes{int(tickstep.TypeOracleTick), int(tickstep.TypeFundingTick), int(tickstep.TypeFundingPeriodStart)},
		Domain:    tickStepsDomain{ChainID: fmt.Sprint(d.ChainID), Rollup: hexBytes(d.Rollup[:])}}
	for i := 0; i < tickStepSigners; i++ {
		f.Signers = append(f.Signers, tickStepSignerPK{Key: i, KeyX: hexFr(keys[i].pub.X), KeyY: hexFr(keys[i].pub.Y)})
	}
	T := tickStepsT0 + 7_300
	report := func(market uint32, signer int, price, ts int64) reference.PriceReport {
		return reference.PriceReport{Market: market, Price: price, Timestamp: ts, Signer: signer}
	}
	oracle := func(market uint8, now int64, rs ...reference.PriceReport) *tickstep.OracleTick {
		return &tickstep.OracleTick{Domain: d, Market: market, Now: now, BatchTime: T, Reports: rs}
	}
	p1 := int64(1_000<<32 + 123_456_789)
	plans := []tickStepPlan{
		{note: "market 0, three reports (lower median of 3), signers not in slot order", oracle: oracle(0, tickStepsT0+10,
			report(0, 4, p1+9_000_000_000, tickStepsT0+12), report(0, 0, p1+7_000_000, tickStepsT0+9), report(0, 2, p1-3_000_000_000, tickStepsT0+6))},
		{note: "market 2's first price (no previous price: no move bound), two reports (the lower one)", oracle: oracle(2, tickStepsT0+15,
			report(2, 1, 300<<32+77, tickStepsT0+14), report(2, 5, 301<<32, tickStepsT0+15))},
		{note: "market 2's first premium sample starts its funding period", start: &tickstep.FundingPeriodStart{Market: 2, Now: tickStepsT0 + 20, BatchTime: T}},
		{note: "market 0, + the bound (positive index)", funding: &tickstep.FundingTick{Market: 0, Now: tickStepsT0 + 2_600, BatchTime: T}, deltaPct: 100},
		{note: "market 1, four reports (the lower of the two middle values)", oracle: oracle(1, tickStepsT0+2_700,
			report(1, 0, 25_100<<32, tickStepsT0+2_699), report(1, 1, 25_050<<32, tickStepsT0+2_698),
			report(1, 3, 25_200<<32, tickStepsT0+2_700), report(1, 5, 24_990<<32, tickStepsT0+2_705))},
		{note: "market 1, − the bound (negative index, two's complement)", funding: &tickstep.FundingTick{Market: 1, Now: tickStepsT0 + 2_750, BatchTime: T}, deltaPct: -100},
		{note: "market 2, second price", oracle: oracle(2, tickStepsT0+3_000,
			report(2, 0, 302<<32, tickStepsT0+2_990), report(2, 3, 303<<32, tickStepsT0+2_995), report(2, 4, 299<<32, tickStepsT0+2_999))},
		{note: "market 2's first funding tick: Δt from the period start, −60% of the bound", funding: &tickstep.FundingTick{Market: 2, Now: tickStepsT0 + 20 + 3_600, BatchTime: T}, deltaPct: -60},
		{note: "market 0, zero change at the minimum interval", funding: &tickstep.FundingTick{Market: 0, Now: tickStepsT0 + 2_600 + 3_600, BatchTime: T}, deltaPct: 0},
		{note: "market 1, now = T", funding: &tickstep.FundingTick{Market: 1, Now: T, BatchTime: T}, deltaPct: 35},
	}
	for _, p := range plans {
		v, next, err := tickStep(s, keys, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.note, err)
		}
		f.Steps = append(f.Steps, v)
		s = next
	}
	return f, nil
}

// tickStep executes one planned step on s with its Witness function and returns the vector and
// the new state.
func tickStep(s *layoutv2.State, keys []key, p tickStepPlan) (tickStepVector, *layoutv2.State, error) {
	v := tickStepVector{Note: p.note}
	var (
		pd         []frontend.Variable
		want       []byte
		next       *layoutv2.State
		oldR, newR frontend.Variable
		err        error
	)
	switch {
	case p.oracle != nil:
		t := p.oracle
		for i := range t.Reports {
			r := &t.Reports[i]
			h := reference.ReportMessage(*r).Hash(t.Domain)
			b := h.Bytes()
			if r.Signature, err = keys[r.Signer].priv.Sign(b[:], poseidon2.NewMerkleDamgardHasher()); err != nil {
				return v, nil, err
			}
			v.Reports = append(v.Reports, tickStepReport{Signer: r.Signer, Price: decI64(r.Price), Timestamp: decI64(r.Timestamp), Signature: hexBytes(r.Signature)})
		}
		c, n, e := tickstep.WitnessOracle(s, *t, perpSignerSlots)
		if e != nil {
			return v, nil, e
		}
		m, _ := n.Market(uint64(t.Market))
		v.Kind, v.Market, v.Now, v.BatchTime = "oracle tick", t.Market, decI64(t.Now), decI64(t.BatchTime)
		v.Price, v.Timestamp = decU64(m.OraclePrice), decU64(m.OracleTimestamp)
		pd, next, oldR, newR = c.PublicData, n, c.OldRoot, c.NewRoot
		want = tickstep.OraclePublicData(t.Market, m.OraclePrice, m.OracleTimestamp, uint64(t.Now))
	case p.funding != nil:
		t := *p.funding
		m0, _ := s.Market(uint64(t.Market))
		bound := reference.FundingBound(int64(m0.Risk.FundingMaxRatePpm), int64(m0.OraclePrice), t.Now-int64(m0.FundingTimestamp))
		t.Delta = new(big.Int).Quo(new(big.Int).Mul(bound, big.NewInt(p.deltaPct)), big.NewInt(100)).Int64()
		c, n, e := tickstep.WitnessFunding(s, t)
		if e != nil {
			return v, nil, e
		}
		m, _ := n.Market(uint64(t.Market))
		v.Kind, v.Market, v.Now, v.BatchTime = "funding tick", t.Market, decI64(t.Now), decI64(t.BatchTime)
		v.IndexDelta, v.IndexAfter = decI64(t.Delta), decI64(m.FundingIndex)
		pd, next, oldR, newR = c.PublicData, n, c.OldRoot, c.NewRoot
		want = tickstep.FundingPublicData(t.Market, m.FundingIndex, uint64(t.Now))
	default:
		t := *p.start
		c, n, e := tickstep.WitnessFundingPeriodStart(s, t)
		if e != nil {
			return v, nil, e
		}
		v.Kind, v.Market, v.Now, v.BatchTime = "funding period start", t.Market, decI64(t.Now), decI64(t.BatchTime)
		pd, next, oldR, newR = c.PublicData, n, c.OldRoot, c.NewRoot
		want = tickstep.FundingPeriodStartPublicData(t.Market, uint64(t.Now))
	}
	got := make([]byte, len(pd))
	for i, b := range pd {
		got[i] = b.(byte)
	}
	if !bytes.Equal(got, want) {
		return v, nil, fmt.Errorf("the witness's public data % x is not the encoding % x", got, want)
	}
	r0, r1 := s.Root(), next.Root()
	if oldR.(*big.Int).Cmp(r0.BigInt(new(big.Int))) != 0 || newR.(*big.Int).Cmp(r1.BigInt(new(big.Int))) != 0 {
		return v, nil, fmt.Errorf("the witness's roots are not the states'")
	}
	before, _ := s.Market(uint64(v.Market))
	after, _ := next.Market(uint64(v.Market))
	_, path, err := s.MarketProof(uint64(v.Market))
	if err != nil {
		return v, nil, err
	}
	v.MarketBefore, v.MarketAfter, v.MarketPath = marketJSONv2(before), marketJSONv2(after), hexFrs(path)
	v.AccountsRoot, v.GlobalLeaf = hexFr(s.AccountsRoot()), hexFr(s.GlobalLeaf())
	v.OldRoot, v.NewRoot, v.PublicData = hexFr(s.Root()), hexFr(next.Root()), hexBytes(got)
	return v, next, nil
}

// perpSignerSlots: the oracle witnesses use all 16 report slots (no shape limit in the vectors).
const perpSignerSlots = 16
