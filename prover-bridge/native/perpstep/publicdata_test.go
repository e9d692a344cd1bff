package perpstep

import (
	"errors"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// publicDataCircuit is the step's Transition with its public data asserted equal to Want.
type publicDataCircuit struct {
	Step *TradeStep
	Want [PublicDataSize]frontend.Variable
}

func (c *publicDataCircuit) Define(api frontend.API) error {
	env, err := stepenv.New(api, 0)
	if err != nil {
		return err
	}
	tr, err := c.Step.Transition(env)
	if err != nil {
		return err
	}
	if len(tr.PublicData) != PublicDataSize {
		panic("public data length")
	}
	for i, b := range tr.PublicData {
		api.AssertIsEqual(b, c.Want[i])
	}
	api.AssertIsEqual(tr.OldRoot, c.Step.OldRoot)
	api.AssertIsEqual(tr.NewRoot, c.Step.NewRoot)
	return nil
}

// TestPublicDataIsTheReferencesBytes: the circuit's 35 bytes are PublicData's (accounts 5 and 9,
// market 3, size 60, price 1,310, nonces 70,000 and 65,539), and one byte changed anywhere is
// unsatisfiable.
func TestPublicDataIsTheReferencesBytes(t *testing.T) {
	sc := newScenario(t, 1)
	w, _, err := Witness(sc.state, sc.trade, 1, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	pd := PublicData(sc.trade)
	want := [PublicDataSize]byte{TypeTrade, 0, 0, 5, 0, 0, 9, 3, 0, 0, 0, 0, 0, 0, 60, 0, 0, 0x05, 0x1e,
		0, 0, 0, 0, 0, 0x01, 0x11, 0x70, 0, 0, 0, 0, 0, 0x01, 0x00, 0x03}
	if pd != want {
		t.Fatalf("PublicData = %x, want %x", pd, want)
	}
	assign := func(pd [PublicDataSize]byte) *publicDataCircuit {
		c := &publicDataCircuit{Step: w}
		for i, b := range pd {
			c.Want[i] = b
		}
		return c
	}
	shape := &publicDataCircuit{Step: NewTradeStep(1, nMarkets, Separator(demoDomain))}
	if err := test.IsSolved(shape, assign(pd), ecc.BN254.ScalarField()); err != nil {
		t.Fatalf("the reference's public data does not solve: %v", err)
	}
	for _, i := range []int{0, 3, 6, 7, 14, 18, 26, 34} {
		bad := pd
		bad[i] ^= 1
		if test.IsSolved(shape, assign(bad), ecc.BN254.ScalarField()) == nil {
			t.Errorf("byte %d changed: solves", i)
		}
	}
}

// TestPriceOrSizeBeyondThePublicDataIsRefused: a trade of one quantum at 2^32, which every rule
// accepts (limits at 2^32, collateral 10^13), does not fit the 4 bytes of public data: ApplyTrade
// refuses it with ErrOutOfRange and the state is unchanged; at 2^32 − 1 it is accepted. A trade
// the rules refuse keeps its *RuleError whatever its price.
func TestPriceOrSizeBeyondThePublicDataIsRefused(t *testing.T) {
	for _, c := range []struct {
		price int64
		want  error
	}{{MaxPrice, ErrOutOfRange}, {MaxPrice - 1, nil}} {
		sc := newScenario(t, 1)
		setCollateral(t, sc.state, buyerID, 10_000_000_000_000)
		setCollateral(t, sc.state, sellerID, 10_000_000_000_000)
		sc.trade.Price, sc.trade.Size = c.price, 1
		sc.trade.Buyer.Order.Price = uint64(c.price)
		sc.sign(t)
		before := sc.state.Root()
		_, err := ApplyTrade(sc.state, sc.trade)
		if c.want == nil {
			if err != nil {
				t.Fatalf("price %d: %v", c.price, err)
			}
			continue
		}
		mustRefuse(t, err, c.want)
		if sc.state.Root() != before {
			t.Fatal("state changed")
		}
	}
	sc := newScenario(t, 1)
	sc.trade.Price = MaxPrice
	_, err := ApplyTrade(sc.state, sc.trade)
	var re *RuleError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a *RuleError", err)
	}
}
