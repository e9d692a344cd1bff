package forcedtrade

import (
	"errors"

	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// Claim returns the assignment an honest prover of outcome r for op on s would build, whatever
// reference.Apply decides, with the state the claim leaves (for Executed the state the execution
// would leave, reference.ExecutedState, or s where layout v2 cannot hold it: no free entry, a
// value out of range; for an invalid reason s itself): for tests, in this
// package and in a batch, that show the circuit refuses every claim but the decision's. The
// errors are Apply's and ErrShape. Safe to call from any goroutine on a state nobody writes.
func Claim(s *layoutv2.State, d messages.Domain, op messages.ForcedTradeOp, r reference.Reason, n, k int) (*Step, *layoutv2.State, error) {
	out, err := reference.Apply(s, d, op)
	if err != nil {
		return nil, nil, err
	}
	out.Reason, out.Next = r, s
	if r == reference.Executed {
		next, err := reference.ExecutedState(s, d, op)
		switch {
		case errors.Is(err, reference.ErrNotWritable):
		case err != nil:
			return nil, nil, err
		default:
			out.Next = next
		}
	}
	c, err := assign(s, d, op, out, n, k)
	return c, out.Next, err
}
