package reference

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// Market is one entry of the batch's market vector: the oracle price (32.32), the funding index
// (32.32), the open interest before the trade and the risk parameters.
type Market struct {
	Price, FundingIndex, OpenInterest int64
	Risk                              Risk
}

// Position is one entry of an account's fixed-length position list (layout v2): an empty entry is
// all zero (market 0, size 0, snapshot 0).
type Position struct {
	Market         int
	Size, Snapshot int64
}

// Party is one account of a trade, as the circuit sees it.
type Party struct {
	Account    uint32
	Key        eddsa.PublicKey
	Collateral int64
	Positions  []Position // exactly the bound's length
	Slot       int        // index of the entry holding (or receiving) the trade's market
	FillNonce  uint64     // the fill leaf at slot Order.Nonce mod 2^16: owner nonce (0 = empty)
	FillFilled uint64     // and amount filled so far
	FeePpm     int64      // the account's fee rate on this fill (negative = rebate)
	Order      messages.OrderMessage
	Signature  []byte // 64 bytes over Order.Hash(domain)
}

// Trade is one fill of a buy order against a sell order at an integer price (collateral quanta per
// synthetic quantum, as the core's order prices).
type Trade struct {
	Domain        messages.Domain
	Market        int
	Price, Size   int64
	Buyer, Seller Party
	Markets       []Market // the batch's market vector, indexed by market id
}

// PartyAfter is an account's state after the trade.
type PartyAfter struct {
	Collateral     int64
	Positions      []Position
	FillNonce      uint64
	FillFilled     uint64
	Fee            int64
	FundingSettled int64
	// the margin figures of the rule: equity and Σ MMR before the fill (funding settled), equity,
	// Σ IMR and Σ MMR after it, all positions at the batch's oracle prices
	Equity0, MMR0, Equity1, IMR1, MMR1 int64
}

// Result is the state the trade leaves.
type Result struct {
	Buyer, Seller   PartyAfter
	OpenInterest    int64 // of the trade's market
	FeeBalanceDelta int64
}

// Rule names a rule of the trade transaction; Apply reports every rule a trade breaks.
type Rule string

// The rules (each a gadget of this package).
const (
	RuleSignature   Rule = "signature"
	RuleOrderFields Rule = "order-fields" // account, market and side of the order match the trade
	RuleLimit       Rule = "limit"
	RuleFill        Rule = "fill"
	RuleFeeCap      Rule = "fee-cap"
	RuleFeeBalance  Rule = "fee-balance" // buyer's rate + seller's rate ≥ 0
	RuleMargin      Rule = "margin"
	RuleOpenInt     Rule = "open-interest"
	RuleMaxSize     Rule = "max-position-size" // a growing position above maxPositionSize
	RuleReduceOnly  Rule = "reduce-only"       // a reduce-only order's fill must shrink the position without flipping
	RulePositions   Rule = "positions"         // the market fits in the list (the bound) and appears once
	RuleRange       Rule = "range"             // a result leaves the int64 range
)

// Apply computes the trade's result exactly as the engine would settle it (funding settled on
// every position of both accounts, then the fill) and lists the rules it breaks; the result is
// computed even when rules are broken, so that a test can break one rule alone.
func Apply(t Trade) (Result, []Rule) {
	var broken []Rule
	add := func(r Rule) {
		for _, x := range broken {
			if x == r {
				return
			}
		}
		broken = append(broken, r)
	}
	var res Result
	oiDelta := int64(0)
	m := t.Markets[t.Market]
	for i, p := range []*Party{&t.Buyer, &t.Seller} {
		buy := i == 0
		o := p.Order
		// signature over the domain-separated order hash
		h := o.Hash(t.Domain)
		hb := h.Bytes()
		if ok, err := p.Key.Verify(p.Signature, hb[:], poseidon2.NewMerkleDamgardHasher()); err != nil || !ok {
			add(RuleSignature)
		}
		side := uint8(1)
		if buy {
			side = 0
		}
		if o.Account != p.Account || int(o.Market) != t.Market || o.Side != side {
			add(RuleOrderFields)
		}
		// limit: buyer pays ≤ its limit, seller receives ≥ its limit
		if (buy && t.Price > int64(o.Price)) || (!buy && t.Price < int64(o.Price)) || t.Price < 0 {
			add(RuleLimit)
		}
		// fill slot under the nonce window rule
		var filled uint64
		switch {
		case o.Nonce == 0 || p.FillNonce > o.Nonce:
			add(RuleFill)
		case p.FillNonce == o.Nonce:
			filled = p.FillFilled
		}
		if t.Size <= 0 || filled+uint64(t.Size) > o.Size || filled+uint64(t.Size) < filled {
			add(RuleFill)
		}
		a := PartyAfter{FillNonce: o.Nonce, FillFilled: filled + uint64(t.Size)}
		// fee
		notional := mul(t.Price, t.Size)
		n, err := toI64(notional)
		if err != nil {
			add(RuleRange)
		}
		if p.FeePpm > int64(o.FeeCap) || p.FeePpm < -PPM || p.FeePpm > PPM {
			add(RuleFeeCap)
		}
		a.Fee, err = Fee(n, p.FeePpm)
		if err != nil {
			add(RuleRange)
		}
		// positions: the slot holds the market or is empty; no other entry holds the market
		if p.Slot < 0 || p.Slot >= len(p.Positions) {
			add(RulePositions)
			continue
		}
		for j, q := range p.Positions {
			if q.Size != 0 && q.Market == t.Market && j != p.Slot {
				add(RulePositions)
			}
			if j == p.Slot && q.Size != 0 && q.Market != t.Market {
				add(RulePositions)
			}
		}
		d := t.Size
		if !buy {
			d = -d
		}
		s, ok, inRange := Settle(t.Markets, p.Collateral, p.Positions, p.Slot, t.Market, d, t.Price, a.Fee)
		if !inRange {
			add(RuleRange)
		}
		if !ok {
			add(RuleMargin)
		}
		a.Collateral, a.Positions, a.FundingSettled = s.Collateral, s.Positions, s.FundingSettled
		a.Equity0, a.MMR0, a.Equity1, a.IMR1, a.MMR1 = s.Equity0, s.MMR0, s.Equity1, s.IMR1, s.MMR1
		s0, s1 := p.Positions[p.Slot].Size, p.Positions[p.Slot].Size+d
		if o.ReduceOnly && !(abs64(s1) < abs64(s0) && (s1 == 0 || (s1 > 0) == (s0 > 0))) {
			add(RuleReduceOnly)
		}
		if abs64(s1) > abs64(s0) && abs64(s1) > m.Risk.MaxPositionSize {
			add(RuleMaxSize)
		}
		oiDelta += max(s1, 0) - max(s0, 0)
		if buy {
			res.Buyer = a
		} else {
			res.Seller = a
		}
	}
	if t.Buyer.FeePpm+t.Seller.FeePpm < 0 {
		add(RuleFeeBalance)
	}
	res.FeeBalanceDelta = res.Buyer.Fee + res.Seller.Fee
	res.OpenInterest = m.OpenInterest + oiDelta
	if res.OpenInterest > m.OpenInterest && res.OpenInterest > m.Risk.OICap {
		add(RuleOpenInt)
	}
	return res, broken
}

// Settle is one account's side of a fill: funding settled on every position of the list (each
// snapshot set to its market's index), then the fill of signed size d at an integer price with the
// given fee in entry `slot` (a new position takes the index as snapshot, a closed one becomes
// empty), and the margin rule over all positions at the oracle prices. ok reports the margin rule,
// inRange that every figure stayed within int64.
func Settle(markets []Market, collateral int64, list []Position, slot, market int, d, price, fee int64) (a PartyAfter, ok, inRange bool) {
	inRange = true
	check := func(err error) {
		if err != nil {
			inRange = false
		}
	}
	after := make([]Position, len(list))
	for j, q := range list {
		if q.Size == 0 {
			continue
		}
		mk := markets[q.Market]
		f, err := FundingCredit(q.Size, q.Snapshot, mk.FundingIndex)
		check(err)
		a.FundingSettled += f
		after[j] = Position{Market: q.Market, Size: q.Size, Snapshot: mk.FundingIndex}
	}
	c := collateral + a.FundingSettled
	s0 := list[slot].Size
	s1 := s0 + d
	if s1 == 0 {
		after[slot] = Position{}
	} else {
		after[slot] = Position{Market: market, Size: s1, Snapshot: markets[market].FundingIndex}
	}
	a.Positions = after
	exact := new(big.Int).Sub(new(big.Int).Sub(big.NewInt(c), mul(d, price)), big.NewInt(fee))
	c1, err := toI64(exact)
	check(err)
	a.Collateral = c1
	sum := func(l []Position) (eq, im, mm int64) {
		for _, q := range l {
			if q.Size == 0 {
				continue
			}
			mk := markets[q.Market]
			v, e1 := Value(q.Size, mk.Price)
			ir, e2 := IMR(q.Size, mk.Price, mk.Risk)
			mr, e3 := MMR(q.Size, mk.Price, mk.Risk)
			check(e1)
			check(e2)
			check(e3)
			eq, im, mm = eq+v, im+ir, mm+mr
		}
		return
	}
	vb, _, mmb := sum(list)
	va, ima, mma := sum(after)
	a.Equity0, a.MMR0 = c+vb, mmb
	a.Equity1, a.IMR1, a.MMR1 = c1+va, ima, mma
	ok = MarginOK(s0, s1, a.Equity0, a.MMR0, a.Equity1, a.IMR1, a.MMR1)
	return a, ok, inRange
}

// MarginOK is the engine's post-trade rule (MarginChecks.check / checkBelowInitial) on the state
// after the fill: equity₁ ≥ IMR₁, or the position shrinks without flipping (|s₁| < |s₀|, s₁ = 0 or
// of s₀'s sign) and equity / maintenance requirement does not fall: equity₁ · MMR₀ ≥ equity₀ · MMR₁,
// or equity₁ ≥ 0 when MMR₁ = 0.
func MarginOK(s0, s1, equity0, mmr0, equity1, imr1, mmr1 int64) bool {
	if equity1 >= imr1 {
		return true
	}
	abs := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	reduces := abs(s1) < abs(s0) && (s1 == 0 || (s1 > 0) == (s0 > 0))
	if !reduces {
		return false
	}
	if mmr1 == 0 {
		return equity1 >= 0
	}
	return mul(equity1, mmr0).Cmp(mul(equity0, mmr1)) >= 0
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
