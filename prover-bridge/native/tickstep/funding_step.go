package tickstep

import (
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// FundingStep is one funding tick over layout v2, a stepenv.Step: it opens the tick's market leaf
// (with its risk preimage) against the old root, runs perp.FundingTick with the step's Now, Delta
// and the batch time, and writes the new fundingIndex and fundingTimestamp = Now.
type FundingStep struct {
	Market       frontend.Variable // market id, < 64: the leaf's index
	Now          frontend.Variable // the tick's time, the new fundingTimestamp
	Delta        frontend.Variable // Δindex, 32.32
	Leaf         MarketLeafOpening
	AccountsRoot frontend.Variable // unchanged by the tick
	GlobalLeaf   frontend.Variable // unchanged by the tick (its hash only)
}

// Transition adds the tick's constraints over env and returns the old and new state roots and the
// public data (FundingPublicData's 18 bytes); it consumes no priority operation.
func (s *FundingStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	lay, l := env.Layout, &s.Leaf
	index := perp.FundingTick(env.Arith, perp.FundingMarketVars{Price: l.OraclePrice, Index: l.FundingIndex,
		Time: l.FundingTimestamp, MinInterval: l.Risk[riskFundingMinInterval], MaxRatePpm: l.Risk[riskFundingMaxRatePpm]},
		s.Now, env.BatchTime, s.Delta)
	riskHash := lay.MarketRiskHash(gadget.MarketRisk(l.Risk))
	before := lay.MarketLeaf(l.OraclePrice, l.OracleTimestamp, l.FundingIndex, l.FundingTimestamp, l.OpenInterest, riskHash)
	after := lay.MarketLeaf(l.OraclePrice, l.OracleTimestamp, index, s.Now, l.OpenInterest, riskHash)
	markets0, markets1 := marketRoots(env, s.Market, l.Path, before, after)

	pd := make([]frontend.Variable, 0, FundingPublicDataBytes)
	pd = append(pd, TypeFundingTick, s.Market) // market < 64 by its path bits
	pd = append(pd, signed64Bytes(env, index)...)
	pd = append(pd, unsignedBytes(env, s.Now, 8)...)
	return stepenv.Transition{
		OldRoot:    lay.StateRoot(s.AccountsRoot, markets0, s.GlobalLeaf),
		NewRoot:    lay.StateRoot(s.AccountsRoot, markets1, s.GlobalLeaf),
		PublicData: pd, IsPriority: 0, PriorityOp: 0,
	}, nil
}

// FundingCircuit is the standalone circuit of one funding tick for tests: public OldRoot and
// NewRoot, the batch time as a witness; PublicData, when allocated (FundingPublicDataBytes
// entries), must equal the step's public data.
type FundingCircuit struct {
	OldRoot, NewRoot frontend.Variable `gnark:",public"`
	BatchTime        frontend.Variable
	PublicData       []frontend.Variable
	Step             FundingStep
}

// NewFundingCircuit allocates the standalone circuit, checking the public data.
func NewFundingCircuit() *FundingCircuit {
	return &FundingCircuit{PublicData: make([]frontend.Variable, FundingPublicDataBytes)}
}

// Define builds an Env with the batch time and asserts the step's transition.
func (c *FundingCircuit) Define(api frontend.API) error {
	return define(api, c.BatchTime, &c.Step, c.OldRoot, c.NewRoot, c.PublicData)
}
