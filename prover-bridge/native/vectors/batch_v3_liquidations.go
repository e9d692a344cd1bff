package vectors

import (
	"bytes"
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// FileBatchV3Liquidations holds whole format v3 batches with the four later slot groups
// (liquidation fills, insurance takeovers, deleveragings, funding period starts), sealed by
// batchv3.Seal: each with its inputs (initial state, shape with the later group sizes and the
// liquidation fee rate, header: the file's domain, batch number, T, priority hash before; the
// steps in execution order), each step's root, public data and witness elements (name by name, as
// batchv3.Encode writes them in the step's slot), and Seal's outputs (root and priority tables,
// priority count, commitment bytes, public input, encoded witness with the header extension).
// batch-v3.json stays as it is (its shapes have no later group). The batcher's
// LiquidationBatchVectorsTest executes every step on RocksDB and encodes every batch byte for
// byte.
const FileBatchV3Liquidations = "batch-v3-liquidations.json"

// v3LiqFeePpm is the liquidation fee rate of every shape of the file (1 %, the engine's default).
const v3LiqFeePpm = liqStepsFeePpm

type batchV3LiqFile struct {
	Generator Generator        `json:"generator"`
	Domain    tradeStepsDomain `json:"domain"`
	Scenarios []v3LiqScenario  `json:"scenarios"`
}

// v3LiqShape is a batchv3.Shape with the later groups as the file spells it.
type v3LiqShape struct {
	Trades            int   `json:"trades"`
	Deposits          int   `json:"deposits"`
	Withdrawals       int   `json:"withdrawals"`
	Transfers         int   `json:"transfers"`
	ForcedWithdrawals int   `json:"forcedWithdrawals"`
	OracleTicks       int   `json:"oracleTicks"`
	FundingTicks      int   `json:"fundingTicks"`
	Liquidations      int   `json:"liquidations"`
	Takeovers         int   `json:"takeovers"`
	Deleverages       int   `json:"deleverages"`
	PeriodStarts      int   `json:"periodStarts"`
	N                 int   `json:"n"`
	K                 int   `json:"k"`
	ReportSlots       int   `json:"reportSlots"`
	LiquidationFeePpm int64 `json:"liquidationFeePpm"`
}

func liqShapeJSON(s batchv3.Shape) v3LiqShape {
	return v3LiqShape{Trades: s.Trades, Deposits: s.Deposits, Withdrawals: s.Withdrawals, Transfers: s.Transfers,
		ForcedWithdrawals: s.ForcedWithdrawals, OracleTicks: s.OracleTicks, FundingTicks: s.FundingTicks,
		Liquidations: s.Liquidations, Takeovers: s.Takeovers, Deleverages: s.Deleverages, PeriodStarts: s.PeriodStarts,
		N: s.N, K: s.K, ReportSlots: s.ReportSlots, LiquidationFeePpm: s.LiquidationFeePpm}
}

// shape is the batchv3.Shape the file's shape spells.
func (s v3LiqShape) shape() batchv3.Shape {
	return batchv3.Shape{Trades: s.Trades, Deposits: s.Deposits, Withdrawals: s.Withdrawals, Transfers: s.Transfers,
		ForcedWithdrawals: s.ForcedWithdrawals, OracleTicks: s.OracleTicks, FundingTicks: s.FundingTicks,
		Liquidations: s.Liquidations, Takeovers: s.Takeovers, Deleverages: s.Deleverages, PeriodStarts: s.PeriodStarts,
		N: s.N, K: s.K, ReportSlots: s.ReportSlots, LiquidationFeePpm: s.LiquidationFeePpm}
}

// v3LiqStep is one step of a batch of the file: the fields of a batch-v3.json step (v3Step) for
// the first seven types; for type "liquidation" account, market, price, size, fee and the
// liquidator's signed resting order (as liquidation-steps.json); "takeover" account, market,
// delta, price; "deleveraging" account, deleverager, market, delta, price; "funding-period-start"
// market and now (the batch time is the batch's T). Root, PublicData (not padded), PriorityOp and
// Elements as in step-elements.json.
type v3LiqStep struct {
	Note        string         `json:"note"`
	Type        string         `json:"type"`
	Account     string         `json:"account,omitempty"`
	Receiver    string         `json:"receiver,omitempty"`
	L1Owner     string         `json:"l1Owner,omitempty"`
	PublicKeyX  string         `json:"publicKeyX,omitempty"`
	PublicKeyY  string         `json:"publicKeyY,omitempty"`
	Amount      string         `json:"amount,omitempty"`
	Nonce       string         `json:"nonce,omitempty"`
	Signature   string         `json:"signature,omitempty"`
	Market      *int           `json:"market,omitempty"`
	Now         string         `json:"now,omitempty"`
	Reports     []v3Report     `json:"reports,omitempty"`
	IndexDelta  string         `json:"indexDelta,omitempty"`
	Price       string         `json:"price,omitempty"`
	Size        string         `json:"size,omitempty"`
	Buyer       *tradeStepSide `json:"buyer,omitempty"`
	Seller      *tradeStepSide `json:"seller,omitempty"`
	Fee         string         `json:"fee,omitempty"`
	Liquidator  *tradeStepSide `json:"liquidator,omitempty"`
	Delta       string         `json:"delta,omitempty"`
	Deleverager string         `json:"deleverager,omitempty"`
	Root        string         `json:"root"`
	PublicData  string         `json:"publicData"`
	PriorityOp  string         `json:"priorityOp,omitempty"`
	Elements    []v3Element    `json:"elements"`
}

func liqStepOf(s v3Step) v3LiqStep {
	return v3LiqStep{Note: s.Note, Type: s.Type, Account: s.Account, Receiver: s.Receiver, L1Owner: s.L1Owner,
		PublicKeyX: s.PublicKeyX, PublicKeyY: s.PublicKeyY, Amount: s.Amount, Nonce: s.Nonce, Signature: s.Signature,
		Market: s.Market, Now: s.Now, Reports: s.Reports, IndexDelta: s.IndexDelta, Price: s.Price, Size: s.Size,
		Buyer: s.Buyer, Seller: s.Seller, PriorityOp: s.PriorityOp}
}

// v3LiqScenario is one batch of the file with Seal's outputs.
type v3LiqScenario struct {
	Name           string      `json:"name"`
	Description    string      `json:"description"`
	Shape          v3LiqShape  `json:"shape"`
	BatchNumber    string      `json:"batchNumber"`
	BatchTime      string      `json:"batchTime"`
	PriorityBefore string      `json:"priorityBefore"`
	Initial        v2State     `json:"initial"`
	OracleSigners  v2SignerSet `json:"oracleSigners"`
	FeeTiers       v2FeeTiers  `json:"feeTiers"`
	Steps          []v3LiqStep `json:"steps"`
	Roots          []string    `json:"roots"`
	Priority       []string    `json:"priority"`
	PriorityCount  uint32      `json:"priorityCount"`
	Commitment     string      `json:"commitment"`
	PublicInput    string      `json:"publicInput"`
	Witness        string      `json:"witness"`
}

// liqV3Builder is a v3Builder with the later steps: lq shares its stepBuilder (state, keys) for the
// liquidation figures (liquidation_steps.go), later holds the JSON of the later steps by step
// index (the v3Builder's own step list holds their note and type).
type liqV3Builder struct {
	*v3Builder
	lq    *liqBuilder
	later map[int]v3LiqStep
}

// newLiqV3Builder is newV3Builder with the insurance fund (collateral fund) created before the
// accounts.
func newLiqV3Builder(keys []key, name string, markets int, fund int64, accounts func(b *liqV3Builder) error) (*liqV3Builder, error) {
	out := &liqV3Builder{later: map[int]v3LiqStep{}}
	b, err := newV3Builder(keys, name, markets, func(b *v3Builder) error {
		out.v3Builder = b
		out.lq = &liqBuilder{stepBuilder: b.stepBuilder}
		if err := b.state.SetAccount(liqstep.FundAccount, layoutv2.AccountFields{Collateral: fund}); err != nil {
			return err
		}
		return accounts(out)
	})
	if err != nil {
		return nil, err
	}
	out.v3Builder = b
	return out, nil
}

// addLater executes a later step with its reference and records its JSON.
func (b *liqV3Builder) addLater(s v3LiqStep, tx batchv3.Tx, apply func(*layoutv2.State) (*layoutv2.State, error)) error {
	i := len(b.steps)
	if err := b.add(v3Step{Note: s.Note, Type: s.Type}, tx, apply); err != nil {
		return err
	}
	b.later[i] = s
	return nil
}

// liquidationStep: account is liquidated against the signed resting order o of its liquidator
// (maker fee makerFee ppm) at price and size, the fee at the engine's bound.
func (b *liqV3Builder) liquidationStep(note string, account uint32, o orderArgs, makerFee, price, size int64) error {
	l, err := b.lq.liquidation(account, b.order(o.account, o.market, o.side, o.size, o.price, o.feeCap, o.nonce), makerFee, price, size, -1)
	if err != nil {
		return err
	}
	side := stepSide(l.Liquidator)
	mk := int(l.Market)
	s := v3LiqStep{Note: note, Type: "liquidation", Account: decU64(uint64(account)), Market: &mk, Price: decI64(price),
		Size: decI64(size), Fee: decI64(l.Fee), Liquidator: &side}
	return b.addLater(s, batchv3.Liquidation{Liquidation: l}, func(st *layoutv2.State) (*layoutv2.State, error) {
		return liqstep.ApplyLiquidation(st, l)
	})
}

// orderArgs are the fields of a liquidator's resting order (stepBuilder.order).
type orderArgs struct {
	account     uint32
	market      uint16
	side        uint8
	size, price uint64
	feeCap      uint32
	nonce       uint64
}

// takeoverStep: the fund takes c (signed like the position) of account's position at its
// bankruptcy price now.
func (b *liqV3Builder) takeoverStep(note string, account uint32, market uint8, c int64) error {
	t, err := b.lq.takeoverAt(account, market, c, 0)
	if err != nil {
		return err
	}
	mk := int(market)
	s := v3LiqStep{Note: note, Type: "takeover", Account: decU64(uint64(account)), Market: &mk, Delta: decI64(t.Delta),
		Price: decI64(t.Price)}
	return b.addLater(s, batchv3.Takeover{Takeover: t}, func(st *layoutv2.State) (*layoutv2.State, error) {
		return liqstep.ApplyTakeover(st, t)
	})
}

// deleveragingStep: c (signed like the position) of account's position against deleverager's at
// the account's bankruptcy price now.
func (b *liqV3Builder) deleveragingStep(note string, account, deleverager uint32, market uint8, c int64) error {
	d, err := b.lq.deleveragingAt(account, deleverager, market, c, 0)
	if err != nil {
		return err
	}
	mk := int(market)
	s := v3LiqStep{Note: note, Type: "deleveraging", Account: decU64(uint64(account)), Deleverager: decU64(uint64(deleverager)),
		Market: &mk, Delta: decI64(d.Delta), Price: decI64(d.Price)}
	return b.addLater(s, batchv3.Deleveraging{Deleveraging: d}, func(st *layoutv2.State) (*layoutv2.State, error) {
		return liqstep.ApplyDeleverage(st, d)
	})
}

// periodStartStep: market m's first funding period starts at now (T is v3BatchTime).
func (b *liqV3Builder) periodStartStep(note string, m uint8, now int64) error {
	p := tickstep.FundingPeriodStart{Market: m, Now: now, BatchTime: v3BatchTime}
	mk := int(m)
	s := v3LiqStep{Note: note, Type: "funding-period-start", Market: &mk, Now: decI64(now)}
	return b.addLater(s, batchv3.FundingPeriodStart{FundingPeriodStart: p}, func(st *layoutv2.State) (*layoutv2.State, error) {
		return tickstep.ApplyFundingPeriodStart(st, p)
	})
}

// sealLiq seals the steps from the initial state (Seal's new root checked against the references'),
// fills every step's root, public data and elements (each checked to be in the encoding) and
// Seal's outputs.
func (b *liqV3Builder) sealLiq(shape batchv3.Shape, number uint64) (v3LiqScenario, error) {
	name := b.sc.Name
	h := batchv3.Header{Domain: tradeStepDomain, BatchNumber: number, BatchTime: uint64(v3BatchTime),
		PriorityBefore: newStream("batch-v3-liquidations-priority-" + name).element()}
	out, err := batchv3.Seal(b.initial, shape, b.txs, h)
	if err != nil {
		return v3LiqScenario{}, fmt.Errorf("%s: seal: %w", name, err)
	}
	if out.NewState.Root() != b.state.Root() {
		return v3LiqScenario{}, fmt.Errorf("%s: Seal's new root is not the references'", name)
	}
	enc, err := batchv3.Encode(out.Witness)
	if err != nil {
		return v3LiqScenario{}, err
	}
	w := out.Witness
	sc := v3LiqScenario{Name: name, Description: b.description, Shape: liqShapeJSON(shape), BatchNumber: decU64(number),
		BatchTime: decI64(v3BatchTime), PriorityBefore: hexFr(h.PriorityBefore), Initial: b.sc.Initial,
		OracleSigners: b.sc.OracleSigners, FeeTiers: b.sc.FeeTiers,
		Roots: hexFrs(w.Roots), Priority: hexFrs(w.Priority), PriorityCount: w.PriorityCount,
		Commitment: hexBytes(out.Commitment), PublicInput: hexFr(out.PublicInput), Witness: hexBytes(enc)}
	for i, s := range b.steps {
		js, ok := b.later[i]
		if !ok {
			js = liqStepOf(s)
		}
		js.Root = hexFr(w.Roots[i+1])
		js.PublicData = hexBytes(w.Records[i][:laterPublicDataSize(b.txs[i].TxType())])
		step, err := liveStep(w, i)
		if err != nil {
			return sc, fmt.Errorf("%s: %w", name, err)
		}
		if js.Elements, err = namedElements(step); err != nil {
			return sc, err
		}
		var raw []byte
		for _, e := range js.Elements {
			raw = append(raw, mustHex(e.Value)...)
		}
		if !bytes.Contains(enc, raw) {
			return sc, fmt.Errorf("%s: step %d: its elements are not in the encoding", name, i)
		}
		sc.Steps = append(sc.Steps, js)
	}
	return sc, nil
}

// laterPublicDataSize is publicDataSize with the later step types.
func laterPublicDataSize(typ byte) int {
	switch typ {
	case liqstep.TypeLiquidation:
		return liqstep.LiquidationDataBytes
	case liqstep.TypeTakeover:
		return liqstep.TakeoverDataBytes
	case liqstep.TypeDeleverage:
		return liqstep.DeleverageDataBytes
	case tickstep.TypeFundingPeriodStart:
		return tickstep.FundingPeriodStartPublicDataBytes
	default:
		return publicDataSize(typ)
	}
}

func genBatchV3Liquidations(keys []key) (any, error) {
	f := batchV3LiqFile{Generator: generatorInfo(),
		Domain: tradeStepsDomain{ChainID: decU64(tradeStepDomain.ChainID), Rollup: hexBytes(tradeStepDomain.Rollup[:])}}
	for i, gen := range []func([]key) (*liqV3Builder, batchv3.Shape, error){v3LiqSequence, v3LiqMoves, v3LiqNoOps} {
		b, shape, err := gen(keys)
		if err != nil {
			return nil, err
		}
		sc, err := b.sealLiq(shape, uint64(61+i))
		if err != nil {
			return nil, err
		}
		f.Scenarios = append(f.Scenarios, sc)
	}
	return f, nil
}
