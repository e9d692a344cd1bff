package batchv3

import (
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// sealLater executes step i of a later group (t: Liquidation, Takeover, Deleveraging or
// FundingPeriodStart) on cur with its package's reference in the shape's (N, K), appends its slot
// to its group, writes its record and returns the new state. A refusal is a *StepError: a full
// group ErrTooManySteps, a liquidation of another deployment ErrDomain or at another fee rate than
// the shape's ErrLiquidationFee, a period start of another T ErrBatchTime, else the reference's
// typed error.
func sealLater(w *Witness, i int, t Tx, cur *layoutv2.State, h Header) (*layoutv2.State, error) {
	shape, typ := w.Shape, t.TxType()
	refuse := func(err error) (*layoutv2.State, error) { return nil, &StepError{Index: i, Type: typ, Err: err} }
	full := func(slots int) error { return fmt.Errorf("%w: %d slots of type %d", ErrTooManySteps, slots, typ) }
	var (
		record []byte
		next   *layoutv2.State
		index  = uint16(i)
	)
	switch t := t.(type) {
	case Liquidation:
		switch {
		case len(w.Liquidations) == shape.Liquidations:
			return refuse(full(shape.Liquidations))
		case t.Domain != h.Domain:
			return refuse(ErrDomain)
		case t.FeePpm != shape.LiquidationFeePpm:
			return refuse(fmt.Errorf("%w: %d ppm, the shape's %d", ErrLiquidationFee, t.FeePpm, shape.LiquidationFeePpm))
		}
		c, s, err := liqstep.WitnessLiquidation(cur, t.Liquidation, shape.N, shape.K)
		if err != nil {
			return refuse(err)
		}
		w.Liquidations = append(w.Liquidations, LiquidationWitness{Index: index, Step: &c.Step})
		next, record = s, liqstep.LiquidationPublicData(t.Liquidation)
	case Takeover:
		if len(w.Takeovers) == shape.Takeovers {
			return refuse(full(shape.Takeovers))
		}
		c, s, err := liqstep.WitnessTakeover(cur, t.Takeover, shape.N, shape.K)
		if err != nil {
			return refuse(err)
		}
		w.Takeovers = append(w.Takeovers, TakeoverWitness{Index: index, Step: &c.Step})
		next, record = s, liqstep.TakeoverPublicData(t.Takeover)
	case Deleveraging:
		if len(w.Deleverages) == shape.Deleverages {
			return refuse(full(shape.Deleverages))
		}
		c, s, err := liqstep.WitnessDeleverage(cur, t.Deleveraging, shape.N, shape.K)
		if err != nil {
			return refuse(err)
		}
		w.Deleverages = append(w.Deleverages, DeleverageWitness{Index: index, Step: &c.Step})
		next, record = s, liqstep.DeleveragePublicData(t.Deleveraging)
	case FundingPeriodStart:
		switch {
		case len(w.PeriodStarts) == shape.PeriodStarts:
			return refuse(full(shape.PeriodStarts))
		case t.BatchTime < 0 || uint64(t.BatchTime) != h.BatchTime:
			return refuse(fmt.Errorf("%w: %d, the batch's %d", ErrBatchTime, t.BatchTime, h.BatchTime))
		}
		c, s, err := tickstep.WitnessFundingPeriodStart(cur, t.FundingPeriodStart)
		if err != nil {
			return refuse(err)
		}
		w.PeriodStarts = append(w.PeriodStarts, FundingPeriodStartWitness{Index: index, Step: &c.Step})
		next, record = s, tickstep.FundingPeriodStartPublicData(t.Market, uint64(t.Now))
	default:
		return refuse(ErrUnsupportedTx)
	}
	copy(w.Records[i], record)
	return next, nil
}
