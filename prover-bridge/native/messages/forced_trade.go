package messages

import (
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// ForcedTradeMessage is a trade two accounts agree on off-chain, which account A submits to L1 as
// a priority operation (docs/perp-circuit.md §12): A buys (ABuys) or sells Size synthetic quanta
// of Market to or from account B for Amount collateral quanta (price × size), at A's Nonce. B
// signs it with its L2 key; A is authenticated on L1 by sending the request from its bound owner
// address, so A signs nothing on L2.
type ForcedTradeMessage struct {
	AccountA, AccountB uint32
	Market             uint16
	ABuys              bool
	Size, Amount       uint64
	Nonce              uint64
}

// Packed is e1 = accountA (32) ‖ accountB (32) ‖ market (16) ‖ aBuys (8) ‖ nonce (64) (152 bits),
// e2 = size (64) ‖ amount (64) (128 bits).
func (m ForcedTradeMessage) Packed() []fr.Element {
	var buy uint64
	if m.ABuys {
		buy = 1
	}
	var p1, p2 packer
	p1.put(uint64(m.AccountA), 32).put(uint64(m.AccountB), 32).put(uint64(m.Market), 16).put(buy, 8).put(m.Nonce, 64)
	p2.put(m.Size, 64).put(m.Amount, 64)
	return []fr.Element{p1.element(), p2.element()}
}

// Hash is H(D_forced_trade, e1, e2): the element account B signs.
func (m ForcedTradeMessage) Hash(d Domain) fr.Element { return d.Hash(ForcedTrade, m.Packed()...) }

// TagForcedTradeOpString is the tag of a forced trade's priority operation (its own namespace, as
// batch.TagForcedString is the forced withdrawal's).
const TagForcedTradeOpString = "zkperp/forced-trade/v1"

// TagForcedTradeOp is TagForcedTradeOpString read as a big-endian integer (layout.Tag).
var TagForcedTradeOp = layout.Tag(TagForcedTradeOpString)

// ForcedTradeOp is a forced-trade request as L1 queues it: the message, the requester (account
// A's bound owner, msg.sender on L1) and B's signature (R affine, S).
type ForcedTradeOp struct {
	Message   ForcedTradeMessage
	OwnerA    [20]byte
	RX, RY, S fr.Element
}

// Hash is the priority operation hash H(TAG_FORCED_TRADE, e1, e2, ownerA, RX, RY, S), e1 and e2
// the message's packed elements: every field L1 received, in the rolling hash P the batch
// circuit consumes (docs/batch-format.md §2).
func (o ForcedTradeOp) Hash() fr.Element {
	p := o.Message.Packed()
	return layout.Hash(TagForcedTradeOp, p[0], p[1], layout.Address(o.OwnerA), o.RX, o.RY, o.S)
}
