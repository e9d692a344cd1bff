package tickstep

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	geddsa "github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

func el(e fr.Element) *big.Int { return e.BigInt(new(big.Int)) }

func u64(x uint64) *big.Int { return new(big.Int).SetUint64(x) }

func bytesVars(b []byte, out []frontend.Variable) {
	for i := range out {
		out[i] = b[i]
	}
}

// WitnessOracle executes the tick (ApplyOracleTick) and returns the assignment of
// NewOracleCircuit(k, OracleSeparator(t.Domain)) that proves it, with the new state. More reports
// than k is a *RuleError naming TOO_MANY_REPORTS. The reports go into the first slots sorted by
// signer slot (the circuit's order; the engine accepts any order).
func WitnessOracle(s *layoutv2.State, t OracleTick, k int) (*OracleCircuit, *layoutv2.State, error) {
	ex, err := executeOracle(s, t, k, false, nil)
	if err != nil {
		return nil, nil, err
	}
	c, err := ex.assign(k)
	if err != nil {
		return nil, nil, err
	}
	return c, ex.state, nil
}

// openLeaf is a market leaf's opening with its path.
func openLeaf(m layoutv2.Market, path []fr.Element) MarketLeafOpening {
	r := m.Risk
	o := MarketLeafOpening{OraclePrice: u64(m.OraclePrice), OracleTimestamp: u64(m.OracleTimestamp),
		FundingIndex: big.NewInt(m.FundingIndex), FundingTimestamp: u64(m.FundingTimestamp), OpenInterest: u64(m.OpenInterest)}
	for i, v := range []uint64{r.InitialMarginPpm, r.MaintenanceMarginPpm, r.BaselinePositionSize, r.IncrementalPositionSize,
		r.IncrementalInitialMarginPpm, r.MaxPositionSize, r.OpenInterestCap, r.OracleMaxAgeSeconds, r.OracleMaxFutureSeconds,
		r.OracleMaxMovePpm, r.FundingMinIntervalSeconds, r.FundingMaxRatePpm} {
		o.Risk[i] = u64(v)
	}
	for i := range o.Path {
		o.Path[i] = el(path[i])
	}
	return o
}

// assign builds the standalone circuit's assignment with k report slots.
func (ex *oracleExec) assign(k int) (*OracleCircuit, error) {
	t := ex.tick
	if len(t.Reports) > k {
		return nil, &RuleError{Rules: []reference.TickRule{reference.RuleTooManyReports}}
	}
	c := NewOracleCircuit(k, OracleSeparator(t.Domain))
	c.OldRoot, c.NewRoot, c.BatchTime = el(ex.old.Root()), el(ex.state.Root()), big.NewInt(t.BatchTime)
	bytesVars(OraclePublicData(t.Market, uint64(ex.price), uint64(ex.timestamp), uint64(t.Now)), c.PublicData)
	st := &c.Step
	st.Market, st.Now = int(t.Market), big.NewInt(t.Now)
	st.Price, st.Timestamp = big.NewInt(ex.price), big.NewInt(ex.timestamp)
	st.Leaf = openLeaf(ex.market, ex.marketPath)
	g := ex.old.Global()
	tiers, err := layoutv2.FeeTiersHash(&g.FeeTiers)
	if err != nil {
		return nil, err
	}
	tree := layoutv2.OracleSignersTree(&g.OracleSigners)
	st.Global = GlobalOpening{FeeBalance: big.NewInt(g.FeeBalance), OracleSignersRoot: el(tree.Root()),
		OracleQuorum: int(g.OracleQuorum), FeeTiersRoot: el(tiers)}
	st.AccountsRoot = el(ex.old.AccountsRoot())

	reports := append([]reference.PriceReport(nil), t.Reports...)
	sort.SliceStable(reports, func(i, j int) bool { return reports[i].Signer < reports[j].Signer })
	for i := range st.Reports {
		if i >= len(reports) {
			st.Reports[i] = perp.UnusedReport()
			continue
		}
		r := reports[i]
		slot := r.Signer & (perp.SignerSlots - 1) // a signer outside the tree: any path, the circuit refuses its index
		v := perp.OracleReportVars{Used: 1, Price: big.NewInt(r.Price), Timestamp: big.NewInt(r.Timestamp), Signer: r.Signer}
		key := g.OracleSigners[slot]
		v.Key = geddsa.PublicKey{A: twistededwards.Point{X: el(key.KeyX), Y: el(key.KeyY)}}
		var sig eddsa.Signature
		if _, err := sig.SetBytes(r.Signature); err != nil {
			return nil, fmt.Errorf("%w: report %d signature: %w", ErrOutOfRange, i, err)
		}
		var sc fr.Element
		sc.SetBytes(sig.S[:])
		v.Signature = geddsa.Signature{R: twistededwards.Point{X: el(sig.R.X), Y: el(sig.R.Y)}, S: el(sc)}
		path, err := tree.Proof(uint64(slot))
		if err != nil {
			return nil, err
		}
		for h := range v.Path {
			v.Path[h] = el(path[h])
		}
		st.Reports[i] = v
	}
	return c, nil
}

// WitnessFunding executes the tick (ApplyFundingTick) and returns the assignment of
// NewFundingCircuit() that proves it, with the new state.
func WitnessFunding(s *layoutv2.State, t FundingTick) (*FundingCircuit, *layoutv2.State, error) {
	ex, err := executeFunding(s, t, false)
	if err != nil {
		return nil, nil, err
	}
	return ex.assign(), ex.state, nil
}

// assign builds the standalone circuit's assignment.
func (ex *fundingExec) assign() *FundingCircuit {
	t := ex.tick
	c := NewFundingCircuit()
	c.OldRoot, c.NewRoot, c.BatchTime = el(ex.old.Root()), el(ex.state.Root()), big.NewInt(t.BatchTime)
	bytesVars(FundingPublicData(t.Market, ex.index, uint64(t.Now)), c.PublicData)
	c.Step = FundingStep{Market: int(t.Market), Now: big.NewInt(t.Now), Delta: big.NewInt(t.Delta),
		Leaf: openLeaf(ex.market, ex.marketPath), AccountsRoot: el(ex.old.AccountsRoot()), GlobalLeaf: el(ex.old.GlobalLeaf())}
	return c
}
