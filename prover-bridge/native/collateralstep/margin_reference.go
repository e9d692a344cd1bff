package collateralstep

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// settled is an account with funding settled on every position (AccountBook.settleFunding) and
// its free collateral before any debit (AccountBook.freeCollateral).
type settled struct {
	free       int64
	collateral int64
	positions  layoutv2.Positions
}

func toInt64(u uint64) (int64, error) {
	if u > math.MaxInt64 {
		return 0, fmt.Errorf("%d above 2^63 − 1", u)
	}
	return int64(u), nil
}

// settle computes, with perp/reference's arithmetic (the engine's RiskMath), each position's
// funding credit, value and initial requirement at its market's oracle price and funding index.
func settle(s *layoutv2.State, a layoutv2.Account) (settled, error) {
	out := settled{collateral: a.Collateral, positions: a.Positions}
	equity, imr := big.NewInt(a.Collateral), new(big.Int)
	for j, e := range a.Positions {
		if e.Empty() {
			continue
		}
		m, ok := s.Market(uint64(e.Market))
		if !ok {
			return out, fmt.Errorf("position in unlisted market %d", e.Market)
		}
		price, err := toInt64(m.OraclePrice)
		if err != nil {
			return out, err
		}
		var risk reference.Risk
		for _, f := range []struct {
			dst *int64
			src uint64
		}{{&risk.IMF, m.Risk.InitialMarginPpm}, {&risk.MMF, m.Risk.MaintenanceMarginPpm}, {&risk.Baseline, m.Risk.BaselinePositionSize},
			{&risk.IncSize, m.Risk.IncrementalPositionSize}, {&risk.IncIMF, m.Risk.IncrementalInitialMarginPpm}} {
			if *f.dst, err = toInt64(f.src); err != nil {
				return out, err
			}
		}
		credit, err := reference.FundingCredit(e.Size, e.FundingSnapshot, m.FundingIndex)
		if err != nil {
			return out, err
		}
		value, err := reference.Value(e.Size, price)
		if err != nil {
			return out, err
		}
		r, err := reference.IMR(e.Size, price, risk)
		if err != nil {
			return out, err
		}
		equity.Add(equity, big.NewInt(credit)).Add(equity, big.NewInt(value))
		imr.Add(imr, big.NewInt(r))
		c := out.collateral + credit
		if (credit > 0 && c < out.collateral) || (credit < 0 && c > out.collateral) {
			return out, errors.New("collateral overflows with funding")
		}
		out.collateral = c
		out.positions[j].FundingSnapshot = m.FundingIndex
	}
	free := equity.Sub(equity, imr)
	if !free.IsInt64() {
		return out, errors.New("free collateral out of the i64 range")
	}
	out.free = free.Int64()
	return out, nil
}
