package liqstep

import (
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// TableFunc builds the market table a step's rules read (perp.MarketTable, ids 0 … K − 1) and
// returns it with bind, the check that ties every entry to the step's old markets root, which the
// step calls once it has computed that root from its market opening. A step's Transition uses
// OpenTable over its own witness; a batch that shares one table between steps passes its own
// function to TransitionWith.
type TableFunc func(env *stepenv.Env) (table *perp.MarketTable, bind func(marketsRoot frontend.Variable))

// OpenTable is the TableFunc of a standalone step: the table holds markets (index = market id)
// and bind opens each entry in the markets root at its id (the 6-level path of its opening; an
// unlisted id opens the empty leaf 0 and its values are only range-checked), so no price, funding
// index or risk parameter the rules read is free.
func OpenTable(markets []perp.MarketVars, openings []perpstep.TableOpening) TableFunc {
	return func(env *stepenv.Env) (*perp.MarketTable, func(frontend.Variable)) {
		t := perp.NewMarketTable(env.Arith, markets)
		return t, func(root frontend.Variable) {
			api, lay := env.API, env.Layout
			for i, o := range openings {
				e := markets[i]
				api.AssertIsBoolean(o.Listed)
				h := lay.MarketRiskHash(gadget.MarketRisk{e.IMF, e.MMF, e.Baseline, e.IncSize, e.IncIMF, e.MaxPositionSize, e.OICap,
					o.TickBounds[0], o.TickBounds[1], o.TickBounds[2], o.TickBounds[3], o.TickBounds[4]})
				leaf := api.Mul(o.Listed, lay.MarketLeaf(e.Price, o.OracleTimestamp, e.FundingIndex, o.FundingTimestamp, e.OpenInterest, h))
				for level, sib := range o.Path {
					if (i>>level)&1 == 0 {
						leaf = env.Perm.Compress(leaf, sib)
					} else {
						leaf = env.Perm.Compress(sib, leaf)
					}
				}
				api.AssertIsEqual(leaf, root)
			}
		}
	}
}
