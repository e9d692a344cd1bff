package vectors

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// FileCollateralSteps holds the four collateral transactions executed as layout v2 steps by
// collateralstep's references (ApplyDeposit, ApplyWithdrawal, ApplyTransfer,
// ApplyForcedWithdrawal): scenarios, each an initial state (the encoding of perp-trade-steps.json)
// and a sequence of transactions with, for an accepted one, the state root after it, the step's
// public-data bytes as the margin-shape witness encodes them and the priority operation a deposit
// or forced withdrawal consumes; for a refused one, the rules broken (or the error). The Java
// batcher replays them on its RocksDB tree (batcher CollateralStepsVectorsTest).
const FileCollateralSteps = "collateral-steps.json"

type collateralStepsFile struct {
	Generator Generator                `json:"generator"`
	Domain    tradeStepsDomain         `json:"domain"`
	Rules     []string                 `json:"rules"`  // every rule of collateralstep
	Errors    []string                 `json:"errors"` // refusals that are not rule breaks
	Scenarios []collateralStepScenario `json:"scenarios"`
}

type collateralStepScenario struct {
	Name          string               `json:"name"`
	Markets       int                  `json:"markets"` // the margin shape's table: markets 0 … markets − 1
	Initial       v2State              `json:"initial"`
	OracleSigners v2SignerSet          `json:"oracleSigners"`
	FeeTiers      v2FeeTiers           `json:"feeTiers"`
	Steps         []collateralStepCase `json:"steps"`
}

// collateralStepCase is one transaction. Type is deposit, withdrawal, transfer or
// forced-withdrawal. Account is the account (a transfer's sender); Receiver a transfer's receiver;
// L1Owner the deposit's or forced request's owner, or the withdrawal message's; PublicKeyX/Y a
// deposit's key; Nonce and Signature a signed message's. On acceptance Root, PublicData and (for
// deposits and forced withdrawals) PriorityOp are set; on refusal Rules (in the reference's order)
// or Error, and the state is unchanged.
type collateralStepCase struct {
	Note       string   `json:"note"`
	Type       string   `json:"type"`
	Account    string   `json:"account"`
	Receiver   string   `json:"receiver,omitempty"`
	L1Owner    string   `json:"l1Owner,omitempty"`
	PublicKeyX string   `json:"publicKeyX,omitempty"`
	PublicKeyY string   `json:"publicKeyY,omitempty"`
	Amount     string   `json:"amount"`
	Nonce      string   `json:"nonce,omitempty"`
	Signature  string   `json:"signature,omitempty"`
	Root       string   `json:"root,omitempty"`
	PublicData string   `json:"publicData,omitempty"`
	PriorityOp string   `json:"priorityOp,omitempty"`
	Rules      []string `json:"rules,omitempty"`
	Error      string   `json:"error,omitempty"`
}

var collateralRules = []collateralstep.Rule{collateralstep.RuleSignature, collateralstep.RuleNonce,
	collateralstep.RuleOwner, collateralstep.RuleCollateral, collateralstep.RuleBinding, collateralstep.RuleFundAccount,
	collateralstep.RuleNoAccount, collateralstep.RuleSelfTransfer, collateralstep.RuleRange, collateralstep.RuleZeroAmount}

// collBuilder runs one scenario's transactions on its state.
type collBuilder struct {
	*stepBuilder
	markets int
	steps   []collateralStepCase
}

// collWant is what a case expects: accepted, the rules broken, an error, or whatever the reference
// decides (random cases).
type collWant struct {
	rules []collateralstep.Rule
	err   error
	any   bool
}

var collAccepted = collWant{}

func collBroken(r ...collateralstep.Rule) collWant { return collWant{rules: r} }

// stepResult is a witness builder's result reduced to what the file records.
type stepResult struct {
	next       *layoutv2.State
	publicData []frontend.Variable
	priorityOp frontend.Variable
}

// run executes one transaction with its reference (apply) and its margin-shape witness builder
// (witness), checks both agree and that the result is want, and records it.
func (b *collBuilder) run(c collateralStepCase, want collWant, apply func(*layoutv2.State) (*layoutv2.State, error),
	witness func(*layoutv2.State) (stepResult, error)) error {
	before := b.state.Root()
	next, err := apply(b.state)
	w, werr := witness(b.state)
	if b.state.Root() != before {
		return fmt.Errorf("%s: the reference changed the old state", c.Note)
	}
	if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
		return fmt.Errorf("%s: reference %v, witness %v", c.Note, err, werr)
	}
	var re *collateralstep.RuleError
	if want.any {
		switch {
		case err == nil:
			want = collAccepted
		case errors.As(err, &re):
			want = collBroken(re.Rules...)
		default:
			want = collWant{err: err}
		}
	}
	switch {
	case err == nil:
		if want.err != nil || len(want.rules) > 0 {
			return fmt.Errorf("%s: accepted, want %v %v", c.Note, want.rules, want.err)
		}
		if next.Root() != w.next.Root() {
			return fmt.Errorf("%s: the witness's new root differs from the reference's", c.Note)
		}
		c.Root = hexFr(next.Root())
		pd := make([]byte, len(w.publicData))
		for i, v := range w.publicData {
			pd[i] = v.(byte)
		}
		c.PublicData = hexBytes(pd)
		if p, ok := w.priorityOp.(*big.Int); ok {
			c.PriorityOp = hexFr(frFromBig(p))
		}
		b.state = next
	case errors.As(err, &re):
		if want.err != nil || !sameCollRules(re.Rules, want.rules) {
			return fmt.Errorf("%s: refused with %v, want %v %v", c.Note, re.Rules, want.rules, want.err)
		}
		for _, r := range re.Rules {
			c.Rules = append(c.Rules, string(r))
		}
	default:
		if !errors.Is(err, collateralstep.ErrOutOfRange) || (!want.any && !errors.Is(err, want.err)) {
			return fmt.Errorf("%s: %v, want %v %v", c.Note, err, want.rules, want.err)
		}
		c.Error = "out-of-range"
	}
	b.steps = append(b.steps, c)
	return nil
}

func sameCollRules(a, b []collateralstep.Rule) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (b *collBuilder) deposit(note string, d collateralstep.Deposit, want collWant) error {
	c := collateralStepCase{Note: note, Type: "deposit", Account: decU64(uint64(d.Account)), L1Owner: hexBytes(d.L1Owner[:]),
		PublicKeyX: hexFr(d.PublicKeyX), PublicKeyY: hexFr(d.PublicKeyY), Amount: decU64(d.Amount)}
	return b.run(c, want, func(s *layoutv2.State) (*layoutv2.State, error) { return collateralstep.ApplyDeposit(s, d) },
		func(s *layoutv2.State) (stepResult, error) {
			w, n, err := collateralstep.DepositWitnessWithMargin(s, d, b.markets)
			if err != nil {
				return stepResult{}, err
			}
			return stepResult{n, w.PublicData, w.PriorityOp}, nil
		})
}

func (b *collBuilder) withdrawal(note string, w collateralstep.Withdrawal, want collWant) error {
	m := w.Message
	c := collateralStepCase{Note: note, Type: "withdrawal", Account: decU64(uint64(m.Account)), L1Owner: hexBytes(m.L1Owner[:]),
		Amount: decU64(m.Amount), Nonce: decU64(m.Nonce), Signature: hexBytes(w.Signature)}
	return b.run(c, want, func(s *layoutv2.State) (*layoutv2.State, error) { return collateralstep.ApplyWithdrawal(s, w) },
		func(s *layoutv2.State) (stepResult, error) {
			x, n, err := collateralstep.WithdrawalWitnessWithMargin(s, w, b.markets)
			if err != nil {
				return stepResult{}, err
			}
			return stepResult{n, x.PublicData, x.PriorityOp}, nil
		})
}

func (b *collBuilder) transfer(note string, t collateralstep.Transfer, want collWant) error {
	m := t.Message
	c := collateralStepCase{Note: note, Type: "transfer", Account: decU64(uint64(m.Account)), Receiver: decU64(uint64(m.Receiver)),
		Amount: decU64(m.Amount), Nonce: decU64(m.Nonce), Signature: hexBytes(t.Signature)}
	return b.run(c, want, func(s *layoutv2.State) (*layoutv2.State, error) { return collateralstep.ApplyTransfer(s, t) },
		func(s *layoutv2.State) (stepResult, error) {
			x, n, err := collateralstep.TransferWitnessWithMargin(s, t, b.markets)
			if err != nil {
				return stepResult{}, err
			}
			return stepResult{n, x.PublicData, x.PriorityOp}, nil
		})
}

func (b *collBuilder) forced(note string, f collateralstep.ForcedWithdrawal, want collWant) error {
	c := collateralStepCase{Note: note, Type: "forced-withdrawal", Account: decU64(uint64(f.Account)), L1Owner: hexBytes(f.L1Owner[:]),
		Amount: decU64(f.Amount)}
	return b.run(c, want, func(s *layoutv2.State) (*layoutv2.State, error) { return collateralstep.ApplyForcedWithdrawal(s, f) },
		func(s *layoutv2.State) (stepResult, error) {
			x, n, err := collateralstep.ForcedWithdrawalWitnessWithMargin(s, f, b.markets)
			if err != nil {
				return stepResult{}, err
			}
			return stepResult{n, x.PublicData, x.PriorityOp}, nil
		})
}

// signHash signs a message hash with key ki.
func (b *collBuilder) signHash(ki int, h fr.Element) ([]byte, error) {
	hb := h.Bytes()
	return b.keys[ki].priv.Sign(hb[:], poseidon2.NewMerkleDamgardHasher())
}

// ownerOf is account id's bound owner and key index in the current state.
func (b *collBuilder) ownerOf(id uint32) ([20]byte, int) {
	a, _ := b.state.Account(uint64(id))
	return a.Identity.L1Owner, b.owner[id]
}

// nonceOf is account id's current nonce.
func (b *collBuilder) nonceOf(id uint32) uint64 {
	a, _ := b.state.Account(uint64(id))
	return a.Nonce
}

// signedWithdrawal is a withdrawal of account id to its owner at its current nonce, signed by key
// ki (−1: the account's) in domain d; mutate changes the message after signing when not nil.
func (b *collBuilder) signedWithdrawal(id uint32, amount uint64, ki int, d messages.Domain, mutate func(*messages.WithdrawalMessage)) (collateralstep.Withdrawal, error) {
	return b.signedWithdrawalFrom(id, amount, ki, d, nil, mutate)
}

// signedWithdrawalFrom is signedWithdrawal with the message changed before signing by sign when
// not nil.
func (b *collBuilder) signedWithdrawalFrom(id uint32, amount uint64, ki int, d messages.Domain, sign, mutate func(*messages.WithdrawalMessage)) (collateralstep.Withdrawal, error) {
	owner, k := b.ownerOf(id)
	if ki < 0 {
		ki = k
	}
	m := messages.WithdrawalMessage{Account: id, L1Owner: owner, Amount: amount, Nonce: b.nonceOf(id)}
	if sign != nil {
		sign(&m)
	}
	sig, err := b.signHash(ki, m.Hash(d))
	if mutate != nil {
		mutate(&m)
	}
	return collateralstep.Withdrawal{Domain: tradeStepDomain, Message: m, Signature: sig}, err
}

// signedTransfer is a transfer from id to receiver at the sender's current nonce, signed by key ki
// (−1: the sender's) in domain d; mutate changes the message after signing when not nil.
func (b *collBuilder) signedTransfer(id, receiver uint32, amount uint64, ki int, d messages.Domain, mutate func(*messages.TransferMessage)) (collateralstep.Transfer, error) {
	return b.signedTransferFrom(id, receiver, amount, ki, d, nil, mutate)
}

// signedTransferFrom is signedTransfer with the message changed before signing by sign when not
// nil.
func (b *collBuilder) signedTransferFrom(id, receiver uint32, amount uint64, ki int, d messages.Domain, sign, mutate func(*messages.TransferMessage)) (collateralstep.Transfer, error) {
	_, k := b.ownerOf(id)
	if ki < 0 {
		ki = k
	}
	m := messages.TransferMessage{Account: id, Receiver: receiver, Amount: amount, Nonce: b.nonceOf(id)}
	if sign != nil {
		sign(&m)
	}
	sig, err := b.signHash(ki, m.Hash(d))
	if mutate != nil {
		mutate(&m)
	}
	return collateralstep.Transfer{Domain: tradeStepDomain, Message: m, Signature: sig}, err
}

// depositOf is a deposit into id with key ki and the owner stepBuilder.account gives such an id.
func (b *collBuilder) depositOf(id uint32, ki int, amount uint64) collateralstep.Deposit {
	k := b.keys[ki].pub
	return collateralstep.Deposit{Account: id, L1Owner: [20]byte{0xa0, byte(id), 19: byte(ki)}, PublicKeyX: k.X, PublicKeyY: k.Y, Amount: amount}
}

// freeCollateral finds the largest withdrawal of account id the reference accepts (its free
// collateral, funding settled), by bisection over signed withdrawals; −1 if none is accepted.
func (b *collBuilder) freeCollateral(id uint32) (int64, error) {
	lo, hi := int64(0), int64(1)<<62 // lo accepted (0 stands for "none yet"), hi refused
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		w, err := b.signedWithdrawal(id, uint64(mid), -1, tradeStepDomain, nil)
		if err != nil {
			return 0, err
		}
		if _, err := collateralstep.ApplyWithdrawal(b.state, w); err == nil {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return -1, nil
	}
	return lo, nil
}

func newCollBuilder(keys []key, name string, markets int) (*collBuilder, error) {
	sb, err := newStepBuilder(keys, name, markets)
	if err != nil {
		return nil, err
	}
	return &collBuilder{stepBuilder: sb, markets: markets}, nil
}

func (b *collBuilder) scenario() collateralStepScenario {
	return collateralStepScenario{Name: b.sc.Name, Markets: b.markets, Initial: b.sc.Initial, OracleSigners: b.sc.OracleSigners,
		FeeTiers: b.sc.FeeTiers, Steps: b.steps}
}

func genCollateralSteps(keys []key) (any, error) {
	f := collateralStepsFile{Generator: generatorInfo(),
		Domain: tradeStepsDomain{ChainID: decU64(tradeStepDomain.ChainID), Rollup: hexBytes(tradeStepDomain.Rollup[:])},
		Errors: []string{"out-of-range"}}
	for _, r := range collateralRules {
		f.Rules = append(f.Rules, string(r))
	}
	for _, gen := range []func([]key) (collateralStepScenario, error){collNoPositions, collMargin, collRandom} {
		sc, err := gen(keys)
		if err != nil {
			return nil, err
		}
		f.Scenarios = append(f.Scenarios, sc)
	}
	return f, nil
}
