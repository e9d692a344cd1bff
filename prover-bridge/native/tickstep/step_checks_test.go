package tickstep

import (
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// stepUnderTest is what the checks shared by the three tick steps need of one step: its honest
// witness (and new state) on a state, its solver, and where its witness holds the two roots.
type stepUnderTest[C any] struct {
	witness func(s *layoutv2.State) (C, *layoutv2.State, error)
	solve   func(c C) error
	roots   func(c C) (oldRoot, newRoot *frontend.Variable)
}

// opening is one case of an opening check: change alters an opened value of the honest witness;
// alter, when set, makes the same change in the state.
type opening[C any] struct {
	name   string
	change func(c C)
	alter  func(s *layoutv2.State) error
}

// checkOpenings runs each case on s: the honest witness with the change does not solve; where the
// case has alter, it solves with the roots of the altered state and of that state's step.
func (u stepUnderTest[C]) checkOpenings(t *testing.T, s *layoutv2.State, cases []opening[C]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wit, _, err := u.witness(s)
			if err != nil {
				t.Fatal(err)
			}
			c.change(wit)
			if u.solve(wit) == nil {
				t.Fatal("an opening outside the old root solves")
			}
			if c.alter == nil {
				return
			}
			other := s.Clone()
			if err := c.alter(other); err != nil {
				t.Fatal(err)
			}
			_, next, err := u.witness(other)
			if err != nil {
				t.Fatal(err)
			}
			oldRoot, newRoot := u.roots(wit)
			*oldRoot, *newRoot = el(other.Root()), el(next.Root())
			if err := u.solve(wit); err != nil {
				t.Fatalf("with the roots of the changed state it does not solve: %v", err)
			}
		})
	}
}

// checkWrongNewRoots runs each change on s: the honest witness with the new root of next whose
// market leaf m1 has the change does not solve.
func (u stepUnderTest[C]) checkWrongNewRoots(t *testing.T, s, next *layoutv2.State, m1 layoutv2.Market, cases map[string]func(m *layoutv2.Market)) {
	t.Helper()
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			wit, _, err := u.witness(s)
			if err != nil {
				t.Fatal(err)
			}
			wrong, err := cloneWith(next, market, m1, change)
			if err != nil {
				t.Fatal(err)
			}
			_, newRoot := u.roots(wit)
			*newRoot = el(wrong.Root())
			if u.solve(wit) == nil {
				t.Fatal("a wrong new root solves")
			}
		})
	}
}

// setMarket returns an alter that applies g to the state's market leaf.
func setMarket(g func(m *layoutv2.Market)) func(s *layoutv2.State) error {
	return func(s *layoutv2.State) error {
		m, _ := s.Market(market)
		g(&m)
		return s.SetMarket(market, m)
	}
}
