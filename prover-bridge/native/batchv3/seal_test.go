package batchv3

import (
	"errors"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

type otherTx struct{}

func (otherTx) TxType() byte { return 1 }

// TestSealRefusals: a trade the reference refuses (price above the buyer's limit) is a
// *StepError naming step 1 and wrapping the *perpstep.RuleError; a fourth step in three slots,
// a type not plugged in, a trade signed for another deployment and a shape with collateral slots
// but no market table (K = 0) are typed errors; the state is unchanged.
func TestSealRefusals(t *testing.T) {
	s, a, b := fixture(t)
	before := s.Root()
	bad := b
	bad.Price++
	_, err := Seal(s, tiny, []Tx{a, bad}, Header{Domain: demoDomain})
	var se *StepError
	var re *perpstep.RuleError
	if !errors.As(err, &se) || se.Index != 1 || se.Type != perpstep.TypeTrade || !errors.As(err, &re) {
		t.Fatalf("got %v", err)
	}
	if _, err := Seal(s, tiny, []Tx{a, b, a, b}, Header{Domain: demoDomain}); !errors.Is(err, ErrTooManySteps) {
		t.Fatalf("got %v", err)
	}
	if _, err := Seal(s, tiny, []Tx{a, otherTx{}}, Header{Domain: demoDomain}); !errors.Is(err, ErrUnsupportedTx) || !errors.As(err, &se) || se.Index != 1 {
		t.Fatalf("got %v", err)
	}
	other := demoDomain
	other.ChainID++
	if _, err := Seal(s, tiny, []Tx{a}, Header{Domain: other}); !errors.Is(err, ErrDomain) {
		t.Fatalf("got %v", err)
	}
	if _, err := Seal(s, Shape{Deposits: 1}, nil, Header{Domain: demoDomain}); !errors.Is(err, ErrShape) {
		t.Fatalf("got %v", err)
	}
	if s.Root() != before {
		t.Fatal("state changed")
	}
}

// TestEmptyBatchIsAllPadding: no step, every slot a no-op: the root does not move and the batch
// solves.
func TestEmptyBatchIsAllPadding(t *testing.T) {
	s, _, _ := fixture(t)
	sealed := seal(t, Shape{Trades: 1, N: 1, K: 1}, s)
	if sealed.NewState.Root() != s.Root() || sealed.Witness.Roots[1] != s.Root() {
		t.Fatal("an empty batch moved the root")
	}
	if err := solves(t, Shape{Trades: 1, N: 1, K: 1}, sealed.Assignment); err != nil {
		t.Fatal(err)
	}
}
