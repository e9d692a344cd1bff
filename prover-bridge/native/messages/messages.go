// Package messages is the Go reference of zkperp's domain-separated signed messages (signed-message
// format 2, docs/state-layout.md "Signed messages"): orders, cancels, cancel-alls and oracle price
// reports, account read grants (the session token that lets a gateway show an account's private
// data), the collateral transactions withdrawal and transfer of batch format v3, and the forced
// trade (forced_trade.go, with its priority operation). The Java definition is
// io.zkperp.protocol.message; both are pinned by test-vectors/signed-messages.json and
// test-vectors/collateral-messages.json, which this package's hashes generate; the forced trade
// has no Java class yet and is pinned by test-vectors/forced-trade.json.
//
// A message of type T in domain (chainId, rollup) with fields packed into e1 … ek hashes to
//
//	D = H(tag(T), FormatVersion, chainId, rollup)    the domain separator, once per deployment and type
//	m = H(D, e1, …, ek)                              the one element the EdDSA signature is over
//
// where H is Poseidon2 Merkle–Damgård with IV 0 (layout.Hash). Fields are packed big-endian and
// unsigned: the first field listed takes the highest bits of its element.
package messages

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// FormatVersion is the signed-message format these definitions implement.
const FormatVersion = 2

// Type is the kind of a signed message.
type Type int

// The message types.
const (
	Order Type = iota
	CancelOrder
	CancelAll
	OraclePrice
	ReadGrant
	// Withdrawal and Transfer are the collateral transactions of batch format v3; batch format v2
	// (the v1 circuit) still signs them in signed-message format 1 (package batch).
	Withdrawal
	Transfer
	// ForcedTrade is the trade two accounts sign off-chain and one submits on L1 (forced_trade.go).
	ForcedTrade
)

// TagName is the ASCII type tag, read as a big-endian integer (layout.Tag).
func (t Type) TagName() string {
	switch t {
	case Order:
		return "zkperp/order"
	case CancelOrder:
		return "zkperp/cancel-order"
	case CancelAll:
		return "zkperp/cancel-all"
	case OraclePrice:
		return "zkperp/oracle-price"
	case ReadGrant:
		return "zkperp/read-grant"
	case Withdrawal:
		return "zkperp/withdrawal"
	case Transfer:
		return "zkperp/transfer"
	case ForcedTrade:
		return "zkperp/forced-trade"
	}
	panic("messages: unknown type")
}

// Domain is the deployment a message is signed for.
type Domain struct {
	ChainID uint64
	Rollup  [20]byte
}

// Separator is D = H(tag, FormatVersion, chainId, rollup).
func (d Domain) Separator(t Type) fr.Element {
	return layout.Hash(layout.Tag(t.TagName()), layout.U64(FormatVersion), layout.U64(d.ChainID), layout.Address(d.Rollup))
}

// Hash is H(D, packed…).
func (d Domain) Hash(t Type, packed ...fr.Element) fr.Element {
	return layout.Hash(append([]fr.Element{d.Separator(t)}, packed...)...)
}

// packer concatenates unsigned fields big-endian into one element.
type packer struct {
	v    big.Int
	bits int
}

func (p *packer) put(x uint64, width int) *packer {
	if width < 64 && x>>uint(width) != 0 {
		panic("messages: field wider than its slot")
	}
	p.v.Lsh(&p.v, uint(width))
	p.v.Or(&p.v, new(big.Int).SetUint64(x))
	p.bits += width
	if p.bits > 248 {
		panic("messages: more than 248 bits in one element")
	}
	return p
}

func (p *packer) element() fr.Element {
	var e fr.Element
	e.SetBigInt(&p.v)
	return e
}

// OrderMessage is every field of an order that affects its execution. Enum codes: side BUY 0,
// SELL 1; type LIMIT 0, MARKET 1; time in force GTC 0, IOC 1, FOK 2, POST_ONLY 3; trigger NONE 0,
// STOP_LOSS 1, TAKE_PROFIT 2.
type OrderMessage struct {
	Account       uint32
	Market        uint16
	Side          uint8
	Type          uint8
	TimeInForce   uint8
	ReduceOnly    bool
	ClientOrderID uint32
	Size          uint64
	Price         uint64
	FeeCap        uint32
	Expiry        uint64
	Nonce         uint64
	Trigger       uint8
	TriggerPrice  uint64
}

// Flags is side | type<<1 | timeInForce<<3 | reduceOnly<<5 | trigger<<6.
func (o OrderMessage) Flags() uint16 {
	f := uint16(o.Side) | uint16(o.Type)<<1 | uint16(o.TimeInForce)<<3 | uint16(o.Trigger)<<6
	if o.ReduceOnly {
		f |= 1 << 5
	}
	return f
}

// Packed is e1 = account (32) ‖ market (16) ‖ flags (16) ‖ clientOrderId (32) ‖ nonce (64) ‖
// expiry (64), e2 = size (64) ‖ price (64) ‖ triggerPrice (64) ‖ feeCap (32).
func (o OrderMessage) Packed() []fr.Element {
	var a, b packer
	a.put(uint64(o.Account), 32).put(uint64(o.Market), 16).put(uint64(o.Flags()), 16).
		put(uint64(o.ClientOrderID), 32).put(o.Nonce, 64).put(o.Expiry, 64)
	b.put(o.Size, 64).put(o.Price, 64).put(o.TriggerPrice, 64).put(uint64(o.FeeCap), 32)
	return []fr.Element{a.element(), b.element()}
}

// Hash is H(D_order, e1, e2).
func (o OrderMessage) Hash(d Domain) fr.Element { return d.Hash(Order, o.Packed()...) }

// CancelOrderMessage cancels one order.
type CancelOrderMessage struct {
	Account         uint32
	ByClientOrderID bool
	ID              uint64
	ValidUntil      uint64
}

// Packed is e1 = account (32) ‖ byClientOrderId (8) ‖ id (64) ‖ validUntil (64).
func (c CancelOrderMessage) Packed() []fr.Element {
	by := uint64(0)
	if c.ByClientOrderID {
		by = 1
	}
	var p packer
	p.put(uint64(c.Account), 32).put(by, 8).put(c.ID, 64).put(c.ValidUntil, 64)
	return []fr.Element{p.element()}
}

// Hash is H(D_cancel-order, e1).
func (c CancelOrderMessage) Hash(d Domain) fr.Element { return d.Hash(CancelOrder, c.Packed()...) }

// AllMarkets is the cancel-all market value meaning every market.
const AllMarkets = 0xFFFFFFFF

// CancelAllMessage cancels all orders of an account, in one market or all (AllMarkets).
type CancelAllMessage struct {
	Account    uint32
	Market     uint32
	ValidUntil uint64
}

// Packed is e1 = account (32) ‖ market (32) ‖ validUntil (64).
func (c CancelAllMessage) Packed() []fr.Element {
	var p packer
	p.put(uint64(c.Account), 32).put(uint64(c.Market), 32).put(c.ValidUntil, 64)
	return []fr.Element{p.element()}
}

// Hash is H(D_cancel-all, e1).
func (c CancelAllMessage) Hash(d Domain) fr.Element { return d.Hash(CancelAll, c.Packed()...) }

// OraclePriceMessage is one signer's price for a market at a time.
type OraclePriceMessage struct {
	Market    uint32
	Price     uint64
	Timestamp uint64
}

// Packed is e1 = market (32) ‖ price (64) ‖ timestamp (64).
func (m OraclePriceMessage) Packed() []fr.Element {
	var p packer
	p.put(uint64(m.Market), 32).put(m.Price, 64).put(m.Timestamp, 64)
	return []fr.Element{p.element()}
}

// Hash is H(D_oracle-price, e1).
func (m OraclePriceMessage) Hash(d Domain) fr.Element { return d.Hash(OraclePrice, m.Packed()...) }

// ReadGrantMessage lets a gateway show an account's private data (open orders, fills, nonces, the
// account and its stream) until ValidUntil, unix seconds. It authorises reading only.
type ReadGrantMessage struct {
	Account    uint32
	ValidUntil uint64
}

// Packed is e1 = account (32) ‖ validUntil (64).
func (g ReadGrantMessage) Packed() []fr.Element {
	var p packer
	p.put(uint64(g.Account), 32).put(g.ValidUntil, 64)
	return []fr.Element{p.element()}
}

// Hash is H(D_read-grant, e1).
func (g ReadGrantMessage) Hash(d Domain) fr.Element { return d.Hash(ReadGrant, g.Packed()...) }
