package collateralstep

import (
	"fmt"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// Circuit is the standalone circuit of one step type: public OldRoot and NewRoot, built on the
// step's Transition with an Env of its own. PublicData and PriorityOp are private witnesses the
// circuit asserts equal to what the step derives (the tests assign them from the reference, so a
// solved circuit shows the step's public data and priority operation are the reference's).
type Circuit[S any, P interface {
	*S
	stepenv.Step
}] struct {
	OldRoot, NewRoot frontend.Variable `gnark:",public"`
	Step             S
	PublicData       []frontend.Variable
	PriorityOp       frontend.Variable
}

// The standalone circuits, one per type.
type (
	DepositCircuit          = Circuit[DepositStep, *DepositStep]
	WithdrawalCircuit       = Circuit[WithdrawalStep, *WithdrawalStep]
	TransferCircuit         = Circuit[TransferStep, *TransferStep]
	ForcedWithdrawalCircuit = Circuit[ForcedWithdrawalStep, *ForcedWithdrawalStep]
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
		return fmt.Errorf("collateralstep: the step writes %d public-data bytes, the circuit has %d", len(t.PublicData), len(c.PublicData))
	}
	api.AssertIsEqual(t.OldRoot, c.OldRoot)
	api.AssertIsEqual(t.NewRoot, c.NewRoot)
	for i, b := range t.PublicData {
		api.AssertIsEqual(b, c.PublicData[i])
	}
	api.AssertIsEqual(api.Mul(t.IsPriority, api.Sub(t.PriorityOp, c.PriorityOp)), 0)
	return nil
}

// NewDepositCircuit returns the deposit circuit's shape.
func NewDepositCircuit() *DepositCircuit {
	return &DepositCircuit{PublicData: make([]frontend.Variable, DepositDataBytes)}
}

// NewWithdrawalCircuit returns the withdrawal circuit's shape for the deployment whose withdrawal
// separator is WithdrawalSeparator(domain).
func NewWithdrawalCircuit(sep Separators) *WithdrawalCircuit {
	c := &WithdrawalCircuit{PublicData: make([]frontend.Variable, WithdrawalDataBytes)}
	c.Step.separator = sep.Withdrawal
	return c
}

// NewTransferCircuit returns the transfer circuit's shape for the deployment.
func NewTransferCircuit(sep Separators) *TransferCircuit {
	c := &TransferCircuit{PublicData: make([]frontend.Variable, TransferDataBytes)}
	c.Step.separator = sep.Transfer
	return c
}

// NewWithdrawalCircuitWithMargin returns the withdrawal circuit's margin shape: the account may
// hold positions in markets 0 … k − 1, and the k table markets are opened in the markets root.
func NewWithdrawalCircuitWithMargin(sep Separators, k int) *WithdrawalCircuit {
	c := NewWithdrawalCircuit(sep)
	c.Step.Margin = newMargin(k)
	return c
}

// NewTransferCircuitWithMargin is the transfer circuit's margin shape (the sender's debit).
func NewTransferCircuitWithMargin(sep Separators, k int) *TransferCircuit {
	c := NewTransferCircuit(sep)
	c.Step.Margin = newMargin(k)
	c.Step.B.Entries = make([]gadget.Entry, layoutv2.MaxPositions)
	return c
}

// NewDepositCircuitWithMargin is the deposit circuit's margin shape: funding settled on the
// credited account's entries (markets 0 … k − 1) before the amount is added.
func NewDepositCircuitWithMargin(k int) *DepositCircuit {
	c := NewDepositCircuit()
	c.Step.Margin = newMargin(k)
	return c
}

// NewForcedWithdrawalCircuitWithMargin is the forced-withdrawal circuit's margin shape (the
// engine's rule: paid if the free collateral covers the amount).
func NewForcedWithdrawalCircuitWithMargin(k int) *ForcedWithdrawalCircuit {
	c := NewForcedWithdrawalCircuit()
	c.Step.Margin = newMargin(k)
	return c
}

// NewForcedWithdrawalCircuit returns the forced-withdrawal circuit's shape.
func NewForcedWithdrawalCircuit() *ForcedWithdrawalCircuit {
	return &ForcedWithdrawalCircuit{PublicData: make([]frontend.Variable, ForcedWithdrawalDataBytes)}
}
