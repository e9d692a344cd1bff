package vectors

import (
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// FileLiquidationSteps holds liquidation fills, insurance takeovers and deleveragings executed as
// state transitions over layout v2 by liqstep.ApplyLiquidation, ApplyTakeover and
// ApplyDeleverage: scenarios, each an initial state (as perp-trade-steps.json's) and a sequence of
// steps with, for an accepted step, the state root after it and the public data of the step's
// witness (liqstep.Witness…), or the refusal of a refused one. The Java batcher replays them on
// its RocksDB tree (batcher LiquidationStepsVectorsTest).
const FileLiquidationSteps = "liquidation-steps.json"

// liqStepsFeePpm is the deployment's liquidation fee rate of every scenario (1%, the engine's
// default LiquidationConfig.feePpm).
const liqStepsFeePpm = 10_000

type liqStepsFile struct {
	Generator Generator          `json:"generator"`
	Domain    tradeStepsDomain   `json:"domain"`
	FeePpm    string             `json:"feePpm"`
	Errors    []string           `json:"errors"` // the typed refusals that are not rule breaks
	Scenarios []liqStepsScenario `json:"scenarios"`
}

type liqStepsScenario struct {
	Name          string        `json:"name"`
	Initial       v2State       `json:"initial"`
	OracleSigners v2SignerSet   `json:"oracleSigners"`
	FeeTiers      v2FeeTiers    `json:"feeTiers"`
	Steps         []liqStepCase `json:"steps"`
}

// liqStepCase is one step. Type is "liquidation" (Account sells to or buys from Liquidator's
// resting order: Price, Size, Fee), "takeover" (the fund takes Delta of Account's position at
// Price) or "deleveraging" (Account's position moves by Delta against Deleverager's at Price). On
// acceptance Root is the state root after it and PublicData the step's public data; on refusal
// Rules lists the broken rules of perp/reference in the reference's order, or Error names a typed
// refusal (one of the file's "errors"); the state is then unchanged.
type liqStepCase struct {
	Note        string         `json:"note"`
	Type        string         `json:"type"`
	Market      uint8          `json:"market"`
	Account     uint32         `json:"account"`
	Price       string         `json:"price"`
	Size        string         `json:"size,omitempty"`
	Fee         string         `json:"fee,omitempty"`
	Liquidator  *tradeStepSide `json:"liquidator,omitempty"`
	Delta       string         `json:"delta,omitempty"`
	Deleverager *uint32        `json:"deleverager,omitempty"`
	Root        string         `json:"root,omitempty"`
	PublicData  string         `json:"publicData,omitempty"`
	Rules       []string       `json:"rules,omitempty"`
	Error       string         `json:"error,omitempty"`
}

// liqStepErrors names liqstep's typed refusals other than rule breaks.
var liqStepErrors = []struct {
	name string
	err  error
}{
	{"unknown-market", liqstep.ErrUnknownMarket},
	{"no-account", liqstep.ErrNoAccount},
	{"same-account", liqstep.ErrSameAccount},
	{"fund-account", liqstep.ErrFundAccount},
	{"too-many-positions", liqstep.ErrTooManyPositions},
	{"out-of-range", liqstep.ErrOutOfRange},
}

// Shape of the witnesses the public data is taken from: 8 entries, a table of 16 markets.
const (
	liqStepsN = layoutv2.MaxPositions
	liqStepsK = 16 // above every market id the scenarios list
)

// liqBuilder is a stepBuilder recording liquidation steps.
type liqBuilder struct {
	*stepBuilder
	sc liqStepsScenario
}

func newLiqBuilder(keys []key, name string, markets int, fundCollateral int64) (*liqBuilder, error) {
	sb, err := newStepBuilder(keys, name, markets)
	if err != nil {
		return nil, err
	}
	b := &liqBuilder{stepBuilder: sb, sc: liqStepsScenario{Name: name}}
	return b, b.state.SetAccount(liqstep.FundAccount, layoutv2.AccountFields{Collateral: fundCollateral})
}

// start records the initial state.
func (b *liqBuilder) start() error {
	if err := b.stepBuilder.begin(); err != nil {
		return err
	}
	b.sc.Initial, b.sc.OracleSigners, b.sc.FeeTiers = b.stepBuilder.sc.Initial, b.stepBuilder.sc.OracleSigners, b.stepBuilder.sc.FeeTiers
	return nil
}

// figures is an account's equity (funding counted) and Σ MMR at the oracle prices.
func (b *liqBuilder) figures(id uint32) (equity, mmr int64, err error) {
	a, ok := b.state.Account(uint64(id))
	if !ok {
		return 0, 0, fmt.Errorf("no account %d", id)
	}
	markets, err := perpstep.ReferenceMarkets(b.state)
	if err != nil {
		return 0, 0, err
	}
	r, _, _ := reference.Settle(markets, a.Collateral, perpstep.ReferenceList(a.Positions), 0, int(a.Positions[0].Market), 0, 0, 0)
	return r.Equity0, r.MMR0, nil
}

// setEquity moves an account's collateral so that its equity becomes target(Σ MMR).
func (b *liqBuilder) setEquity(id uint32, target func(mmr int64) int64) error {
	e, mmr, err := b.figures(id)
	if err != nil {
		return err
	}
	a, _ := b.state.Account(uint64(id))
	return b.state.SetAccount(uint64(id), layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce,
		Collateral: a.Collateral + target(mmr) - e, Positions: a.Positions})
}

// bankruptcy is the account's bankruptcy price of closing c (signed like its position) now.
func (b *liqBuilder) bankruptcy(id uint32, market uint8, c int64) (int64, error) {
	a, _ := b.state.Account(uint64(id))
	markets, err := perpstep.ReferenceMarkets(b.state)
	if err != nil {
		return 0, err
	}
	return reference.BankruptcyPrice(markets, a.Collateral, perpstep.ReferenceList(a.Positions), int(market), c)
}

// feeBound is the engine's fee for l, min(⌈N·feePpm/10^6⌉, max(0, equity after the fill before the
// fee)), from the reference's Settle of the liquidated account (0 when a figure is out of range).
func (b *liqBuilder) feeBound(l liqstep.Liquidation) int64 {
	up, err := reference.MulPpmUp(l.Price*l.Size, l.FeePpm)
	a, ok := b.state.Account(uint64(l.Account))
	markets, err2 := perpstep.ReferenceMarkets(b.state)
	slot := perpstep.EntryFor(a.Positions, l.Market)
	if err != nil || err2 != nil || !ok || slot < 0 {
		return 0
	}
	d := l.Size
	if l.Liquidator.Order.Side == 0 { // the liquidator buys: the liquidated account sells
		d = -d
	}
	r, _, _ := reference.Settle(markets, a.Collateral, perpstep.ReferenceList(a.Positions), slot, int(l.Market), d, l.Price, 0)
	return min(up, max(0, r.Equity1))
}

// liquidation is a liquidation of Account against the signed resting order o at price and size,
// the fee at the engine's bound when fee < 0.
func (b *liqBuilder) liquidation(account uint32, o messages.OrderMessage, makerFee int64, price, size, fee int64) (liqstep.Liquidation, error) {
	so, err := b.signed(o, makerFee, -1, tradeStepDomain)
	if err != nil {
		return liqstep.Liquidation{}, err
	}
	l := liqstep.Liquidation{Domain: tradeStepDomain, Market: uint8(o.Market), Price: price, Size: size, Account: account,
		Liquidator: so, FeePpm: liqStepsFeePpm, Fee: fee}
	if fee < 0 {
		l.Fee = b.feeBound(l)
	}
	return l, nil
}

func pubBytes(v []frontend.Variable) ([]byte, error) {
	out := make([]byte, len(v))
	for i, x := range v {
		switch y := x.(type) {
		case byte:
			out[i] = y
		case int:
			out[i] = byte(y)
		default:
			return nil, fmt.Errorf("public data byte %d is a %T", i, x)
		}
	}
	return out, nil
}

// record runs one step, checks it ends as want and appends it; an accepted step moves the state.
// witness returns the step's public data and new root from the step's witness.
func (b *liqBuilder) record(c liqStepCase, apply func(*layoutv2.State) (*layoutv2.State, error),
	witness func(*layoutv2.State) ([]byte, fr.Element, error), want outcome) error {
	before := b.state.Root()
	next, err := apply(b.state)
	if b.state.Root() != before {
		return fmt.Errorf("%s: the step changed the old state", c.Note)
	}
	var re *liqstep.RuleError
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
			return fmt.Errorf("%s: accepted, want %v %v", c.Note, want.rules, want.err)
		}
		pd, root, err := witness(b.state)
		if err != nil {
			return fmt.Errorf("%s: witness: %w", c.Note, err)
		}
		if root != next.Root() {
			return fmt.Errorf("%s: the witness's new root is not Apply's", c.Note)
		}
		b.state = next
		c.Root, c.PublicData = hexFr(next.Root()), hexBytes(pd)
	case errors.As(err, &re):
		if want.err != nil || !slices.Equal(re.Rules, want.rules) {
			return fmt.Errorf("%s: refused with %v, want %v %v", c.Note, re.Rules, want.rules, want.err)
		}
		for _, r := range re.Rules {
			c.Rules = append(c.Rules, string(r))
		}
	default:
		if want.err == nil || !errors.Is(err, want.err) {
			return fmt.Errorf("%s: %v, want %v %v", c.Note, err, want.rules, want.err)
		}
		for _, e := range liqStepErrors {
			if errors.Is(err, e.err) {
				c.Error = e.name
				break
			}
		}
		if c.Error == "" {
			return fmt.Errorf("%s: untyped error %v", c.Note, err)
		}
	}
	b.sc.Steps = append(b.sc.Steps, c)
	return nil
}

func rootOfCircuit(v frontend.Variable) (fr.Element, error) {
	var e fr.Element
	switch x := v.(type) {
	case *big.Int:
		e.SetBigInt(x)
	case fr.Element:
		e = x
	default:
		return e, fmt.Errorf("root is a %T", v)
	}
	return e, nil
}

func (b *liqBuilder) liquidate(note string, l liqstep.Liquidation, want outcome) error {
	side := stepSide(l.Liquidator)
	c := liqStepCase{Note: note, Type: "liquidation", Market: l.Market, Account: l.Account, Price: decI64(l.Price),
		Size: decI64(l.Size), Fee: decI64(l.Fee), Liquidator: &side}
	return b.record(c, func(s *layoutv2.State) (*layoutv2.State, error) { return liqstep.ApplyLiquidation(s, l) },
		func(s *layoutv2.State) ([]byte, fr.Element, error) {
			w, _, err := liqstep.WitnessLiquidation(s, l, liqStepsN, liqStepsK)
			if err != nil {
				return nil, fr.Element{}, err
			}
			pd, err := pubBytes(w.PublicData)
			if err != nil {
				return nil, fr.Element{}, err
			}
			root, err := rootOfCircuit(w.NewRoot)
			return pd, root, err
		}, want)
}

func (b *liqBuilder) takeover(note string, t liqstep.Takeover, want outcome) error {
	c := liqStepCase{Note: note, Type: "takeover", Market: t.Market, Account: t.Account, Price: decI64(t.Price), Delta: decI64(t.Delta)}
	return b.record(c, func(s *layoutv2.State) (*layoutv2.State, error) { return liqstep.ApplyTakeover(s, t) },
		func(s *layoutv2.State) ([]byte, fr.Element, error) {
			w, _, err := liqstep.WitnessTakeover(s, t, liqStepsN, liqStepsK)
			if err != nil {
				return nil, fr.Element{}, err
			}
			pd, err := pubBytes(w.PublicData)
			if err != nil {
				return nil, fr.Element{}, err
			}
			root, err := rootOfCircuit(w.NewRoot)
			return pd, root, err
		}, want)
}

func (b *liqBuilder) deleverage(note string, d liqstep.Deleveraging, want outcome) error {
	x := d.Deleverager
	c := liqStepCase{Note: note, Type: "deleveraging", Market: d.Market, Account: d.Account, Price: decI64(d.Price),
		Delta: decI64(d.Delta), Deleverager: &x}
	return b.record(c, func(s *layoutv2.State) (*layoutv2.State, error) { return liqstep.ApplyDeleverage(s, d) },
		func(s *layoutv2.State) ([]byte, fr.Element, error) {
			w, _, err := liqstep.WitnessDeleverage(s, d, liqStepsN, liqStepsK)
			if err != nil {
				return nil, fr.Element{}, err
			}
			pd, err := pubBytes(w.PublicData)
			if err != nil {
				return nil, fr.Element{}, err
			}
			root, err := rootOfCircuit(w.NewRoot)
			return pd, root, err
		}, want)
}

// opposite returns the lowest account id other than id holding a position in market of the sign
// opposite to c (the fund included).
func (b *liqBuilder) opposite(id uint32, market uint8, c int64) (uint32, bool) {
	for _, x := range b.state.AccountIDs() {
		a, _ := b.state.Account(x)
		for _, e := range a.Positions {
			if x != uint64(id) && e.Size != 0 && e.Market == market && (e.Size > 0) != (c > 0) {
				return uint32(x), true
			}
		}
	}
	return 0, false
}

// takeoverAt is a takeover of c (signed like the position) at the account's bankruptcy price
// now, plus off.
func (b *liqBuilder) takeoverAt(account uint32, market uint8, c, off int64) (liqstep.Takeover, error) {
	p, err := b.bankruptcy(account, market, c)
	return liqstep.Takeover{Account: account, Market: market, Delta: -c, Price: p + off}, err
}

// deleveragingAt is a deleveraging of c against x at the account's bankruptcy price now, plus off.
func (b *liqBuilder) deleveragingAt(account, x uint32, market uint8, c, off int64) (liqstep.Deleveraging, error) {
	p, err := b.bankruptcy(account, market, c)
	return liqstep.Deleveraging{Account: account, Deleverager: x, Market: market, Delta: -c, Price: p + off}, err
}

func genLiquidationSteps(keys []key) (any, error) {
	f := liqStepsFile{Generator: generatorInfo(), FeePpm: decI64(liqStepsFeePpm),
		Domain: tradeStepsDomain{ChainID: decU64(tradeStepDomain.ChainID), Rollup: hexBytes(tradeStepDomain.Rollup[:])}}
	for _, e := range liqStepErrors {
		f.Errors = append(f.Errors, e.name)
	}
	for _, gen := range []func([]key) (liqStepsScenario, error){liqStepsSequence, liqStepsBankrupt, liqStepsRefusals, liqStepsRandom} {
		sc, err := gen(keys)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sc.Name, err)
		}
		f.Scenarios = append(f.Scenarios, sc)
	}
	return f, nil
}

// runSteps runs the builder's steps in order, stopping at the first error.
func runSteps(steps ...func() error) error {
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

// liqStepsSequence: liquidation fills, takeovers and a deleveraging on accounts with one and with
// several positions, funding pending on every entry, prices set in the market leaves: an order
// filled across two liquidations (fill slot accumulating), the fund taking parts over into its
// lowest empty entry, a maker opening a new market, a short bought back.
func liqStepsSequence(keys []key) (liqStepsScenario, error) {
	b, err := newLiqBuilder(keys, "sequence", 6, 1_000_000)
	if err != nil {
		return liqStepsScenario{Name: "sequence"}, err
	}
	err = runSteps(
		func() error { return b.account(11, 0, 0, [3]int64{3, 100, 2_500_000_000}) },
		func() error {
			return b.account(12, 1, 0, [3]int64{1, 80, 700_000_000}, [3]int64{2, -60, -1_300_000_000}, [3]int64{4, 40, 3_100_000_000})
		},
		func() error { return b.account(5, 2, 200_000, [3]int64{0, 15, 40_000_000}) },
		func() error { return b.account(6, 3, 300_000, [3]int64{2, 25, 5_000_000}) },
		func() error { return b.account(9, 4, 300_000, [3]int64{3, -150, 1_000_000_000}) },
		func() error { return b.fill(5, 70_000, 20) },
		func() error { return b.setEquity(11, func(mmr int64) int64 { return mmr - 2_000 }) },
		func() error { return b.setEquity(12, func(mmr int64) int64 { return mmr - 900 }) },
		b.start,
	)
	if err != nil {
		return b.sc, err
	}
	buy := b.order(5, 3, 0, 100, 1_310, 500, 70_000) // 20 filled before
	l, err := b.liquidation(11, buy, 300, 1_295, 10, -1)
	if err != nil {
		return b.sc, err
	}
	if err := b.liquidate("account 11 (long 100, 2,000 below maintenance) sells 10 to account 5's resting buy (20 filled before) at 1,295, fee at its bound", l, accepted); err != nil {
		return b.sc, err
	}
	if l, err = b.liquidation(11, buy, 300, 1_300, 15, -1); err != nil {
		return b.sc, err
	}
	if err := b.liquidate("the same resting buy takes 15 more (filled 45 of 100)", l, accepted); err != nil {
		return b.sc, err
	}
	t, err := b.takeoverAt(11, 3, 10, 0)
	if err != nil {
		return b.sc, err
	}
	if err := b.takeover("the fund takes 10 of account 11's long at its bankruptcy price into its lowest empty entry", t, accepted); err != nil {
		return b.sc, err
	}
	sell := b.order(6, 2, 1, 40, 1_190, 300, 0)
	if l, err = b.liquidation(12, sell, 0, 1_205, 20, -1); err != nil {
		return b.sc, err
	}
	if err := b.liquidate("account 12 (three positions) buys back 20 of its short 60 in market 2 from account 6's resting sell (6 reduces its long)", l, accepted); err != nil {
		return b.sc, err
	}
	buy1 := b.order(6, 1, 0, 30, 1_100, 300, 0)
	if l, err = b.liquidation(12, buy1, 100, 1_095, 30, -1); err != nil {
		return b.sc, err
	}
	if err := b.liquidate("account 12 sells 30 of its long 80 in market 1 to account 6, which opens market 1 in its lowest empty entry", l, accepted); err != nil {
		return b.sc, err
	}
	if t, err = b.takeoverAt(12, 4, 40, 0); err != nil {
		return b.sc, err
	}
	if err := b.takeover("the fund takes account 12's whole long 40 in market 4 (its entry emptied)", t, outcome{any: true}); err != nil {
		return b.sc, err
	}
	return b.sc, nil
}

// liqStepsBankrupt: a bankrupt account (equity < 0, a long and a short) deleveraged in parts
// against two opposite positions and then against the fund, each at the bankruptcy price of the
// state before it; a bankrupt account taken over by the fund.
func liqStepsBankrupt(keys []key) (liqStepsScenario, error) {
	b, err := newLiqBuilder(keys, "bankrupt", 5, 2_000_000)
	if err != nil {
		return liqStepsScenario{Name: "bankrupt"}, err
	}
	fund := layoutv2.Positions{{Market: 1, Size: 50, FundingSnapshot: stepMarket(1).FundingIndex - 300_000_000}}
	err = runSteps(
		func() error {
			return b.account(20, 0, 0, [3]int64{3, 100, 2_000_000_000}, [3]int64{1, -20, -400_000_000})
		},
		func() error { return b.account(21, 1, 400_000, [3]int64{3, -60, 900_000_000}) },
		func() error { return b.account(22, 2, 500_000, [3]int64{0, 5, 1}, [3]int64{3, -200, -77_000_000}) },
		func() error { return b.account(23, 3, 0, [3]int64{0, 30, 123_456_789}) },
		func() error {
			f, _ := b.state.Account(liqstep.FundAccount)
			return b.state.SetAccount(liqstep.FundAccount, layoutv2.AccountFields{Collateral: f.Collateral, Positions: fund})
		},
		func() error { return b.setEquity(20, func(int64) int64 { return -3_000 }) },
		func() error { return b.setEquity(23, func(int64) int64 { return -100 }) },
		b.start,
	)
	if err != nil {
		return b.sc, err
	}
	d, err := b.deleveragingAt(20, 21, 3, 40, 0)
	if err != nil {
		return b.sc, err
	}
	if err := b.deleverage("40 of bankrupt account 20's long 100 against account 21's short 60", d, accepted); err != nil {
		return b.sc, err
	}
	if d, err = b.deleveragingAt(20, 22, 3, 60, 0); err != nil {
		return b.sc, err
	}
	if err := b.deleverage("the other 60 against account 22's short 200 (its second entry), priced from the state after the first part", d, outcome{any: true}); err != nil {
		return b.sc, err
	}
	if d, err = b.deleveragingAt(20, uint32(liqstep.FundAccount), 1, -20, 0); err != nil {
		return b.sc, err
	}
	if err := b.deleverage("account 20's short 20 in market 1 against the fund's long 50 (the fund as deleverager)", d, outcome{any: true}); err != nil {
		return b.sc, err
	}
	t, err := b.takeoverAt(23, 0, 30, 0)
	if err != nil {
		return b.sc, err
	}
	if err := b.takeover("the fund takes over bankrupt account 23's whole long 30 in market 0", t, accepted); err != nil {
		return b.sc, err
	}
	return b.sc, nil
}

// liqStepsRefusals: each rule of the references and each typed refusal, alone where the rules
// allow, on one state (a refusal changes nothing), then accepted steps.
func liqStepsRefusals(keys []key) (liqStepsScenario, error) {
	b, err := newLiqBuilder(keys, "refusals", 8, 100)
	if err != nil {
		return liqStepsScenario{Name: "refusals"}, err
	}
	err = runSteps(
		func() error { return b.account(30, 0, 0, [3]int64{3, 100, 2_500_000_000}) },          // liquidatable
		func() error { return b.account(31, 1, 10_000_000, [3]int64{3, 100, 100}) },           // healthy
		func() error { return b.account(32, 2, 0, [3]int64{3, 100, 1}, [3]int64{2, -10, 1}) }, // bankrupt
		func() error { return b.account(33, 3, 500_000, [3]int64{3, -300, 5}) },               // deleverager
		func() error { return b.account(34, 4, 500_000, [3]int64{3, 50, 7}) },                 // same side
		func() error { return b.account(35, 5, -900, [3]int64{0, 1, 0}) },                     // little collateral
		func() error { return b.account(36, 6, 50_000_000, fullList(b, 3)...) },               // 8 entries, none in 3
		func() error { return b.account(37, 7, 800_000) },
		func() error { return b.account(38, 0, 0, [3]int64{5, 100, 77_000}) },
		func() error { return b.account(39, 1, 0, [3]int64{4, 1 << 40, 0}) },
		func() error { return b.setEquity(38, func(mmr int64) int64 { return mmr - 500 }) },
		func() error { return b.setEquity(39, func(mmr int64) int64 { return mmr - 500 }) }, // maker
		func() error { return b.setEquity(30, func(mmr int64) int64 { return mmr - 500 }) }, //
		func() error { return b.setEquity(32, func(int64) int64 { return -5_000 }) },        //
		func() error { return b.fill(37, 4096+3, 10) },                                      //
		func() error {
			mk, _ := b.state.Market(5)
			mk.Risk.MaxPositionSize = 50
			return b.state.SetMarket(5, mk)
		},
		b.start,
	)
	if err != nil {
		return b.sc, err
	}
	type liqCase struct {
		note     string
		account  uint32
		maker    uint32
		market   uint16 // the liquidation's market
		oMarket  uint16 // the order's, when not 0
		side     uint8
		limit    uint64
		size     uint64 // order size
		feeCap   uint32
		nonce    uint64
		reduce   bool
		makerFee int64
		price    int64
		fill     int64
		fee      int64 // −1: the bound; −2: the bound + 1
		key      int   // −1: the maker's key
		want     outcome
	}
	base := func() liqCase {
		return liqCase{account: 30, maker: 37, market: 3, side: 0, limit: 1_310, size: 100, feeCap: 500, makerFee: 300,
			price: 1_295, fill: 10, fee: -1, key: -1}
	}
	cases := []func(c *liqCase){
		func(c *liqCase) {
			c.note, c.account, c.want = "liquidation of a healthy account", 31, broken(reference.RuleNotLiquidatable)
		},
		func(c *liqCase) {
			c.note, c.fill, c.size, c.want = "sells 110 of a long 100 (a flip)", 110, 200, broken(reference.RuleShrink)
		},
		func(c *liqCase) {
			c.note, c.side, c.limit, c.price, c.want = "buys from a resting sell (a growth)", 1, 1_290, 1_295, broken(reference.RuleShrink)
		},
		func(c *liqCase) {
			c.note, c.fee, c.want = "fee one above its bound", -2, broken(reference.RuleLiquidationFee)
		},
		func(c *liqCase) { c.note, c.fee, c.want = "negative fee", -3, broken(reference.RuleLiquidationFee) },
		func(c *liqCase) {
			c.note, c.key, c.want = "the order signed by another key", 5, broken(reference.RuleSignature)
		},
		func(c *liqCase) {
			c.note, c.price, c.want = "price above the liquidator's limit", 1_311, broken(reference.RuleLimit)
		},
		func(c *liqCase) {
			c.note, c.size, c.want = "fill above the order's size", 5, broken(reference.RuleFill)
		},
		func(c *liqCase) {
			c.note, c.nonce, c.want = "order nonce older than its fill slot's", 3, broken(reference.RuleFill)
		},
		func(c *liqCase) {
			c.note, c.nonce, c.want = "an order with a newer nonce takes the fill slot over", 2*4096+3, accepted
		},
		func(c *liqCase) {
			c.note, c.makerFee, c.want = "maker fee above its cap", 501, broken(reference.RuleFeeCap)
		},
		func(c *liqCase) {
			c.note, c.maker, c.want = "liquidator below initial margin after the fill", 35, broken(reference.RuleMargin)
		},
		func(c *liqCase) {
			c.note, c.reduce, c.want = "the liquidator's reduce-only order would open a position", true, broken(reference.RuleReduceOnly)
		},
		func(c *liqCase) {
			c.note, c.maker, c.want = "the liquidator holds 8 positions, none in the market", 36, failing(liqstep.ErrTooManyPositions)
		},
		func(c *liqCase) {
			c.note, c.maker, c.want = "the liquidated account liquidates itself", 30, failing(liqstep.ErrSameAccount)
		},
		func(c *liqCase) {
			c.note, c.account, c.want = "the fund liquidated", uint32(liqstep.FundAccount), failing(liqstep.ErrFundAccount)
		},
		func(c *liqCase) {
			c.note, c.account, c.want = "the liquidated account does not exist", 77, failing(liqstep.ErrNoAccount)
		},
		func(c *liqCase) {
			c.note, c.market, c.want = "market not listed", 40, failing(liqstep.ErrUnknownMarket)
		},
		func(c *liqCase) {
			c.note, c.price, c.limit, c.want = "price of 2^32", 1<<32, 1<<33, failing(liqstep.ErrOutOfRange)
		},
		func(c *liqCase) {
			c.note, c.oMarket, c.want = "the liquidator's order is for another market", 2, broken(reference.RuleOrderFields)
		},
		func(c *liqCase) {
			c.note, c.account, c.market, c.limit, c.price, c.fill = "the liquidator's long grows above the market's maximum size (50)", 38, 5, 1_600, 1_495, 60
			c.want = broken(reference.RuleMaxSize)
		},
		func(c *liqCase) {
			c.note, c.account, c.market, c.limit, c.price, c.fill, c.size = "notional above the int64 range (2^40 at 2^31)", 39, 4, 1<<31, 1<<31, 1<<40, 1<<41
			c.fee, c.want = 0, outcome{any: true}
		},
		func(c *liqCase) { c.note, c.fee, c.want = "accepted after the refusals", -1, accepted },
	}
	for _, mutate := range cases {
		c := base()
		mutate(&c)
		om := c.market
		if c.oMarket != 0 {
			om = c.oMarket
		}
		o := b.order(c.maker, om, c.side, c.size, c.limit, c.feeCap, c.nonce)
		o.ReduceOnly = c.reduce
		so, err := b.signed(o, c.makerFee, c.key, tradeStepDomain)
		if err != nil {
			return b.sc, err
		}
		l := liqstep.Liquidation{Domain: tradeStepDomain, Market: uint8(c.market), Price: c.price, Size: c.fill, Account: c.account,
			Liquidator: so, FeePpm: liqStepsFeePpm}
		switch c.fee {
		case -1:
			l.Fee = b.feeBound(l)
		case -2:
			l.Fee = b.feeBound(l) + 1
		case -3:
			l.Fee = -1
		default:
			l.Fee = c.fee
		}
		if err := b.liquidate(c.note, l, c.want); err != nil {
			return b.sc, err
		}
	}
	// takeovers (the fund holds 100 + fees: a bankrupt account's part leaves it negative)
	t, err := b.takeoverAt(32, 3, 100, 0)
	if err != nil {
		return b.sc, err
	}
	moves := []struct {
		run func() error
	}{
		{func() error {
			return b.takeover("takeover leaving the fund's equity negative", t, broken(reference.RuleFundEquity))
		}},
		{func() error {
			t, err := b.takeoverAt(31, 3, 10, 0)
			if err != nil {
				return err
			}
			return b.takeover("takeover of a healthy account", t, broken(reference.RuleNotLiquidatable))
		}},
		{func() error {
			t, err := b.takeoverAt(30, 3, 10, 1)
			if err != nil {
				return err
			}
			return b.takeover("takeover one above the bankruptcy price", t, broken(reference.RuleBankruptcyPrice))
		}},
		{func() error {
			t, err := b.takeoverAt(30, 3, 10, -1)
			if err != nil {
				return err
			}
			return b.takeover("takeover one below the bankruptcy price", t, broken(reference.RuleBankruptcyPrice))
		}},
		{func() error {
			t, err := b.takeoverAt(30, 3, -10, 0)
			if err != nil {
				return err
			}
			return b.takeover("takeover growing the position (the fund, holding little, pays for it too)", t, broken(reference.RuleShrink, reference.RuleFundEquity))
		}},
		{func() error {
			return b.takeover("takeover of the fund", liqstep.Takeover{Account: uint32(liqstep.FundAccount), Market: 3, Delta: -1, Price: 1}, failing(liqstep.ErrFundAccount))
		}},
		{func() error {
			return b.takeover("takeover in an unlisted market", liqstep.Takeover{Account: 30, Market: 50, Delta: -1, Price: 1}, failing(liqstep.ErrUnknownMarket))
		}},
		{func() error {
			return b.takeover("takeover of a missing account", liqstep.Takeover{Account: 78, Market: 3, Delta: -1, Price: 1}, failing(liqstep.ErrNoAccount))
		}},
		{func() error {
			return b.takeover("takeover at a price of 2^32", liqstep.Takeover{Account: 30, Market: 3, Delta: -1, Price: 1 << 32}, failing(liqstep.ErrOutOfRange))
		}},
		{func() error {
			d, err := b.deleveragingAt(31, 33, 3, 10, 0)
			if err != nil {
				return err
			}
			return b.deleverage("deleveraging an account whose equity is ≥ 0", d, broken(reference.RuleNotBankrupt))
		}},
		{func() error {
			d, err := b.deleveragingAt(32, 34, 3, 10, 0)
			if err != nil {
				return err
			}
			return b.deleverage("the deleverager holds the same side (it would grow)", d, broken(reference.RuleDeleveragerShrinks))
		}},
		{func() error {
			d, err := b.deleveragingAt(32, 33, 3, 10, 1)
			if err != nil {
				return err
			}
			return b.deleverage("deleveraging one above the bankruptcy price", d, broken(reference.RuleBankruptcyPrice))
		}},
		{func() error {
			d, err := b.deleveragingAt(32, 33, 3, 110, 0)
			if err != nil {
				return err
			}
			return b.deleverage("deleveraging 110 of a long 100 (a flip)", d, outcome{any: true})
		}},
		{func() error {
			d, err := b.deleveragingAt(32, 33, 3, 10, 0)
			if err != nil {
				return err
			}
			d.Deleverager = 32
			return b.deleverage("the deleveraged account as its own deleverager", d, failing(liqstep.ErrSameAccount))
		}},
		{func() error {
			return b.deleverage("deleveraging the fund", liqstep.Deleveraging{Account: uint32(liqstep.FundAccount), Deleverager: 33, Market: 3, Delta: -1, Price: 1}, failing(liqstep.ErrFundAccount))
		}},
		{func() error {
			return b.deleverage("the deleverager holds 8 positions, none in the market", liqstep.Deleveraging{Account: 32, Deleverager: 36, Market: 3, Delta: -1, Price: 1}, failing(liqstep.ErrTooManyPositions))
		}},
		{func() error {
			return b.deleverage("the deleverager does not exist", liqstep.Deleveraging{Account: 32, Deleverager: 79, Market: 3, Delta: -1, Price: 1}, failing(liqstep.ErrNoAccount))
		}},
		{func() error {
			d, err := b.deleveragingAt(32, 33, 3, 10, 0)
			if err != nil {
				return err
			}
			return b.deleverage("deleveraging 10 of the bankrupt long against account 33's short, accepted after the refusals", d, accepted)
		}},
	}
	for _, m := range moves {
		if err := m.run(); err != nil {
			return b.sc, err
		}
	}
	return b.sc, nil
}

// fullList is 8 entries of markets other than skip (ids 0 … 8), shorts with snapshots off the
// index.
func fullList(_ *liqBuilder, skip int64) [][3]int64 {
	var out [][3]int64
	for m := int64(0); len(out) < 8; m++ {
		if m != skip {
			out = append(out, [3]int64{m, -5 - m, 1_000 * m})
		}
	}
	return out
}

// liqStepsRandom: seeded random liquidations, takeovers and deleveragings: six accounts with
// random positions in six markets, their equity drawn around maintenance and around 0, against
// four healthy makers and deleveragers (and now and then any account):
// prices and fees around their bounds, sizes around the positions, takeovers and deleveragings at
// the bankruptcy price or one off it, unlisted markets, the fund and one account on both sides now
// and then; each recorded as the references decide it.
func liqStepsRandom(keys []key) (liqStepsScenario, error) {
	const accounts, markets, steps = 10, 6, 90
	const healthy = 4 // accounts 46 … 49: makers and deleveragers with ample collateral
	b, err := newLiqBuilder(keys, "random", markets, 500_000)
	if err != nil {
		return liqStepsScenario{Name: "random"}, err
	}
	rnd := newStream("liquidation-steps-random")
	for i := 0; i < accounts; i++ {
		var pos [][3]int64
		for m := 0; m < markets && len(pos) < 3; m++ {
			if rnd.intn(2) == 0 || len(pos) == 0 && m == markets-1 {
				pos = append(pos, [3]int64{int64(m), rnd.i64(150) | 1, int64(rnd.intn(1 << 33))})
			}
		}
		id := uint32(40 + i)
		if err := b.account(id, i%len(keys), 0, pos...); err != nil {
			return b.sc, err
		}
		off := int64(rnd.intn(2_000)) - 1_000
		if i >= accounts-healthy {
			if err := b.setEquity(id, func(mmr int64) int64 { return 5_000_000 + off }); err != nil {
				return b.sc, err
			}
		} else if i%3 == 2 {
			if err := b.setEquity(id, func(int64) int64 { return off - 1_000 }); err != nil {
				return b.sc, err
			}
		} else if err := b.setEquity(id, func(mmr int64) int64 { return mmr + off/2 - 300 }); err != nil {
			return b.sc, err
		}
	}
	if err := b.start(); err != nil {
		return b.sc, err
	}
	pick := func() uint32 { return uint32(40 + rnd.intn(accounts)) }
	counterparty := func(id uint32) uint32 {
		if rnd.intn(5) == 0 {
			return pick()
		}
		x := uint32(40 + accounts - healthy + rnd.intn(healthy))
		if x == id {
			x = 40 + accounts - healthy + (x-40-accounts+healthy+1)%healthy
		}
		return x
	}
	// position returns the account's entry in a random market it holds (or a random market)
	position := func(id uint32) (uint8, int64) {
		a, ok := b.state.Account(uint64(id))
		if ok {
			var held []layoutv2.PositionEntry
			for _, e := range a.Positions {
				if e.Size != 0 {
					held = append(held, e)
				}
			}
			if len(held) > 0 && rnd.intn(8) != 0 {
				e := held[rnd.intn(uint64(len(held)))]
				return e.Market, e.Size
			}
		}
		return uint8(rnd.intn(markets + 1)), 1 + rnd.i64(20)
	}
	part := func(s int64) int64 {
		abs := s
		if abs < 0 {
			abs = -abs
		}
		q := 1 + int64(rnd.intn(uint64(abs)+2))
		if rnd.intn(6) == 0 {
			q = abs // the whole position
		}
		if s < 0 {
			return -q
		}
		return q
	}
	for n := 0; n < steps; n++ {
		id := uint32(40 + rnd.intn(accounts-healthy))
		if rnd.intn(10) == 0 {
			id = pick()
		}
		market, s := position(id)
		c := part(s)
		note := fmt.Sprintf("random step %d", n)
		switch rnd.intn(3) {
		case 0: // liquidation against a fresh resting order of another account
			maker := counterparty(id)
			mp := int64(1000 + 100*int64(market))
			price := mp + rnd.i64(mp/50)
			side := uint8(0) // a buy takes a long's sale
			limit := uint64(price + int64(rnd.intn(20)) - 2)
			if c < 0 {
				side, limit = 1, uint64(price-int64(rnd.intn(20))+2)
			}
			size := c
			if size < 0 {
				size = -size
			}
			fee := []int64{0, 100, 300}[rnd.intn(3)]
			o := b.order(maker, uint16(market), side, uint64(size)+rnd.intn(30), limit, uint32(fee)+uint32(rnd.intn(100)), 0)
			l, err := b.liquidation(id, o, fee, price, size, -1)
			if err != nil {
				return b.sc, err
			}
			switch rnd.intn(5) {
			case 0:
				l.Fee++
			case 1:
				l.Fee = l.Fee / 2
			}
			if err := b.liquidate(note+": liquidation", l, outcome{any: true}); err != nil {
				return b.sc, err
			}
		case 1:
			off := []int64{0, 0, 0, 1, -1}[rnd.intn(5)]
			p, err := b.bankruptcy(id, market, c)
			if err != nil {
				p = 1
			}
			if err := b.takeover(note+": takeover", liqstep.Takeover{Account: id, Market: market, Delta: -c, Price: p + off}, outcome{any: true}); err != nil {
				return b.sc, err
			}
		default:
			x := counterparty(id)
			if rnd.intn(6) == 0 {
				x = uint32(liqstep.FundAccount)
			} else if o, ok := b.opposite(id, market, c); ok && rnd.intn(3) != 0 {
				x = o // an account holding the opposite side, as the engine's ranking picks
			}
			off := []int64{0, 0, 0, 1, -1}[rnd.intn(5)]
			p, err := b.bankruptcy(id, market, c)
			if err != nil {
				p = 1
			}
			if err := b.deleverage(note+": deleveraging", liqstep.Deleveraging{Account: id, Deleverager: x, Market: market, Delta: -c, Price: p + off}, outcome{any: true}); err != nil {
				return b.sc, err
			}
		}
	}
	return b.sc, nil
}
