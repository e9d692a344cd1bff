package liqstep

import (
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// Takeover is the insurance fund taking over part of an account's position at the bankruptcy
// price (record InsuranceTakeover): the account's position in Market changes by Delta (−c, the
// record's signed size), the fund's by −Delta, at Price.
type Takeover struct {
	Account      uint32
	Market       uint8
	Delta, Price int64
}

// ApplyTakeover executes the takeover on s exactly as perp/reference.InsuranceTakeover settles it
// (Settlement.movePosition: funding settled on both accounts, no fee; the fund's new position in
// its lowest-index empty entry when it holds none in the market), and writes the market's open
// interest. It returns a new state and leaves s unchanged; a refusal is a typed error.
func ApplyTakeover(s *layoutv2.State, t Takeover) (*layoutv2.State, error) {
	x, err := executeMove(s, moveTx{account: t.Account, counterparty: FundAccount, market: t.Market, delta: t.Delta, price: t.Price, takeover: true}, false)
	if err != nil {
		return nil, err
	}
	return x.state, nil
}

// Deleveraging closes part of a bankrupt account's position against the deleverager's opposite
// position at the bankruptcy price (record Deleveraged): the deleveraged position changes by
// Delta (−c), the deleverager's by −Delta, at Price.
type Deleveraging struct {
	Account, Deleverager uint32
	Market               uint8
	Delta, Price         int64
}

// ApplyDeleverage executes the deleveraging on s exactly as perp/reference.Deleverage settles it
// (Settlement.movePosition: funding settled on both accounts, no fee) and writes the market's open
// interest. The deleverager may be the insurance fund; the deleveraged account may not. It returns
// a new state and leaves s unchanged; a refusal is a typed error.
func ApplyDeleverage(s *layoutv2.State, d Deleveraging) (*layoutv2.State, error) {
	x, err := executeMove(s, moveTx{account: d.Account, counterparty: uint64(d.Deleverager), market: d.Market, delta: d.Delta, price: d.Price}, false)
	if err != nil {
		return nil, err
	}
	return x.state, nil
}

// moveTx is a takeover or a deleveraging: account's position moves by delta, counterparty's by
// −delta, at price.
type moveTx struct {
	account      uint32
	counterparty uint64
	market       uint8
	delta, price int64
	takeover     bool
}

// moveExec is an executed takeover or deleveraging with everything the witness needs.
type moveExec struct {
	*exec
	tx                    moveTx
	account, counterparty reference.Holder
	after                 [2]reference.PartyAfter
	openInterest          int64
	broken                []reference.Rule
	opened                [2]opened
}

// executeMove runs a takeover (counterparty = the fund, in ApplyTakeover) or a deleveraging; with
// force it builds the new state even when a rule is broken, as long as the state can hold it.
func executeMove(s *layoutv2.State, t moveTx, force bool) (*moveExec, error) {
	id := uint64(t.account)
	switch {
	case id == FundAccount:
		return nil, fmt.Errorf("%w: %d", ErrFundAccount, id)
	case id == t.counterparty:
		return nil, fmt.Errorf("%w: %d", ErrSameAccount, id)
	case t.delta <= -maxSize || t.delta >= maxSize || t.price < 0 || t.price >= maxPrice:
		return nil, fmt.Errorf("%w: size %d, price %d", ErrOutOfRange, t.delta, t.price)
	}
	e, err := begin(s, t.market)
	if err != nil {
		return nil, err
	}
	a, _, err := holder(s, id, t.market)
	if err != nil {
		return nil, err
	}
	c, _, err := holder(s, t.counterparty, t.market)
	if err != nil {
		return nil, err
	}
	x := &moveExec{exec: e, tx: t, account: a, counterparty: c}
	if t.takeover {
		res, broken := reference.InsuranceTakeover(reference.Takeover{Market: int(t.market), Delta: t.delta, Price: t.price,
			Account: a, Fund: c, Markets: e.markets})
		x.after, x.openInterest, x.broken = [2]reference.PartyAfter{res.Account, res.Fund}, res.OpenInterest, broken
	} else {
		res, broken := reference.Deleverage(reference.Deleveraging{Market: int(t.market), Delta: t.delta, Price: t.price,
			Deleveraged: a, Deleverager: c, Markets: e.markets})
		x.after, x.openInterest, x.broken = [2]reference.PartyAfter{res.Deleveraged, res.Deleverager}, res.OpenInterest, broken
	}
	if err := ruleError(x.broken, force); err != nil {
		return nil, err
	}
	if len(x.after[0].Positions) == 0 || len(x.after[1].Positions) == 0 {
		return nil, &RuleError{Rules: x.broken}
	}
	for i, acc := range []uint64{id, t.counterparty} {
		if x.opened[i], err = e.write(acc, x.after[i].Collateral, x.after[i].Positions); err != nil {
			return nil, err
		}
	}
	if err := e.finish(x.openInterest, 0); err != nil {
		return nil, err
	}
	return x, nil
}
