package tickstep

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// The rules of the funding period start that perp/reference does not name (the others are
// reference.RuleNonPositivePrice and reference.RuleAfterBatchTime).
const (
	// RulePeriodStarted: the market's fundingTimestamp is not 0, so its first sampling period has
	// started already (the engine starts it once: FundingState.onTick, PremiumSampler.periodStart).
	RulePeriodStarted reference.TickRule = "PERIOD_ALREADY_STARTED"
	// RuleNonPositiveTime: now ≤ 0; a period started at time 0 would leave the leaf looking
	// unstarted, so a second start could follow (circuit only; the engine's time is Unix seconds).
	RuleNonPositiveTime reference.TickRule = "NON_POSITIVE_TIME"
	// RuleBeforeOracleTime: now + oracleMaxFutureSeconds < oracleTimestamp. The engine samples at a
	// core time no earlier than the one its price was accepted at, whose timestamp was at most
	// maxFuture ahead of that time (OracleAggregator: FUTURE_TIMESTAMP), so an engine start always
	// meets this; the circuit relies on it to keep the period from being back-dated before the
	// market's price.
	RuleBeforeOracleTime reference.TickRule = "BEFORE_ORACLE_TIME"
)

// FundingPeriodStart is the start of a market's first funding sampling period as a batch carries
// it: the engine's FundingPeriodStarted(market, timestamp) record, emitted when a Tick takes the
// market's first premium sample; Now is the record's timestamp (the Tick's time), which becomes
// the market's fundingTimestamp, the start of the Δt of its first funding tick.
type FundingPeriodStart struct {
	Market    uint8
	Now       int64 // the Tick's time; becomes the market's fundingTimestamp
	BatchTime int64 // T of the batch that proves it: Now ≤ T (AFTER_BATCH_TIME)
}

// periodStartExec is an executed period start with everything the witness needs.
type periodStartExec struct {
	start      FundingPeriodStart
	broken     []reference.TickRule
	old, state *layoutv2.State
	market     layoutv2.Market // the leaf before
	marketPath []fr.Element
}

// ApplyFundingPeriodStart executes the period start on s and returns a new state whose market
// leaf holds Now as its fundingTimestamp, every other field unchanged; s is unchanged. It applies
// exactly when the engine would have emitted the record from this leaf: the market has an oracle
// price (NON_POSITIVE_PRICE) and no period yet (fundingTimestamp = 0, PERIOD_ALREADY_STARTED),
// and, as the circuit also requires, Now ≥ 1 (NON_POSITIVE_TIME), Now + oracleMaxFutureSeconds ≥
// oracleTimestamp (BEFORE_ORACLE_TIME) and Now ≤ BatchTime (AFTER_BATCH_TIME). Refusals: a
// *RuleError (unwraps to ErrRefused) naming the broken rules in that order, ErrUnknownMarket,
// ErrOutOfRange (a negative Now or BatchTime).
func ApplyFundingPeriodStart(s *layoutv2.State, p FundingPeriodStart) (*layoutv2.State, error) {
	ex, err := executePeriodStart(s, p, false)
	if err != nil {
		return nil, err
	}
	return ex.state, nil
}

// periodStartRules lists the rules the start breaks on leaf m, the engine's first.
func periodStartRules(m layoutv2.Market, p FundingPeriodStart) []reference.TickRule {
	var broken []reference.TickRule
	if m.OraclePrice == 0 {
		broken = append(broken, reference.RuleNonPositivePrice)
	}
	if m.FundingTimestamp != 0 {
		broken = append(broken, RulePeriodStarted)
	}
	if p.Now < 1 {
		broken = append(broken, RuleNonPositiveTime)
	}
	// now + maxFuture < oracleTimestamp, without overflow: now ≥ 0 here, the others u64
	if m.OracleTimestamp > uint64(p.Now) && m.OracleTimestamp-uint64(p.Now) > m.Risk.OracleMaxFutureSeconds {
		broken = append(broken, RuleBeforeOracleTime)
	}
	if p.Now > p.BatchTime {
		broken = append(broken, reference.RuleAfterBatchTime)
	}
	return broken
}

// executePeriodStart runs the start; with force it builds the new state even when a rule is
// broken.
func executePeriodStart(s *layoutv2.State, p FundingPeriodStart, force bool) (*periodStartExec, error) {
	m, err := listedMarket(s, p.Market)
	if err != nil {
		return nil, err
	}
	if p.Now < 0 || p.BatchTime < 0 {
		return nil, fmt.Errorf("%w: period start time %d, batch time %d", ErrOutOfRange, p.Now, p.BatchTime)
	}
	ex := &periodStartExec{start: p, old: s, market: m, broken: periodStartRules(m, p)}
	if len(ex.broken) > 0 && !force {
		return nil, &RuleError{Rules: ex.broken}
	}
	after := m
	after.FundingTimestamp = uint64(p.Now)
	if ex.marketPath, ex.state, err = rewriteMarket(s, uint64(p.Market), after); err != nil {
		return nil, err
	}
	return ex, nil
}
