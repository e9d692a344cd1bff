package tickstep

import (
	"github.com/consensys/gnark/frontend"

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
	l := &s.Leaf
	index := perp.FundingTick(env.Arith, perp.FundingMarketVars{Price: l.OraclePrice, Index: l.FundingIndex,
		Time: l.FundingTimestamp, MinInterval: l.Risk[riskFundingMinInterval], MaxRatePpm: l.Risk[riskFundingMaxRatePpm]},
		s.Now, env.BatchTime, s.Delta)
	markets0, markets1 := l.rewrite(env, s.Market, l.OraclePrice, l.OracleTimestamp, index, s.Now)

	pd := make([]frontend.Variable, 0, FundingPublicDataBytes)
	pd = append(pd, TypeFundingTick, s.Market) // market < 64 by its path bits
	pd = append(pd, signed64Bytes(env, index)...)
	pd = append(pd, unsignedBytes(env, s.Now, 8)...)
	return marketsTransition(env, s.AccountsRoot, markets0, markets1, s.GlobalLeaf, pd), nil
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
