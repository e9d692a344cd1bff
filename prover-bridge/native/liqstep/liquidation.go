package liqstep

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// Liquidation is one fill of the engine's liquidation order (record Liquidated): the liquidated
// account (taker, unsigned, no fee) against a resting signed order (the liquidator, maker) at
// Price for Size, the liquidation fee Fee paid to the insurance fund.
type Liquidation struct {
	Domain      messages.Domain
	Market      uint8
	Price, Size int64
	Account     uint32               // the liquidated account
	Liquidator  perpstep.SignedOrder // the maker's order, its signature and its fee rate on this fill
	// FeePpm is the deployment's liquidation fee rate (LiquidationConfig.feePpm): a constant of
	// the circuit, like the order separator.
	FeePpm int64
	Fee    int64 // the fee charged, at most the engine's bound
}

// ApplyLiquidation executes the liquidation fill on s exactly as perp/reference.Liquidate settles
// it: funding settled on both accounts, the fill in the liquidated account's entry of the market
// and in the liquidator's (the entry holding it, else its lowest-index empty entry), the
// liquidator's fill leaf, the fee from the liquidated account to the fund's collateral, the
// market's open interest and the maker fee into the global fee balance. It returns a new state
// and leaves s unchanged; a refusal is a typed error (a *RuleError for a broken rule).
func ApplyLiquidation(s *layoutv2.State, l Liquidation) (*layoutv2.State, error) {
	x, err := executeLiquidation(s, l, false)
	if err != nil {
		return nil, err
	}
	return x.state, nil
}

// liqExec is an executed liquidation with everything the witness needs.
type liqExec struct {
	*exec
	ref                          reference.Liquidation
	res                          reference.LiquidationResult
	broken                       []reference.Rule
	liquidated, liquidator, fund opened
	fill                         layoutv2.Fill
	fillPath                     []fr.Element
}

// executeLiquidation runs the liquidation; with force it builds the new state even when a rule of
// the reference is broken (for tests of refusals), as long as the state can hold the result.
func executeLiquidation(s *layoutv2.State, l Liquidation, force bool) (*liqExec, error) {
	id, mid := uint64(l.Account), uint64(l.Liquidator.Order.Account)
	switch {
	case id == FundAccount || mid == FundAccount:
		return nil, fmt.Errorf("%w: liquidated %d, liquidator %d", ErrFundAccount, id, mid)
	case id == mid:
		return nil, fmt.Errorf("%w: %d", ErrSameAccount, id)
	case l.Price >= maxPrice || l.Size >= maxSize || l.Liquidator.Order.Nonce == 0:
		return nil, fmt.Errorf("%w: price %d, size %d, order nonce %d", ErrOutOfRange, l.Price, l.Size, l.Liquidator.Order.Nonce)
	}
	e, err := begin(s, l.Market)
	if err != nil {
		return nil, err
	}
	h, _, err := holder(s, id, l.Market)
	if err != nil {
		return nil, err
	}
	m, macc, err := holder(s, mid, l.Market)
	if err != nil {
		return nil, err
	}
	fund, ok := s.Account(FundAccount)
	if !ok {
		return nil, fmt.Errorf("%w: the fund", ErrNoAccount)
	}
	var key eddsa.PublicKey
	key.A.X, key.A.Y = macc.Identity.PublicKeyX, macc.Identity.PublicKeyY
	slot := layoutv2.FillSlot(l.Liquidator.Order.Nonce)
	fill, _ := s.Fill(mid, slot)
	x := &liqExec{exec: e, fill: fill}
	x.ref = reference.Liquidation{Domain: l.Domain, Market: int(l.Market), Price: l.Price, Size: l.Size, Liquidated: h,
		Liquidator: reference.Party{Account: uint32(mid), Key: key, Collateral: m.Collateral, Positions: m.Positions,
			Slot: m.Slot, FillNonce: fill.OrderNonce, FillFilled: fill.FilledAmount, FeePpm: l.Liquidator.FeePpm,
			Order: l.Liquidator.Order, Signature: l.Liquidator.Signature},
		FeePpm: l.FeePpm, Fee: l.Fee, Fund: fund.Collateral, Markets: e.markets}
	x.res, x.broken = reference.Liquidate(x.ref)
	if err := ruleError(x.broken, force); err != nil {
		return nil, err
	}
	if len(x.res.Liquidated.Positions) == 0 || len(x.res.Liquidator.Positions) == 0 {
		return nil, &RuleError{Rules: x.broken} // the reference computed no state (the list rule)
	}
	// the liquidated account, then the liquidator (fill leaf, account), then the fund: each path
	// is taken in the tree after the previous update
	if x.liquidated, err = e.write(id, x.res.Liquidated.Collateral, x.res.Liquidated.Positions); err != nil {
		return nil, err
	}
	if _, x.fillPath, err = e.state.FillProof(mid, slot); err != nil {
		return nil, err
	}
	after := x.res.Liquidator
	if x.liquidator, err = e.writeWithFill(mid, layoutv2.Fill{OrderNonce: after.FillNonce, FilledAmount: after.FillFilled},
		after.Collateral, after.Positions); err != nil {
		return nil, err
	}
	if x.fund, err = e.write(FundAccount, x.res.FundCollateral, perpstep.ReferenceList(fund.Positions)); err != nil {
		return nil, err
	}
	if err := e.finish(x.res.OpenInterest, x.res.FeeBalanceDelta); err != nil {
		return nil, err
	}
	return x, nil
}

// writeWithFill is write for a signing account: its fill leaf is written first (the opened
// account holds the fills root before).
func (e *exec) writeWithFill(id uint64, f layoutv2.Fill, collateral int64, list []reference.Position) (opened, error) {
	a, _ := e.state.Account(id)
	_, path, err := e.state.AccountProof(id)
	if err != nil {
		return opened{}, err
	}
	if err := e.state.SetFill(id, f); err != nil {
		return opened{}, fmt.Errorf("%w: %w", ErrOutOfRange, err)
	}
	if _, err := e.write(id, collateral, list); err != nil {
		return opened{}, err
	}
	return opened{id: id, account: a, path: path}, nil
}
