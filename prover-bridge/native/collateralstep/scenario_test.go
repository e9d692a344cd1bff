package collateralstep

import (
	"bytes"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// Every step type composes into a batch.
var (
	_ stepenv.Step = (*DepositStep)(nil)
	_ stepenv.Step = (*WithdrawalStep)(nil)
	_ stepenv.Step = (*TransferStep)(nil)
	_ stepenv.Step = (*ForcedWithdrawalStep)(nil)
)

var demoDomain = messages.Domain{ChainID: 31337, Rollup: [20]byte{0x5f, 0xbd, 0xb2, 0x31, 0x56, 0x78, 0xaf, 0xec, 0xb3, 0x67, 0xf0, 0x32, 0xd9, 0x3f, 0x64, 0x2f, 0x64, 0x18, 0x0a, 0xa3}}

var seps = SeparatorsOf(demoDomain)

// The scenario's accounts: 4 and 5 are siblings in the accounts tree (same owner and nonce,
// different keys);
// 6 holds a position; 7 holds nothing; 8 is an empty slot; 10 has a negative collateral and no
// position (a state the engine reaches by funding or fees).
const (
	sibling, sender, holder, receiver, empty, negative = 4, 5, 6, 7, 8, 10
	fund                                               = uint32(layoutv2.InsuranceFundAccount)
)

var (
	ownerA = [20]byte{0xa1, 19: 0x05}
	ownerB = [20]byte{0xb2, 19: 0x06}
	ownerC = [20]byte{0xc3, 19: 0x07}
)

func key(t testing.TB, i byte) *eddsa.PrivateKey {
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{i + 71}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func identityOf(t testing.TB, k byte, owner [20]byte, tier uint8) layoutv2.Identity {
	pk := key(t, k).PublicKey
	return layoutv2.Identity{PublicKeyX: pk.A.X, PublicKeyY: pk.A.Y, L1Owner: owner, FeeTier: tier}
}

// newState builds the scenario: a listed market, a global leaf with a fee balance and a signer,
// the accounts above (5 with a fill leaf, so its fills root is not empty) and a funded insurance
// fund.
func newState(t testing.TB) *layoutv2.State {
	s := layoutv2.NewState()
	if err := s.SetMarket(2, layoutv2.Market{OraclePrice: 1300 << 32, OpenInterest: 77, Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, IncrementalPositionSize: 1}}); err != nil {
		t.Fatal(err)
	}
	g := s.Global()
	g.FeeBalance, g.OracleQuorum = 1_234, 1
	g.OracleSigners[0] = layoutv2.OracleSigner{KeyX: key(t, 9).PublicKey.A.X, KeyY: key(t, 9).PublicKey.A.Y}
	if err := s.SetGlobal(g); err != nil {
		t.Fatal(err)
	}
	var held layoutv2.Positions
	held[0] = layoutv2.PositionEntry{Market: 2, Size: -15, FundingSnapshot: 99}
	for _, a := range []struct {
		id uint64
		f  layoutv2.AccountFields
	}{
		{sibling, layoutv2.AccountFields{Identity: identityOf(t, 4, ownerA, 0), Nonce: 3, Collateral: 5_000}},
		{sender, layoutv2.AccountFields{Identity: identityOf(t, 5, ownerA, 2), Nonce: 3, Collateral: 10_000}},
		{holder, layoutv2.AccountFields{Identity: identityOf(t, 6, ownerB, 0), Nonce: 7, Collateral: 500, Positions: held}},
		{receiver, layoutv2.AccountFields{Identity: identityOf(t, 7, ownerC, 1), Collateral: 0}},
		{negative, layoutv2.AccountFields{Identity: identityOf(t, 10, ownerC, 0), Nonce: 2, Collateral: -40}},
		{uint64(fund), layoutv2.AccountFields{Collateral: 1_000}},
	} {
		if err := s.SetAccount(a.id, a.f); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetFill(sender, layoutv2.Fill{OrderNonce: 4097, FilledAmount: 12}); err != nil {
		t.Fatal(err)
	}
	return s
}

func sign(t testing.TB, k byte, h fr.Element) []byte {
	b := h.Bytes()
	sig, err := key(t, k).Sign(b[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// withdrawal is a withdrawal from account id signed with key k in domain d.
func withdrawal(t testing.TB, k byte, d messages.Domain, m messages.WithdrawalMessage) Withdrawal {
	return Withdrawal{Domain: demoDomain, Message: m, Signature: sign(t, k, m.Hash(d))}
}

func transfer(t testing.TB, k byte, d messages.Domain, m messages.TransferMessage) Transfer {
	return Transfer{Domain: demoDomain, Message: m, Signature: sign(t, k, m.Hash(d))}
}

func validWithdrawal(t testing.TB) Withdrawal {
	return withdrawal(t, 5, demoDomain, messages.WithdrawalMessage{Account: sender, L1Owner: ownerA, Amount: 2_500, Nonce: 3})
}

func validTransfer(t testing.TB, to uint32) Transfer {
	return transfer(t, 5, demoDomain, messages.TransferMessage{Account: sender, Receiver: to, Amount: 2_500, Nonce: 3})
}

func newDeposit(t testing.TB) Deposit {
	k := key(t, 8).PublicKey
	return Deposit{Account: empty, L1Owner: ownerB, PublicKeyX: k.A.X, PublicKeyY: k.A.Y, Amount: 9_000}
}

func existingDeposit(t testing.TB) Deposit {
	k := key(t, 5).PublicKey
	return Deposit{Account: sender, L1Owner: ownerA, PublicKeyX: k.A.X, PublicKeyY: k.A.Y, Amount: 1_000}
}

func solve(shape, w frontend.Circuit) error {
	return test.IsSolved(shape, w, ecc.BN254.ScalarField())
}

func withdrawalMessage(id uint32, owner [20]byte, amount, nonce uint64) messages.WithdrawalMessage {
	return messages.WithdrawalMessage{Account: id, L1Owner: owner, Amount: amount, Nonce: nonce}
}

// The circuit shape of an assignment: the margin shape with its table length when the witness
// has one, else the no-position shape. Tests take shapes from here, so a witness is never solved
// against another shape (which would fail for the wrong reason).
func depositShape(w *DepositCircuit) frontend.Circuit {
	if len(w.Step.Margin) == 1 {
		return NewDepositCircuitWithMargin(len(w.Step.Margin[0].Markets))
	}
	return NewDepositCircuit()
}

func withdrawalShape(w *WithdrawalCircuit) frontend.Circuit {
	if len(w.Step.Margin) == 1 {
		return NewWithdrawalCircuitWithMargin(seps, len(w.Step.Margin[0].Markets))
	}
	return NewWithdrawalCircuit(seps)
}

func transferShape(w *TransferCircuit) frontend.Circuit {
	if len(w.Step.Margin) == 1 {
		return NewTransferCircuitWithMargin(seps, len(w.Step.Margin[0].Markets))
	}
	return NewTransferCircuit(seps)
}

func forcedShape(w *ForcedWithdrawalCircuit) frontend.Circuit {
	if len(w.Step.Margin) == 1 {
		return NewForcedWithdrawalCircuitWithMargin(len(w.Step.Margin[0].Markets))
	}
	return NewForcedWithdrawalCircuit()
}
