package batchv3

import (
	"errors"
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// Tx is one step of a batch as Seal takes it: a transaction of a step package (perpstep.Trade,
// the collateral wrappers Deposit, Withdrawal, Transfer and ForcedWithdrawal, the tick wrappers
// OracleTick and FundingTick, the liquidation wrappers Liquidation, Takeover and Deleveraging,
// FundingPeriodStart, ForcedTrade).
// The interface names only a method with a builtin type, so a step package implements it without
// importing batchv3.
type Tx interface {
	// TxType is the type byte of the transaction's public data (format v3).
	TxType() byte
}

var _ Tx = perpstep.Trade{}

// Typed refusals of Seal; the state passed in is never changed.
var (
	// ErrUnsupportedTx: a step of a type Seal cannot execute yet.
	ErrUnsupportedTx = errors.New("batchv3: transaction type not supported")
	// ErrTooManySteps: more steps of a type than the shape has slots for.
	ErrTooManySteps = errors.New("batchv3: more steps than slots")
	// ErrDomain: a step signed for another deployment than the batch's.
	ErrDomain = errors.New("batchv3: step of another deployment")
	// ErrBatchTime: a tick or funding period start carries another batch time than the batch's
	// T, or T = 0 in a shape with tick or period-start slots.
	ErrBatchTime = errors.New("batchv3: batch time")
	// ErrLiquidationFee: a liquidation at another fee rate than the shape's LiquidationFeePpm
	// (a constant of the circuit).
	ErrLiquidationFee = errors.New("batchv3: liquidation fee rate is not the shape's")
)

// StepError is a step Seal refuses: its index in execution order, its type, and the step
// package's typed error (Unwrap returns it, e.g. a *perpstep.RuleError).
type StepError struct {
	Index int
	Type  byte
	Err   error
}

// Error names the step, its type and the refusal.
func (e *StepError) Error() string {
	return fmt.Sprintf("batchv3: step %d (type %d) refused: %v", e.Index, e.Type, e.Err)
}

// Unwrap returns the step package's error.
func (e *StepError) Unwrap() error { return e.Err }
