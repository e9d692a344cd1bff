package vectors

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/schema"

	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// FileTradeStepElements holds the format v3 witness elements of trade steps: for each accepted
// trade of its scenarios, the field elements of the step's perpstep.TradeTransition exactly as
// batchv3.Encode writes them in a trade slot, for one or more shapes (N list entries per account,
// K markets in the table). The leaf names of a shape (gnark's schema path, "." between the parts)
// are listed once per shape. A shape the trade does not fit (an entry ≥ N used, a market ≥ K) is
// listed as refused. The Java batcher executes the trades on its RocksDB tree and must produce the
// same elements, name by name (batcher TradeStepElementsVectorsTest).
const FileTradeStepElements = "trade-step-elements.json"

type tradeElementsFile struct {
	Generator Generator                      `json:"generator"`
	Domain    tradeStepsDomain               `json:"domain"`
	Shapes    []tradeElementsShape           `json:"shapes"`
	Scenarios []tradeElementsScenario        `json:"scenarios"`
	shapes    map[[2]int]*tradeElementsShape // (n, k) → its entry in Shapes
}

// tradeElementsShape names the elements of a trade slot of shape (N, K), in encoding order.
type tradeElementsShape struct {
	N     int      `json:"n"`
	K     int      `json:"k"`
	Names []string `json:"names"`
}

type tradeElementsScenario struct {
	Name          string              `json:"name"`
	Initial       v2State             `json:"initial"`
	OracleSigners v2SignerSet         `json:"oracleSigners"`
	FeeTiers      v2FeeTiers          `json:"feeTiers"`
	Trades        []tradeElementsCase `json:"trades"`
}

// tradeElementsCase is one accepted trade (fields as perp-trade-steps.json's trades), the state
// root after it, its elements for each shape in Encodings and the shapes it does not fit.
type tradeElementsCase struct {
	Note          string                  `json:"note"`
	Market        uint8                   `json:"market"`
	Price         string                  `json:"price"`
	Size          string                  `json:"size"`
	Buyer         tradeStepSide           `json:"buyer"`
	Seller        tradeStepSide           `json:"seller"`
	Root          string                  `json:"root"`
	Encodings     []tradeElementsEncoding `json:"encodings"`
	ShapeRefusals [][2]int                `json:"shapeRefusals"` // (n, k) pairs: perpstep.ErrShape
}

// tradeElementsEncoding is the slot body of one shape: the elements, hex, in the order of the
// shape's names.
type tradeElementsEncoding struct {
	N        int      `json:"n"`
	K        int      `json:"k"`
	Elements []string `json:"elements"`
}

// shapeFit is a (n, k) pair a case is encoded in (fits) or refused in (!fits).
type shapeFit struct {
	n, k int
	fits bool
}

func fit(n, k int) shapeFit    { return shapeFit{n, k, true} }
func misfit(n, k int) shapeFit { return shapeFit{n, k, false} }

func genTradeStepElements(keys []key) (any, error) {
	f := &tradeElementsFile{Generator: generatorInfo(),
		Domain: tradeStepsDomain{ChainID: decU64(tradeStepDomain.ChainID), Rollup: hexBytes(tradeStepDomain.Rollup[:])},
		shapes: map[[2]int]*tradeElementsShape{}}
	for _, gen := range []func(*tradeElementsFile, []key) (tradeElementsScenario, error){elementsOneMarket, elementsSeveralMarkets, elementsTwoEntries, elementsWideValues} {
		sc, err := gen(f, keys)
		if err != nil {
			return nil, err
		}
		f.Scenarios = append(f.Scenarios, sc)
	}
	f.Shapes = nil
	for _, n := range []int{1, 2, 8} {
		for _, k := range []int{1, 3} {
			if s, ok := f.shapes[[2]int{n, k}]; ok {
				f.Shapes = append(f.Shapes, *s)
			}
		}
	}
	if len(f.Shapes) != len(f.shapes) {
		return nil, fmt.Errorf("a shape outside N ∈ {1, 2, 8}, K ∈ {1, 3}")
	}
	return f, nil
}

// elementsBuilder records the accepted trades of one scenario with their encodings.
type elementsBuilder struct {
	*stepBuilder
	file *tradeElementsFile
	sc   tradeElementsScenario
}

func newElementsBuilder(f *tradeElementsFile, keys []key, name string, markets ...int) (*elementsBuilder, error) {
	b, err := newStepBuilder(keys, name, 0)
	if err != nil {
		return nil, err
	}
	for _, m := range markets {
		if err := b.state.SetMarket(uint64(m), stepMarket(m)); err != nil {
			return nil, err
		}
	}
	return &elementsBuilder{stepBuilder: b, file: f, sc: tradeElementsScenario{Name: name}}, nil
}

// start records the initial state (after every account is set).
func (e *elementsBuilder) start() error {
	if err := e.begin(); err != nil {
		return err
	}
	e.sc.Initial, e.sc.OracleSigners, e.sc.FeeTiers = e.stepBuilder.sc.Initial, e.stepBuilder.sc.OracleSigners, e.stepBuilder.sc.FeeTiers
	return nil
}

// trade executes an accepted trade, encodes it for every fitting shape through batchv3 (Seal,
// Encode) and checks every misfit is refused with perpstep.ErrShape; the scenario's state moves
// on.
func (e *elementsBuilder) trade(note string, market uint8, price, size int64, buyer, seller perpstep.SignedOrder, shapes ...shapeFit) error {
	t := perpstep.Trade{Domain: tradeStepDomain, Market: market, Price: price, Size: size, Buyer: buyer, Seller: seller}
	next, err := perpstep.ApplyTrade(e.state, t)
	if err != nil {
		return fmt.Errorf("%s: %w", note, err)
	}
	c := tradeElementsCase{Note: note, Market: market, Price: decI64(price), Size: decI64(size), Buyer: stepSide(buyer),
		Seller: stepSide(seller), Root: hexFr(next.Root()), ShapeRefusals: [][2]int{}}
	for _, s := range shapes {
		names, values, err := sealedTradeElements(e.state, t, s.n, s.k, next.Root())
		if !s.fits {
			if !errors.Is(err, perpstep.ErrShape) {
				return fmt.Errorf("%s: shape (%d, %d): %v, want ErrShape", note, s.n, s.k, err)
			}
			c.ShapeRefusals = append(c.ShapeRefusals, [2]int{s.n, s.k})
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: shape (%d, %d): %w", note, s.n, s.k, err)
		}
		if err := e.file.nameShape(s.n, s.k, names); err != nil {
			return fmt.Errorf("%s: %w", note, err)
		}
		enc := tradeElementsEncoding{N: s.n, K: s.k}
		for _, v := range values {
			enc.Elements = append(enc.Elements, hexFr(v))
		}
		c.Encodings = append(c.Encodings, enc)
	}
	e.sc.Trades = append(e.sc.Trades, c)
	e.state = next
	return nil
}

// nameShape records the names of shape (n, k), or checks them against those recorded.
func (f *tradeElementsFile) nameShape(n, k int, names []string) error {
	key := [2]int{n, k}
	if s, ok := f.shapes[key]; ok {
		if !slices.Equal(s.Names, names) {
			return fmt.Errorf("shape (%d, %d): leaf names differ between trades", n, k)
		}
		return nil
	}
	f.shapes[key] = &tradeElementsShape{N: n, K: k, Names: names}
	return nil
}

// sealedTradeElements seals a one-trade batch of shape (1 trade slot, n, k) with batchv3.Seal,
// encodes it with batchv3.Encode and returns the trade slot's leaf names (a schema walk of the
// slot's TradeTransition) and its elements, read back from the encoded bytes after checking the
// walk's values equal them. The batch's new root must be root.
func sealedTradeElements(s *layoutv2.State, t perpstep.Trade, n, k int, root fr.Element) ([]string, []fr.Element, error) {
	shape := batchv3.Shape{Trades: 1, N: n, K: k}
	sealed, err := batchv3.Seal(s, shape, []batchv3.Tx{t}, batchv3.Header{Domain: t.Domain})
	if err != nil {
		return nil, nil, err
	}
	if sealed.NewState.Root() != root {
		return nil, nil, fmt.Errorf("sealed batch ends at another root than ApplyTrade")
	}
	enc, err := batchv3.Encode(sealed.Witness)
	if err != nil {
		return nil, nil, err
	}
	names, walked, err := namedLeaves(sealed.Witness.Trades[0].Step)
	if err != nil {
		return nil, nil, err
	}
	// the trade group is the only group: its one slot (σ u16, flag u8, elements) ends the encoding
	body := enc[len(enc)-32*len(walked):]
	head := enc[len(enc)-32*len(walked)-3 : len(enc)-32*len(walked)]
	if !bytes.Equal(head, []byte{0, 0, 0}) || len(enc) != batchv3.EncodedSize(shape) {
		return nil, nil, fmt.Errorf("the trade slot is not where expected (σ 0, live)")
	}
	values := make([]fr.Element, len(walked))
	for i := range values {
		if err := values[i].SetBytesCanonical(body[32*i : 32*i+32]); err != nil {
			return nil, nil, err
		}
		if values[i] != walked[i] {
			return nil, nil, fmt.Errorf("element %d (%s): the encoding differs from the schema walk", i, names[i])
		}
	}
	return names, values, nil
}

var tVariableLeaf = reflect.TypeOf((*frontend.Variable)(nil)).Elem()

// namedLeaves walks a step's witness in gnark's schema order (as batchv3.Encode does) and returns
// each leaf's schema path with "." between its parts, and its value.
func namedLeaves(step any) ([]string, []fr.Element, error) {
	var names []string
	var values []fr.Element
	_, err := schema.Walk(ecc.BN254.ScalarField(), step, tVariableLeaf, func(l schema.LeafInfo, v reflect.Value) error {
		var e fr.Element
		if _, err := e.SetInterface(v.Interface()); err != nil {
			return err
		}
		names = append(names, strings.ReplaceAll(l.FullName(), "_", "."))
		values = append(values, e)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return nil, nil, fmt.Errorf("leaf name %s twice (a field name with '_'?)", n)
		}
		seen[n] = true
	}
	return names, values, nil
}

// elementsOneMarket: market 0 listed alone; two accounts open, grow, reduce, flip and close
// positions, then an account with funding pending on its position trades; shapes N = 1, 2 with
// K = 1 (and K = 3: ids 1 and 2 unlisted in the table).
func elementsOneMarket(f *tradeElementsFile, keys []key) (tradeElementsScenario, error) {
	e, err := newElementsBuilder(f, keys, "one-market", 0)
	if err != nil {
		return tradeElementsScenario{}, err
	}
	steps := []func() error{
		func() error { return e.account(1, 0, 100_000, [3]int64{0, 10, 3_000_000_000}) },
		func() error { return e.account(2, 1, 100_000) },
		func() error { return e.account(3, 2, 100_000) },
		func() error { return e.fill(3, 4096+7, 2) },
		e.start,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return e.sc, err
		}
	}
	type tc struct {
		note                string
		price, size         int64
		buyer, seller       uint32
		buySize, sellSize   uint64
		buyLimit, sellLimit uint64
		buyFee, sellFee     int64
		reduceOnly          bool
		sellNonce           uint64
		shapes              []shapeFit
	}
	cases := []tc{
		{"opening: accounts 2 and 3 open long and short 10; the seller's maker rebate; its fill slot taken over from an older nonce", 1_000, 10, 2, 3, 10, 30, 1_010, 990, 500, -100, false, 7 + 2*4096,
			[]shapeFit{fit(1, 1), fit(8, 3)}},
		{"growing: both positions grow by 5", 1_005, 5, 2, 3, 5, 5, 1_010, 1_000, 300, 0, false, 0,
			[]shapeFit{fit(1, 1), fit(2, 1)}},
		{"reducing: account 2 sells 5 of its long 15, account 3 buys back 5 of its short 15", 1_002, 5, 3, 2, 5, 5, 1_010, 990, 200, -50, false, 0,
			[]shapeFit{fit(2, 1), fit(1, 3)}},
		{"flipping: account 2 sells 20 (long 10 → short 10), account 3 buys 20 (short 10 → long 10)", 998, 20, 3, 2, 20, 20, 1_000, 990, 400, 400, false, 0,
			[]shapeFit{fit(1, 3), fit(2, 3)}},
		{"closing: reduce-only orders close both positions (entries emptied)", 1_001, 10, 2, 3, 10, 10, 1_010, 990, 100, 100, true, 0,
			[]shapeFit{fit(1, 1)}},
		{"funding pending: account 1 (long 10, funding unsettled) sells 4 to account 2, which opens again", 999, 4, 2, 1, 4, 4, 1_000, 995, 250, -100, false, 0,
			[]shapeFit{fit(1, 1), fit(8, 1)}},
	}
	for _, c := range cases {
		buy := e.order(c.buyer, 0, 0, c.buySize, c.buyLimit, 1_000, 0)
		sell := e.order(c.seller, 0, 1, c.sellSize, c.sellLimit, 1_000, c.sellNonce)
		buy.ReduceOnly, sell.ReduceOnly = c.reduceOnly, c.reduceOnly
		bo, so, err := e.pair(buy, sell, c.buyFee, c.sellFee)
		if err != nil {
			return e.sc, err
		}
		if err := e.trade(c.note, 0, c.price, c.size, bo, so, c.shapes...); err != nil {
			return e.sc, err
		}
	}
	return e.sc, nil
}

// elementsSeveralMarkets: markets 0 … 2 listed; three accounts with funding pending on several
// positions open a market in the lowest empty entry, grow, close an entry in place (reduce-only)
// and flip; shape N = 8, K = 3 (N = 1 and 2 and K = 1 refused where an entry or market is beyond).
func elementsSeveralMarkets(f *tradeElementsFile, keys []key) (tradeElementsScenario, error) {
	e, err := newElementsBuilder(f, keys, "several-markets", 0, 1, 2)
	if err != nil {
		return tradeElementsScenario{}, err
	}
	steps := []func() error{
		func() error {
			return e.account(10, 3, 500_000, [3]int64{0, 40, 3_000_000_000}, [3]int64{2, -25, 1_500_000_000})
		},
		func() error {
			return e.account(11, 4, 400_000, [3]int64{1, -30, 700_000_000}, [3]int64{0, -15, 2_000_000_000})
		},
		func() error { return e.account(12, 5, 300_000, [3]int64{2, 7, 900_000_000}) },
		func() error { return e.fill(11, 65, 9) },
		e.start,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return e.sc, err
		}
	}
	type tc struct {
		note            string
		market          uint16
		price, size     int64
		buyer, seller   uint32
		buyFee, sellFee int64
		sellReduceOnly  bool
		sellNonce       uint64
		shapes          []shapeFit
	}
	cases := []tc{
		{"account 10 opens market 1 in its lowest empty entry (2); account 11 grows its short 30 to 50 with a maker rebate, its fill slot holding an older nonce; funding settled on every position", 1, 1_100, 20, 10, 11, 500, -100, false, 65 + 4096,
			[]shapeFit{fit(8, 3), misfit(2, 3), misfit(8, 1)}},
		{"account 10 closes its long 40 in market 0 with a reduce-only order (entry 0 emptied in place); account 12 opens market 0 in entry 1", 0, 1_000, 40, 12, 10, 300, 300, true, 0,
			[]shapeFit{fit(8, 3), misfit(1, 3)}},
		{"account 12 flips long 7 → short 18 in market 2; account 11 opens market 2 in entry 2", 2, 1_200, 25, 11, 12, 500, 0, false, 0,
			[]shapeFit{fit(8, 3)}},
		{"account 10 opens market 0 again in entry 0, the entry its close emptied; account 11 buys back 5 of its short 15", 0, 1_001, 5, 11, 10, 200, -50, false, 0,
			[]shapeFit{fit(8, 3)}},
	}
	for _, c := range cases {
		buy := e.order(c.buyer, c.market, 0, uint64(c.size)+5, uint64(c.price)+10, 1_000, 0)
		sell := e.order(c.seller, c.market, 1, uint64(c.size), uint64(c.price)-10, 1_000, c.sellNonce)
		sell.ReduceOnly = c.sellReduceOnly
		bo, so, err := e.pair(buy, sell, c.buyFee, c.sellFee)
		if err != nil {
			return e.sc, err
		}
		if err := e.trade(c.note, uint8(c.market), c.price, c.size, bo, so, c.shapes...); err != nil {
			return e.sc, err
		}
	}
	return e.sc, nil
}

// elementsTwoEntries: markets 0 and 2 listed, id 1 unlisted (an empty leaf in the table); two
// accounts with funding pending on two and one positions reduce one and open another in entry 1;
// shape N = 2, K = 3 (N = 1 refused where entry 1 is used).
func elementsTwoEntries(f *tradeElementsFile, keys []key) (tradeElementsScenario, error) {
	e, err := newElementsBuilder(f, keys, "two-entries", 0, 2)
	if err != nil {
		return tradeElementsScenario{}, err
	}
	steps := []func() error{
		func() error {
			return e.account(20, 0, 250_000, [3]int64{2, 30, 2_500_000_000}, [3]int64{0, -12, 800_000_000})
		},
		func() error { return e.account(21, 1, 250_000, [3]int64{0, 9, 1_200_000_000}) },
		e.start,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return e.sc, err
		}
	}
	buy := e.order(20, 0, 0, 6, 1_010, 1_000, 0)
	sell := e.order(21, 0, 1, 6, 990, 1_000, 0)
	bo, so, err := e.pair(buy, sell, 500, -100)
	if err != nil {
		return e.sc, err
	}
	if err := e.trade("account 20 buys back 6 of its short 12 (entry 1); account 21 sells 6 of its long 9 with a maker rebate", 0, 1_000, 6, bo, so,
		fit(2, 3), misfit(1, 3)); err != nil {
		return e.sc, err
	}
	buy = e.order(21, 2, 0, 8, 1_210, 500, 0)
	sell = e.order(20, 2, 1, 8, 1_190, 500, 0)
	if bo, so, err = e.pair(buy, sell, 300, 200); err != nil {
		return e.sc, err
	}
	if err := e.trade("account 21 opens market 2 in entry 1; account 20 sells 8 of its long 30", 2, 1_200, 8, bo, so,
		fit(2, 3), fit(8, 3), misfit(1, 3)); err != nil {
		return e.sc, err
	}
	return e.sc, nil
}

// elementsWideValues: u64 fields with the top bit set where the layout and the order message allow
// them (market timestamps, an account nonce, order nonces, expiry, trigger price, client order id),
// the largest account id below the insurance fund's, an owner of 0xff bytes, fee tier 7, a
// negative funding index, market and IOC orders with trigger types; shapes (1, 1), (8, 1).
func elementsWideValues(f *tradeElementsFile, keys []key) (tradeElementsScenario, error) {
	e, err := newElementsBuilder(f, keys, "wide-values")
	if err != nil {
		return tradeElementsScenario{}, err
	}
	m := stepMarket(0)
	m.OracleTimestamp, m.FundingTimestamp = 1<<63+5, 1<<63+1
	m.FundingIndex = -(1 << 40)
	m.Risk.FundingMinIntervalSeconds, m.Risk.OracleMaxAgeSeconds = 1<<63+7, 1<<40
	const far = uint32(layoutv2.InsuranceFundAccount - 1)
	steps := []func() error{
		func() error { return e.state.SetMarket(0, m) },
		func() error { return e.account(far, 2, 1_000_000, [3]int64{0, -20, 1 << 35}) },
		func() error { return e.account(50, 3, 1_000_000, [3]int64{0, 20, 1 << 34}) },
		func() error {
			a, _ := e.state.Account(uint64(far))
			a.Identity.L1Owner = [20]byte{0: 0xff, 1: 0xff, 2: 0xff, 19: 0xff}
			a.Identity.FeeTier = 7
			return e.state.SetAccount(uint64(far), layoutv2.AccountFields{Identity: a.Identity, Nonce: 1<<63 + 3,
				Collateral: a.Collateral, Positions: a.Positions})
		},
		func() error { return e.fill(far, 1<<63+17-4096, 1) },
		e.start,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return e.sc, err
		}
	}
	buy := e.order(far, 0, 0, 30, 1_010, 1_000, 1<<63+17) // takes over the slot from an older nonce
	buy.Type, buy.TimeInForce, buy.ClientOrderID, buy.Expiry = 1, 1, 0xffff_fff0, 1<<64-1
	sell := e.order(50, 0, 1, 30, 990, 1_000, 1<<64-1)
	sell.TimeInForce, sell.Trigger, sell.TriggerPrice = 2, 1, 1<<63+11
	bo, so, err := e.pair(buy, sell, 400, -100)
	if err != nil {
		return e.sc, err
	}
	if err := e.trade("account 2^24 − 2 (nonce 2^63 + 3, owner 0xff…, fee tier 7) buys back its short 20 and goes long 10 with a market IOC order of nonce 2^63 + 17; account 50 sells with a FOK stop-loss order of nonce 2^64 − 1", 0, 1_000, 30, bo, so,
		fit(1, 1), fit(8, 1)); err != nil {
		return e.sc, err
	}
	return e.sc, nil
}
