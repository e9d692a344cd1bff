package batchv3

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade"
	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// ftShape: 6 forced-trade slots, 1 list entry per account, a table of 2 markets.
var ftShape = Shape{ForcedTrades: 6, N: 1, K: 2}

const ftA, ftB = 5, 9

var ftOwnerA = [20]byte{ftA}

// ftState: market 0 listed (fixture_test.go's market 0, price 1,000), market 1 not; account 5 (A,
// key 1, owner 0x05…) and account 9 (B, key 2) with collateral 500,000 and no position.
func ftState(t testing.TB) *layoutv2.State {
	s := layoutv2.NewState()
	if err := s.SetMarket(0, market(0)); err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		id uint64
		k  byte
	}{{ftA, 1}, {ftB, 2}} {
		pk := key(t, a.k).PublicKey
		ident := layoutv2.Identity{PublicKeyX: pk.A.X, PublicKeyY: pk.A.Y, L1Owner: [20]byte{byte(a.id)}}
		if err := s.SetAccount(a.id, layoutv2.AccountFields{Identity: ident, Nonce: 3, Collateral: 500_000}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// ftRequest is A's request that A buy size of market m for amount (nonce n), signed by key k (B's
// is 2).
func ftRequest(t testing.TB, k byte, m uint16, size, amount, n uint64) ForcedTrade {
	msg := messages.ForcedTradeMessage{AccountA: ftA, AccountB: ftB, Market: m, ABuys: true, Size: size, Amount: amount, Nonce: n}
	op := messages.ForcedTradeOp{Message: msg, OwnerA: ftOwnerA}
	var err error
	if op.RX, op.RY, op.S, err = batch.SignMessage(key(t, k), msg.Hash(demoDomain)); err != nil {
		t.Fatal(err)
	}
	return ForcedTrade{op}
}

// ftSteps, in execution order: 0 on market 1 (unknown market); 1 executed (A buys 10 of market 0
// for 10,000, nonce 100); 2 the same request again (stale: A's slot now holds nonce 100); 3
// signed by A's key instead of B's (bad signature); 4 A paying 1,000,000 for 10 (its collateral
// goes below its margin: risk).
func ftSteps(t testing.TB) []Tx {
	exec := ftRequest(t, 2, 0, 10, 10_000, 100)
	return []Tx{ftRequest(t, 2, 1, 5, 5_000, 300), exec, exec, ftRequest(t, 1, 0, 5, 5_000, 200),
		ftRequest(t, 2, 0, 10, 1_000_000, 400)}
}

var ftReasons = []reference.Reason{reference.UnknownMarket, reference.Executed, reference.Stale, reference.BadSignature, reference.Risk}

// ftOp is step i's request.
func ftOp(steps []Tx, i int) messages.ForcedTradeOp { return steps[i].(ForcedTrade).ForcedTradeOp }

// reasonAt is the offset of the reason in a forced-trade record.
const reasonAt = forcedtrade.PublicDataBytes - 1

// chain sets w's priority table to P_0 extended by ops in order (then constant) and its count.
func chain(w *Witness, ops []fr.Element) {
	for i := range w.Records {
		w.Priority[i+1] = w.Priority[i]
		if i < len(ops) {
			w.Priority[i+1] = layout.Compress(w.Priority[i], ops[i])
		}
	}
	w.PriorityCount = uint32(len(ops))
}

// ftCopy is a deep copy of w (through its encoding).
func ftCopy(t testing.TB, w *Witness) *Witness {
	t.Helper()
	b, err := Encode(w)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Decode(b, w.Shape)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestForcedTradesInABatch: a batch of an executed forced trade and one invalid forced trade of
// each reason (ftSteps: unknown market, stale, bad signature, risk) and one padding slot seals with the
// reference's outcomes: the root after is the executed trade's state (the invalid ones change
// nothing), every record carries its reason (the executed one's bytes written by hand), the
// priority chain holds the five operations in execution order, count 5; it solves with Seal's
// public input. Each of these is unsatisfiable, the public input recomputed: a changed record
// byte (side, amount, the reason of the executed and of the risk record), the stale request's
// operation dropped from the chain, the first two operations in the other order.
func TestForcedTradesInABatch(t *testing.T) {
	s0 := ftState(t)
	steps := ftSteps(t)
	sealed := seal(t, ftShape, s0, steps...)
	w := sealed.Witness
	executed, err := reference.ExecutedState(s0, demoDomain, ftOp(steps, 1))
	if err != nil {
		t.Fatal(err)
	}
	if w.Roots[0] != s0.Root() || w.Roots[1] != s0.Root() || w.Roots[2] != executed.Root() ||
		sealed.NewState.Root() != executed.Root() || executed.Root() == s0.Root() {
		t.Fatal("the executed trade's state is not the batch's")
	}
	for i := 3; i < len(w.Roots); i++ {
		if w.Roots[i] != w.Roots[2] {
			t.Fatalf("root %d moved after the executed trade", i)
		}
	}
	want := []byte{0x0C, 0, 0, ftA, 0, 0, ftB, 0, 1}
	want = binary.BigEndian.AppendUint64(want, 10)
	want = binary.BigEndian.AppendUint64(want, 10_000)
	want = append(want, 0)
	if !bytes.Equal(w.Records[1][:len(want)], want) || len(want) != forcedtrade.PublicDataBytes {
		t.Fatalf("executed record %x, want %x", w.Records[1], want)
	}
	ops := make([]fr.Element, len(steps))
	for i, st := range steps {
		ft := st.(ForcedTrade)
		if !bytes.Equal(w.Records[i][:forcedtrade.PublicDataBytes], forcedtrade.PublicData(ft.Message, ftReasons[i])) {
			t.Fatalf("record %d: %x, want reason %v", i, w.Records[i], ftReasons[i])
		}
		ops[i] = ft.Hash()
	}
	if w.Records[5][0] != 0 || !w.ForcedTrades[5].NoOp {
		t.Fatal("the sixth slot is not padding")
	}
	honest := ftCopy(t, w)
	chain(honest, ops)
	if w.PriorityCount != 5 || w.Priority[5] != honest.Priority[5] || w.Priority[6] != w.Priority[5] {
		t.Fatal("priority chain is not the five operations in execution order")
	}
	if err := solves(t, ftShape, sealed.Assignment); err != nil {
		t.Fatalf("the forced-trade batch does not solve: %v", err)
	}

	mustFail := func(what string, change func(*Witness)) {
		t.Helper()
		x := ftCopy(t, w)
		change(x)
		if solves(t, ftShape, assignment(t, x)) == nil {
			t.Errorf("%s: satisfiable", what)
		}
	}
	mustFail("executed record's side byte", func(x *Witness) { x.Records[1][8] = 0 })
	mustFail("executed record's amount byte", func(x *Witness) { x.Records[1][24]++ })
	mustFail("executed record's reason", func(x *Witness) { x.Records[1][reasonAt] = byte(reference.Risk) })
	mustFail("risk record's reason", func(x *Witness) { x.Records[4][reasonAt] = byte(reference.Executed) })
	mustFail("stale request's operation dropped", func(x *Witness) { chain(x, append(append([]fr.Element{}, ops[:2]...), ops[3:]...)) })
	mustFail("first two operations swapped", func(x *Witness) {
		chain(x, append([]fr.Element{ops[1], ops[0]}, ops[2:]...))
	})
}

// TestForcedTradeClaimsAreBound: the decision is the reference's inside a batch. A batch whose
// last live step is the executed trade, with that trade claimed as each invalid reason (built as
// an honest prover of the claim would: forcedtrade.Claim, the roots after it unchanged, the
// record's reason the claim's), is unsatisfiable; so is the batch of TestForcedTradesInABatch with
// its last live step (risk) claimed executed (the roots after it the execution's state). The
// honest claims of the reference's outcome, built the same way, solve (so the claim witness itself
// is sound).
func TestForcedTradeClaimsAreBound(t *testing.T) {
	s0 := ftState(t)
	steps := ftSteps(t)
	claim := func(w *Witness, live int, op messages.ForcedTradeOp, at *layoutv2.State, r reference.Reason) *Witness {
		t.Helper()
		x := ftCopy(t, w)
		c, next, err := forcedtrade.Claim(at, demoDomain, op, r, ftShape.N, ftShape.K)
		if err != nil {
			t.Fatal(err)
		}
		x.ForcedTrades[live].Step = &ForcedTradeStep{c.ForcedTradeTransition}
		x.Records[live][reasonAt] = byte(r)
		for i := live + 1; i < len(x.Roots); i++ {
			x.Roots[i] = next.Root()
		}
		return x
	}

	exec := ftOp(steps, 1)
	one := seal(t, ftShape, s0, steps[1]).Witness
	if err := solves(t, ftShape, assignment(t, claim(one, 0, exec, s0, reference.Executed))); err != nil {
		t.Fatalf("the honest claim (executed) does not solve: %v", err)
	}
	for _, r := range []reference.Reason{reference.Stale, reference.BadSignature, reference.Risk, reference.UnknownMarket} {
		if solves(t, ftShape, assignment(t, claim(one, 0, exec, s0, r))) == nil {
			t.Errorf("an executed forced trade claimed %v: satisfiable", r)
		}
	}

	all := seal(t, ftShape, s0, steps...).Witness
	before, err := reference.ExecutedState(s0, demoDomain, exec)
	if err != nil {
		t.Fatal(err)
	}
	risk := ftOp(steps, 4)
	if err := solves(t, ftShape, assignment(t, claim(all, 4, risk, before, reference.Risk))); err != nil {
		t.Fatalf("the honest claim (risk) does not solve: %v", err)
	}
	if solves(t, ftShape, assignment(t, claim(all, 4, risk, before, reference.Executed))) == nil {
		t.Error("a forced trade failing the risk rules claimed executed: satisfiable")
	}
}

// TestForcedTradeEncodingAndRefusals: a forced-trade shape encodes with the header extension and
// the group's size after it, round-trips byte for byte, and a wrong group size is a FormatError
// at its offset; Seal refuses a seventh forced trade (ErrTooManySteps) and a request the
// reference cannot serve (a missing account B: reference.ErrNoAccount) as *StepError, state
// unchanged; shapes without forced trades print, size and encode their header as before.
func TestForcedTradeEncodingAndRefusals(t *testing.T) {
	s0 := ftState(t)
	steps := ftSteps(t)
	w := seal(t, ftShape, s0, steps...).Witness
	enc, err := Encode(w)
	if err != nil {
		t.Fatal(err)
	}
	at := FixedHeaderSize + HeaderExtensionSize
	if EncodedHeaderSize(ftShape) != at+ForcedTradeHeaderSize || len(enc) != EncodedSize(ftShape) ||
		binary.BigEndian.Uint16(enc[at:]) != 6 || !bytes.Equal(enc[FixedHeaderSize:at], make([]byte, HeaderExtensionSize)) {
		t.Fatal("header of a forced-trade shape")
	}
	again, err := Encode(ftCopy(t, w))
	if err != nil || !bytes.Equal(again, enc) {
		t.Fatal("round trip")
	}
	bad := append([]byte(nil), enc...)
	bad[at+1] = 5
	var fe *FormatError
	if _, err := Decode(bad, ftShape); !errors.As(err, &fe) || fe.Offset != at {
		t.Fatalf("wrong forced-trade group size: %v", err)
	}
	record := append([]byte(nil), enc...)
	record[EncodedHeaderSize(ftShape)+2*32*(ftShape.Steps()+1)] = 5 // record 0 typed as a trade
	if _, err := Decode(record, ftShape); !errors.As(err, &fe) {
		t.Fatalf("forced-trade record of another type: %v", err)
	}

	root := s0.Root()
	var se *StepError
	seven := append(append([]Tx{}, steps...), steps[3], steps[3])
	if _, err := Seal(s0, Shape{ForcedTrades: 6, Deposits: 1, N: 1, K: 2}, seven, Header{Domain: demoDomain}); !errors.As(err, &se) ||
		!errors.Is(err, ErrTooManySteps) || se.Index != 6 {
		t.Fatalf("a seventh forced trade: %v", err)
	}
	missing := ftRequest(t, 2, 0, 1, 1, 7)
	missing.Message.AccountB = 77
	if _, err := Seal(s0, ftShape, []Tx{missing}, Header{Domain: demoDomain}); !errors.As(err, &se) || !errors.Is(err, reference.ErrNoAccount) {
		t.Fatalf("a request for a missing account: %v", err)
	}
	if s0.Root() != root {
		t.Fatal("a refusal changed the state")
	}
	if got := (Shape{Trades: 1, N: 1, K: 1}).String(); got != "trades 1, deposits 0, withdrawals 0, transfers 0, forced withdrawals 0, oracle ticks 0, funding ticks 0, N 1, K 1, report slots 0" {
		t.Fatalf("a shape without forced trades prints %q", got)
	}
	if err := (Shape{ForcedTrades: 1, K: 1}).Check(); !errors.Is(err, ErrShape) {
		t.Fatal("forced-trade slots without N")
	}
}
