package tickstep

import (
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// GlobalOpening is the global leaf's content.
type GlobalOpening struct {
	FeeBalance, OracleSignersRoot, OracleQuorum, FeeTiersRoot frontend.Variable
}

// OracleStep is one oracle price tick over layout v2 with K report slots, a stepenv.Step: it opens
// the global leaf (signer root and quorum) and the tick's market leaf (with its risk preimage)
// against the old root, runs perp.OracleTick on them with the step's Now and the batch time, and
// writes the new market leaf (Price, Timestamp). The oracle domain separator is a constant of the
// circuit (one circuit per deployment).
type OracleStep struct {
	Market           frontend.Variable // market id, < 64: the leaf's index
	Now              frontend.Variable // the tick's time
	Reports          []perp.OracleReportVars
	Price, Timestamp frontend.Variable // the new oraclePrice and oracleTimestamp
	Leaf             MarketLeafOpening
	Global           GlobalOpening
	AccountsRoot     frontend.Variable // unchanged by the tick

	separator *big.Int // D_oracle-price of the deployment
}

// OracleSeparator returns D_oracle-price of a deployment as the constant NewOracleStep takes.
func OracleSeparator(d messages.Domain) *big.Int {
	s := d.Separator(messages.OraclePrice)
	return s.BigInt(new(big.Int))
}

// NewOracleStep allocates the step with k report slots (1 ≤ k ≤ 16) for the deployment whose
// oracle separator is separator.
func NewOracleStep(k int, separator *big.Int) *OracleStep {
	if k < 1 || k > perp.SignerSlots {
		panic("tickstep: k must be 1 … 16")
	}
	return &OracleStep{Reports: make([]perp.OracleReportVars, k), separator: separator}
}

// Transition adds the tick's constraints over env and returns the old and new state roots and the
// public data (OraclePublicData's 26 bytes); it consumes no priority operation.
func (s *OracleStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	lay, l := env.Layout, &s.Leaf
	g := s.Global
	global := lay.GlobalLeaf(g.FeeBalance, g.OracleSignersRoot, g.OracleQuorum, g.FeeTiersRoot)
	markets0, markets1 := l.rewrite(env, s.Market, s.Price, s.Timestamp, l.FundingIndex, l.FundingTimestamp)

	perp.OracleTick(env.Arith, env.Curve, s.separator, g.OracleSignersRoot, g.OracleQuorum, s.Now, env.BatchTime,
		perp.OracleMarketVars{Market: s.Market, PrevPrice: l.OraclePrice, PrevTime: l.OracleTimestamp,
			MaxAge: l.Risk[riskOracleMaxAge], MaxFuture: l.Risk[riskOracleMaxFuture], MaxMovePpm: l.Risk[riskOracleMaxMovePpm]},
		s.Reports, s.Price, s.Timestamp)

	pd := make([]frontend.Variable, 0, OraclePublicDataBytes)
	pd = append(pd, TypeOracleTick, s.Market) // market < 64 by its path bits
	pd = append(pd, unsignedBytes(env, s.Price, 8)...)
	pd = append(pd, unsignedBytes(env, s.Timestamp, 8)...)
	pd = append(pd, unsignedBytes(env, s.Now, 8)...)
	return marketsTransition(env, s.AccountsRoot, markets0, markets1, global, pd), nil
}

// OracleCircuit is the standalone circuit of one oracle tick for tests: public OldRoot and
// NewRoot, the batch time as a witness; PublicData, when allocated (OraclePublicDataBytes
// entries), must equal the step's public data.
type OracleCircuit struct {
	OldRoot, NewRoot frontend.Variable `gnark:",public"`
	BatchTime        frontend.Variable
	PublicData       []frontend.Variable
	Step             OracleStep
}

// NewOracleCircuit allocates the standalone circuit with k report slots, checking the public data.
func NewOracleCircuit(k int, separator *big.Int) *OracleCircuit {
	return &OracleCircuit{Step: *NewOracleStep(k, separator), PublicData: make([]frontend.Variable, OraclePublicDataBytes)}
}

// Define builds an Env with the batch time and asserts the step's transition.
func (c *OracleCircuit) Define(api frontend.API) error {
	return define(api, c.BatchTime, &c.Step, c.OldRoot, c.NewRoot, c.PublicData)
}

// define asserts a step's transition in a standalone circuit.
func define(api frontend.API, batchTime frontend.Variable, step stepenv.Step, oldRoot, newRoot frontend.Variable, pd []frontend.Variable) error {
	env, err := stepenv.New(api, batchTime)
	if err != nil {
		return err
	}
	tr, err := step.Transition(env)
	if err != nil {
		return err
	}
	api.AssertIsEqual(tr.OldRoot, oldRoot)
	api.AssertIsEqual(tr.NewRoot, newRoot)
	api.AssertIsEqual(tr.IsPriority, 0)
	if len(pd) > 0 {
		if len(pd) != len(tr.PublicData) {
			panic("tickstep: public data length")
		}
		for i := range pd {
			api.AssertIsEqual(tr.PublicData[i], pd[i])
		}
	}
	return nil
}
