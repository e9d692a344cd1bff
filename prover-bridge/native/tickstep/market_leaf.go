package tickstep

import (
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// marketRoots returns the markets root (layout §3: node = Compress(left, right)) with the leaf at
// market id set to before and to after, over the same 6 siblings, from the leaf upward. The 6 bits
// of market are asserted, so market < 64.
func marketRoots(env *stepenv.Env, market frontend.Variable, path [layoutv2.MarketsDepth]frontend.Variable,
	before, after frontend.Variable) (frontend.Variable, frontend.Variable) {
	api := env.API
	bits := api.ToBinary(market, layoutv2.MarketsDepth)
	for h, s := range path {
		l0, r0 := api.Select(bits[h], s, before), api.Select(bits[h], before, s)
		l1, r1 := api.Select(bits[h], s, after), api.Select(bits[h], after, s)
		before, after = env.Perm.Compress(l0, r0), env.Perm.Compress(l1, r1)
	}
	return before, after
}

// MarketLeafOpening is a market leaf's content before a tick, with its 6-level path; Risk is the
// risk hash's preimage in hashing order (gadget.MarketRisk: indices 7 … 11 are oracleMaxAge,
// oracleMaxFuture, oracleMaxMovePpm, fundingMinInterval, fundingMaxRatePpm).
type MarketLeafOpening struct {
	OraclePrice, OracleTimestamp, FundingIndex, FundingTimestamp, OpenInterest frontend.Variable
	Risk                                                                       [12]frontend.Variable
	Path                                                                       [layoutv2.MarketsDepth]frontend.Variable
}

// Risk-hash preimage indices of the tick bounds (docs/state-layout.md §9, market risk hash).
const (
	riskOracleMaxAge       = 7
	riskOracleMaxFuture    = 8
	riskOracleMaxMovePpm   = 9
	riskFundingMinInterval = 10
	riskFundingMaxRatePpm  = 11
)

// rewrite returns the markets roots with the leaf at market id market as opened (before) and
// with its oracle price, oracle timestamp, funding index and funding timestamp set to the given
// values (after); open interest and the risk hash stay.
func (l *MarketLeafOpening) rewrite(env *stepenv.Env, market, price, oracleTime, index, fundingTime frontend.Variable) (markets0, markets1 frontend.Variable) {
	lay := env.Layout
	riskHash := lay.MarketRiskHash(gadget.MarketRisk(l.Risk))
	before := lay.MarketLeaf(l.OraclePrice, l.OracleTimestamp, l.FundingIndex, l.FundingTimestamp, l.OpenInterest, riskHash)
	after := lay.MarketLeaf(price, oracleTime, index, fundingTime, l.OpenInterest, riskHash)
	return marketRoots(env, market, l.Path, before, after)
}

// marketsTransition is the transition of a step that changes only the markets root: the state
// roots over the unchanged accounts root and global leaf, the public data pd, no priority
// operation.
func marketsTransition(env *stepenv.Env, accountsRoot, markets0, markets1, global frontend.Variable, pd []frontend.Variable) stepenv.Transition {
	return stepenv.Transition{
		OldRoot:    env.Layout.StateRoot(accountsRoot, markets0, global),
		NewRoot:    env.Layout.StateRoot(accountsRoot, markets1, global),
		PublicData: pd, IsPriority: 0, PriorityOp: 0,
	}
}
