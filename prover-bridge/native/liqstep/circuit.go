package liqstep

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// Circuit is the standalone circuit of one step type for tests: public OldRoot and NewRoot, built
// on the step's Transition with an Env of its own. PublicData is a private witness the circuit
// asserts equal to the step's bytes (the witness functions assign the Go encoding, so a solved
// circuit shows the step writes exactly those bytes).
type Circuit[S any, P interface {
	*S
	stepenv.Step
}] struct {
	OldRoot, NewRoot frontend.Variable `gnark:",public"`
	Step             S
	PublicData       []frontend.Variable
}

// The standalone circuits, one per type.
type (
	LiquidationCircuit = Circuit[LiquidationStep, *LiquidationStep]
	TakeoverCircuit    = Circuit[TakeoverStep, *TakeoverStep]
	DeleverageCircuit  = Circuit[DeleverageStep, *DeleverageStep]
)

// Define implements frontend.Circuit.
func (c *Circuit[S, P]) Define(api frontend.API) error {
	env, err := stepenv.New(api, 0)
	if err != nil {
		return err
	}
	t, err := P(&c.Step).Transition(env)
	if err != nil {
		return err
	}
	if len(t.PublicData) != len(c.PublicData) {
		return fmt.Errorf("liqstep: the step writes %d public-data bytes, the circuit has %d", len(t.PublicData), len(c.PublicData))
	}
	api.AssertIsEqual(t.OldRoot, c.OldRoot)
	api.AssertIsEqual(t.NewRoot, c.NewRoot)
	for i, b := range t.PublicData {
		api.AssertIsEqual(b, c.PublicData[i])
	}
	return nil
}

func checkShape(n, k int) {
	if n < 1 || n > layoutv2.MaxPositions || k < 1 || k > 1<<layoutv2.MarketsDepth {
		panic("liqstep: n must be 1 … 8 and k 1 … 64")
	}
}

// NewLiquidationCircuit allocates the liquidation circuit for n list entries read per account
// (entries n … 7 fixed empty), a market table of k markets (every one opened in the old markets
// root), the deployment's order separator (perpstep.Separator) and liquidation fee rate in ppm.
func NewLiquidationCircuit(n, k int, separator *big.Int, feePpm int64) *LiquidationCircuit {
	checkShape(n, k)
	c := &LiquidationCircuit{PublicData: make([]frontend.Variable, LiquidationDataBytes)}
	c.Step = LiquidationStep{Rules: *perp.NewLiquidationCircuit(n, k), Table: make([]perpstep.TableOpening, k),
		separator: separator, feePpm: feePpm}
	return c
}

// NewTakeoverCircuit allocates the takeover circuit for n list entries and k markets.
func NewTakeoverCircuit(n, k int) *TakeoverCircuit {
	checkShape(n, k)
	c := &TakeoverCircuit{PublicData: make([]frontend.Variable, TakeoverDataBytes)}
	c.Step = TakeoverStep{Rules: *perp.NewTakeoverCircuit(n, k), Table: make([]perpstep.TableOpening, k)}
	return c
}

// NewDeleverageCircuit allocates the deleveraging circuit for n list entries and k markets.
func NewDeleverageCircuit(n, k int) *DeleverageCircuit {
	checkShape(n, k)
	c := &DeleverageCircuit{PublicData: make([]frontend.Variable, DeleverageDataBytes)}
	c.Step = DeleverageStep{Rules: *perp.NewDeleverageCircuit(n, k), Table: make([]perpstep.TableOpening, k)}
	return c
}
