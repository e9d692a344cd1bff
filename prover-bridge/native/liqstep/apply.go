package liqstep

import (
	"errors"
	"fmt"
	"strings"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// FundAccount is the insurance fund's account id, 2^24 − 1 (layout v2's last account leaf): a
// constant of the circuits, never a witness.
const FundAccount = layoutv2.InsuranceFundAccount

// Typed refusals of the Apply functions; the state is never changed when one is returned.
var (
	// ErrRefused: the transaction breaks a rule of perp/reference (the error is a *RuleError).
	ErrRefused = errors.New("liqstep: the transaction breaks a rule")
	// ErrUnknownMarket: the market is not listed.
	ErrUnknownMarket = errors.New("liqstep: market not listed")
	// ErrNoAccount: an account of the transaction does not exist.
	ErrNoAccount = errors.New("liqstep: account does not exist")
	// ErrSameAccount: both sides of the transaction are one account.
	ErrSameAccount = errors.New("liqstep: both sides are the same account")
	// ErrFundAccount: the insurance fund on a side it cannot take (the liquidated or deleveraged
	// account, a liquidator).
	ErrFundAccount = errors.New("liqstep: the insurance fund cannot take this side")
	// ErrTooManyPositions: the counterparty would need a 9th position entry.
	ErrTooManyPositions = errors.New("liqstep: all 8 position entries are taken")
	// ErrOutOfRange: a value of the state, the transaction or the result does not fit layout v2 or
	// the public data (price < 2^32, size < 2^56).
	ErrOutOfRange = errors.New("liqstep: value out of range")
)

// RuleError lists the rules of perp/reference a transaction breaks; it unwraps to ErrRefused.
type RuleError struct{ Rules []reference.Rule }

// Error names the broken rules.
func (e *RuleError) Error() string {
	s := make([]string, len(e.Rules))
	for i, r := range e.Rules {
		s[i] = string(r)
	}
	return "liqstep: the transaction breaks " + strings.Join(s, ", ")
}

// Unwrap returns ErrRefused.
func (e *RuleError) Unwrap() error { return ErrRefused }

// Bounds of the public data's fields (docs/perp-circuit.md §11.5).
const (
	maxPrice = 1 << 32 // price: 4 bytes
	maxSize  = 1 << 56 // size: 7 bytes
)

// opened is one account leaf as a step opens it: its content before the step and its 24 siblings
// in the accounts tree as it stands when the step reaches it (after the step's earlier updates).
type opened struct {
	id      uint64
	account layoutv2.Account
	path    []fr.Element
}

// exec is what every executed step shares: the old state, the new one and the reference's view
// of the markets.
type exec struct {
	old, state       *layoutv2.State
	markets          []reference.Market
	marketID         uint8
	market           layoutv2.Market
	marketPath       []fr.Element
	oldRoot, newRoot fr.Element
}

// begin reads the market vector and the transaction's market and returns a copy of s to write.
func begin(s *layoutv2.State, market uint8) (*exec, error) {
	mk, ok := s.Market(uint64(market))
	if !ok {
		return nil, fmt.Errorf("%w: %d", ErrUnknownMarket, market)
	}
	markets, err := perpstep.ReferenceMarkets(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOutOfRange, err)
	}
	next := s.Clone()
	_, path, err := s.MarketProof(uint64(market))
	if err != nil {
		return nil, err
	}
	return &exec{old: s, state: next, markets: markets, marketID: market, market: mk, marketPath: path}, nil
}

// holder reads an existing account as a reference.Holder, its slot the entry of the market
// (EntryFor: the entry holding it, else the lowest empty one).
func holder(s *layoutv2.State, id uint64, market uint8) (reference.Holder, layoutv2.Account, error) {
	a, ok := s.Account(id)
	if !ok {
		return reference.Holder{}, a, fmt.Errorf("%w: %d", ErrNoAccount, id)
	}
	slot := perpstep.EntryFor(a.Positions, market)
	if slot < 0 {
		return reference.Holder{}, a, fmt.Errorf("%w: account %d, market %d", ErrTooManyPositions, id, market)
	}
	return reference.Holder{Account: uint32(id), Collateral: a.Collateral, Positions: perpstep.ReferenceList(a.Positions), Slot: slot}, a, nil
}

// write opens account id in the new state (its path as the tree stands now) and writes its new
// collateral and list, identity and nonce unchanged.
func (e *exec) write(id uint64, collateral int64, list []reference.Position) (opened, error) {
	a, _ := e.state.Account(id)
	_, path, err := e.state.AccountProof(id)
	if err != nil {
		return opened{}, err
	}
	o := opened{id: id, account: a, path: path}
	positions, err := perpstep.LayoutList(list)
	if err != nil {
		return o, fmt.Errorf("%w: %w", ErrOutOfRange, err)
	}
	if err := e.state.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: collateral, Positions: positions}); err != nil {
		return o, fmt.Errorf("%w: %w", ErrOutOfRange, err)
	}
	return o, nil
}

// finish writes the market's open interest and, for a liquidation, the fee balance, and records
// the roots.
func (e *exec) finish(openInterest, feeDelta int64) error {
	if openInterest < 0 {
		return fmt.Errorf("%w: open interest %d", ErrOutOfRange, openInterest)
	}
	m := e.market
	m.OpenInterest = uint64(openInterest)
	if err := e.state.SetMarket(uint64(e.marketID), m); err != nil {
		return err
	}
	g := e.state.Global()
	fb := g.FeeBalance + feeDelta
	if feeDelta < 0 || fb < g.FeeBalance {
		return fmt.Errorf("%w: fee balance", ErrOutOfRange)
	}
	g.FeeBalance = fb
	if err := e.state.SetGlobal(g); err != nil {
		return err
	}
	e.oldRoot, e.newRoot = e.old.Root(), e.state.Root()
	return nil
}

func ruleError(broken []reference.Rule, force bool) error {
	if len(broken) > 0 && !force {
		return &RuleError{Rules: broken}
	}
	return nil
}
