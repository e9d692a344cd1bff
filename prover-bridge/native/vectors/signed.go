package vectors

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// FileSignedMessages holds the domain-separated signed messages (format 2): for two domains, orders
// with every combination of side, type, time in force, reduce-only and trigger, cancels, cancel-alls
// oracle price reports and account read grants, each with its packed elements, hash, signer and signature.
const FileSignedMessages = "signed-messages.json"

type domainCase struct {
	Name          string            `json:"name"`
	ChainID       string            `json:"chainId"`
	RollupAddress string            `json:"rollupAddress"`
	Separators    map[string]string `json:"separators"`
}

// signature is the signer (eddsa.json key index, its seed and compressed public key) and the
// 64-byte signature over the message hash.
type signature struct {
	KeyIndex  int    `json:"keyIndex"`
	KeySeed   string `json:"keySeed"`
	PublicKey string `json:"publicKey"`
	Signature string `json:"signature"`
}

type orderCase struct {
	Domain        int      `json:"domain"`
	Account       uint32   `json:"account"`
	Market        uint16   `json:"market"`
	Side          string   `json:"side"`
	Type          string   `json:"type"`
	TimeInForce   string   `json:"timeInForce"`
	ReduceOnly    bool     `json:"reduceOnly"`
	ClientOrderID uint32   `json:"clientOrderId"`
	Size          string   `json:"size"`
	Price         string   `json:"price"`
	FeeCap        uint32   `json:"feeCap"`
	Expiry        string   `json:"expiry"`
	Nonce         string   `json:"nonce"`
	Trigger       string   `json:"trigger"`
	TriggerPrice  string   `json:"triggerPrice"`
	Flags         uint16   `json:"flags"`
	Packed        []string `json:"packed"`
	Hash          string   `json:"hash"`
	signature
}

type cancelOrderCase struct {
	Domain          int      `json:"domain"`
	Account         uint32   `json:"account"`
	ByClientOrderID bool     `json:"byClientOrderId"`
	ID              string   `json:"id"`
	ValidUntil      string   `json:"validUntil"`
	Packed          []string `json:"packed"`
	Hash            string   `json:"hash"`
	signature
}

type cancelAllCase struct {
	Domain int `json:"domain"`
	// Market is the market id, or −1 for every market (packed as 0xFFFFFFFF).
	Market     int64    `json:"market"`
	Account    uint32   `json:"account"`
	ValidUntil string   `json:"validUntil"`
	Packed     []string `json:"packed"`
	Hash       string   `json:"hash"`
	signature
}

type oracleCase struct {
	Domain    int      `json:"domain"`
	Market    uint32   `json:"market"`
	Price     string   `json:"price"`
	Timestamp string   `json:"timestamp"`
	Packed    []string `json:"packed"`
	Hash      string   `json:"hash"`
	signature
}

type readGrantCase struct {
	Domain     int      `json:"domain"`
	Account    uint32   `json:"account"`
	ValidUntil string   `json:"validUntil"`
	Packed     []string `json:"packed"`
	Hash       string   `json:"hash"`
	signature
}

type signedFile struct {
	Generator     Generator         `json:"generator"`
	Comment       string            `json:"comment"`
	FormatVersion int               `json:"formatVersion"`
	Domains       []domainCase      `json:"domains"`
	Orders        []orderCase       `json:"orders"`
	CancelOrders  []cancelOrderCase `json:"cancelOrders"`
	CancelAlls    []cancelAllCase   `json:"cancelAlls"`
	OraclePrices  []oracleCase      `json:"oraclePrices"`
	ReadGrants    []readGrantCase   `json:"readGrants"`
}

// Names of the enum codes, as the JSON-RPC API and the Java enums spell them.
var (
	sideNames    = []string{"BUY", "SELL"}
	typeNames    = []string{"LIMIT", "MARKET"}
	tifNames     = []string{"GTC", "IOC", "FOK", "POST_ONLY"}
	triggerNames = []string{"NONE", "STOP_LOSS", "TAKE_PROFIT"}
)

// SignedMessageDomains are the two domains of the vectors: the demo deployment (anvil's chain id,
// the demo rollup address) and a second one differing in both.
var SignedMessageDomains = []messages.Domain{
	{ChainID: 31337, Rollup: [20]byte{0x5f, 0xbd, 0xb2, 0x31, 0x56, 0x78, 0xaf, 0xec, 0xb3, 0x67, 0xf0, 0x32, 0xd9, 0x3f, 0x64, 0x2f, 0x64, 0x18, 0x0a, 0xa3}},
	{ChainID: 1, Rollup: [20]byte{0xde, 0xad, 0xbe, 0xef, 19: 0x01}},
}

func signWith(keys []key, ki int, h fr.Element) (signature, error) {
	s, err := sign(keys, ki, []fr.Element{h})
	if err != nil {
		return signature{}, err
	}
	k := keys[ki]
	return signature{KeyIndex: ki, KeySeed: hexBytes(k.seed[:]), PublicKey: hexBytes(k.pubEnc), Signature: hexBytes(s.sig)}, nil
}

func genSignedMessages(keys []key) (any, error) {
	f := signedFile{
		Generator: generatorInfo(),
		Comment: "Signed-message format 2 (docs/state-layout.md, \"Signed messages\"): hash = H(D, packed…)," +
			" D = H(tag, 2, chainId, rollupAddress), H = Poseidon2 Merkle–Damgård (IV 0); the EdDSA" +
			" signature is over the one-element hash. Unsigned 64-bit values are decimal strings.",
		FormatVersion: messages.FormatVersion,
	}
	types := []struct {
		name string
		t    messages.Type
	}{{"order", messages.Order}, {"cancelOrder", messages.CancelOrder}, {"cancelAll", messages.CancelAll}, {"oraclePrice", messages.OraclePrice}, {"readGrant", messages.ReadGrant}}
	names := []string{"demo", "other"}
	for i, d := range SignedMessageDomains {
		seps := map[string]string{}
		for _, t := range types {
			seps[t.name] = hexFr(d.Separator(t.t))
		}
		f.Domains = append(f.Domains, domainCase{Name: names[i], ChainID: decU64(d.ChainID), RollupAddress: hexBytes(d.Rollup[:]), Separators: seps})
	}

	rnd := newStream("signed-messages")
	n := 0
	for di, d := range SignedMessageDomains {
		for side := range 2 {
			for typ := range 2 {
				for tif := range 4 {
					for ro := range 2 {
						for trig := range 3 {
							o := messages.OrderMessage{
								Account: uint32(rnd.u64()), Market: uint16(rnd.u64()),
								Side: uint8(side), Type: uint8(typ), TimeInForce: uint8(tif), ReduceOnly: ro == 1,
								ClientOrderID: uint32(rnd.u64()), Size: rnd.u64(), Price: rnd.u64(),
								FeeCap: uint32(rnd.u64()), Expiry: rnd.u64(), Nonce: rnd.u64(),
								Trigger: uint8(trig),
							}
							if trig != 0 {
								o.TriggerPrice = rnd.u64()
							}
							if n%24 == 0 { // edge values: every field at its maximum
								o.Account, o.Market, o.ClientOrderID, o.FeeCap = ^uint32(0), ^uint16(0), ^uint32(0), ^uint32(0)
								o.Size, o.Price, o.Expiry, o.Nonce, o.TriggerPrice = ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)
							}
							h := o.Hash(d)
							sg, err := signWith(keys, n%NumKeys, h)
							if err != nil {
								return nil, fmt.Errorf("order %d: %w", n, err)
							}
							f.Orders = append(f.Orders, orderCase{
								Domain: di, Account: o.Account, Market: o.Market, Side: sideNames[side], Type: typeNames[typ],
								TimeInForce: tifNames[tif], ReduceOnly: o.ReduceOnly, ClientOrderID: o.ClientOrderID,
								Size: decU64(o.Size), Price: decU64(o.Price), FeeCap: o.FeeCap, Expiry: decU64(o.Expiry),
								Nonce: decU64(o.Nonce), Trigger: triggerNames[trig], TriggerPrice: decU64(o.TriggerPrice),
								Flags: o.Flags(), Packed: hexFrs(o.Packed()), Hash: hexFr(h), signature: sg,
							})
							n++
						}
					}
				}
			}
		}
		for i := range 4 {
			c := messages.CancelOrderMessage{Account: uint32(rnd.u64()), ByClientOrderID: i%2 == 1, ID: rnd.u64(), ValidUntil: rnd.u64()}
			if i%2 == 1 {
				c.ID &= 0xFFFFFFFF // a client order id is a u32
			}
			h := c.Hash(d)
			sg, err := signWith(keys, (n+i)%NumKeys, h)
			if err != nil {
				return nil, err
			}
			f.CancelOrders = append(f.CancelOrders, cancelOrderCase{Domain: di, Account: c.Account, ByClientOrderID: c.ByClientOrderID,
				ID: decU64(c.ID), ValidUntil: decU64(c.ValidUntil), Packed: hexFrs(c.Packed()), Hash: hexFr(h), signature: sg})
		}
		for i := range 3 {
			market := int64(rnd.u64() & 0xFFFF)
			if i == 0 {
				market = -1
			}
			c := messages.CancelAllMessage{Account: uint32(rnd.u64()), Market: uint32(market), ValidUntil: rnd.u64()}
			h := c.Hash(d)
			sg, err := signWith(keys, (n+i)%NumKeys, h)
			if err != nil {
				return nil, err
			}
			f.CancelAlls = append(f.CancelAlls, cancelAllCase{Domain: di, Account: c.Account, Market: market,
				ValidUntil: decU64(c.ValidUntil), Packed: hexFrs(c.Packed()), Hash: hexFr(h), signature: sg})
		}
		for i := range 4 {
			m := messages.OraclePriceMessage{Market: uint32(rnd.u64() & 0xFFFF), Price: rnd.u64(), Timestamp: rnd.u64()}
			h := m.Hash(d)
			sg, err := signWith(keys, (n+i)%NumKeys, h)
			if err != nil {
				return nil, err
			}
			f.OraclePrices = append(f.OraclePrices, oracleCase{Domain: di, Market: m.Market, Price: decU64(m.Price),
				Timestamp: decU64(m.Timestamp), Packed: hexFrs(m.Packed()), Hash: hexFr(h), signature: sg})
		}
	}
	// Read grants come after every other message so that the earlier messages' random draws, and
	// with them the earlier vectors, stay as they were.
	for di, d := range SignedMessageDomains {
		for i := range 4 {
			g := messages.ReadGrantMessage{Account: uint32(rnd.u64()), ValidUntil: rnd.u64()}
			if i == 0 { // edge values: every field at its maximum
				g = messages.ReadGrantMessage{Account: ^uint32(0), ValidUntil: ^uint64(0)}
			}
			h := g.Hash(d)
			sg, err := signWith(keys, (n+i)%NumKeys, h)
			if err != nil {
				return nil, err
			}
			f.ReadGrants = append(f.ReadGrants, readGrantCase{Domain: di, Account: g.Account,
				ValidUntil: decU64(g.ValidUntil), Packed: hexFrs(g.Packed()), Hash: hexFr(h), signature: sg})
		}
	}
	return f, nil
}
