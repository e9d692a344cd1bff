package reference

import (
	"math/big"
	"sort"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// This file is the Go reference of the engine's oracle price tick (OracleAggregator.java) and
// funding tick (PremiumSampler.tick, FundingTickCalculator.checkTick and FundingState.apply),
// written from the Java code with int64 and math/big, independently of the gadgets.

// TickRule names a rule of the oracle or funding tick. The engine's rules carry the name of the
// engine's rejection (OracleRejection, FundingRejection); the others say what they are.
type TickRule string

// The oracle tick's rules, in the engine's order of checks (OracleAggregator).
const (
	RuleMarketMismatch   TickRule = "MARKET_MISMATCH"    // a report is for another market
	RuleUnknownSigner    TickRule = "UNKNOWN_SIGNER"     // a signer index outside the signer set
	RuleDuplicateSigner  TickRule = "DUPLICATE_SIGNER"   // two reports of one signer
	RuleNonPositivePrice TickRule = "NON_POSITIVE_PRICE" // a report's price ≤ 0 (funding: the index price ≤ 0)
	RuleStale            TickRule = "STALE"              // timestamp < now − maxAge
	RuleFutureTimestamp  TickRule = "FUTURE_TIMESTAMP"   // timestamp > now + maxFuture
	RuleQuorumNotMet     TickRule = "QUORUM_NOT_MET"     // fewer reports than the quorum
	RuleNotNewer         TickRule = "NOT_NEWER"          // oldest report ≤ the market's last price timestamp
	RuleBadSignature     TickRule = "BAD_SIGNATURE"      // a signature does not verify (key, market, price, timestamp, domain)
	RuleMoveTooLarge     TickRule = "MOVE_TOO_LARGE"     // |median − previous| > ⌊previous · maxMove / 10^6⌋
	// circuit-only rules (the engine has no such limit)
	RuleTooManyReports TickRule = "TOO_MANY_REPORTS" // more reports than the gadget's K slots
	RuleAfterBatchTime TickRule = "AFTER_BATCH_TIME" // the tick's time is after the batch time T
	RuleNotMedian      TickRule = "NOT_MEDIAN"       // the claimed price is not the lower median
	RuleNotOldest      TickRule = "NOT_OLDEST"       // the claimed timestamp is not the oldest report's
)

// The funding tick's rules, in the engine's order of checks.
const (
	RuleTooEarly            TickRule = "TOO_EARLY"             // Δt < fundingMinIntervalSeconds (PremiumSampler: NotDue)
	RuleNonPositiveInterval TickRule = "NON_POSITIVE_INTERVAL" // Δt ≤ 0
	RuleOutOfRange          TickRule = "OUT_OF_RANGE"          // Δt > 10^9 s or maxRate outside 0 … 10^9
	RuleRateBound           TickRule = "RATE_BOUND_EXCEEDED"   // |Δindex| · 10^6 · 28,800 > maxRate · Δt · price
	RuleIndexOverflow       TickRule = "INDEX_OVERFLOW"        // index + Δindex leaves int64 (engine: AMOUNT_OUT_OF_RANGE)
)

// MaxOracleSigners is the size of the committed signer set (layout v2: a depth-4 tree).
const MaxOracleSigners = 16

// PriceReport is one signed report (PriceReport.java): the signer is named by its index in the
// committed signer set; the signature is over messages.OraclePriceMessage{Market, Price, Timestamp}.
type PriceReport struct {
	Market           uint32
	Price, Timestamp int64
	Signer           int
	Signature        []byte
}

// OracleTick is an oracle price tick of one market as the circuit sees it: the committed signer
// set and quorum (global leaf), the market's bounds (risk hash) and last price (market leaf), the
// tick's time and the batch time, and the reports.
type OracleTick struct {
	Domain     messages.Domain
	Market     uint32
	Signers    []eddsa.PublicKey // slot i of the signer tree holds Signers[i]; the rest are empty
	Quorum     int
	MaxAge     int64 // oracleMaxAgeSeconds
	MaxFuture  int64 // oracleMaxFutureSeconds
	MaxMovePpm int64 // oracleMaxMovePpm
	PrevPrice  int64 // the market leaf's oraclePrice; 0 = the market has no price yet
	PrevTime   int64 // the market leaf's oracleTimestamp
	Now        int64 // the tick's time: the engine's journaled time of the command
	BatchTime  int64 // T: no step of the batch is later (L1 checks T ≤ block.timestamp)
	Reports    []PriceReport
}

// OracleOutcome is what an accepted tick writes into the market leaf.
type OracleOutcome struct {
	Price     int64 // the lower median of the reports' prices
	Timestamp int64 // the oldest report's timestamp
	Reports   int
}

// rules collects broken rules once each, in the order first found.
type rules []TickRule

func (r *rules) add(x TickRule) {
	for _, y := range *r {
		if y == x {
			return
		}
	}
	*r = append(*r, x)
}

// ApplyOracleTick computes the tick's outcome as OracleAggregator.aggregate would and lists every
// rule it breaks, the first one being the rejection the engine reports (its checks run in the same
// order: each report in turn for market, signer, duplicate, price, staleness, future; then quorum,
// not-newer, signatures, move). slots is the gadget's K (circuit-only: more reports do not fit).
// The outcome is computed even when rules are broken, so that a test can break one rule alone.
func ApplyOracleTick(t OracleTick, slots int) (OracleOutcome, []TickRule) {
	var broken rules
	if len(t.Reports) > slots {
		broken.add(RuleTooManyReports)
	}
	if t.Now > t.BatchTime {
		broken.add(RuleAfterBatchTime)
	}
	seen := map[int]bool{}
	oldest := int64(1<<63 - 1)
	earliest := saturatedAdd(t.Now, -t.MaxAge)
	latest := saturatedAdd(t.Now, t.MaxFuture)
	for _, r := range t.Reports {
		if r.Market != t.Market {
			broken.add(RuleMarketMismatch)
		}
		if r.Signer < 0 || r.Signer >= len(t.Signers) || r.Signer >= MaxOracleSigners {
			broken.add(RuleUnknownSigner)
		}
		if seen[r.Signer] {
			broken.add(RuleDuplicateSigner)
		}
		seen[r.Signer] = true
		if r.Price <= 0 {
			broken.add(RuleNonPositivePrice)
		}
		if r.Timestamp < earliest {
			broken.add(RuleStale)
		}
		if r.Timestamp > latest {
			broken.add(RuleFutureTimestamp)
		}
		if r.Timestamp < oldest {
			oldest = r.Timestamp
		}
	}
	if len(t.Reports) < t.Quorum || len(t.Reports) == 0 {
		broken.add(RuleQuorumNotMet)
	}
	if t.PrevPrice != 0 && len(t.Reports) > 0 && oldest <= t.PrevTime {
		broken.add(RuleNotNewer)
	}
	for _, r := range t.Reports {
		if r.Signer < 0 || r.Signer >= len(t.Signers) {
			continue // UNKNOWN_SIGNER already
		}
		if !VerifyReport(t.Domain, t.Signers[r.Signer], r) {
			broken.add(RuleBadSignature)
		}
	}
	out := OracleOutcome{Timestamp: oldest, Reports: len(t.Reports)}
	if len(t.Reports) == 0 {
		return OracleOutcome{}, broken
	}
	out.Price = LowerMedian(t.Reports)
	if t.PrevPrice != 0 {
		bound := new(big.Int).Mul(big.NewInt(t.PrevPrice), big.NewInt(t.MaxMovePpm))
		bound.Quo(bound, bigPPM) // both ≥ 0: ⌊p₀ · maxMove / 10^6⌋ (RiskMath.mulPpmDown)
		move := new(big.Int).Sub(big.NewInt(out.Price), big.NewInt(t.PrevPrice))
		if move.Abs(move).Cmp(bound) > 0 {
			broken.add(RuleMoveTooLarge)
		}
	}
	return out, broken
}

// CheckOracleOutcome lists, besides ApplyOracleTick's rules, whether a claimed outcome is the one
// the rules fix: the lower median (RuleNotMedian) and the oldest timestamp (RuleNotOldest).
func CheckOracleOutcome(t OracleTick, slots int, price, timestamp int64) (OracleOutcome, []TickRule) {
	out, broken := ApplyOracleTick(t, slots)
	r := rules(broken)
	if price != out.Price {
		r.add(RuleNotMedian)
	}
	if timestamp != out.Timestamp {
		r.add(RuleNotOldest)
	}
	return out, r
}

// LowerMedian is the element of rank ⌊(n − 1) / 2⌋ of the reports' prices in ascending order
// (OracleAggregator.lowerMedian): the median for odd n, the lower middle value for even n.
func LowerMedian(reports []PriceReport) int64 {
	p := make([]int64, len(reports))
	for i, r := range reports {
		p[i] = r.Price
	}
	sort.Slice(p, func(i, j int) bool { return p[i] < p[j] })
	return p[(len(p)-1)/2]
}

// ReportMessage is the signed message of a report (PriceReportSigning.message).
func ReportMessage(r PriceReport) messages.OraclePriceMessage {
	return messages.OraclePriceMessage{Market: r.Market, Price: uint64(r.Price), Timestamp: uint64(r.Timestamp)}
}

// VerifyReport verifies a report's signature under the signer's key in the domain.
func VerifyReport(d messages.Domain, key eddsa.PublicKey, r PriceReport) bool {
	h := ReportMessage(r).Hash(d)
	b := h.Bytes()
	ok, err := key.Verify(r.Signature, b[:], poseidon2.NewMerkleDamgardHasher())
	return err == nil && ok
}

func saturatedAdd(a, b int64) int64 {
	r := a + b
	if (a^r)&(b^r) < 0 {
		if b > 0 {
			return 1<<63 - 1
		}
		return -1 << 63
	}
	return r
}

// Funding tick constants (FundingTickCalculator).
const (
	EightHoursSeconds  = 8 * 3600
	MaxFundingRatePpm  = 1_000_000_000 // MAX_RATE_PPM
	MaxFundingInterval = 1_000_000_000 // MAX_INTERVAL_SECONDS
)

// FundingTick is a funding tick of one market as the circuit sees it: the market leaf's oracle
// price, funding index and funding timestamp, its committed bounds, the tick's time and the batch
// time, and the index change the tick applies.
type FundingTick struct {
	Price          int64 // the market's oracle (index) price, 32.32
	IndexBefore    int64 // fundingIndex, 32.32
	TimeBefore     int64 // fundingTimestamp (the start of the engine's funding period)
	MinInterval    int64 // fundingMinIntervalSeconds (engine: FundingConfig.tickIntervalSeconds)
	MaxRatePpm     int64 // fundingMaxRatePpm, ppm per 8 hours
	Now, BatchTime int64
	Delta          int64 // Δindex, 32.32
}

// FundingOutcome is what an accepted tick writes into the market leaf.
type FundingOutcome struct {
	Index, Timestamp int64
}

// FundingBound is ⌊maxRate · Δt · price / (10^6 · 28,800)⌋ (FundingTickCalculator.maxIndexDelta),
// exactly, as a big integer (it may exceed int64).
func FundingBound(maxRatePpm, price, dt int64) *big.Int {
	x := new(big.Int).Mul(big.NewInt(maxRatePpm), big.NewInt(dt))
	x.Mul(x, big.NewInt(price))
	return x.Quo(x, big.NewInt(PPM*EightHoursSeconds))
}

// ApplyFundingTick computes the tick's outcome and lists every rule it breaks, the first being the
// engine's rejection: the period is not over (PremiumSampler.tick: Δt < tickInterval), Δt ≤ 0,
// price ≤ 0, Δt or maxRate out of range, the rate bound (FundingTickCalculator.checkTick), and the
// new index outside int64 (FundingState.apply).
func ApplyFundingTick(t FundingTick) (FundingOutcome, []TickRule) {
	var broken rules
	if t.Now > t.BatchTime {
		broken.add(RuleAfterBatchTime)
	}
	dt := t.Now - t.TimeBefore // both timestamps in [0, 2^62): no overflow
	if dt < t.MinInterval {
		broken.add(RuleTooEarly)
	}
	if t.Price <= 0 {
		broken.add(RuleNonPositivePrice)
	}
	if dt <= 0 {
		broken.add(RuleNonPositiveInterval)
	}
	if dt > MaxFundingInterval || t.MaxRatePpm < 0 || t.MaxRatePpm > MaxFundingRatePpm {
		broken.add(RuleOutOfRange)
	}
	if t.Price > 0 && dt > 0 && t.MaxRatePpm >= 0 {
		d := big.NewInt(t.Delta)
		if t.Delta == -1<<63 || d.Abs(d).Cmp(FundingBound(t.MaxRatePpm, t.Price, dt)) > 0 {
			broken.add(RuleRateBound)
		}
	}
	next := new(big.Int).Add(big.NewInt(t.IndexBefore), big.NewInt(t.Delta))
	if next.Cmp(minInt64) < 0 || next.Cmp(maxInt64) > 0 {
		broken.add(RuleIndexOverflow)
	}
	return FundingOutcome{Index: t.IndexBefore + t.Delta, Timestamp: t.Now}, broken
}
