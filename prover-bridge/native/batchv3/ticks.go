package batchv3

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// OracleTick is a tickstep.OracleTick as a batch step (tickstep's types do not declare TxType;
// this wrapper does). Its BatchTime must be the batch's T.
type OracleTick struct{ tickstep.OracleTick }

// TxType is tickstep.TypeOracleTick.
func (OracleTick) TxType() byte { return tickstep.TypeOracleTick }

// FundingTick is a tickstep.FundingTick as a batch step. Its BatchTime must be the batch's T.
type FundingTick struct{ tickstep.FundingTick }

// TxType is tickstep.TypeFundingTick.
func (FundingTick) TxType() byte { return tickstep.TypeFundingTick }

// Padding ticks (see noop.go for the trade): on a fixed one-market state whose signer set is one
// padding key (quorum 1), market 0 at price 1,000 · 2^32 with oracle and funding timestamps 0, an
// oracle tick at now = 0 with one report (same price, timestamp 1) and a funding tick at now = 1
// with Δindex = 0. Both are valid for every batch time T ≥ 1 (the funding tick's now ≤ T), which
// is why Seal refuses T = 0 for a shape with tick slots.

type tickKey struct {
	domain messages.Domain
	k      int
}

var (
	paddingOracles sync.Map // tickKey → *tickstep.OracleStep
	paddingFunding sync.Map // messages.Domain → *tickstep.FundingStep (independent of the shape)
)

func paddingTickState() (*layoutv2.State, *eddsa.PrivateKey, error) {
	s := layoutv2.NewState()
	m := layoutv2.Market{OraclePrice: 1000 << 32,
		Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 100,
			IncrementalPositionSize: 50, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1_000,
			OpenInterestCap: 1_000, OracleMaxAgeSeconds: 60, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000,
			FundingMinIntervalSeconds: 1, FundingMaxRatePpm: 1_000}}
	if err := s.SetMarket(0, m); err != nil {
		return nil, nil, err
	}
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{0xc0}, 32)))
	if err != nil {
		return nil, nil, err
	}
	g := s.Global()
	g.OracleQuorum = 1
	g.OracleSigners[0] = layoutv2.OracleSigner{KeyX: k.PublicKey.A.X, KeyY: k.PublicKey.A.Y}
	if err := s.SetGlobal(g); err != nil {
		return nil, nil, err
	}
	return s, k, nil
}

// paddingOracle is the padding oracle tick's step for k report slots of deployment d.
func paddingOracle(d messages.Domain, k int) (*tickstep.OracleStep, error) {
	if w, ok := paddingOracles.Load(tickKey{d, k}); ok {
		return w.(*tickstep.OracleStep), nil
	}
	s, key, err := paddingTickState()
	if err != nil {
		return nil, err
	}
	r := reference.PriceReport{Market: 0, Price: 1000 << 32, Timestamp: 1, Signer: 0}
	h := reference.ReportMessage(r).Hash(d)
	b := h.Bytes()
	if r.Signature, err = key.Sign(b[:], poseidon2.NewMerkleDamgardHasher()); err != nil {
		return nil, err
	}
	c, _, err := tickstep.WitnessOracle(s, tickstep.OracleTick{Domain: d, Market: 0, Now: 0, BatchTime: 0,
		Reports: []reference.PriceReport{r}}, k)
	if err != nil {
		return nil, fmt.Errorf("batchv3: padding oracle tick: %w", err)
	}
	paddingOracles.Store(tickKey{d, k}, &c.Step)
	return &c.Step, nil
}

// paddingFundingTick is the padding funding tick's step.
func paddingFundingTick(d messages.Domain) (*tickstep.FundingStep, error) {
	if w, ok := paddingFunding.Load(d); ok {
		return w.(*tickstep.FundingStep), nil
	}
	s, _, err := paddingTickState()
	if err != nil {
		return nil, err
	}
	c, _, err := tickstep.WitnessFunding(s, tickstep.FundingTick{Market: 0, Now: 1, BatchTime: 1, Delta: 0})
	if err != nil {
		return nil, fmt.Errorf("batchv3: padding funding tick: %w", err)
	}
	paddingFunding.Store(d, &c.Step)
	return &c.Step, nil
}
