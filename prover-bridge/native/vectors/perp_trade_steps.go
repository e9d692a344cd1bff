package vectors

import (
	"errors"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// FilePerpTradeSteps holds trades executed as state transitions over layout v2 by
// perpstep.ApplyTrade: scenarios, each an initial state (the encoding of state-v2.json's states,
// with the global leaf's signer set and fee tiers spelled out) and a sequence of trades with the
// state root after each accepted one or the refusal of each refused one. The Java batcher replays
// them on its RocksDB tree (batcher TradeStepsVectorsTest).
const FilePerpTradeSteps = "perp-trade-steps.json"

type tradeStepsFile struct {
	Generator Generator           `json:"generator"`
	Domain    tradeStepsDomain    `json:"domain"`
	Errors    []string            `json:"errors"` // the refusals of ApplyTrade that are not rule breaks
	Scenarios []tradeStepScenario `json:"scenarios"`
}

type tradeStepsDomain struct {
	ChainID string `json:"chainId"`
	Rollup  string `json:"rollup"`
}

type tradeStepScenario struct {
	Name          string          `json:"name"`
	Initial       v2State         `json:"initial"`
	OracleSigners v2SignerSet     `json:"oracleSigners"` // of the initial global leaf
	FeeTiers      v2FeeTiers      `json:"feeTiers"`      // of the initial global leaf
	Trades        []tradeStepCase `json:"trades"`
}

type tradeStepOrder struct {
	Account       uint32 `json:"account"`
	Market        uint16 `json:"market"`
	Side          uint8  `json:"side"`        // 0 buy, 1 sell
	Type          uint8  `json:"type"`        // code
	TimeInForce   uint8  `json:"timeInForce"` // code
	ReduceOnly    bool   `json:"reduceOnly"`
	ClientOrderID uint32 `json:"clientOrderId"`
	Size          string `json:"size"`
	Price         string `json:"price"`
	FeeCap        uint32 `json:"feeCap"`
	Expiry        string `json:"expiry"`
	Nonce         string `json:"nonce"`
	Trigger       uint8  `json:"trigger"` // code
	TriggerPrice  string `json:"triggerPrice"`
}

type tradeStepSide struct {
	Order     tradeStepOrder `json:"order"`
	Signature string         `json:"signature"`
	FeePpm    string         `json:"feePpm"`
}

// tradeStepCase is one trade: on acceptance Root is the state root after it; on refusal Rules
// lists the broken rules of perp/reference in the order Apply reports them, or Error names a
// refusal of ApplyTrade that is not a rule break (one of the file's "errors"); the state is then
// unchanged.
type tradeStepCase struct {
	Note   string        `json:"note"`
	Market uint8         `json:"market"`
	Price  string        `json:"price"`
	Size   string        `json:"size"`
	Buyer  tradeStepSide `json:"buyer"`
	Seller tradeStepSide `json:"seller"`
	Root   string        `json:"root,omitempty"`
	Rules  []string      `json:"rules,omitempty"`
	Error  string        `json:"error,omitempty"`
}

// tradeStepErrors names ApplyTrade's typed refusals other than rule breaks.
var tradeStepErrors = []struct {
	name string
	err  error
}{
	{"self-trade", perpstep.ErrSelfTrade},
	{"unknown-market", perpstep.ErrUnknownMarket},
	{"no-account", perpstep.ErrNoAccount},
	{"too-many-positions", perpstep.ErrTooManyPositions},
	{"out-of-range", perpstep.ErrOutOfRange},
}

// tradeStepDomain is the demo deployment (SignedMessageDomains[0]).
var tradeStepDomain = SignedMessageDomains[0]

// stepMarket is market m of the scenarios: price about 1,000 + 100·m (32.32), a funding index that
// differs per market, open interest 5,000 and the risk of perpstep's tests.
func stepMarket(m int) layoutv2.Market {
	return layoutv2.Market{
		OraclePrice:      uint64(1000+100*m)<<32 + uint64(m)*123_456_789,
		OracleTimestamp:  1_800_000_000 + uint64(m),
		FundingIndex:     int64(m)*12_345_678_901 - 50_000_000_000,
		FundingTimestamp: 1_799_990_000 + uint64(m),
		OpenInterest:     5_000,
		Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 100,
			IncrementalPositionSize: 50, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1_000_000,
			OpenInterestCap: 1_000_000, OracleMaxAgeSeconds: 60, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000,
			FundingMinIntervalSeconds: 3_600, FundingMaxRatePpm: 1_000},
	}
}

// stepBuilder builds one scenario: the state, the keys of its accounts and the trades so far.
type stepBuilder struct {
	keys   []key
	state  *layoutv2.State
	owner  map[uint32]int // account → key index
	sc     tradeStepScenario
	nonces uint64
}

func newStepBuilder(keys []key, name string, markets int) (*stepBuilder, error) {
	b := &stepBuilder{keys: keys, state: layoutv2.NewState(), owner: map[uint32]int{}, sc: tradeStepScenario{Name: name}}
	for m := 0; m < markets; m++ {
		if err := b.state.SetMarket(uint64(m), stepMarket(m)); err != nil {
			return nil, err
		}
	}
	g := b.state.Global()
	g.FeeBalance = 1_000
	g.OracleQuorum = 2
	g.OracleSigners[1] = keySigner(keys[6])
	g.OracleSigners[4] = keySigner(keys[7])
	g.FeeTiers[0] = layoutv2.FeeTier{MakerPpm: -100, TakerPpm: 500}
	g.FeeTiers[1] = layoutv2.FeeTier{MakerPpm: 0, TakerPpm: 300}
	return b, b.state.SetGlobal(g)
}

// account creates account id with key ki, collateral and positions given as (market, size,
// snapshot offset from the market's index) triples, the offset leaving funding pending.
func (b *stepBuilder) account(id uint32, ki int, collateral int64, positions ...[3]int64) error {
	var list layoutv2.Positions
	for i, p := range positions {
		list[i] = layoutv2.PositionEntry{Market: uint8(p[0]), Size: p[1], FundingSnapshot: stepMarket(int(p[0])).FundingIndex - p[2]}
	}
	k := b.keys[ki].pub
	id2 := layoutv2.Identity{PublicKeyX: k.X, PublicKeyY: k.Y, L1Owner: [20]byte{0xa0, byte(id), 19: byte(ki)}, FeeTier: uint8(id % 2)}
	b.owner[id] = ki
	return b.state.SetAccount(uint64(id), layoutv2.AccountFields{Identity: id2, Nonce: uint64(id) * 3, Collateral: collateral, Positions: list})
}

func (b *stepBuilder) fill(id uint32, nonce, filled uint64) error {
	return b.state.SetFill(uint64(id), layoutv2.Fill{OrderNonce: nonce, FilledAmount: filled})
}

// begin records the initial state once every account, fill and market is set.
func (b *stepBuilder) begin() error {
	st, set, tiers, err := initialJSONv2(b.sc.Name, b.state)
	if err != nil {
		return err
	}
	b.sc.Initial, b.sc.OracleSigners, b.sc.FeeTiers = st, set, tiers
	return nil
}

// initialJSONv2 is state s as a scenario's initial state: its entries and roots, its oracle
// signer set and its fee tiers (as the Java tests' TradeVectors.writeInitial reads them).
func initialJSONv2(name string, s *layoutv2.State) (v2State, v2SignerSet, v2FeeTiers, error) {
	st, err := stateJSONv2(name, s)
	if err != nil {
		return v2State{}, v2SignerSet{}, v2FeeTiers{}, err
	}
	g := s.Global()
	set := v2SignerSet{Root: hexFr(layoutv2.OracleSignersTree(&g.OracleSigners).Root())}
	for i := range g.OracleSigners {
		k := &g.OracleSigners[i]
		set.Slots = append(set.Slots, v2Signer{KeyX: hexFr(k.KeyX), KeyY: hexFr(k.KeyY), Leaf: hexFr(k.Leaf())})
	}
	h, err := layoutv2.FeeTiersHash(&g.FeeTiers)
	if err != nil {
		return v2State{}, v2SignerSet{}, v2FeeTiers{}, err
	}
	return st, set, v2FeeTiers{Tiers: tiersJSON(&g.FeeTiers), Hash: hexFr(h)}, nil
}

// order is a limit GTC order of account id in market m; a fresh nonce unless nonce ≠ 0.
func (b *stepBuilder) order(id uint32, m uint16, side uint8, size, price uint64, feeCap uint32, nonce uint64) messages.OrderMessage {
	if nonce == 0 {
		b.nonces++
		nonce = 100 + b.nonces
	}
	return messages.OrderMessage{Account: id, Market: m, Side: side, ClientOrderID: uint32(nonce) * 7, Size: size, Price: price,
		FeeCap: feeCap, Expiry: 1_900_000_000, Nonce: nonce}
}

// signed signs o with the key of its account (or key ki when ki ≥ 0) in domain d.
func (b *stepBuilder) signed(o messages.OrderMessage, feePpm int64, ki int, d messages.Domain) (perpstep.SignedOrder, error) {
	if ki < 0 {
		ki = b.owner[o.Account]
	}
	h := o.Hash(d)
	hb := h.Bytes()
	sig, err := b.keys[ki].priv.Sign(hb[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		return perpstep.SignedOrder{}, err
	}
	return perpstep.SignedOrder{Order: o, Signature: sig, FeePpm: feePpm}, nil
}

// outcome is what a trade case expects: accepted (no rule, no error), the broken rules, or an
// error of ApplyTrade.
type outcome struct {
	rules []reference.Rule
	err   error
	any   bool // record whatever ApplyTrade decides (the random scenario)
}

var accepted = outcome{}

func broken(r ...reference.Rule) outcome { return outcome{rules: r} }
func failing(err error) outcome          { return outcome{err: err} }

// trade executes a trade with ApplyTrade, checks it ends as want (so the file's cases are what
// their notes say) and records it; an accepted trade moves the scenario's state.
func (b *stepBuilder) trade(note string, market uint8, price, size int64, buyer, seller perpstep.SignedOrder, want outcome) error {
	t := perpstep.Trade{Domain: tradeStepDomain, Market: market, Price: price, Size: size, Buyer: buyer, Seller: seller}
	c := tradeStepCase{Note: note, Market: market, Price: decI64(price), Size: decI64(size), Buyer: stepSide(buyer), Seller: stepSide(seller)}
	before := b.state.Root()
	next, err := perpstep.ApplyTrade(b.state, t)
	if b.state.Root() != before {
		return fmt.Errorf("%s: ApplyTrade changed the old state", note)
	}
	var re *perpstep.RuleError
	if want.any {
		switch {
		case err == nil:
			want = accepted
		case errors.As(err, &re):
			want = broken(re.Rules...)
		default:
			want = failing(err)
		}
	}
	switch {
	case err == nil:
		if want.err != nil || len(want.rules) > 0 {
			return fmt.Errorf("%s: accepted, want %v %v", note, want.rules, want.err)
		}
		b.state = next
		c.Root = hexFr(next.Root())
	case errors.As(err, &re):
		if want.err != nil || !slices.Equal(re.Rules, want.rules) {
			return fmt.Errorf("%s: refused with %v, want %v %v", note, re.Rules, want.rules, want.err)
		}
		for _, r := range re.Rules {
			c.Rules = append(c.Rules, string(r))
		}
	default:
		if want.err == nil || !errors.Is(err, want.err) {
			return fmt.Errorf("%s: %v, want %v %v", note, err, want.rules, want.err)
		}
		for _, e := range tradeStepErrors {
			if errors.Is(err, e.err) {
				c.Error = e.name
				break
			}
		}
	}
	b.sc.Trades = append(b.sc.Trades, c)
	return nil
}

func stepSide(s perpstep.SignedOrder) tradeStepSide {
	o := s.Order
	return tradeStepSide{Order: tradeStepOrder{Account: o.Account, Market: o.Market, Side: o.Side, Type: o.Type,
		TimeInForce: o.TimeInForce, ReduceOnly: o.ReduceOnly, ClientOrderID: o.ClientOrderID, Size: decU64(o.Size),
		Price: decU64(o.Price), FeeCap: o.FeeCap, Expiry: decU64(o.Expiry), Nonce: decU64(o.Nonce), Trigger: o.Trigger,
		TriggerPrice: decU64(o.TriggerPrice)}, Signature: hexBytes(s.Signature), FeePpm: decI64(s.FeePpm)}
}

// pair signs a buy and a sell order with their accounts' keys in the demo domain.
func (b *stepBuilder) pair(buy, sell messages.OrderMessage, buyFee, sellFee int64) (perpstep.SignedOrder, perpstep.SignedOrder, error) {
	bo, err := b.signed(buy, buyFee, -1, tradeStepDomain)
	if err != nil {
		return bo, bo, err
	}
	so, err := b.signed(sell, sellFee, -1, tradeStepDomain)
	return bo, so, err
}

func genPerpTradeSteps(keys []key) (any, error) {
	f := tradeStepsFile{Generator: generatorInfo(),
		Domain: tradeStepsDomain{ChainID: decU64(tradeStepDomain.ChainID), Rollup: hexBytes(tradeStepDomain.Rollup[:])}}
	for _, e := range tradeStepErrors {
		f.Errors = append(f.Errors, e.name)
	}
	for _, gen := range []func([]key) (tradeStepScenario, error){stepsFundingAndFills, stepsCloseAndFlip, stepsRefusals, stepsRandom} {
		sc, err := gen(keys)
		if err != nil {
			return nil, err
		}
		f.Scenarios = append(f.Scenarios, sc)
	}
	return f, nil
}

// stepsFundingAndFills: two accounts with funding pending on several positions trade in market 3;
// an order filled across three trades (the third overfills), a maker rebate, a fill slot taken over
// from an older nonce and a stale nonce refused.
func stepsFundingAndFills(keys []key) (tradeStepScenario, error) {
	b, err := newStepBuilder(keys, "funding-and-fills", 6)
	if err != nil {
		return b.sc, err
	}
	steps := []func() error{
		func() error {
			return b.account(5, 0, 200_000, [3]int64{3, 40, 3_000_000_000}, [3]int64{1, -35, 987_654_321}, [3]int64{4, 58, 1_975_308_642})
		},
		func() error {
			return b.account(9, 1, 150_000, [3]int64{0, 30, 111_111_111}, [3]int64{2, -44, 2_222_222_222})
		},
		func() error { return b.account(12, 2, 90_000, [3]int64{5, -12, 5_000_000_000}) },
		func() error { return b.account(13, 3, 42) },
		func() error { return b.fill(5, 70_000, 20) },
		func() error { return b.fill(9, 3, 3) },
		func() error { return b.fill(12, 4096+9, 1) },
		b.begin,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return b.sc, err
		}
	}
	buy := b.order(5, 3, 0, 100, 1_320, 1_000, 70_000) // 20 filled before
	sell1 := b.order(9, 3, 1, 60, 1_300, 500, 65_539)  // slot 3 holds nonce 3: taken over
	bo, so, err := b.pair(buy, sell1, 500, -100)
	if err != nil {
		return b.sc, err
	}
	if err := b.trade("buyer fills 60 of 100 (20 before); seller opens short 60 with a maker rebate, taking slot 3 over from nonce 3; funding settled on every position", 3, 1_310, 60, bo, so, accepted); err != nil {
		return b.sc, err
	}
	sell2 := b.order(12, 3, 1, 50, 1_290, 300, 0)
	bo, so, err = b.pair(buy, sell2, 500, 0)
	if err != nil {
		return b.sc, err
	}
	if err := b.trade("the same buy order fills its last 20 against a new seller", 3, 1_300, 20, bo, so, accepted); err != nil {
		return b.sc, err
	}
	if err := b.trade("the same buy order once more: an overfill", 3, 1_300, 1, bo, so, broken(reference.RuleFill)); err != nil {
		return b.sc, err
	}
	// account 12's slot 9 holds nonce 4096 + 9: an order with nonce 9 is older, one with 2·4096 + 9 newer
	stale := b.order(12, 3, 1, 10, 1_290, 300, 9)
	buy2 := b.order(5, 3, 0, 10, 1_400, 1_000, 0)
	bo, so, err = b.pair(buy2, stale, 300, 0)
	if err != nil {
		return b.sc, err
	}
	if err := b.trade("a sell order whose slot holds a larger nonce", 3, 1_300, 1, bo, so, broken(reference.RuleFill)); err != nil {
		return b.sc, err
	}
	fresh := b.order(12, 3, 1, 10, 1_290, 300, 2*4096+9)
	buy3 := b.order(5, 3, 0, 10, 1_400, 1_000, 0)
	bo, so, err = b.pair(buy3, fresh, 300, -100)
	if err != nil {
		return b.sc, err
	}
	if err := b.trade("a sell order taking over a slot from an older filled nonce, against a third buy order", 3, 1_300, 4, bo, so, accepted); err != nil {
		return b.sc, err
	}
	return b.sc, nil
}

// stepsCloseAndFlip: a closing trade empties its entry in place, a flip changes a position's sign,
// a new market takes the lowest-index empty entry.
func stepsCloseAndFlip(keys []key) (tradeStepScenario, error) {
	b, err := newStepBuilder(keys, "close-and-flip", 5)
	if err != nil {
		return b.sc, err
	}
	steps := []func() error{
		func() error {
			return b.account(20, 4, 300_000, [3]int64{1, 50, 400_000_000}, [3]int64{2, 10, 800_000_000}, [3]int64{4, -7, 12_345})
		},
		func() error { return b.account(21, 5, 500_000, [3]int64{1, -20, 1_000_000}) },
		b.begin,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return b.sc, err
		}
	}
	closeSell := b.order(20, 1, 1, 50, 1_050, 1_000, 0)
	closeSell.ReduceOnly = true
	buy := b.order(21, 1, 0, 50, 1_150, 1_000, 0)
	bo, so, err := b.pair(buy, closeSell, 200, 500)
	if err != nil {
		return b.sc, err
	}
	if err := b.trade("account 20 closes its long 50 in market 1 with a reduce-only order: entry 0 emptied in place; account 21 flips from short 20 to long 30", 1, 1_100, 50, bo, so, accepted); err != nil {
		return b.sc, err
	}
	flip := b.order(20, 2, 1, 30, 1_150, 1_000, 0)
	buy = b.order(21, 2, 0, 30, 1_250, 1_000, 0)
	bo, so, err = b.pair(buy, flip, 500, 500)
	if err != nil {
		return b.sc, err
	}
	if err := b.trade("account 20 flips long 10 → short 20 in market 2; account 21 opens market 2 in its lowest empty entry", 2, 1_200, 30, bo, so, accepted); err != nil {
		return b.sc, err
	}
	open := b.order(20, 3, 0, 15, 1_400, 1_000, 0)
	sell := b.order(21, 3, 1, 15, 1_250, 1_000, 0)
	bo, so, err = b.pair(open, sell, 500, -100)
	if err != nil {
		return b.sc, err
	}
	if err := b.trade("account 20 opens market 3 in entry 0, emptied by the close", 3, 1_300, 15, bo, so, accepted); err != nil {
		return b.sc, err
	}
	closeBuy := b.order(20, 2, 0, 20, 1_300, 1_000, 0)
	closeBuy.ReduceOnly = true
	sell = b.order(21, 2, 1, 20, 1_100, 1_000, 0)
	bo, so, err = b.pair(closeBuy, sell, 300, 0)
	if err != nil {
		return b.sc, err
	}
	if err := b.trade("account 20 closes its short 20 in market 2 with a reduce-only order (entry 1 emptied); account 21 reduces its long", 2, 1_200, 20, bo, so, accepted); err != nil {
		return b.sc, err
	}
	return b.sc, nil
}

// stepsRefusals: each rule of perp/reference and each other refusal of ApplyTrade, alone where the
// rules allow, on one state (a refusal changes nothing), then an accepted trade.
func stepsRefusals(keys []key) (tradeStepScenario, error) {
	b, err := newStepBuilder(keys, "refusals", 10)
	if err != nil {
		return b.sc, err
	}
	full := [][3]int64{}
	for m := int64(0); m < 8; m++ {
		full = append(full, [3]int64{m, 5 + m, 1_000 * m})
	}
	steps := []func() error{
		func() error { return b.account(30, 0, 1_000_000, [3]int64{1, 40, 5_000_000}) },
		func() error { return b.account(31, 1, 1_000_000, [3]int64{1, -10, 77}) },
		func() error { return b.account(32, 2, 1_000) }, // little collateral
		func() error { return b.account(33, 3, 10_000_000, full...) },
		func() error { return b.account(34, 4, 1<<60) },
		func() error { return b.account(35, 5, 1<<60) },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return b.sc, err
		}
	}
	m := b.state
	mk, _ := m.Market(6)
	mk.OpenInterest = 999_990 // 10 below the cap
	if err := m.SetMarket(6, mk); err != nil {
		return b.sc, err
	}
	mk, _ = m.Market(7)
	mk.Risk.MaxPositionSize = 1_000
	if err := m.SetMarket(7, mk); err != nil {
		return b.sc, err
	}
	mk, _ = m.Market(8) // price 1.0, limits far above layout v2's 2^55 − 1 bound on a size
	mk.OraclePrice, mk.Risk.MaxPositionSize, mk.Risk.OpenInterestCap = 1<<32, 1<<60, 1<<62
	if err := m.SetMarket(8, mk); err != nil {
		return b.sc, err
	}
	if err := b.begin(); err != nil {
		return b.sc, err
	}
	type tc struct {
		note        string
		market      uint8
		price, size int64
		buy, sell   messages.OrderMessage
		buyFee      int64
		sellFee     int64
		buyKey      int // −1: the account's key
		buyDomain   messages.Domain
		want        outcome
		sellKey     int
	}
	base := func() (messages.OrderMessage, messages.OrderMessage) {
		return b.order(30, 1, 0, 100, 1_200, 1_000, 0), b.order(31, 1, 1, 100, 1_100, 1_000, 0)
	}
	other := SignedMessageDomains[1]
	var cases []tc
	add := func(note string, mutate func(c *tc)) {
		buy, sell := base()
		c := tc{note: note, market: 1, price: 1_150, size: 10, buy: buy, sell: sell, buyFee: 500, sellFee: 300,
			buyKey: -1, sellKey: -1, buyDomain: tradeStepDomain}
		mutate(&c)
		cases = append(cases, c)
	}
	add("signature by another key", func(c *tc) { c.buyKey = 5; c.want = broken(reference.RuleSignature) })
	add("signature for another deployment (chain id and rollup)", func(c *tc) { c.buyDomain = other; c.want = broken(reference.RuleSignature) })
	add("the buy order is for another market", func(c *tc) {
		c.buy.Market = 2
		c.want = broken(reference.RuleOrderFields)
	})
	add("the sell order is a buy", func(c *tc) { c.sell.Side = 0; c.want = broken(reference.RuleOrderFields) })
	add("price above the buyer's limit", func(c *tc) { c.price = 1_201; c.want = broken(reference.RuleLimit) })
	add("price below the seller's limit", func(c *tc) { c.price = 1_099; c.want = broken(reference.RuleLimit) })
	add("fill above the signed size", func(c *tc) { c.size = 101; c.want = broken(reference.RuleFill) })
	add("fill of size 0", func(c *tc) { c.size = 0; c.want = broken(reference.RuleFill) })
	add("buyer's fee above its cap", func(c *tc) { c.buyFee = 1_001; c.want = broken(reference.RuleFeeCap) })
	add("rebate above what the taker pays", func(c *tc) {
		c.buyFee, c.sellFee = -200, 100
		c.want = broken(reference.RuleFeeBalance)
	})
	add("buyer's post-trade margin below initial while risk grows", func(c *tc) {
		c.buy.Account = 32
		c.buy.Size = 1_000
		c.size = 500
		c.sell.Size = 1_000
		c.want = broken(reference.RuleMargin)
	})
	add("open interest above its cap", func(c *tc) {
		c.market, c.buy.Market, c.sell.Market = 6, 6, 6
		c.buy.Price, c.sell.Price, c.price = 1_700, 1_500, 1_600
		c.size = 11
		c.want = broken(reference.RuleOpenInt)
	})
	add("reduce-only order that grows the position", func(c *tc) { c.buy.ReduceOnly = true; c.want = broken(reference.RuleReduceOnly) })
	add("reduce-only order that flips the position", func(c *tc) {
		c.buy = b.order(31, 1, 0, 100, 1_200, 1_000, 0)
		c.sell = b.order(30, 1, 1, 100, 1_100, 1_000, 0)
		c.buy.ReduceOnly = true
		c.size = 20
		c.want = broken(reference.RuleReduceOnly)
	})
	add("notional above the int64 range", func(c *tc) {
		c.buy.Price, c.sell.Price, c.price = 1<<62, 1<<61, 1<<61
		c.size = 4
		c.want = broken(reference.RuleRange, reference.RuleMargin)
	})
	add("self-trade", func(c *tc) { c.sell.Account = 30; c.want = failing(perpstep.ErrSelfTrade) })
	add("market not listed", func(c *tc) {
		c.market, c.buy.Market, c.sell.Market = 40, 40, 40
		c.want = failing(perpstep.ErrUnknownMarket)
	})
	add("seller account does not exist", func(c *tc) {
		c.sell.Account = 77
		c.sellKey = 1
		c.want = failing(perpstep.ErrNoAccount)
	})
	add("buyer holds 8 positions and opens a 9th market", func(c *tc) {
		c.buy.Account = 33
		c.market, c.buy.Market, c.sell.Market = 9, 9, 9
		c.want = failing(perpstep.ErrTooManyPositions)
	})
	add("position above the market's maximum size", func(c *tc) {
		c.buy.Account = 33
		c.market, c.buy.Market, c.sell.Market = 7, 7, 7
		c.buy.Price, c.sell.Price, c.price = 1_800, 1_700, 1_750
		c.size = 1_000 - 11
		c.buy.Size, c.sell.Size = 1_000, 1_000
		c.want = broken(reference.RuleMaxSize)
	})
	add("a position of 2^55, within the market's limits, does not fit a layout v2 entry", func(c *tc) {
		c.buy, c.sell = b.order(34, 8, 0, 1<<56, 2, 0, 0), b.order(35, 8, 1, 1<<56, 1, 0, 0)
		c.market, c.price, c.size, c.buyFee, c.sellFee = 8, 1, 1<<55, 0, 0
		c.want = failing(perpstep.ErrOutOfRange)
	})
	add("accepted after the refusals", func(c *tc) { c.want = accepted })
	for _, c := range cases {
		bo, err := b.signed(c.buy, c.buyFee, c.buyKey, c.buyDomain)
		if err != nil {
			return b.sc, err
		}
		so, err := b.signed(c.sell, c.sellFee, c.sellKey, tradeStepDomain)
		if err != nil {
			return b.sc, err
		}
		if err := b.trade(c.note, c.market, c.price, c.size, bo, so, c.want); err != nil {
			return b.sc, err
		}
	}
	return b.sc, nil
}

// stepsRandom: seeded random trades between six accounts holding random positions in six listed
// markets (ids 0 … 5; 6 unlisted), prices around the oracle price, order sizes near the fill
// size, reused orders (partial fills), nonces sharing slots, fee rates near their caps, reduce-only
// flags and now and then one account on both sides; ApplyTrade's decision is recorded as it is.
func stepsRandom(keys []key) (tradeStepScenario, error) {
	const accounts, markets, trades = 6, 6, 80
	b, err := newStepBuilder(keys, "random", markets)
	if err != nil {
		return b.sc, err
	}
	rnd := newStream("perp-trade-steps-random")
	for i := 0; i < accounts; i++ {
		var pos [][3]int64
		for m := 0; m < markets && len(pos) < 3; m++ {
			if rnd.intn(2) == 0 {
				pos = append(pos, [3]int64{int64(m), rnd.i64(200) | 1, int64(rnd.intn(1 << 36))})
			}
		}
		if err := b.account(uint32(40+i), i, 60_000+int64(rnd.intn(900_000)), pos...); err != nil {
			return b.sc, err
		}
	}
	if err := b.begin(); err != nil {
		return b.sc, err
	}
	type open struct {
		o   messages.OrderMessage
		fee int64
	}
	var orders []open // orders that may be filled again
	fees := []int64{-100, 0, 200, 500, 1_000}
	for n := 0; n < trades; n++ {
		market := uint16(rnd.intn(markets + 1))
		mp := int64(1000 + 100*int64(market))
		price := mp + rnd.i64(mp/5)
		size := 1 + int64(rnd.intn(150))
		mk := func(acc uint32, side uint8) open {
			if len(orders) > 0 && rnd.intn(4) == 0 {
				o := orders[rnd.intn(uint64(len(orders)))]
				if o.o.Account == acc && o.o.Side == side && o.o.Market == market {
					return o
				}
			}
			limit := uint64(price + int64(rnd.intn(40)) - 3) // mostly no worse than the price
			if side == 1 {
				limit = uint64(price - int64(rnd.intn(40)) + 3)
			}
			nonce := uint64(0)
			if rnd.intn(5) == 0 {
				nonce = 1 + rnd.intn(3)*4096 + rnd.intn(4) // few slots, several nonces each
			}
			fee := fees[rnd.intn(uint64(len(fees)))]
			feeCap := uint32(max(fee, 0)) + uint32(rnd.intn(300)) // mostly at or above the rate
			if rnd.intn(10) == 0 {
				feeCap = uint32(rnd.intn(200))
			}
			o := b.order(acc, market, side, uint64(size)+rnd.intn(120)-10, limit, feeCap, nonce)
			o.ReduceOnly = rnd.intn(10) == 0
			r := open{o, fee}
			orders = append(orders, r)
			return r
		}
		buyer := uint32(40 + rnd.intn(accounts))
		seller := uint32(40 + rnd.intn(accounts))
		if buyer == seller && rnd.intn(4) != 0 {
			seller = 40 + (seller-40+1)%accounts
		}
		bo, so := mk(buyer, 0), mk(seller, 1)
		sb, ss, err := b.pair(bo.o, so.o, bo.fee, so.fee)
		if err != nil {
			return b.sc, err
		}
		note := fmt.Sprintf("random trade %d", n)
		if err := b.trade(note, uint8(market), price, size, sb, ss, outcome{any: true}); err != nil {
			return b.sc, err
		}
	}
	return b.sc, nil
}
