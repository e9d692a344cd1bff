package perp

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/rangecheck"
)

// Funding tick constants (FundingTickCalculator.java).
const (
	// EightHoursSeconds is the funding rate period: rates are ppm per 8 hours.
	EightHoursSeconds = 8 * 3600
	// MaxFundingRatePpm is the largest maximum rate the engine accepts (MAX_RATE_PPM, 10^9).
	MaxFundingRatePpm = 1_000_000_000
	// MaxFundingInterval is the longest tick interval the engine accepts, seconds (10^9).
	MaxFundingInterval = 1_000_000_000
)

// FundingMarketVars are the market's fields a funding tick reads: its leaf's oracle price, funding
// index and funding timestamp, and the bounds committed in its risk hash.
type FundingMarketVars struct {
	Price       frontend.Variable // oraclePrice, 32.32
	Index       frontend.Variable // fundingIndex, i64 32.32
	Time        frontend.Variable // fundingTimestamp
	MinInterval frontend.Variable // fundingMinIntervalSeconds (engine: FundingConfig.tickIntervalSeconds)
	MaxRatePpm  frontend.Variable // fundingMaxRatePpm, ppm per 8 hours
}

// FundingTick checks a funding tick that changes the market's index by delta at time now, and
// returns the new index (the new timestamp is now). It mirrors the engine's derived tick
// (PremiumSampler.tick, FundingState.derivedTick, FundingTickCalculator.checkTick):
//
//   - Δt = now − fundingTimestamp ≥ minInterval (the period is due) and Δt ≥ 1;
//   - Δt ≤ 10^9 s and maxRate ≤ 10^9 ppm (OUT_OF_RANGE);
//   - price ≥ 1 (NON_POSITIVE_PRICE);
//   - |delta| · 10^6 · 28,800 ≤ maxRate · Δt · price (RATE_BOUND_EXCEEDED: the engine's
//     |Δ| ≤ ⌊maxRate · Δt · price / (10^6 · 28,800)⌋ without the division), and |delta| < 2^63;
//   - index + delta within int64 (FundingState.apply's Math.addExact);
//   - now ≤ batchTime (circuit only: the batch's time bound T).
//
// Bounds read: now, batchTime, fundingTimestamp < 2^63; price < 2^63; index i64 (range-checked here).
func FundingTick(a *Arith, m FundingMarketVars, now, batchTime, delta frontend.Variable) (index frontend.Variable) {
	api := a.API
	for _, x := range []frontend.Variable{now, batchTime, m.Time} {
		a.Unsigned(x, 63)
	}
	a.AssertLE(now, batchTime, 63)
	a.Unsigned(api.Sub(m.Price, 1), 63)
	a.Signed(m.Index, 64)
	dt := api.Sub(now, m.Time)
	a.Unsigned(api.Sub(dt, 1), 30) // 1 ≤ Δt < 2^30 (and Δt ≤ 10^9 below)
	a.AssertLE(dt, MaxFundingInterval, 30)
	a.AssertLE(m.MinInterval, dt, 63) // minInterval ≤ Δt (minInterval < 2^63 in the risk hash)
	a.Unsigned(m.MaxRatePpm, 30)
	a.AssertLE(m.MaxRatePpm, MaxFundingRatePpm, 30)
	// −2^63 < delta < 2^63
	a.Signed(delta, 64)
	a.Unsigned(api.Add(delta, new(big.Int).Sub(pow2(63), big.NewInt(1))), 64)
	// |delta| · D ≤ maxRate · Δt · price: X < 2^30 · 2^30 · 2^63 = 2^123, |delta| · D < 2^98
	x := api.Mul(m.MaxRatePpm, dt, m.Price)
	dd := api.Mul(delta, big.NewInt(PPM*EightHoursSeconds))
	a.Unsigned(api.Sub(x, dd), 124)
	a.Unsigned(api.Add(x, dd), 124)
	index = api.Add(m.Index, delta)
	a.Signed(index, 64)
	return index
}

// FundingTickCircuit is one funding tick, as the batch circuit (format v3) will embed it after the
// market leaf's opening. IndexAfter is the market leaf's new fundingIndex; its new fundingTimestamp
// is Now.
type FundingTickCircuit struct {
	Market     FundingMarketVars
	Now        frontend.Variable // the tick's time
	BatchTime  frontend.Variable // T
	Delta      frontend.Variable // Δindex, 32.32
	IndexAfter frontend.Variable
}

// Define adds the tick's rules.
func (c *FundingTickCircuit) Define(api frontend.API) error {
	a := &Arith{API: api, RC: rangecheck.New(api)}
	api.AssertIsEqual(FundingTick(a, c.Market, c.Now, c.BatchTime, c.Delta), c.IndexAfter)
	return nil
}
