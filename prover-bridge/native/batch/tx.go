package batch

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// TxType is the kind of transaction in a batch slot; its value is the type byte of the slot's
// public-data chunk.
type TxType uint8

// Transaction types of batch format v2 (v1 had types 0…3).
const (
	TxNoop       TxType = 0
	TxDeposit    TxType = 1
	TxWithdrawal TxType = 2
	TxTransfer   TxType = 3
	// TxForcedWithdrawal serves a forced withdrawal requested on L1 (a priority operation): it
	// pays the requested amount to the account's owner if the account holds it, and nothing
	// otherwise; either way the request is consumed. Unsigned: the L1 request is the authority.
	TxForcedWithdrawal TxType = 4
)

func (t TxType) String() string {
	switch t {
	case TxNoop:
		return "no-op"
	case TxDeposit:
		return "deposit"
	case TxWithdrawal:
		return "withdrawal"
	case TxTransfer:
		return "transfer"
	case TxForcedWithdrawal:
		return "forced withdrawal"
	}
	return fmt.Sprintf("type %d", uint8(t))
}

// Signed reports whether transactions of this type carry the account's EdDSA signature.
func (t TxType) Signed() bool { return t == TxWithdrawal || t == TxTransfer }

// Domain tags of the signed messages and of the priority-operation hash (layout v1 §2 rules: the
// ASCII string read as a big-endian integer).
const (
	TagWithdrawalString = "zkperp/withdrawal/v1"
	TagTransferString   = "zkperp/transfer/v1"
	TagDepositString    = "zkperp/deposit/v1"
	TagForcedString     = "zkperp/forced-withdrawal/v1"
)

// Tags as field elements.
var (
	TagWithdrawal = layout.Tag(TagWithdrawalString)
	TagTransfer   = layout.Tag(TagTransferString)
	TagDeposit    = layout.Tag(TagDepositString)
	TagForced     = layout.Tag(TagForcedString)
)

// MaxAmount is the largest amount a deposit, withdrawal or transfer may carry: 2^63 − 1, so that
// every amount is also a non-negative int64.
const MaxAmount = 1<<63 - 1

// WithdrawalMessage is the one field element an account signs to withdraw amount to its bound L1
// owner: H(TAG_WITHDRAWAL, account, l1Owner, amount, nonce).
func WithdrawalMessage(account uint32, l1Owner [20]byte, amount, nonce uint64) fr.Element {
	return layout.Hash(TagWithdrawal, layout.U64(uint64(account)), layout.Address(l1Owner), layout.U64(amount), layout.U64(nonce))
}

// TransferMessage is the one field element the sender signs: H(TAG_TRANSFER, from, to, amount,
// nonce).
func TransferMessage(from, to uint32, amount, nonce uint64) fr.Element {
	return layout.Hash(TagTransfer, layout.U64(uint64(from)), layout.U64(uint64(to)), layout.U64(amount), layout.U64(nonce))
}

// DepositHash is the hash of one deposit priority operation as the L1 contract records it:
// H(TAG_DEPOSIT, account, l1Owner, publicKeyX, publicKeyY, amount).
func DepositHash(account uint32, l1Owner [20]byte, pkX, pkY fr.Element, amount uint64) fr.Element {
	return layout.Hash(TagDeposit, layout.U64(uint64(account)), layout.Address(l1Owner), pkX, pkY, layout.U64(amount))
}

// ForcedWithdrawalHash is the hash of one forced-withdrawal priority operation as the L1 contract
// records it: H(TAG_FORCED, account, l1Owner, amount), l1Owner being the requester (the account's
// bound owner).
func ForcedWithdrawalHash(account uint32, l1Owner [20]byte, amount uint64) fr.Element {
	return layout.Hash(TagForced, layout.U64(uint64(account)), layout.Address(l1Owner), layout.U64(amount))
}

// IsPriority reports whether slots of this type consume an L1 priority operation.
func (t TxType) IsPriority() bool { return t == TxDeposit || t == TxForcedWithdrawal }

// NextPriorityHash extends the L1 priority-operation rolling hash by one operation:
// Compress(previous, depositHash). The chain starts at 0.
func NextPriorityHash(previous, depositHash fr.Element) fr.Element {
	return layout.Compress(previous, depositHash)
}
