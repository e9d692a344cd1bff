package vectors

import (
	"fmt"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// FileForcedTrade holds forced-trade messages (docs/perp-circuit.md §12): for the two domains of
// signed-messages.json, messages with random and edge values, each with its packed elements, its
// hash, account B's signature (R affine and S as the L1 request takes them) and the priority
// operation hash H(TAG_FORCED_TRADE, e1, e2, ownerA, RX, RY, S) the L1 queue records.
const FileForcedTrade = "forced-trade.json"

type forcedTradeDomainCase struct {
	Name          string `json:"name"`
	ChainID       string `json:"chainId"`
	RollupAddress string `json:"rollupAddress"`
	Separator     string `json:"separator"`
}

// forcedTradeRequest is a forced-trade request's message and requester as the files spell them.
type forcedTradeRequest struct {
	AccountA uint32 `json:"accountA"`
	AccountB uint32 `json:"accountB"`
	Market   uint16 `json:"market"`
	ABuys    bool   `json:"aBuys"`
	Size     string `json:"size"`
	Amount   string `json:"amount"`
	Nonce    string `json:"nonce"`
	OwnerA   string `json:"ownerA"`
}

func requestOf(m messages.ForcedTradeMessage, owner [20]byte) forcedTradeRequest {
	return forcedTradeRequest{AccountA: m.AccountA, AccountB: m.AccountB, Market: m.Market, ABuys: m.ABuys,
		Size: decU64(m.Size), Amount: decU64(m.Amount), Nonce: decU64(m.Nonce), OwnerA: hexBytes(owner[:])}
}

type forcedTradeCase struct {
	Domain int `json:"domain"`
	forcedTradeRequest
	Packed []string `json:"packed"`
	Hash   string   `json:"hash"`
	signature
	RX     string `json:"sigRX"`
	RY     string `json:"sigRY"`
	S      string `json:"sigS"`
	OpHash string `json:"opHash"`
}

type forcedTradeFile struct {
	Generator     Generator               `json:"generator"`
	Comment       string                  `json:"comment"`
	FormatVersion int                     `json:"formatVersion"`
	OpTag         string                  `json:"opTag"`
	Domains       []forcedTradeDomainCase `json:"domains"`
	Cases         []forcedTradeCase       `json:"cases"`
}

func genForcedTrade(keys []key) (any, error) {
	f := forcedTradeFile{
		Generator: generatorInfo(),
		Comment: "Forced trade (docs/perp-circuit.md §12): hash = H(D, e1, e2), D = H(\"zkperp/forced-trade\", 2, chainId, rollupAddress);" +
			" e1 = accountA (32) ‖ accountB (32) ‖ market (16) ‖ aBuys (8) ‖ nonce (64), e2 = size (64) ‖ amount (64);" +
			" signed by account B (signature = compressed R ‖ S; sigRX, sigRY, sigS its affine R and S);" +
			" opHash = H(opTag, e1, e2, ownerA, sigRX, sigRY, sigS). Unsigned 64-bit values are decimal strings.",
		FormatVersion: messages.FormatVersion,
		OpTag:         hexFr(messages.TagForcedTradeOp),
	}
	names := []string{"demo", "other"}
	for i, d := range SignedMessageDomains {
		f.Domains = append(f.Domains, forcedTradeDomainCase{Name: names[i], ChainID: decU64(d.ChainID),
			RollupAddress: hexBytes(d.Rollup[:]), Separator: hexFr(d.Separator(messages.ForcedTrade))})
	}
	rnd := newStream("forced-trade")
	for di, d := range SignedMessageDomains {
		for i := range 5 {
			m := messages.ForcedTradeMessage{AccountA: uint32(rnd.intn(1 << 24)), AccountB: uint32(rnd.intn(1 << 24)),
				Market: uint16(rnd.intn(64)), ABuys: rnd.intn(2) == 1, Size: rnd.u64() >> 8, Amount: rnd.u64() >> 1,
				Nonce: 1 + rnd.intn(1<<20)}
			owner := rnd.address()
			switch i {
			case 0: // every field at its maximum
				m = messages.ForcedTradeMessage{AccountA: ^uint32(0), AccountB: ^uint32(0), Market: ^uint16(0), ABuys: true,
					Size: ^uint64(0), Amount: ^uint64(0), Nonce: ^uint64(0)}
				for j := range owner {
					owner[j] = 0xff
				}
			case 1: // every field zero
				m = messages.ForcedTradeMessage{}
				owner = [20]byte{}
			}
			h := m.Hash(d)
			ki := (di*5 + i + 2) % NumKeys
			sg, err := signWith(keys, ki, h)
			if err != nil {
				return nil, fmt.Errorf("forced trade %d: %w", i, err)
			}
			rx, ry, s, err := affineSignature(keys, ki, h)
			if err != nil {
				return nil, fmt.Errorf("forced trade %d: %w", i, err)
			}
			op := messages.ForcedTradeOp{Message: m, OwnerA: owner, RX: rx, RY: ry, S: s}
			f.Cases = append(f.Cases, forcedTradeCase{Domain: di, forcedTradeRequest: requestOf(m, owner),
				Packed: hexFrs(m.Packed()), Hash: hexFr(h), signature: sg, RX: hexFr(rx), RY: hexFr(ry), S: hexFr(s),
				OpHash: hexFr(op.Hash())})
		}
	}
	return f, nil
}

// affineSignature is key ki's signature of h as the L1 request carries it: R affine and S.
func affineSignature(keys []key, ki int, h fr.Element) (rx, ry, s fr.Element, err error) {
	sg, err := sign(keys, ki, []fr.Element{h})
	if err != nil {
		return rx, ry, s, err
	}
	s.SetBigInt(sg.s)
	return sg.r.X, sg.r.Y, s, nil
}
