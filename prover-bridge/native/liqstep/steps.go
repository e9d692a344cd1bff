package liqstep

import (
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// Type bytes of the steps' public data (format v3; docs/perp-circuit.md §11.5). 5 is the trade,
// 8 and 9 the ticks (10 proposed for a funding period start); the batch may renumber them.
const (
	TypeLiquidation byte = 0x06
	TypeTakeover    byte = 0x07
	TypeDeleverage  byte = 0x0B
)

// Public data lengths, type byte included.
const (
	// LiquidationDataBytes: type ‖ liquidated (3) ‖ liquidator (3) ‖ market (1) ‖ size (7) ‖
	// price (4) ‖ liquidator's order nonce (8) ‖ liquidation fee (8).
	LiquidationDataBytes = 35
	// TakeoverDataBytes: type ‖ account (3) ‖ market (1) ‖ size (7) ‖ price (4).
	TakeoverDataBytes = 16
	// DeleverageDataBytes: type ‖ deleveraged (3) ‖ deleverager (3) ‖ market (1) ‖ size (7) ‖
	// price (4).
	DeleverageDataBytes = 19
)

// LiquidationStep is one liquidation fill over layout v2, a stepenv.Step (see the package doc).
// Rules holds perp.LiquidationCircuit's witness (Markets is the market table, Table its
// openings); the order separator and the liquidation fee rate are constants of the circuit.
type LiquidationStep struct {
	Rules      perp.LiquidationCircuit
	Liquidated Holder
	Liquidator perpstep.AccountOpening
	Fund       Fund
	Market     perpstep.MarketOpening
	Global     perpstep.GlobalOpening
	Table      []perpstep.TableOpening

	separator *big.Int // D_order of the deployment
	feePpm    int64    // LiquidationConfig.feePpm of the deployment
}

// Transition implements stepenv.Step over the step's own market table (OpenTable).
func (s *LiquidationStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	return s.TransitionWith(env, OpenTable(s.Rules.Markets, s.Table))
}

// TransitionWith adds the step's constraints over env with the market table table builds, and
// returns the old and new state roots and the public data (LiquidationDataBytes); it consumes no
// priority operation. The accounts are updated in the order liquidated, liquidator, fund, each
// path taken in the tree the previous update left.
func (s *LiquidationStep) TransitionWith(env *stepenv.Env, table TableFunc) (stepenv.Transition, error) {
	api, lay, r := env.API, env.Layout, &s.Rules
	api.AssertIsEqual(r.Separator, s.separator)
	api.AssertIsEqual(r.FeePpm, s.feePpm)
	t, bind := table(env)
	r.Constrain(api, env.Curve, env.Arith, t)
	marketBits, markets0, markets1 := marketUpdate(env, t, r.Market, &s.Market, r.OpenInterestAfter)
	bind(markets0)

	// three distinct accounts, the fund only at its own leaf
	api.AssertIsDifferent(r.Liquidated.Account, FundAccount)
	api.AssertIsDifferent(r.Liquidator.Account, FundAccount)
	api.AssertIsDifferent(r.Liquidated.Account, r.Liquidator.Account)
	bits := api.ToBinary(r.Liquidated.Account, layoutv2.AccountsDepth)
	a0, a1 := holderUpdate(env, bits, &s.Liquidated, &r.Liquidated)
	m := makerUpdate(env, &r.Liquidator, &s.Liquidator)
	api.AssertIsEqual(a1, m.rootBefore)
	f0, f1 := fundUpdate(env, &s.Fund, r.FundCollateral, r.FundCollateralAfter)
	api.AssertIsEqual(m.rootAfter, f0)

	g := s.Global
	global0 := lay.GlobalLeaf(g.FeeBalance, g.OracleSignersRoot, g.OracleQuorum, g.FeeTiersRoot)
	global1 := lay.GlobalLeaf(api.Add(g.FeeBalance, r.FeeBalanceDelta), g.OracleSignersRoot, g.OracleQuorum, g.FeeTiersRoot)

	pd := concat([]frontend.Variable{TypeLiquidation}, bytesBE(api, bits, 3), bytesBE(api, m.accountBits, 3),
		bytesBE(api, marketBits, 1), bytesBE(api, api.ToBinary(r.Size, 56), 7), bytesBE(api, api.ToBinary(r.Price, 32), 4),
		bytesBE(api, m.nonceBits, 8), bytesBE(api, api.ToBinary(r.Fee, 64), 8))
	return stepenv.Transition{
		OldRoot: lay.StateRoot(a0, markets0, global0), NewRoot: lay.StateRoot(f1, markets1, global1),
		PublicData: pd, IsPriority: 0, PriorityOp: 0,
	}, nil
}

// TakeoverStep is one insurance takeover over layout v2, a stepenv.Step: the account's leaf, then
// the fund's at the constant index 2^24 − 1. Size is |Delta| (the public data's size; the sign is
// the opposite of the account's position, which only shrinks).
type TakeoverStep struct {
	Rules      perp.TakeoverCircuit
	Size       frontend.Variable
	Account    Holder
	Fund       Holder
	Market     perpstep.MarketOpening
	GlobalLeaf frontend.Variable // unchanged (no fee): its hash only
	Table      []perpstep.TableOpening
}

// Transition implements stepenv.Step over the step's own market table (OpenTable).
func (s *TakeoverStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	return s.TransitionWith(env, OpenTable(s.Rules.Markets, s.Table))
}

// TransitionWith adds the takeover's constraints with the market table table builds and returns
// the roots and the public data (TakeoverDataBytes).
func (s *TakeoverStep) TransitionWith(env *stepenv.Env, table TableFunc) (stepenv.Transition, error) {
	api, r := env.API, &s.Rules
	t, bind := table(env)
	r.Constrain(env.Arith, t)
	api.AssertIsDifferent(r.Account.Account, FundAccount)
	api.AssertIsEqual(r.Fund.Account, FundAccount)
	return moveTransition(env, t, bind, TypeTakeover, moveParts{market: r.Market, delta: r.Delta, price: r.Price, size: s.Size,
		oiAfter: r.OpenInterestAfter, a: &r.Account, b: &r.Fund, oa: &s.Account, ob: &s.Fund, bFixed: true,
		marketOpening: &s.Market, globalLeaf: s.GlobalLeaf})
}

// DeleverageStep is one deleveraging over layout v2, a stepenv.Step: the deleveraged account's
// leaf, then the deleverager's (which may be the insurance fund). Size is |Delta|.
type DeleverageStep struct {
	Rules       perp.DeleverageCircuit
	Size        frontend.Variable
	Deleveraged Holder
	Deleverager Holder
	Market      perpstep.MarketOpening
	GlobalLeaf  frontend.Variable
	Table       []perpstep.TableOpening
}

// Transition implements stepenv.Step over the step's own market table (OpenTable).
func (s *DeleverageStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	return s.TransitionWith(env, OpenTable(s.Rules.Markets, s.Table))
}

// TransitionWith adds the deleveraging's constraints with the market table table builds and
// returns the roots and the public data (DeleverageDataBytes).
func (s *DeleverageStep) TransitionWith(env *stepenv.Env, table TableFunc) (stepenv.Transition, error) {
	api, r := env.API, &s.Rules
	t, bind := table(env)
	r.Constrain(env.Arith, t)
	api.AssertIsDifferent(r.Deleveraged.Account, FundAccount)
	api.AssertIsDifferent(r.Deleveraged.Account, r.Deleverager.Account)
	return moveTransition(env, t, bind, TypeDeleverage, moveParts{market: r.Market, delta: r.Delta, price: r.Price, size: s.Size,
		oiAfter: r.OpenInterestAfter, a: &r.Deleveraged, b: &r.Deleverager, oa: &s.Deleveraged, ob: &s.Deleverager,
		marketOpening: &s.Market, globalLeaf: s.GlobalLeaf})
}

// moveParts is what a takeover and a deleveraging share: account a's position moves by delta,
// b's by −delta; bFixed puts b at the fund's constant index (a takeover) instead of its id's bits.
type moveParts struct {
	market, delta, price, size, oiAfter frontend.Variable
	a, b                                *perp.HolderVars
	oa, ob                              *Holder
	bFixed                              bool
	marketOpening                       *perpstep.MarketOpening
	globalLeaf                          frontend.Variable
}

func moveTransition(env *stepenv.Env, t *perp.MarketTable, bind func(frontend.Variable), typ byte, p moveParts) (stepenv.Transition, error) {
	api, lay := env.API, env.Layout
	marketBits, markets0, markets1 := marketUpdate(env, t, p.market, p.marketOpening, p.oiAfter)
	bind(markets0)
	bitsA := api.ToBinary(p.a.Account, layoutv2.AccountsDepth)
	a0, a1 := holderUpdate(env, bitsA, p.oa, p.a)
	bitsB := fundBits
	if !p.bFixed {
		bitsB = api.ToBinary(p.b.Account, layoutv2.AccountsDepth)
	}
	b0, b1 := holderUpdate(env, bitsB, p.ob, p.b)
	api.AssertIsEqual(a1, b0)
	// size = |delta|: delta = ±size, the sign fixed by the shrinking position
	sizeBits := api.ToBinary(p.size, 56)
	api.AssertIsEqual(api.Mul(api.Sub(p.delta, p.size), api.Add(p.delta, p.size)), 0)
	pd := concat([]frontend.Variable{typ}, bytesBE(api, bitsA, 3))
	if !p.bFixed {
		pd = concat(pd, bytesBE(api, bitsB, 3))
	}
	pd = concat(pd, bytesBE(api, marketBits, 1), bytesBE(api, sizeBits, 7), bytesBE(api, api.ToBinary(p.price, 32), 4))
	return stepenv.Transition{
		OldRoot: lay.StateRoot(a0, markets0, p.globalLeaf), NewRoot: lay.StateRoot(b1, markets1, p.globalLeaf),
		PublicData: pd, IsPriority: 0, PriorityOp: 0,
	}, nil
}

var (
	_ stepenv.Step = (*LiquidationStep)(nil)
	_ stepenv.Step = (*TakeoverStep)(nil)
	_ stepenv.Step = (*DeleverageStep)(nil)
)
