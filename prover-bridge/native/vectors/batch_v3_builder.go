package vectors

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/schema"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// The format v3 batch scenarios shared by step-elements.json and batch-v3.json: an initial state
// (the encoding of perp-trade-steps.json), a header and a sequence of steps of every type, each
// executed by its package's reference as it is added (so the next step signs the right nonce) and
// then all sealed together by batchv3.Seal from the initial state.

// v3Report is one signed oracle report of an oracle tick.
type v3Report struct {
	Signer    int    `json:"signer"`
	Market    uint32 `json:"market"`
	Price     string `json:"price"`
	Timestamp string `json:"timestamp"`
	Signature string `json:"signature"`
}

// v3Element is one field element of a step's witness: its gnark schema leaf path (the Go field
// names and slice indices from the step struct down, joined by dots) and its canonical value.
type v3Element struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// v3Step is one step of a batch. Type is deposit, withdrawal, transfer, forced-withdrawal,
// oracle-tick, funding-tick or trade; the fields of collateral-steps.json for the collateral
// types, market, now, reports and indexDelta for the ticks (their batch time is the batch's T), the
// fields of perp-trade-steps.json for a trade. Root is the state root after the step, PublicData
// the step's public data (not padded), PriorityOp the operation a deposit or forced withdrawal
// consumes; Elements (step-elements.json only) the step's witness elements as batchv3.Encode
// writes them in its slot.
type v3Step struct {
	Note       string         `json:"note"`
	Type       string         `json:"type"`
	Account    string         `json:"account,omitempty"`
	Receiver   string         `json:"receiver,omitempty"`
	L1Owner    string         `json:"l1Owner,omitempty"`
	PublicKeyX string         `json:"publicKeyX,omitempty"`
	PublicKeyY string         `json:"publicKeyY,omitempty"`
	Amount     string         `json:"amount,omitempty"`
	Nonce      string         `json:"nonce,omitempty"`
	Signature  string         `json:"signature,omitempty"`
	Market     *int           `json:"market,omitempty"`
	Now        string         `json:"now,omitempty"`
	Reports    []v3Report     `json:"reports,omitempty"`
	IndexDelta string         `json:"indexDelta,omitempty"`
	Price      string         `json:"price,omitempty"`
	Size       string         `json:"size,omitempty"`
	Buyer      *tradeStepSide `json:"buyer,omitempty"`
	Seller     *tradeStepSide `json:"seller,omitempty"`
	Root       string         `json:"root"`
	PublicData string         `json:"publicData"`
	PriorityOp string         `json:"priorityOp,omitempty"`
	Elements   []v3Element    `json:"elements,omitempty"`
}

// v3Scenario is one batch: the shape, the header (the domain is the file's), the initial state and
// the steps in execution order. The batch-v3.json scenarios also carry Seal's outputs: the root
// and priority tables, the priority count, the commitment bytes, the public input and the encoded
// witness.
type v3Scenario struct {
	Name           string            `json:"name"`
	Description    string            `json:"description"`
	Shape          batchv3.ShapeFile `json:"shape"`
	BatchNumber    string            `json:"batchNumber"`
	BatchTime      string            `json:"batchTime"`
	PriorityBefore string            `json:"priorityBefore"`
	Initial        v2State           `json:"initial"`
	OracleSigners  v2SignerSet       `json:"oracleSigners"`
	FeeTiers       v2FeeTiers        `json:"feeTiers"`
	Steps          []v3Step          `json:"steps"`
	Roots          []string          `json:"roots,omitempty"`
	Priority       []string          `json:"priority,omitempty"`
	PriorityCount  *uint32           `json:"priorityCount,omitempty"`
	Commitment     string            `json:"commitment,omitempty"`
	PublicInput    string            `json:"publicInput,omitempty"`
	Witness        string            `json:"witness,omitempty"`
}

// v3BatchTime is T of every scenario: after every tick's now.
const v3BatchTime = int64(1_800_000_200)

// v3Builder builds one scenario on a collBuilder's state and keys.
type v3Builder struct {
	*collBuilder
	description string
	initial     *layoutv2.State
	txs         []batchv3.Tx
	steps       []v3Step
}

// newV3Builder lists markets 0 … markets − 1 (stepMarket) and the signer set of newStepBuilder
// (keys 6 and 7 in slots 1 and 4, quorum 2); accounts(b) creates the accounts before the initial
// state is recorded.
func newV3Builder(keys []key, name string, markets int, accounts func(b *v3Builder) error) (*v3Builder, error) {
	cb, err := newCollBuilder(keys, name, markets)
	if err != nil {
		return nil, err
	}
	b := &v3Builder{collBuilder: cb}
	if err := accounts(b); err != nil {
		return nil, err
	}
	if err := b.begin(); err != nil {
		return nil, err
	}
	b.initial = b.state
	return b, nil
}

// add executes a step with its reference on the current state and records it.
func (b *v3Builder) add(s v3Step, tx batchv3.Tx, apply func(*layoutv2.State) (*layoutv2.State, error)) error {
	next, err := apply(b.state)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", b.sc.Name, s.Note, err)
	}
	b.state = next
	b.txs = append(b.txs, tx)
	b.steps = append(b.steps, s)
	return nil
}

func (b *v3Builder) depositStep(note string, d collateralstep.Deposit) error {
	s := v3Step{Note: note, Type: "deposit", Account: decU64(uint64(d.Account)), L1Owner: hexBytes(d.L1Owner[:]),
		PublicKeyX: hexFr(d.PublicKeyX), PublicKeyY: hexFr(d.PublicKeyY), Amount: decU64(d.Amount),
		PriorityOp: hexFr(batch.DepositHash(d.Account, d.L1Owner, d.PublicKeyX, d.PublicKeyY, d.Amount))}
	return b.add(s, batchv3.Deposit{Deposit: d}, func(st *layoutv2.State) (*layoutv2.State, error) { return collateralstep.ApplyDeposit(st, d) })
}

func (b *v3Builder) withdrawalStep(note string, id uint32, amount uint64) error {
	w, err := b.signedWithdrawal(id, amount, -1, tradeStepDomain, nil)
	if err != nil {
		return err
	}
	m := w.Message
	s := v3Step{Note: note, Type: "withdrawal", Account: decU64(uint64(m.Account)), L1Owner: hexBytes(m.L1Owner[:]),
		Amount: decU64(m.Amount), Nonce: decU64(m.Nonce), Signature: hexBytes(w.Signature)}
	return b.add(s, batchv3.Withdrawal{Withdrawal: w}, func(st *layoutv2.State) (*layoutv2.State, error) { return collateralstep.ApplyWithdrawal(st, w) })
}

func (b *v3Builder) transferStep(note string, id, to uint32, amount uint64) error {
	t, err := b.signedTransfer(id, to, amount, -1, tradeStepDomain, nil)
	if err != nil {
		return err
	}
	m := t.Message
	s := v3Step{Note: note, Type: "transfer", Account: decU64(uint64(m.Account)), Receiver: decU64(uint64(m.Receiver)),
		Amount: decU64(m.Amount), Nonce: decU64(m.Nonce), Signature: hexBytes(t.Signature)}
	return b.add(s, batchv3.Transfer{Transfer: t}, func(st *layoutv2.State) (*layoutv2.State, error) { return collateralstep.ApplyTransfer(st, t) })
}

func (b *v3Builder) forcedStep(note string, id uint32, amount uint64) error {
	owner, _ := b.ownerOf(id)
	f := collateralstep.ForcedWithdrawal{Account: id, L1Owner: owner, Amount: amount}
	s := v3Step{Note: note, Type: "forced-withdrawal", Account: decU64(uint64(id)), L1Owner: hexBytes(owner[:]),
		Amount: decU64(amount), PriorityOp: hexFr(batch.ForcedWithdrawalHash(id, owner, amount))}
	return b.add(s, batchv3.ForcedWithdrawal{ForcedWithdrawal: f}, func(st *layoutv2.State) (*layoutv2.State, error) {
		return collateralstep.ApplyForcedWithdrawal(st, f)
	})
}

// v3Signers are the signer slots of newStepBuilder's set and the keys that sign for them.
var v3Signers = []struct{ slot, key int }{{1, 6}, {4, 7}}

// oracleStep is an oracle tick of market m at now, one report per (price, timestamp) given, signed by
// the set's signers in the order given (signerOrder indexes v3Signers).
func (b *v3Builder) oracleStep(note string, m uint8, now int64, signerOrder []int, prices, times []int64) error {
	t := tickstep.OracleTick{Domain: tradeStepDomain, Market: m, Now: now, BatchTime: v3BatchTime}
	mk := int(m)
	s := v3Step{Note: note, Type: "oracle-tick", Market: &mk, Now: decI64(now)}
	for i, si := range signerOrder {
		r := reference.PriceReport{Market: uint32(m), Price: prices[i], Timestamp: times[i], Signer: v3Signers[si].slot}
		h := reference.ReportMessage(r).Hash(tradeStepDomain)
		hb := h.Bytes()
		sig, err := b.keys[v3Signers[si].key].priv.Sign(hb[:], poseidon2.NewMerkleDamgardHasher())
		if err != nil {
			return err
		}
		r.Signature = sig
		t.Reports = append(t.Reports, r)
		s.Reports = append(s.Reports, v3Report{Signer: r.Signer, Market: r.Market, Price: decI64(r.Price),
			Timestamp: decI64(r.Timestamp), Signature: hexBytes(sig)})
	}
	return b.add(s, batchv3.OracleTick{OracleTick: t}, func(st *layoutv2.State) (*layoutv2.State, error) { return tickstep.ApplyOracleTick(st, t) })
}

func (b *v3Builder) fundingStep(note string, m uint8, now, delta int64) error {
	t := tickstep.FundingTick{Market: m, Now: now, BatchTime: v3BatchTime, Delta: delta}
	mk := int(m)
	s := v3Step{Note: note, Type: "funding-tick", Market: &mk, Now: decI64(now), IndexDelta: decI64(delta)}
	return b.add(s, batchv3.FundingTick{FundingTick: t}, func(st *layoutv2.State) (*layoutv2.State, error) { return tickstep.ApplyFundingTick(st, t) })
}

// tradeStep is a trade of size at price in market m between a buy order of buyer and a sell order
// of seller (limit prices buyLimit and sellLimit, fees in ppm).
func (b *v3Builder) tradeStep(note string, m uint8, price, size int64, buyer, seller uint32, buyLimit, sellLimit uint64, buyFee, sellFee int64) error {
	buy := b.order(buyer, uint16(m), 0, uint64(size), buyLimit, 1_000, 0)
	sell := b.order(seller, uint16(m), 1, uint64(size), sellLimit, 1_000, 0)
	bo, so, err := b.pair(buy, sell, buyFee, sellFee)
	if err != nil {
		return err
	}
	t := perpstep.Trade{Domain: tradeStepDomain, Market: m, Price: price, Size: size, Buyer: bo, Seller: so}
	mk := int(m)
	bs, ss := stepSide(bo), stepSide(so)
	s := v3Step{Note: note, Type: "trade", Market: &mk, Price: decI64(price), Size: decI64(size), Buyer: &bs, Seller: &ss}
	return b.add(s, t, func(st *layoutv2.State) (*layoutv2.State, error) { return perpstep.ApplyTrade(st, t) })
}

// sealed is a scenario sealed by batchv3.Seal with its encoding.
type sealed struct {
	*batchv3.Sealed
	encoded []byte
}

// seal seals the steps from the initial state with the shape and the header of the scenario name,
// checks Seal's outputs against the references' (each step's root, the final state) and fills each
// step's root, public data and, with elements, its witness elements.
func (b *v3Builder) seal(shape batchv3.Shape, number uint64, elements bool) (v3Scenario, *sealed, error) {
	h := batchv3.Header{Domain: tradeStepDomain, BatchNumber: number, BatchTime: uint64(v3BatchTime),
		PriorityBefore: newStream("batch-v3-priority-" + b.sc.Name).element()}
	out, err := batchv3.Seal(b.initial, shape, b.txs, h)
	if err != nil {
		return v3Scenario{}, nil, fmt.Errorf("%s: seal: %w", b.sc.Name, err)
	}
	if out.NewState.Root() != b.state.Root() {
		return v3Scenario{}, nil, fmt.Errorf("%s: Seal's new root is not the references'", b.sc.Name)
	}
	enc, err := batchv3.Encode(out.Witness)
	if err != nil {
		return v3Scenario{}, nil, err
	}
	w := out.Witness
	sc := v3Scenario{Name: b.sc.Name, Description: b.description, Shape: shape.File(), BatchNumber: decU64(number), BatchTime: decI64(v3BatchTime),
		PriorityBefore: hexFr(h.PriorityBefore), Initial: b.sc.Initial, OracleSigners: b.sc.OracleSigners, FeeTiers: b.sc.FeeTiers}
	for i, s := range b.steps {
		s.Root = hexFr(w.Roots[i+1])
		s.PublicData = hexBytes(w.Records[i][:publicDataSize(b.txs[i].TxType())])
		if elements {
			step, err := liveStep(w, i)
			if err != nil {
				return sc, nil, err
			}
			if s.Elements, err = namedElements(step); err != nil {
				return sc, nil, err
			}
			var raw []byte
			for _, e := range s.Elements {
				raw = append(raw, mustHex(e.Value)...)
			}
			if !bytes.Contains(enc, raw) {
				return sc, nil, fmt.Errorf("%s: step %d: its elements are not in the encoding", b.sc.Name, i)
			}
		}
		sc.Steps = append(sc.Steps, s)
	}
	return sc, &sealed{out, enc}, nil
}

// outputs adds Seal's outputs to a batch-v3.json scenario.
func (s *sealed) outputs(sc *v3Scenario) {
	w := s.Witness
	sc.Roots, sc.Priority = hexFrs(w.Roots), hexFrs(w.Priority)
	count := w.PriorityCount
	sc.PriorityCount = &count
	sc.Commitment = hexBytes(s.Commitment)
	sc.PublicInput = hexFr(s.PublicInput)
	sc.Witness = hexBytes(s.encoded)
}

// publicDataSize is the public-data length of a step type (format v3 records).
func publicDataSize(typ byte) int {
	switch typ {
	case byte(batch.TxDeposit):
		return collateralstep.DepositDataBytes
	case byte(batch.TxWithdrawal):
		return collateralstep.WithdrawalDataBytes
	case byte(batch.TxTransfer):
		return collateralstep.TransferDataBytes
	case byte(batch.TxForcedWithdrawal):
		return collateralstep.ForcedWithdrawalDataBytes
	case tickstep.TypeOracleTick:
		return tickstep.OraclePublicDataBytes
	case tickstep.TypeFundingTick:
		return tickstep.FundingPublicDataBytes
	default:
		return perpstep.PublicDataSize
	}
}

// liveStep is the step of the live slot whose σ is i, in whichever group holds it (the later
// groups included).
func liveStep(w *batchv3.Witness, i int) (any, error) {
	var found any
	check := func(index uint16, noop bool, step any) {
		if int(index) == i && !noop {
			found = step
		}
	}
	for _, t := range w.Trades {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.Deposits {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.Withdrawals {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.Transfers {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.ForcedWithdrawals {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.Oracles {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.Fundings {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.Liquidations {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.Takeovers {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.Deleverages {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.PeriodStarts {
		check(t.Index, t.NoOp, t.Step)
	}
	for _, t := range w.ForcedTrades {
		check(t.Index, t.NoOp, t.Step)
	}
	if found == nil {
		return nil, fmt.Errorf("no live slot with σ = %d", i)
	}
	return found, nil
}

var tVariable = reflect.TypeOf((*frontend.Variable)(nil)).Elem()

// namedElements walks a step's witness in gnark's schema order (the order batchv3.Encode writes)
// and names each leaf by its schema path with dots.
func namedElements(step any) ([]v3Element, error) {
	var out []v3Element
	_, err := schema.Walk(ecc.BN254.ScalarField(), step, tVariable, func(l schema.LeafInfo, v reflect.Value) error {
		var e fr.Element
		if _, err := e.SetInterface(v.Interface()); err != nil {
			return fmt.Errorf("%s: %w", l.FullName(), err)
		}
		out = append(out, v3Element{Name: strings.ReplaceAll(l.FullName(), "_", "."), Value: hexFr(e)})
		return nil
	})
	return out, err
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		panic(err)
	}
	return b
}
