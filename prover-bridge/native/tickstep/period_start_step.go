package tickstep

import (
	"encoding/binary"
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// TypeFundingPeriodStart is the type byte of a funding period start in format v3's public data
// (after TypeOracleTick and TypeFundingTick; docs/perp-circuit.md §10).
const TypeFundingPeriodStart byte = 0x0A

// FundingPeriodStartPublicDataBytes: type ‖ market (1) ‖ now (8), now being the new
// fundingTimestamp.
const FundingPeriodStartPublicDataBytes = 10

// FundingPeriodStartPublicData is a funding period start's public data: the market and its new
// fundingTimestamp, big-endian (the rest of the leaf is unchanged).
func FundingPeriodStartPublicData(market uint8, now uint64) []byte {
	b := make([]byte, 2, FundingPeriodStartPublicDataBytes)
	b[0], b[1] = TypeFundingPeriodStart, market
	return binary.BigEndian.AppendUint64(b, now)
}

// FundingPeriodStartStep is the start of a market's first funding sampling period over layout v2,
// a stepenv.Step: it opens the market leaf (with its risk preimage) against the old root, asserts
// the engine's conditions (an oracle price, no period yet: fundingTimestamp = 0) and the
// circuit's (1 ≤ Now ≤ T, Now + oracleMaxFutureSeconds ≥ oracleTimestamp), and writes
// fundingTimestamp = Now, every other field unchanged.
type FundingPeriodStartStep struct {
	Market       frontend.Variable // market id, < 64: the leaf's index
	Now          frontend.Variable // the period's start, the new fundingTimestamp
	Leaf         MarketLeafOpening
	AccountsRoot frontend.Variable // unchanged
	GlobalLeaf   frontend.Variable // unchanged (its hash only)
}

// Transition adds the step's constraints over env and returns the old and new state roots and the
// public data (FundingPeriodStartPublicData's 10 bytes); it consumes no priority operation.
func (s *FundingPeriodStartStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	api, a, l := env.API, env.Arith, &s.Leaf
	api.AssertIsEqual(l.FundingTimestamp, 0)              // PERIOD_ALREADY_STARTED
	a.Unsigned(api.Sub(l.OraclePrice, 1), 64)             // NON_POSITIVE_PRICE: the leaf's u64 price ≥ 1
	a.Unsigned(env.BatchTime, 63)                         // T < 2^63
	a.Unsigned(api.Sub(s.Now, 1), 63)                     // NON_POSITIVE_TIME: now ≥ 1
	a.AssertLE(s.Now, env.BatchTime, 63)                  // AFTER_BATCH_TIME, so now < 2^63
	latest := api.Add(s.Now, l.Risk[riskOracleMaxFuture]) // < 2^63 + 2^64: both sides below 2^65
	a.AssertLE(l.OracleTimestamp, latest, 65)             // BEFORE_ORACLE_TIME

	markets0, markets1 := l.rewrite(env, s.Market, l.OraclePrice, l.OracleTimestamp, l.FundingIndex, s.Now)

	pd := make([]frontend.Variable, 0, FundingPeriodStartPublicDataBytes)
	pd = append(pd, TypeFundingPeriodStart, s.Market) // market < 64 by its path bits
	pd = append(pd, unsignedBytes(env, s.Now, 8)...)
	return marketsTransition(env, s.AccountsRoot, markets0, markets1, s.GlobalLeaf, pd), nil
}

// FundingPeriodStartCircuit is the standalone circuit of one period start for tests: public
// OldRoot and NewRoot, the batch time as a witness; PublicData, when allocated
// (FundingPeriodStartPublicDataBytes entries), must equal the step's public data.
type FundingPeriodStartCircuit struct {
	OldRoot, NewRoot frontend.Variable `gnark:",public"`
	BatchTime        frontend.Variable
	PublicData       []frontend.Variable
	Step             FundingPeriodStartStep
}

// NewFundingPeriodStartCircuit allocates the standalone circuit, checking the public data.
func NewFundingPeriodStartCircuit() *FundingPeriodStartCircuit {
	return &FundingPeriodStartCircuit{PublicData: make([]frontend.Variable, FundingPeriodStartPublicDataBytes)}
}

// Define builds an Env with the batch time and asserts the step's transition.
func (c *FundingPeriodStartCircuit) Define(api frontend.API) error {
	return define(api, c.BatchTime, &c.Step, c.OldRoot, c.NewRoot, c.PublicData)
}

// WitnessFundingPeriodStart executes the start (ApplyFundingPeriodStart) and returns the
// assignment of NewFundingPeriodStartCircuit() that proves it, with the new state.
func WitnessFundingPeriodStart(s *layoutv2.State, p FundingPeriodStart) (*FundingPeriodStartCircuit, *layoutv2.State, error) {
	ex, err := executePeriodStart(s, p, false)
	if err != nil {
		return nil, nil, err
	}
	return ex.assign(), ex.state, nil
}

// assign builds the standalone circuit's assignment.
func (ex *periodStartExec) assign() *FundingPeriodStartCircuit {
	p := ex.start
	c := NewFundingPeriodStartCircuit()
	c.OldRoot, c.NewRoot, c.BatchTime = el(ex.old.Root()), el(ex.state.Root()), big.NewInt(p.BatchTime)
	bytesVars(FundingPeriodStartPublicData(p.Market, uint64(p.Now)), c.PublicData)
	c.Step = FundingPeriodStartStep{Market: int(p.Market), Now: big.NewInt(p.Now), Leaf: openLeaf(ex.market, ex.marketPath),
		AccountsRoot: el(ex.old.AccountsRoot()), GlobalLeaf: el(ex.old.GlobalLeaf())}
	return c
}
