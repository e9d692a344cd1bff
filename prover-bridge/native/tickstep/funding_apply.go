package tickstep

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// FundingTick is a funding tick of one market as a batch carries it: the index change the engine
// applied (FundingTickApplied.indexDelta), at the tick's time (FundingTickApplied.timestamp: the
// Tick command's time for a derived tick), proven in a batch of time T.
type FundingTick struct {
	Market    uint8
	Now       int64 // the tick's time; becomes the market's fundingTimestamp
	BatchTime int64 // T of the batch that proves the tick: Now ≤ T (AFTER_BATCH_TIME)
	Delta     int64 // Δindex, 32.32
}

// fundingExec is an executed funding tick with everything the witness needs.
type fundingExec struct {
	tick       FundingTick
	ref        reference.FundingTick
	broken     []reference.TickRule
	old, state *layoutv2.State
	market     layoutv2.Market // the leaf before
	marketPath []fr.Element
	index      int64 // the new funding index
}

// ApplyFundingTick executes the tick on s with perp/reference's FundingTick rules (no arithmetic
// of its own: the reference's new index) and returns a new state whose market leaf holds the new
// funding index and Now as its fundingTimestamp; s is unchanged. Refusals: a *RuleError (unwraps
// to ErrRefused) naming the broken rules, ErrUnknownMarket, ErrOutOfRange.
func ApplyFundingTick(s *layoutv2.State, t FundingTick) (*layoutv2.State, error) {
	ex, err := executeFunding(s, t, false)
	if err != nil {
		return nil, err
	}
	return ex.state, nil
}

// executeFunding runs the tick; with force it builds the new state even when a rule is broken.
func executeFunding(s *layoutv2.State, t FundingTick, force bool) (*fundingExec, error) {
	m, err := listedMarket(s, t.Market)
	if err != nil {
		return nil, err
	}
	if t.Now < 0 || t.BatchTime < 0 {
		return nil, fmt.Errorf("%w: tick time %d, batch time %d", ErrOutOfRange, t.Now, t.BatchTime)
	}
	ex := &fundingExec{tick: t, old: s, market: m}
	ex.ref = reference.FundingTick{IndexBefore: m.FundingIndex, Now: t.Now, BatchTime: t.BatchTime, Delta: t.Delta}
	if err := readSigned([]signedField{{&ex.ref.Price, m.OraclePrice, "oraclePrice"}, {&ex.ref.TimeBefore, m.FundingTimestamp, "fundingTimestamp"},
		{&ex.ref.MinInterval, m.Risk.FundingMinIntervalSeconds, "fundingMinIntervalSeconds"},
		{&ex.ref.MaxRatePpm, m.Risk.FundingMaxRatePpm, "fundingMaxRatePpm"}}); err != nil {
		return nil, err
	}
	out, broken := reference.ApplyFundingTick(ex.ref)
	ex.broken, ex.index = broken, out.Index
	if len(broken) > 0 && !force {
		return nil, &RuleError{Rules: broken}
	}
	after := m
	after.FundingIndex, after.FundingTimestamp = out.Index, uint64(t.Now)
	if ex.marketPath, ex.state, err = rewriteMarket(s, uint64(t.Market), after); err != nil {
		return nil, err
	}
	return ex, nil
}
