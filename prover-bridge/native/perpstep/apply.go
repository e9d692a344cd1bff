package perpstep

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// SignedOrder is one side of a trade: the signed order, its signature and the fee rate the
// account pays on this fill (ppm, negative = rebate). In this slice the rate is given with the
// trade, bounded by the signed cap; reading it from the global leaf's tier table is later work.
type SignedOrder struct {
	Order     messages.OrderMessage
	Signature []byte // 64 bytes over Order.Hash(domain)
	FeePpm    int64
}

// Trade is one fill of a buy order against a sell order in market Market at an integer price.
type Trade struct {
	Domain        messages.Domain
	Market        uint8
	Price, Size   int64
	Buyer, Seller SignedOrder
}

// TxType is the trade's type byte in a batch (format v3): TypeTrade.
func (Trade) TxType() byte { return TypeTrade }

// Typed refusals of ApplyTrade; the state is never changed when one is returned.
var (
	// ErrRefused: the trade breaks a rule of perp/reference (the error is a *RuleError).
	ErrRefused = errors.New("perpstep: the trade breaks a rule")
	// ErrUnknownMarket: the trade's market is not listed.
	ErrUnknownMarket = errors.New("perpstep: market not listed")
	// ErrNoAccount: an order's account does not exist.
	ErrNoAccount = errors.New("perpstep: account does not exist")
	// ErrSelfTrade: both orders belong to one account.
	ErrSelfTrade = errors.New("perpstep: buyer and seller are the same account")
	// ErrTooManyPositions: an account would need a 9th position entry.
	ErrTooManyPositions = errors.New("perpstep: all 8 position entries are taken")
	// ErrOutOfRange: a value of the state or of the result does not fit layout v2.
	ErrOutOfRange = errors.New("perpstep: value out of range of layout v2")
)

// RuleError lists the rules of perp/reference a trade breaks; it unwraps to ErrRefused.
type RuleError struct{ Rules []reference.Rule }

func (e *RuleError) Error() string {
	s := make([]string, len(e.Rules))
	for i, r := range e.Rules {
		s[i] = string(r)
	}
	return "perpstep: the trade breaks " + strings.Join(s, ", ")
}

func (e *RuleError) Unwrap() error { return ErrRefused }

// ApplyTrade executes one trade on s exactly as perp/reference settles it: funding settled on
// every position of both accounts, the fill in the entry holding the market (or the lowest-index
// empty entry), collateral, fill leaves (slot nonce mod 2^12), the market's open interest and the
// fee balance of the global leaf. It returns a new state and leaves s unchanged; on a refusal it
// returns a typed error (a *RuleError for a broken trade rule).
func ApplyTrade(s *layoutv2.State, t Trade) (*layoutv2.State, error) {
	st, err := execute(s, t, false)
	if err != nil {
		return nil, err
	}
	return st.state, nil
}

// PublicData is the trade's public data as the circuit writes it (docs/perp-circuit.md §5):
// TypeTrade ‖ buyer (3) ‖ seller (3) ‖ market (1) ‖ size (7) ‖ price (4) ‖ buyer order nonce (8) ‖
// seller order nonce (8), big-endian. Meaningful for a trade ApplyTrade accepts (price < 2^32,
// size < 2^56, accounts < 2^24).
func PublicData(t Trade) [PublicDataSize]byte {
	var out [PublicDataSize]byte
	out[0] = TypeTrade
	be := func(dst []byte, v uint64) {
		for i := len(dst) - 1; i >= 0; i-- {
			dst[i] = byte(v)
			v >>= 8
		}
	}
	be(out[1:4], uint64(t.Buyer.Order.Account))
	be(out[4:7], uint64(t.Seller.Order.Account))
	out[7] = t.Market
	be(out[8:15], uint64(t.Size))
	be(out[15:19], uint64(t.Price))
	be(out[19:27], t.Buyer.Order.Nonce)
	be(out[27:35], t.Seller.Order.Nonce)
	return out
}

// step is an executed trade with everything the witness needs.
type step struct {
	ref              reference.Trade
	res              reference.Result
	broken           []reference.Rule
	old              *layoutv2.State
	state            *layoutv2.State
	buyer, seller    opened
	market           layoutv2.Market
	marketPath       []fr.Element
	oldRoot, newRoot fr.Element
}

// opened is one account's leaf, its fill slot and their paths (the seller's account path is taken
// after the buyer's update).
type opened struct {
	account     layoutv2.Account
	accountPath []fr.Element
	fill        layoutv2.Fill
	fillPath    []fr.Element
}

func signed(u uint64) (int64, error) {
	if u > math.MaxInt64 {
		return 0, fmt.Errorf("%w: %d", ErrOutOfRange, u)
	}
	return int64(u), nil
}

func refMarket(m layoutv2.Market) (reference.Market, error) {
	var out reference.Market
	var err error
	vals := []struct {
		dst *int64
		src uint64
	}{{&out.Price, m.OraclePrice}, {&out.OpenInterest, m.OpenInterest},
		{&out.Risk.IMF, m.Risk.InitialMarginPpm}, {&out.Risk.MMF, m.Risk.MaintenanceMarginPpm},
		{&out.Risk.Baseline, m.Risk.BaselinePositionSize}, {&out.Risk.IncSize, m.Risk.IncrementalPositionSize},
		{&out.Risk.IncIMF, m.Risk.IncrementalInitialMarginPpm}, {&out.Risk.MaxPositionSize, m.Risk.MaxPositionSize},
		{&out.Risk.OICap, m.Risk.OpenInterestCap}}
	for _, v := range vals {
		if *v.dst, err = signed(v.src); err != nil {
			return out, err
		}
	}
	out.FundingIndex = m.FundingIndex
	return out, nil
}

func refList(p layoutv2.Positions) []reference.Position {
	out := make([]reference.Position, len(p))
	for i, e := range p {
		if !e.Empty() {
			out[i] = reference.Position{Market: int(e.Market), Size: e.Size, Snapshot: e.FundingSnapshot}
		}
	}
	return out
}

func layoutList(l []reference.Position) (layoutv2.Positions, error) {
	var p layoutv2.Positions
	for i, e := range l {
		if e.Size != 0 {
			p[i] = layoutv2.PositionEntry{Market: uint8(e.Market), Size: e.Size, FundingSnapshot: e.Snapshot}
		}
	}
	if err := p.Check(); err != nil {
		return p, fmt.Errorf("%w: %w", ErrOutOfRange, err)
	}
	return p, nil
}

// slotOf is the entry the trade's market uses: the entry holding it, else the lowest-index empty
// entry (layoutv2.Positions.Set), else -1.
func slotOf(p layoutv2.Positions, market uint8) int {
	if i := p.Find(market); i >= 0 {
		return i
	}
	for i, e := range p {
		if e.Empty() {
			return i
		}
	}
	return -1
}

// execute runs the trade; with force it builds the step even when a rule of the reference is
// broken (for tests of refusals), as long as the state can represent the result.
func execute(s *layoutv2.State, t Trade, force bool) (*step, error) {
	if t.Buyer.Order.Account == t.Seller.Order.Account {
		return nil, ErrSelfTrade
	}
	mk, ok := s.Market(uint64(t.Market))
	if !ok {
		return nil, fmt.Errorf("%w: %d", ErrUnknownMarket, t.Market)
	}
	markets := make([]reference.Market, 1<<layoutv2.MarketsDepth)
	for _, id := range s.MarketIDs() {
		m, _ := s.Market(id)
		rm, err := refMarket(m)
		if err != nil {
			return nil, fmt.Errorf("market %d: %w", id, err)
		}
		markets[id] = rm
	}
	st := &step{old: s, market: mk}
	st.ref = reference.Trade{Domain: t.Domain, Market: int(t.Market), Price: t.Price, Size: t.Size, Markets: markets}
	accounts := [2]layoutv2.Account{}
	for i, o := range []SignedOrder{t.Buyer, t.Seller} {
		id := uint64(o.Order.Account)
		a, ok := s.Account(id)
		if !ok {
			return nil, fmt.Errorf("%w: %d", ErrNoAccount, id)
		}
		accounts[i] = a
		slot := slotOf(a.Positions, t.Market)
		if slot < 0 {
			return nil, fmt.Errorf("%w: account %d, market %d", ErrTooManyPositions, id, t.Market)
		}
		var key eddsa.PublicKey
		key.A.X, key.A.Y = a.Identity.PublicKeyX, a.Identity.PublicKeyY
		f, _ := s.Fill(id, layoutv2.FillSlot(o.Order.Nonce))
		p := reference.Party{Account: o.Order.Account, Key: key, Collateral: a.Collateral,
			Positions: refList(a.Positions), Slot: slot, FillNonce: f.OrderNonce, FillFilled: f.FilledAmount,
			FeePpm: o.FeePpm, Order: o.Order, Signature: o.Signature}
		if i == 0 {
			st.ref.Buyer = p
		} else {
			st.ref.Seller = p
		}
	}
	st.res, st.broken = reference.Apply(st.ref)
	if len(st.broken) > 0 && !force {
		return nil, &RuleError{Rules: st.broken}
	}
	// after the rules, so a trade the rules refuse keeps its *RuleError (perp-trade-steps.json);
	// the engine's prices are below 2^31, so this refuses nothing the engine accepts
	if t.Price >= MaxPrice || t.Size >= 1<<56 {
		return nil, fmt.Errorf("%w: price %d, size %d (public data: price < 2^32, size < 2^56)", ErrOutOfRange, t.Price, t.Size)
	}
	// the new state: buyer, then seller (the seller's path is taken after the buyer's update)
	next := s.Clone()
	var err error
	if _, st.marketPath, err = s.MarketProof(uint64(t.Market)); err != nil {
		return nil, err
	}
	for i, o := range []SignedOrder{t.Buyer, t.Seller} {
		id := uint64(o.Order.Account)
		after, op := st.res.Buyer, &st.buyer
		if i == 1 {
			after, op = st.res.Seller, &st.seller
		}
		op.account = accounts[i]
		if _, op.accountPath, err = next.AccountProof(id); err != nil {
			return nil, err
		}
		slot := layoutv2.FillSlot(o.Order.Nonce)
		op.fill, _ = next.Fill(id, slot)
		if _, op.fillPath, err = next.FillProof(id, slot); err != nil {
			return nil, err
		}
		if o.Order.Nonce == 0 {
			return nil, fmt.Errorf("%w: order nonce 0", ErrOutOfRange)
		}
		if err := next.SetFill(id, layoutv2.Fill{OrderNonce: after.FillNonce, FilledAmount: after.FillFilled}); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrOutOfRange, err)
		}
		list, err := layoutList(after.Positions)
		if err != nil {
			return nil, err
		}
		a := accounts[i]
		if err := next.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: after.Collateral, Positions: list}); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrOutOfRange, err)
		}
	}
	if st.res.OpenInterest < 0 {
		return nil, fmt.Errorf("%w: open interest %d", ErrOutOfRange, st.res.OpenInterest)
	}
	m := mk
	m.OpenInterest = uint64(st.res.OpenInterest)
	if err := next.SetMarket(uint64(t.Market), m); err != nil {
		return nil, err
	}
	g := s.Global()
	fb := g.FeeBalance + st.res.FeeBalanceDelta
	if (st.res.FeeBalanceDelta > 0 && fb < g.FeeBalance) || (st.res.FeeBalanceDelta < 0 && fb > g.FeeBalance) {
		return nil, fmt.Errorf("%w: fee balance", ErrOutOfRange)
	}
	g.FeeBalance = fb
	if err := next.SetGlobal(g); err != nil {
		return nil, err
	}
	st.state = next
	st.oldRoot, st.newRoot = s.Root(), next.Root()
	return st, nil
}

// clone copies a state through layoutv2's public API (accounts with their fills, markets, global
// leaf).
