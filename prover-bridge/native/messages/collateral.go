package messages

import (
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// WithdrawalMessage is what an account signs to withdraw collateral to its bound L1 owner: every
// field that changes what happens (who is debited, who L1 pays, how much, at which nonce).
type WithdrawalMessage struct {
	Account uint32
	L1Owner [20]byte
	Amount  uint64
	Nonce   uint64
}

// Packed is e1 = account (32) ‖ amount (64) ‖ nonce (64), e2 = l1Owner (the field element of its
// 20 bytes, layout.Address).
func (w WithdrawalMessage) Packed() []fr.Element {
	var p packer
	p.put(uint64(w.Account), 32).put(w.Amount, 64).put(w.Nonce, 64)
	return []fr.Element{p.element(), layout.Address(w.L1Owner)}
}

// Hash is H(D_withdrawal, e1, e2).
func (w WithdrawalMessage) Hash(d Domain) fr.Element { return d.Hash(Withdrawal, w.Packed()...) }

// TransferMessage is what the sender signs to move collateral to another account.
type TransferMessage struct {
	Account  uint32 // the sender
	Receiver uint32
	Amount   uint64
	Nonce    uint64
}

// Packed is e1 = account (32) ‖ receiver (32) ‖ amount (64) ‖ nonce (64).
func (t TransferMessage) Packed() []fr.Element {
	var p packer
	p.put(uint64(t.Account), 32).put(uint64(t.Receiver), 32).put(t.Amount, 64).put(t.Nonce, 64)
	return []fr.Element{p.element()}
}

// Hash is H(D_transfer, e1).
func (t TransferMessage) Hash(d Domain) fr.Element { return d.Hash(Transfer, t.Packed()...) }
