package reference

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// This file is the Go reference of the engine's liquidation, insurance takeover and deleveraging
// (sequencer/README.md "Liquidation"; Liquidator, Settlement.settle / movePosition, AccountBook),
// written from the engine, independently of the gadgets. docs/perp-circuit.md §11 lists each rule
// with the engine method it mirrors.

// FundAccount is the insurance fund's account id: 2^24 − 1, the last leaf of layout v2's accounts
// tree (AccountBook.FUND_ID).
const FundAccount = 1<<24 - 1

// MaxBankruptcyPrice is the largest bankruptcy price: 2^31 − 1 (Liquidator.MAX_PRICE), the order
// price range.
const MaxBankruptcyPrice = 1<<31 - 1

// The rules of liquidation, takeover and deleveraging (besides the trade's rules they reuse).
const (
	RuleNotLiquidatable    Rule = "not-liquidatable"    // equity ≥ Σ MMR before a liquidation fill or takeover
	RuleShrink             Rule = "position-shrinks"    // the liquidated (deleveraged) position must shrink toward 0, never grow or flip
	RuleLiquidationFee     Rule = "liquidation-fee"     // 0 ≤ fee ≤ min(⌈N·feePpm/10^6⌉, max(0, equity after the fill))
	RuleBankruptcyPrice    Rule = "bankruptcy-price"    // a takeover or deleveraging at another price than the bankruptcy price
	RuleFundEquity         Rule = "fund-equity"         // a takeover leaving the fund's equity < 0
	RuleNotBankrupt        Rule = "not-bankrupt"        // deleveraging an account whose equity is ≥ 0
	RuleDeleveragerShrinks Rule = "deleverager-shrinks" // the deleverager's position must shrink toward 0, never grow or flip
)

// Holder is an account that signs nothing in the transaction: the liquidated account, the
// insurance fund, the deleveraged account and the deleverager. Slot is the entry of its list that
// holds (or receives) the market.
type Holder struct {
	Account    uint32
	Collateral int64
	Positions  []Position
	Slot       int
}

// Liquidation is one fill of the engine's liquidation order (the liquidated account, taker, no
// signature) against a resting signed order (the liquidator, maker) at the maker's price.
type Liquidation struct {
	Domain      messages.Domain
	Market      int
	Price, Size int64 // order price (collateral quanta per synthetic quantum), size > 0
	Liquidated  Holder
	Liquidator  Party // its order, signature, fill slot and maker fee rate
	FeePpm      int64 // LiquidationConfig.feePpm
	Fee         int64 // the liquidation fee charged to the liquidated account
	Fund        int64 // the insurance fund's collateral before
	Markets     []Market
}

// LiquidationResult is the state a liquidation fill leaves. Liquidated.Fee is the liquidation fee,
// Liquidator.Fee its maker fee (never a rebate).
type LiquidationResult struct {
	Liquidated, Liquidator PartyAfter
	FeeBound               int64 // min(⌈N·feePpm/10^6⌉, max(0, equity after the fill)): the engine's fee
	FundCollateral         int64
	FeeBalanceDelta        int64
	OpenInterest           int64
}

// Takeover is the insurance fund taking over part of the account's position at Price (the
// engine's InsuranceTakeover record): the account's position changes by Delta (−c, the record's
// size), the fund's by −Delta.
type Takeover struct {
	Market        int
	Delta, Price  int64
	Account, Fund Holder
	Markets       []Market
}

// TakeoverResult is the state a takeover leaves.
type TakeoverResult struct {
	Account, Fund   PartyAfter
	BankruptcyPrice int64
	OpenInterest    int64
}

// Deleveraging is part of the deleveraged account's position closed against the deleverager's
// opposite position at Price (the engine's Deleveraged record): the deleveraged position changes
// by Delta (−c, the record's size), the deleverager's by −Delta.
type Deleveraging struct {
	Market                   int
	Delta, Price             int64
	Deleveraged, Deleverager Holder
	Markets                  []Market
}

// DeleverageResult is the state a deleveraging leaves.
type DeleverageResult struct {
	Deleveraged, Deleverager PartyAfter
	BankruptcyPrice          int64
	OpenInterest             int64
}

// ruleSet collects broken rules once each, in order.
type ruleSet []Rule

func (r *ruleSet) add(x Rule) {
	for _, y := range *r {
		if y == x {
			return
		}
	}
	*r = append(*r, x)
}

// slotOK is the list rule of SettleAndCheck: the slot holds the market or is empty, no other entry
// holds it.
func slotOK(h Holder, market int) bool {
	if h.Slot < 0 || h.Slot >= len(h.Positions) {
		return false
	}
	for j, q := range h.Positions {
		if q.Size != 0 && q.Market == market && j != h.Slot {
			return false
		}
		if j == h.Slot && q.Size != 0 && q.Market != market {
			return false
		}
	}
	return true
}

// shrinks reports |s1| < |s0| without a flip (s1 = 0 or of s0's sign).
func shrinks(s0, s1 int64) bool {
	return abs64(s1) < abs64(s0) && (s1 == 0 || (s1 > 0) == (s0 > 0))
}

// Liquidatable is AccountBook.liquidatable: the account holds a position and its equity (funding
// counted) is below Σ MMR at the oracle prices.
func Liquidatable(markets []Market, collateral int64, list []Position) (bool, error) {
	e, mmr, open, err := equityAndMMR(markets, collateral, list)
	return open > 0 && e < mmr, err
}

// equityAndMMR is AccountBook.equity and maintenanceRequirement: collateral + Σ pending funding +
// Σ value, and Σ MMR; open counts the positions.
func equityAndMMR(markets []Market, collateral int64, list []Position) (e, mmr int64, open int, err error) {
	ok := func(x int64, e2 error) int64 {
		if e2 != nil {
			err = e2
		}
		return x
	}
	eb, mb := big.NewInt(collateral), new(big.Int)
	for _, q := range list {
		if q.Size == 0 {
			continue
		}
		open++
		mk := markets[q.Market]
		eb.Add(eb, big.NewInt(ok(FundingCredit(q.Size, q.Snapshot, mk.FundingIndex))))
		eb.Add(eb, big.NewInt(ok(Value(q.Size, mk.Price))))
		mb.Add(mb, big.NewInt(ok(MMR(q.Size, mk.Price, mk.Risk))))
	}
	e = ok(toI64(eb))
	mmr = ok(toI64(mb))
	return
}

// BankruptcyPrice is Liquidator.bankruptcyPrice: the price of closing c (signed like the position
// s in the market) at which the closed part takes its MMR-proportional share of the equity,
// share = ⌊e · (MMR(s) − MMR(s − c)) / Σ MMR⌋ (0 when Σ MMR = 0; e itself when c = s is the last
// position), x = value(s) − value(s − c) − share, b = ⌈x / c⌉ selling a long, ⌊x / c⌋ buying back
// a short, clamped to [1, 2^31 − 1]. e and MMR are the account's before the close, funding counted.
func BankruptcyPrice(markets []Market, collateral int64, list []Position, market int, c int64) (int64, error) {
	if c == 0 {
		return 0, ErrRange
	}
	e, mmr, open, err := equityAndMMR(markets, collateral, list)
	if err != nil {
		return 0, err
	}
	var s int64
	for _, q := range list {
		if q.Size != 0 && q.Market == market {
			s = q.Size
		}
	}
	mk := markets[market]
	var share *big.Int
	if c == s && open == 1 {
		share = big.NewInt(e)
	} else {
		m0, err1 := MMR(s, mk.Price, mk.Risk)
		m1, err2 := MMR(s-c, mk.Price, mk.Risk)
		if err1 != nil || err2 != nil {
			return 0, ErrRange
		}
		share = new(big.Int)
		if mmr != 0 {
			share = floorDiv(mul(e, m0-m1), big.NewInt(mmr))
		}
	}
	v0, err1 := Value(s, mk.Price)
	v1, err2 := Value(s-c, mk.Price)
	if err1 != nil || err2 != nil {
		return 0, ErrRange
	}
	x := new(big.Int).Sub(big.NewInt(v0-v1), share)
	var b *big.Int
	if c > 0 {
		b = ceilDiv(x, big.NewInt(c))
	} else {
		b = floorDiv(new(big.Int).Neg(x), big.NewInt(-c))
	}
	if b.Cmp(big.NewInt(1)) < 0 {
		return 1, nil
	}
	if b.Cmp(big.NewInt(MaxBankruptcyPrice)) > 0 {
		return MaxBankruptcyPrice, nil
	}
	return b.Int64(), nil
}

// LiquidationFeeBound is the engine's liquidation fee (Settlement.settle): min(⌈N · feePpm /
// 10^6⌉, max(0, equity after the fill)), N = price · size.
func LiquidationFeeBound(notional, feePpm, equityAfterFill int64) (int64, error) {
	f, err := MulPpmUp(notional, feePpm)
	return min(f, max(0, equityAfterFill)), err
}

// Liquidate computes a liquidation fill as the engine settles it (Settlement.settle with a
// liquidation taker) and lists the rules it breaks. The liquidator is a trade's maker: signature,
// order fields, its limit, fill slot, fee rate ≤ its cap (its fee never a rebate), the post-trade
// margin rule and the maximum position size. The liquidated account is below maintenance margin
// before the fill and its position only shrinks; the fee is within the engine's bound and goes to
// the insurance fund.
func Liquidate(l Liquidation) (LiquidationResult, []Rule) {
	var broken ruleSet
	var res LiquidationResult
	m := l.Markets[l.Market]
	o := l.Liquidator.Order
	buy := o.Side == 0
	// the liquidator's order: as a trade's maker
	makerSide := Trade{Domain: l.Domain, Market: l.Market, Price: l.Price, Size: l.Size, Markets: l.Markets}
	if buy {
		makerSide.Buyer = l.Liquidator
	} else {
		makerSide.Seller = l.Liquidator
	}
	if !slotOK(l.Liquidated, l.Market) {
		broken.add(RulePositions)
	}
	if !slotOK(l.Liquidator.holder(), l.Market) {
		broken.add(RulePositions)
	}
	if len(broken) != 0 {
		return res, broken
	}
	after, mk, err := makerAfter(makerSide, buy, &broken)
	if err != nil {
		broken.add(RuleRange)
	}
	res.Liquidator = after
	if o.Account != l.Liquidator.Account || int(o.Market) != l.Market || o.Side > 1 {
		broken.add(RuleOrderFields)
	}
	// the liquidated account takes the other side, no margin rule
	d := l.Size
	if buy {
		d = -d
	}
	notional, errN := toI64(mul(l.Price, l.Size))
	if errN != nil {
		broken.add(RuleRange)
	}
	h := l.Liquidated
	a, _, inRange := Settle(l.Markets, h.Collateral, h.Positions, h.Slot, l.Market, d, l.Price, l.Fee)
	if !inRange {
		broken.add(RuleRange)
	}
	a.Fee = l.Fee
	res.Liquidated = a
	if !(a.Equity0 < a.MMR0) {
		broken.add(RuleNotLiquidatable)
	}
	s0 := h.Positions[h.Slot].Size
	if !shrinks(s0, s0+d) {
		broken.add(RuleShrink)
	}
	bound, errF := LiquidationFeeBound(notional, max(0, min(l.FeePpm, PPM)), a.Equity1+l.Fee)
	if errF != nil {
		broken.add(RuleRange)
	}
	res.FeeBound = bound
	if l.FeePpm < 0 || l.FeePpm > PPM || l.Fee < 0 || l.Fee > bound {
		broken.add(RuleLiquidationFee)
	}
	fund, errC := toI64(new(big.Int).Add(big.NewInt(l.Fund), big.NewInt(l.Fee)))
	if errC != nil {
		broken.add(RuleRange)
	}
	res.FundCollateral = fund
	res.FeeBalanceDelta = after.Fee
	ms0 := l.Liquidator.Positions[l.Liquidator.Slot].Size
	ms1 := ms0 - d
	res.OpenInterest = m.OpenInterest + max(s0+d, 0) - max(s0, 0) + max(ms1, 0) - max(ms0, 0)
	if res.OpenInterest > m.OpenInterest && res.OpenInterest > mk.Risk.OICap {
		broken.add(RuleOpenInt)
	}
	return res, broken
}

func (p Party) holder() Holder {
	return Holder{Account: p.Account, Collateral: p.Collateral, Positions: p.Positions, Slot: p.Slot}
}

// makerAfter is the liquidator's side: Apply's per-party rules on the side the liquidator takes,
// its fee max(0, fee(N, rate)) (a liquidation fill pays no rebate).
func makerAfter(t Trade, buy bool, broken *ruleSet) (PartyAfter, Market, error) {
	p := t.Seller
	if buy {
		p = t.Buyer
	}
	mk := t.Markets[t.Market]
	if !signatureOK(t.Domain, p) {
		broken.add(RuleSignature)
	}
	o := p.Order
	if (buy && t.Price > int64(o.Price)) || (!buy && t.Price < int64(o.Price)) || t.Price < 0 {
		broken.add(RuleLimit)
	}
	var filled uint64
	switch {
	case o.Nonce == 0 || p.FillNonce > o.Nonce:
		broken.add(RuleFill)
	case p.FillNonce == o.Nonce:
		filled = p.FillFilled
	}
	if t.Size <= 0 || filled+uint64(t.Size) > o.Size || filled+uint64(t.Size) < filled {
		broken.add(RuleFill)
	}
	n, err := toI64(mul(t.Price, t.Size))
	if err != nil {
		return PartyAfter{}, mk, err
	}
	if p.FeePpm > int64(o.FeeCap) || p.FeePpm < -PPM || p.FeePpm > PPM {
		broken.add(RuleFeeCap)
	}
	fee, err := Fee(n, p.FeePpm)
	if err != nil {
		return PartyAfter{}, mk, err
	}
	fee = max(0, fee)
	d := t.Size
	if !buy {
		d = -d
	}
	s, ok, inRange := Settle(t.Markets, p.Collateral, p.Positions, p.Slot, t.Market, d, t.Price, fee)
	if !inRange {
		return s, mk, ErrRange
	}
	if !ok {
		broken.add(RuleMargin)
	}
	s.Fee, s.FillNonce, s.FillFilled = fee, o.Nonce, filled+uint64(t.Size)
	s0 := p.Positions[p.Slot].Size
	if abs64(s0+d) > abs64(s0) && abs64(s0+d) > mk.Risk.MaxPositionSize {
		broken.add(RuleMaxSize)
	}
	if o.ReduceOnly && !shrinks(s0, s0+d) {
		broken.add(RuleReduceOnly)
	}
	return s, mk, nil
}

// InsuranceTakeover computes the fund's takeover of Size of the account's position at Price
// (Liquidator.closeAtBankruptcy, Settlement.movePosition: funding settled on both, no fees) and
// lists the rules it breaks: the account is below maintenance margin, its position only shrinks,
// the price is its bankruptcy price, and the fund's equity after is ≥ 0 (the fund's list bound is
// the positions rule).
func InsuranceTakeover(t Takeover) (TakeoverResult, []Rule) {
	var broken ruleSet
	var res TakeoverResult
	if !slotOK(t.Account, t.Market) || !slotOK(t.Fund, t.Market) {
		broken.add(RulePositions)
		return res, broken
	}
	s0 := t.Account.Positions[t.Account.Slot].Size
	c := -t.Delta
	a, f, b, oi, err := move(t.Markets, t.Market, t.Account, t.Fund, c, t.Price)
	if err != nil {
		broken.add(RuleRange)
	}
	res.Account, res.Fund, res.BankruptcyPrice, res.OpenInterest = a, f, b, oi
	if !(a.Equity0 < a.MMR0) {
		broken.add(RuleNotLiquidatable)
	}
	if !shrinks(s0, s0-c) {
		broken.add(RuleShrink)
	}
	if t.Price != b {
		broken.add(RuleBankruptcyPrice)
	}
	if f.Equity1 < 0 {
		broken.add(RuleFundEquity)
	}
	return res, broken
}

// Deleverage computes the close of Size of the deleveraged account's position against the
// deleverager's opposite position at Price (Liquidator.deleverage, Settlement.movePosition) and
// lists the rules it breaks: the deleveraged account's equity is < 0, both positions only shrink,
// the price is the bankruptcy price.
func Deleverage(d Deleveraging) (DeleverageResult, []Rule) {
	var broken ruleSet
	var res DeleverageResult
	if !slotOK(d.Deleveraged, d.Market) || !slotOK(d.Deleverager, d.Market) {
		broken.add(RulePositions)
		return res, broken
	}
	s0 := d.Deleveraged.Positions[d.Deleveraged.Slot].Size
	x0 := d.Deleverager.Positions[d.Deleverager.Slot].Size
	c := -d.Delta
	a, x, b, oi, err := move(d.Markets, d.Market, d.Deleveraged, d.Deleverager, c, d.Price)
	if err != nil {
		broken.add(RuleRange)
	}
	res.Deleveraged, res.Deleverager, res.BankruptcyPrice, res.OpenInterest = a, x, b, oi
	if !(a.Equity0 < 0) {
		broken.add(RuleNotBankrupt)
	}
	if !shrinks(s0, s0-c) {
		broken.add(RuleShrink)
	}
	if !shrinks(x0, x0+c) {
		broken.add(RuleDeleveragerShrinks)
	}
	if d.Price != b {
		broken.add(RuleBankruptcyPrice)
	}
	return res, broken
}

// move is Settlement.movePosition: a trades −c at price with x (x trades +c), funding settled on
// both, no fees; b is a's bankruptcy price of closing c before the move; oi the market's open
// interest after.
func move(markets []Market, market int, a, x Holder, c, price int64) (pa, px PartyAfter, b, oi int64, err error) {
	if c != 0 {
		b, err = BankruptcyPrice(markets, a.Collateral, a.Positions, market, c)
	}
	var ok1, ok2 bool
	pa, _, ok1 = Settle(markets, a.Collateral, a.Positions, a.Slot, market, -c, price, 0)
	px, _, ok2 = Settle(markets, x.Collateral, x.Positions, x.Slot, market, c, price, 0)
	if !ok1 || !ok2 {
		err = ErrRange
	}
	s0, x0 := a.Positions[a.Slot].Size, x.Positions[x.Slot].Size
	oi = markets[market].OpenInterest + max(s0-c, 0) - max(s0, 0) + max(x0+c, 0) - max(x0, 0)
	return
}

// signatureOK verifies the party's EdDSA signature over its domain-separated order hash.
func signatureOK(d messages.Domain, p Party) bool {
	h := p.Order.Hash(d)
	hb := h.Bytes()
	ok, err := p.Key.Verify(p.Signature, hb[:], poseidon2.NewMerkleDamgardHasher())
	return err == nil && ok
}
