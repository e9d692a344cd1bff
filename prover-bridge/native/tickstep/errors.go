package tickstep

import (
	"errors"
	"strings"

	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// Typed refusals of ApplyOracleTick, ApplyFundingTick and the Witness functions; the state is never
// changed when one is returned.
var (
	// ErrRefused: the tick breaks a rule of perp/reference (the error is a *RuleError).
	ErrRefused = errors.New("tickstep: the tick breaks a rule")
	// ErrUnknownMarket: the tick's market id is not listed (or not below 64).
	ErrUnknownMarket = errors.New("tickstep: market not listed")
	// ErrOutOfRange: a value of the tick, of the market leaf or of the result does not fit the
	// ranges the tick circuit reads (times and prices below 2^63, oracleMaxMovePpm below 2^20).
	ErrOutOfRange = errors.New("tickstep: value out of range of the tick circuit")
)

// RuleError lists the rules of perp/reference a tick breaks, the first being the engine's
// rejection; it unwraps to ErrRefused.
type RuleError struct{ Rules []reference.TickRule }

func (e *RuleError) Error() string {
	s := make([]string, len(e.Rules))
	for i, r := range e.Rules {
		s[i] = string(r)
	}
	return "tickstep: the tick breaks " + strings.Join(s, ", ")
}

func (e *RuleError) Unwrap() error { return ErrRefused }

// Has reports whether the tick breaks rule r.
func (e *RuleError) Has(r reference.TickRule) bool {
	for _, x := range e.Rules {
		if x == r {
			return true
		}
	}
	return false
}
