package vectors

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// FileRollupV3 holds two consecutive format v3 batches sealed by batchv3.Seal, for the L1 rollup of
// format v3 (l1-contracts ZkPerpRollupV3, test RollupV3Vectors.t.sol): the genesis layout v2 state
// (its root, the first account id L1 assigns, its collateral, and each genesis account's proof so
// that L1 can bind it), and per batch the priority operations L1 queues before it (operation hash
// and the chain P after each), the header, the records, the commitment bytes
// (batchv3.Witness.CommitmentBytes), the public input and what L1 must credit (from the steps'
// amounts and owners, checked against the references' outcome here, not read from the records);
// then the escape proofs and payouts (package escape) of the traders from the state after the
// last batch, for a frozen rollup's escape with positions.
const FileRollupV3 = "rollup-v3-batches.json"

// rollupV3Shape is the shape of the file's batches: one trade slot (so records are 35 bytes),
// two deposit and two forced-withdrawal slots, one withdrawal and one transfer slot, no ticks.
var rollupV3Shape = batchv3.Shape{Trades: 1, Deposits: 2, Withdrawals: 1, Transfers: 1, ForcedWithdrawals: 2, N: 1, K: 1}

const (
	rollupV3FirstAccount = 7
	rollupV3Time1        = 1_800_000_100
)

type rollupV3File struct {
	Generator  Generator         `json:"generator"`
	Domain     tradeStepsDomain  `json:"domain"`
	Shape      batchv3.ShapeFile `json:"shape"`
	HeaderSize int               `json:"headerSize"`
	RecordSize int               `json:"recordSize"`
	Genesis    rollupV3Genesis   `json:"genesis"`
	Batches    []rollupV3Batch   `json:"batches"`
	Escapes    rollupV3Escapes   `json:"escapes"`
}

// rollupV3Escapes are the escapes of the traders from the state after the last batch (what a
// frozen rollup holding that root pays), in escape-v2.json's form.
type rollupV3Escapes struct {
	Root        string           `json:"root"`
	MarketsRoot string           `json:"marketsRoot"`
	GlobalLeaf  string           `json:"globalLeaf"`
	Accounts    []escapeV2Escape `json:"accounts"`
}

// rollupV3Genesis: Collateral = Σ the accounts' collateral + the global fee balance (what the
// vault must hold for the state); every genesis account with its proof to Root.
type rollupV3Genesis struct {
	Root           string            `json:"root"`
	FirstAccountID string            `json:"firstAccountId"`
	Collateral     string            `json:"collateral"`
	MarketsRoot    string            `json:"marketsRoot"`
	GlobalLeaf     string            `json:"globalLeaf"`
	Accounts       []rollupV3Account `json:"accounts"`
}

type rollupV3Account struct {
	AccountID       string    `json:"accountId"`
	Account         v2Account `json:"account"`
	AccountSiblings []string  `json:"accountSiblings"`
}

// rollupV3Op is a priority operation as L1 queues it: Type deposit (with the key) or
// forced-withdrawal; Hash the operation hash; ChainAfter the chain P after it.
type rollupV3Op struct {
	Type       string `json:"type"`
	Account    string `json:"account"`
	Owner      string `json:"owner"`
	PublicKeyX string `json:"publicKeyX,omitempty"`
	PublicKeyY string `json:"publicKeyY,omitempty"`
	Amount     string `json:"amount"`
	Hash       string `json:"hash"`
	ChainAfter string `json:"chainAfter"`
}

type rollupV3Header struct {
	BatchNumber    string `json:"batchNumber"`
	BatchTime      string `json:"batchTime"`
	OldRoot        string `json:"oldRoot"`
	NewRoot        string `json:"newRoot"`
	PriorityBefore string `json:"priorityBefore"`
	PriorityAfter  string `json:"priorityAfter"`
	PriorityCount  string `json:"priorityCount"`
}

// rollupV3Credit is one withdrawal or forced-withdrawal step: L1 credits Owner with Amount (0 for
// a refused forced withdrawal), in execution order.
type rollupV3Credit struct {
	Account string `json:"account"`
	Owner   string `json:"owner"`
	Amount  string `json:"amount"`
}

type rollupV3Batch struct {
	Name        string           `json:"name"`
	Steps       []string         `json:"steps"`
	PriorityOps []rollupV3Op     `json:"priorityOps"`
	Header      rollupV3Header   `json:"header"`
	Records     string           `json:"records"`
	Commitment  string           `json:"commitment"`
	PublicInput string           `json:"publicInput"`
	Credits     []rollupV3Credit `json:"credits"`
}

// rollupV3Builder seals the file's batches one after the other on the builder's state.
type rollupV3Builder struct {
	*collBuilder
	number   uint64
	priority fr.Element
	out      []rollupV3Batch
}

// rollupV3Step is one step of a batch with what the file records about it: a note, the priority
// operation it queues on L1 (nil if none) and the credit L1 owes for it (nil if none).
type rollupV3Step struct {
	note   string
	tx     batchv3.Tx
	op     *rollupV3Op
	credit *rollupV3Credit
}

func (b *rollupV3Builder) depositStep(note string, d collateralstep.Deposit) rollupV3Step {
	h := batch.DepositHash(d.Account, d.L1Owner, d.PublicKeyX, d.PublicKeyY, d.Amount)
	return rollupV3Step{note: note, tx: batchv3.Deposit{Deposit: d}, op: &rollupV3Op{Type: "deposit", Account: decU64(uint64(d.Account)),
		Owner: hexBytes(d.L1Owner[:]), PublicKeyX: hexFr(d.PublicKeyX), PublicKeyY: hexFr(d.PublicKeyY), Amount: decU64(d.Amount), Hash: hexFr(h)}}
}

// forcedStep is a forced withdrawal of account id by its owner; paid says whether the reference
// must pay it (checked when the batch is sealed).
func (b *rollupV3Builder) forcedStep(note string, id uint32, amount uint64, paid bool) rollupV3Step {
	owner, _ := b.ownerOf(id)
	f := collateralstep.ForcedWithdrawal{Account: id, L1Owner: owner, Amount: amount}
	h := batch.ForcedWithdrawalHash(id, owner, amount)
	credit := uint64(0)
	if paid {
		credit = amount
	}
	return rollupV3Step{note: note, tx: batchv3.ForcedWithdrawal{ForcedWithdrawal: f},
		op:     &rollupV3Op{Type: "forced-withdrawal", Account: decU64(uint64(id)), Owner: hexBytes(owner[:]), Amount: decU64(amount), Hash: hexFr(h)},
		credit: &rollupV3Credit{Account: decU64(uint64(id)), Owner: hexBytes(owner[:]), Amount: decU64(credit)}}
}

func (b *rollupV3Builder) withdrawalStep(note string, id uint32, amount uint64) (rollupV3Step, error) {
	w, err := b.signedWithdrawal(id, amount, -1, tradeStepDomain, nil)
	return rollupV3Step{note: note, tx: batchv3.Withdrawal{Withdrawal: w},
		credit: &rollupV3Credit{Account: decU64(uint64(id)), Owner: hexBytes(w.Message.L1Owner[:]), Amount: decU64(amount)}}, err
}

func (b *rollupV3Builder) transferStep(note string, id, to uint32, amount uint64) (rollupV3Step, error) {
	t, err := b.signedTransfer(id, to, amount, -1, tradeStepDomain, nil)
	return rollupV3Step{note: note, tx: batchv3.Transfer{Transfer: t}}, err
}

func (b *rollupV3Builder) tradeStep(note string, buyer, seller uint32, size, price uint64) (rollupV3Step, error) {
	bo, so, err := b.pair(b.order(buyer, 0, 0, size, price, 1_000, 0), b.order(seller, 0, 1, size, price, 500, 0), 500, -100)
	t := perpstep.Trade{Domain: tradeStepDomain, Market: 0, Price: int64(price), Size: int64(size), Buyer: bo, Seller: so}
	return rollupV3Step{note: note, tx: t}, err
}

// seal seals the steps as the next batch at time t, checks that every credit's record pays what
// the step says (a refused forced withdrawal 0) and moves the builder to the new state.
func (b *rollupV3Builder) seal(name string, t uint64, steps ...rollupV3Step) error {
	b.number++
	txs := make([]batchv3.Tx, len(steps))
	for i, s := range steps {
		txs[i] = s.tx
	}
	h := batchv3.Header{Domain: tradeStepDomain, BatchNumber: b.number, BatchTime: t, PriorityBefore: b.priority}
	sealed, err := batchv3.Seal(b.state, rollupV3Shape, txs, h)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	w := sealed.Witness
	s := rollupV3Shape.Steps()
	out := rollupV3Batch{Name: name, PriorityOps: []rollupV3Op{}, Credits: []rollupV3Credit{},
		Header: rollupV3Header{BatchNumber: decU64(w.BatchNumber), BatchTime: decU64(w.BatchTime), OldRoot: hexFr(w.Roots[0]),
			NewRoot: hexFr(w.Roots[s]), PriorityBefore: hexFr(w.Priority[0]), PriorityAfter: hexFr(w.Priority[s]),
			PriorityCount: decU64(uint64(w.PriorityCount))},
		Commitment: hexBytes(sealed.Commitment), PublicInput: hexFr(sealed.PublicInput)}
	var records []byte
	for _, r := range w.Records {
		records = append(records, r...)
	}
	out.Records = hexBytes(records)
	chain := b.priority
	for i, st := range steps {
		out.Steps = append(out.Steps, st.note)
		if st.op != nil {
			var opHash fr.Element
			if _, err := opHash.SetString(st.op.Hash); err != nil {
				return err
			}
			chain = layout.Compress(chain, opHash)
			op := *st.op
			op.ChainAfter = hexFr(chain)
			out.PriorityOps = append(out.PriorityOps, op)
		}
		if st.credit != nil {
			r := w.Records[i]
			paid := binary.BigEndian.Uint64(r[4:12])
			if decU64(paid) != st.credit.Amount || hexBytes(r[12:32]) != st.credit.Owner {
				return fmt.Errorf("%s: step %d (%s): record %s does not pay %s to %s", name, i, st.note, hex.EncodeToString(r),
					st.credit.Amount, st.credit.Owner)
			}
			out.Credits = append(out.Credits, *st.credit)
		}
	}
	if !chain.Equal(&w.Priority[s]) {
		return fmt.Errorf("%s: the operations' chain is not the batch's priority hash after", name)
	}
	b.priority = chain
	b.state = sealed.NewState
	b.out = append(b.out, out)
	return nil
}

func genRollupV3(keys []key) (any, error) {
	cb, err := newCollBuilder(keys, "rollup-v3", rollupV3Shape.K)
	if err != nil {
		return nil, err
	}
	b := &rollupV3Builder{collBuilder: cb}
	if err := collSteps(func() error { return b.account(5, 0, 100_000) }, func() error { return b.account(6, 1, 100_000) }); err != nil {
		return nil, err
	}
	f := rollupV3File{Generator: generatorInfo(), HeaderSize: batchv3.HeaderSize, RecordSize: rollupV3Shape.RecordSize(),
		Domain: tradeStepsDomain{ChainID: decU64(tradeStepDomain.ChainID), Rollup: hexBytes(tradeStepDomain.Rollup[:])},
		Shape:  rollupV3Shape.File()}
	if f.Genesis, err = rollupV3GenesisOf(b.state); err != nil {
		return nil, err
	}

	// batch 1: a deposit creating account 7, a trade, a paid and a refused forced withdrawal, a
	// withdrawal by the trade's seller (holding a position), a transfer to the new account
	newcomer := b.depositOf(rollupV3FirstAccount, 2, 50_000)
	b.owner[rollupV3FirstAccount] = 2
	trade, err := b.tradeStep("trade: 5 buys 10 at 1,000 from 6 in market 0", 5, 6, 10, 1_000)
	if err != nil {
		return nil, err
	}
	d1 := b.depositStep("deposit of 50,000 creating account 7", newcomer)
	f5 := b.forcedStep("forced withdrawal of 1,000 by account 5 (paid)", 5, 1_000, true)
	f6 := b.forcedStep("forced withdrawal of 10^9 by account 6 (above its free collateral: pays 0)", 6, 1_000_000_000, false)
	w6, err := b.withdrawalStep("withdrawal of 2,000 by account 6", 6, 2_000)
	if err != nil {
		return nil, err
	}
	t57, err := b.transferStep("transfer of 3,000 from account 5 to account 7", 5, rollupV3FirstAccount, 3_000)
	if err != nil {
		return nil, err
	}
	if err := b.seal("batch 1", rollupV3Time1, d1, trade, f5, f6, w6, t57); err != nil {
		return nil, err
	}

	// batch 2: the chain goes on from batch 1's priority hash; a deposit into the existing account
	// 7, its withdrawal and its forced withdrawal
	d2 := b.depositStep("deposit of 500 into account 7", b.depositOf(rollupV3FirstAccount, 2, 500))
	w7, err := b.withdrawalStep("withdrawal of 1,000 by account 7", rollupV3FirstAccount, 1_000)
	if err != nil {
		return nil, err
	}
	f7 := b.forcedStep("forced withdrawal of 100 by account 7 (paid)", rollupV3FirstAccount, 100, true)
	if err := b.seal("batch 2", rollupV3Time1+30, d2, w7, f7); err != nil {
		return nil, err
	}
	f.Batches = b.out

	// the escapes from the state the two batches left: accounts 5 (long) and 6 (short) hold the
	// trade's positions, account 7 none
	st := b.state
	f.Escapes = rollupV3Escapes{Root: hexFr(st.Root()), MarketsRoot: hexFr(st.MarketsRoot()), GlobalLeaf: hexFr(st.GlobalLeaf())}
	for _, id := range []uint64{5, 6, rollupV3FirstAccount} {
		e, err := escapeJSON(escapeScenario{name: "after batch 2", state: st}, escapeAccount{name: fmt.Sprintf("account %d", id), id: id})
		if err != nil {
			return nil, err
		}
		f.Escapes.Accounts = append(f.Escapes.Accounts, e)
	}
	return f, nil
}

// rollupV3GenesisOf is the genesis part of the file for state s.
func rollupV3GenesisOf(s *layoutv2.State) (rollupV3Genesis, error) {
	g := rollupV3Genesis{Root: hexFr(s.Root()), FirstAccountID: decU64(rollupV3FirstAccount),
		MarketsRoot: hexFr(s.MarketsRoot()), GlobalLeaf: hexFr(s.GlobalLeaf())}
	total := s.Global().FeeBalance
	for _, id := range s.AccountIDs() {
		a, _ := s.Account(id)
		total += a.Collateral
		if id == layoutv2.InsuranceFundAccount {
			continue
		}
		if id >= rollupV3FirstAccount {
			return g, fmt.Errorf("genesis account %d at or above the first account id %d", id, rollupV3FirstAccount)
		}
		_, sib, err := s.AccountProof(id)
		if err != nil {
			return g, err
		}
		acc, err := accountJSON(a)
		if err != nil {
			return g, err
		}
		g.Accounts = append(g.Accounts, rollupV3Account{AccountID: decU64(id), Account: acc, AccountSiblings: hexFrs(sib)})
	}
	if total < 0 {
		return g, fmt.Errorf("genesis collateral %d is negative", total)
	}
	g.Collateral = decI64(total)
	return g, nil
}
