package batchv3

import (
	"errors"
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/lookup/logderivlookup"
	"github.com/consensys/gnark/std/math/uints"
	"github.com/consensys/gnark/std/multicommit"

	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// Batch is the format v3 batch circuit of one shape (build it with NewCircuit, assign it with
// Witness.Assignment). Its one public input is the SHA-256 of the commitment bytes with the top
// three bits cleared (CommitmentBytes).
type Batch struct {
	PublicInput frontend.Variable `gnark:",public"`

	BatchNumber, BatchTime, PriorityCount frontend.Variable
	// Roots is the table R_0 … R_S of state roots in execution order (R_0 before the batch, R_S
	// after it); Priority the same for the priority-operation chain.
	Roots, Priority []frontend.Variable
	// Records are the steps' public-data records in execution order (S × RecordSize bytes).
	Records           [][]frontend.Variable
	Trades            []TradeSlot
	Deposits          []CollateralSlot[collateralstep.DepositStep]
	Withdrawals       []CollateralSlot[collateralstep.WithdrawalStep]
	Transfers         []CollateralSlot[collateralstep.TransferStep]
	ForcedWithdrawals []CollateralSlot[collateralstep.ForcedWithdrawalStep]
	Oracles           []OracleSlot
	Fundings          []FundingSlot
	Liquidations      []LiquidationSlot
	Takeovers         []TakeoverSlot
	Deleverages       []DeleverageSlot
	PeriodStarts      []PeriodStartSlot
	ForcedTrades      []ForcedTradeSlot

	shape     Shape
	separator *big.Int
}

// TradeSlot is one slot of the trade group: its step index σ in execution order, the no-op flag
// and the trade's witness (the padding trade's for a no-op).
type TradeSlot struct {
	Index, NoOp frontend.Variable
	Step        perpstep.TradeTransition
}

// OracleSlot is one slot of the oracle-tick group (the padding tick's witness for a no-op).
type OracleSlot struct {
	Index, NoOp frontend.Variable
	Step        tickstep.OracleStep
}

// FundingSlot is one slot of the funding-tick group (the padding tick's witness for a no-op).
type FundingSlot struct {
	Index, NoOp frontend.Variable
	Step        tickstep.FundingStep
}

// NewCircuit allocates the circuit of shape for deployment d, whose separators (orders, also of
// a liquidation's resting order: perpstep.Separator; oracle reports: tickstep.OracleSeparator;
// withdrawals and transfers: collateralstep.SeparatorsOf; forced trades: forcedtrade.Separator)
// are constants of the circuit, as is the shape's liquidation fee rate. Trades open every market
// of the table in their old markets root (perpstep.NewTradeStepBound), and so do liquidations,
// takeovers and deleveragings (liqstep.OpenTable) and forced trades
// (forcedtrade.ForcedTradeTransition); collateral steps are in collateralstep's margin shape over
// the same K markets.
func NewCircuit(shape Shape, d messages.Domain) (*Batch, error) {
	if err := shape.Check(); err != nil {
		return nil, err
	}
	separator, oracleSeparator, sep := perpstep.Separator(d), tickstep.OracleSeparator(d), collateralstep.SeparatorsOf(d)
	s, w := shape.Steps(), shape.RecordSize()
	c := &Batch{Roots: make([]frontend.Variable, s+1), Priority: make([]frontend.Variable, s+1),
		Records: make([][]frontend.Variable, s), Trades: make([]TradeSlot, shape.Trades), Oracles: make([]OracleSlot, shape.OracleTicks),
		Deposits:          make([]CollateralSlot[collateralstep.DepositStep], shape.Deposits),
		Withdrawals:       make([]CollateralSlot[collateralstep.WithdrawalStep], shape.Withdrawals),
		Transfers:         make([]CollateralSlot[collateralstep.TransferStep], shape.Transfers),
		ForcedWithdrawals: make([]CollateralSlot[collateralstep.ForcedWithdrawalStep], shape.ForcedWithdrawals),
		Fundings:          make([]FundingSlot, shape.FundingTicks), shape: shape, separator: separator,
		Liquidations: make([]LiquidationSlot, shape.Liquidations), Takeovers: make([]TakeoverSlot, shape.Takeovers),
		Deleverages: make([]DeleverageSlot, shape.Deleverages), PeriodStarts: make([]PeriodStartSlot, shape.PeriodStarts),
		ForcedTrades: make([]ForcedTradeSlot, shape.ForcedTrades)}
	for j := range c.ForcedTrades {
		c.ForcedTrades[j].Step = newForcedTrade(shape, forcedtrade.Separator(d))
	}
	for j := range c.Liquidations {
		c.Liquidations[j].Step = newLiquidation(shape, separator)
	}
	for j := range c.Takeovers {
		c.Takeovers[j].Step = newTakeover(shape)
	}
	for j := range c.Deleverages {
		c.Deleverages[j].Step = newDeleverage(shape)
	}
	for j := range c.Deposits {
		c.Deposits[j].Step = newDeposit(shape.K)
	}
	for j := range c.Withdrawals {
		c.Withdrawals[j].Step = newWithdrawal(sep, shape.K)
	}
	for j := range c.Transfers {
		c.Transfers[j].Step = newTransfer(sep, shape.K)
	}
	for j := range c.ForcedWithdrawals {
		c.ForcedWithdrawals[j].Step = newForced(shape.K)
	}
	for i := range c.Records {
		c.Records[i] = make([]frontend.Variable, w)
	}
	for j := range c.Trades {
		c.Trades[j].Step = perpstep.NewTradeStepBound(shape.N, shape.K, separator).TradeTransition
	}
	for j := range c.Oracles {
		c.Oracles[j].Step = *tickstep.NewOracleStep(shape.ReportSlots, oracleSeparator)
	}
	return c, nil
}

// chunkBytes is how many record bytes are packed into one field element for the record lookup.
const chunkBytes = 31

var errNotAllocated = errors.New("batchv3: circuit not allocated (use NewCircuit)")

// Define: every slot's step, its roots read from the root table at σ and σ + 1, its record written
// at σ; σ a permutation of 0 … S − 1; the commitment hashed into the public input.
func (c *Batch) Define(api frontend.API) error {
	s := len(c.Records)
	if s == 0 || len(c.Roots) != s+1 || len(c.Priority) != s+1 || len(c.slots()) != s {
		return errNotAllocated
	}
	env, err := stepenv.New(api, c.BatchTime)
	if err != nil {
		return err
	}
	bapi, err := uints.NewBytes(api)
	if err != nil {
		return err
	}
	w := len(c.Records[0])
	nChunks := (w + chunkBytes - 1) / chunkBytes

	// the tables, indexed by execution position
	roots, prio := logderivlookup.New(api), logderivlookup.New(api)
	for i := 0; i <= s; i++ {
		roots.Insert(c.Roots[i])
		prio.Insert(c.Priority[i])
	}
	records := make([]logderivlookup.Table, nChunks)
	recordBytes := make([]uints.U8, 0, s*w)
	for k := range records {
		records[k] = logderivlookup.New(api)
	}
	for i := 0; i < s; i++ {
		for _, b := range c.Records[i] {
			recordBytes = append(recordBytes, bapi.ValueOf(b)) // range-checked to 8 bits
		}
		for k, v := range pack(api, c.Records[i]) {
			records[k].Insert(v)
		}
	}

	var count frontend.Variable = 0
	sigmas := make([]frontend.Variable, 0, s)
	for _, slot := range c.slots() {
		tr, err := slot.step.Transition(env)
		if err != nil {
			return err
		}
		isPriority := c.slot(api, env, slot.index, slot.noop, tr, w, roots, prio, records)
		count = api.Add(count, isPriority)
		sigmas = append(sigmas, slot.index)
	}
	api.AssertIsEqual(count, c.PriorityCount)
	permutation(api, sigmas)

	// the commitment (CommitmentBytes) and the public input
	input := make([]uints.U8, 0, HeaderSize+s*w)
	input = append(input, fieldBytes(api, bapi, c.Roots[0])...)
	input = append(input, fieldBytes(api, bapi, c.Roots[s])...)
	input = append(input, uintBytes(api, bapi, c.BatchNumber, 8)...)
	input = append(input, uintBytes(api, bapi, c.BatchTime, 8)...)
	input = append(input, fieldBytes(api, bapi, c.Priority[0])...)
	input = append(input, fieldBytes(api, bapi, c.Priority[s])...)
	input = append(input, uintBytes(api, bapi, c.PriorityCount, 4)...)
	input = append(input, recordBytes...)
	sha, err := sha2.New(api)
	if err != nil {
		return err
	}
	sha.Write(input)
	digest := sha.Sum()
	top := api.ToBinary(bapi.Value(digest[0]), 8)
	pi := api.FromBinary(top[:5]...) // the digest's top three bits are dropped
	for _, b := range digest[1:] {
		pi = api.Add(api.Mul(pi, 256), bapi.Value(b))
	}
	api.AssertIsEqual(pi, c.PublicInput)
	return nil
}

// slotRef is one slot of any group: σ, the no-op flag and the step.
type slotRef struct {
	index, noop frontend.Variable
	step        stepenv.Step
}

// slots lists every group's slots: trades, deposits, withdrawals, transfers, forced withdrawals,
// oracle ticks, funding ticks, liquidations, takeovers, deleveragings, funding period starts,
// forced trades.
func (c *Batch) slots() []slotRef {
	var out []slotRef
	for j := range c.Trades {
		out = append(out, slotRef{c.Trades[j].Index, c.Trades[j].NoOp, &c.Trades[j].Step})
	}
	for j := range c.Deposits {
		out = append(out, slotRef{c.Deposits[j].Index, c.Deposits[j].NoOp, &c.Deposits[j].Step})
	}
	for j := range c.Withdrawals {
		out = append(out, slotRef{c.Withdrawals[j].Index, c.Withdrawals[j].NoOp, &c.Withdrawals[j].Step})
	}
	for j := range c.Transfers {
		out = append(out, slotRef{c.Transfers[j].Index, c.Transfers[j].NoOp, &c.Transfers[j].Step})
	}
	for j := range c.ForcedWithdrawals {
		out = append(out, slotRef{c.ForcedWithdrawals[j].Index, c.ForcedWithdrawals[j].NoOp, &c.ForcedWithdrawals[j].Step})
	}
	for j := range c.Oracles {
		out = append(out, slotRef{c.Oracles[j].Index, c.Oracles[j].NoOp, &c.Oracles[j].Step})
	}
	for j := range c.Fundings {
		out = append(out, slotRef{c.Fundings[j].Index, c.Fundings[j].NoOp, &c.Fundings[j].Step})
	}
	out = appendSlots(out, c.Liquidations)
	out = appendSlots(out, c.Takeovers)
	out = appendSlots(out, c.Deleverages)
	out = appendSlots(out, c.PeriodStarts)
	return appendSlots(out, c.ForcedTrades)
}

// appendSlots appends a later group's slots to out.
func appendSlots[S any, P interface {
	*S
	stepenv.Step
}](out []slotRef, slots []Slot[S]) []slotRef {
	for j := range slots {
		out = append(out, slotRef{slots[j].Index, slots[j].NoOp, P(&slots[j].Step)})
	}
	return out
}

// slot binds one step to the tables at its position σ and returns 1 if it consumed a priority
// operation, else 0. A live step (NoOp = 0) must start from R[σ], end at R[σ + 1], write its
// public data (zero-padded to w) as record σ and extend the priority chain from P[σ] to P[σ + 1]
// if it is a priority operation. A no-op (NoOp = 1) must leave R, P unchanged across σ and write
// the zero record; its step's roots and data are ignored.
func (c *Batch) slot(api frontend.API, env *stepenv.Env, index, noop frontend.Variable, tr stepenv.Transition, w int,
	roots, prio logderivlookup.Table, records []logderivlookup.Table) frontend.Variable {
	api.AssertIsBoolean(noop)
	live := api.Sub(1, noop)
	next := api.Add(index, 1)
	r := roots.Lookup(index, next)
	api.AssertIsEqual(api.Mul(live, api.Sub(tr.OldRoot, r[0])), 0)
	api.AssertIsEqual(api.Mul(live, api.Sub(tr.NewRoot, r[1])), 0)
	api.AssertIsEqual(api.Mul(noop, api.Sub(r[1], r[0])), 0)

	p := prio.Lookup(index, next)
	var isPriority frontend.Variable = 0
	if v, ok := api.Compiler().ConstantValue(tr.IsPriority); ok && v.Sign() == 0 {
		api.AssertIsEqual(p[1], p[0]) // a type that never consumes a priority operation
	} else {
		isPriority = api.Mul(live, tr.IsPriority)
		api.AssertIsEqual(p[1], api.Select(isPriority, env.Perm.Compress(p[0], tr.PriorityOp), p[0]))
	}

	data := make([]frontend.Variable, w)
	for i := range data {
		data[i] = 0
		if i < len(tr.PublicData) {
			data[i] = tr.PublicData[i]
		}
	}
	for k, v := range pack(api, data) {
		api.AssertIsEqual(records[k].Lookup(index)[0], api.Mul(live, v))
	}
	return isPriority
}

// pack packs bytes (each < 256) into field elements of chunkBytes bytes each, big-endian.
func pack(api frontend.API, b []frontend.Variable) []frontend.Variable {
	var out []frontend.Variable
	for lo := 0; lo < len(b); lo += chunkBytes {
		var v frontend.Variable = 0
		for _, x := range b[lo:min(lo+chunkBytes, len(b))] {
			v = api.Add(api.Mul(v, 256), x)
		}
		out = append(out, v)
	}
	return out
}

// permutation asserts that sigmas is a permutation of 0 … len(sigmas) − 1: Π (γ − σ_j) = Π (γ − i)
// at a challenge γ derived from a commitment to the σ_j (Schwartz–Zippel; both sides are
// polynomials of degree S in γ).
func permutation(api frontend.API, sigmas []frontend.Variable) {
	multicommit.WithCommitment(api, func(api frontend.API, gamma frontend.Variable) error {
		var lhs, rhs frontend.Variable = 1, 1
		for i, s := range sigmas {
			lhs = api.Mul(lhs, api.Sub(gamma, s))
			rhs = api.Mul(rhs, api.Sub(gamma, i))
		}
		api.AssertIsEqual(lhs, rhs)
		return nil
	}, sigmas...)
}

// fieldBytes is v's 32 big-endian bytes, canonical (the 254-bit decomposition is checked < r).
func fieldBytes(api frontend.API, bapi *uints.Bytes, v frontend.Variable) []uints.U8 {
	bits := api.ToBinary(v, 254)
	bits = append(bits, 0, 0)
	return bitsToBytes(api, bapi, bits)
}

// uintBytes is v's n big-endian bytes; unsatisfiable if v ≥ 256^n.
func uintBytes(api frontend.API, bapi *uints.Bytes, v frontend.Variable, n int) []uints.U8 {
	return bitsToBytes(api, bapi, api.ToBinary(v, 8*n))
}

func bitsToBytes(api frontend.API, bapi *uints.Bytes, bits []frontend.Variable) []uints.U8 {
	n := len(bits) / 8
	out := make([]uints.U8, n)
	for k := range out {
		var b frontend.Variable = 0
		low := 8 * (n - 1 - k)
		for i := 7; i >= 0; i-- {
			b = api.Add(api.Mul(b, 2), bits[low+i])
		}
		out[k] = bapi.ValueOf(b)
	}
	return out
}
