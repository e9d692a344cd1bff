package perpstep

import "github.com/zkperp/zkperp/prover-bridge/native/layoutv2"

// CloneState returns a copy of s (accounts with their fills, markets, global leaf) built through
// layoutv2's public API, so a step's reference can write the new state and leave s unchanged. Not
// safe for concurrent use with writes to s.
func CloneState(s *layoutv2.State) (*layoutv2.State, error) { return clone(s) }
