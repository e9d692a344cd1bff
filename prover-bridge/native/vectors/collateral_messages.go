package vectors

import (
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// FileCollateralMessages holds the domain-separated withdrawal and transfer messages (signed-message
// format 2, the collateral transactions of batch format v3): for the two domains of
// signed-messages.json, withdrawals and transfers with random and edge values, each with its packed
// elements, hash, signer and signature.
const FileCollateralMessages = "collateral-messages.json"

type collateralDomainCase struct {
	Name          string `json:"name"`
	ChainID       string `json:"chainId"`
	RollupAddress string `json:"rollupAddress"`
	Withdrawal    string `json:"withdrawalSeparator"`
	Transfer      string `json:"transferSeparator"`
}

type withdrawalCase struct {
	Domain  int      `json:"domain"`
	Account uint32   `json:"account"`
	L1Owner string   `json:"l1Owner"`
	Amount  string   `json:"amount"`
	Nonce   string   `json:"nonce"`
	Packed  []string `json:"packed"`
	Hash    string   `json:"hash"`
	signature
}

type transferCase struct {
	Domain   int      `json:"domain"`
	Account  uint32   `json:"account"`
	Receiver uint32   `json:"receiver"`
	Amount   string   `json:"amount"`
	Nonce    string   `json:"nonce"`
	Packed   []string `json:"packed"`
	Hash     string   `json:"hash"`
	signature
}

type collateralFile struct {
	Generator     Generator              `json:"generator"`
	Comment       string                 `json:"comment"`
	FormatVersion int                    `json:"formatVersion"`
	Domains       []collateralDomainCase `json:"domains"`
	Withdrawals   []withdrawalCase       `json:"withdrawals"`
	Transfers     []transferCase         `json:"transfers"`
}

func genCollateralMessages(keys []key) (any, error) {
	f := collateralFile{
		Generator: generatorInfo(),
		Comment: "Withdrawal and transfer in signed-message format 2 (docs/state-layout.md §7): hash = H(D, packed…)," +
			" D = H(tag, 2, chainId, rollupAddress) with tag \"zkperp/withdrawal\" or \"zkperp/transfer\";" +
			" withdrawal e1 = account (32) ‖ amount (64) ‖ nonce (64), e2 = l1Owner; transfer e1 = account (32) ‖" +
			" receiver (32) ‖ amount (64) ‖ nonce (64). Unsigned 64-bit values are decimal strings.",
		FormatVersion: messages.FormatVersion,
	}
	names := []string{"demo", "other"}
	for i, d := range SignedMessageDomains {
		f.Domains = append(f.Domains, collateralDomainCase{Name: names[i], ChainID: decU64(d.ChainID),
			RollupAddress: hexBytes(d.Rollup[:]), Withdrawal: hexFr(d.Separator(messages.Withdrawal)),
			Transfer: hexFr(d.Separator(messages.Transfer))})
	}
	rnd := newStream("collateral-messages")
	for di, d := range SignedMessageDomains {
		for i := range 5 {
			w := messages.WithdrawalMessage{Account: uint32(rnd.intn(1 << 24)), L1Owner: rnd.address(),
				Amount: rnd.u64() >> 1, Nonce: rnd.intn(1000)}
			switch i {
			case 0: // every field at its maximum
				w = messages.WithdrawalMessage{Account: ^uint32(0), Amount: ^uint64(0), Nonce: ^uint64(0)}
				for j := range w.L1Owner {
					w.L1Owner[j] = 0xff
				}
			case 1: // every field zero
				w = messages.WithdrawalMessage{}
			}
			h := w.Hash(d)
			sg, err := signWith(keys, (di*5+i)%NumKeys, h)
			if err != nil {
				return nil, fmt.Errorf("withdrawal %d: %w", i, err)
			}
			f.Withdrawals = append(f.Withdrawals, withdrawalCase{Domain: di, Account: w.Account, L1Owner: hexBytes(w.L1Owner[:]),
				Amount: decU64(w.Amount), Nonce: decU64(w.Nonce), Packed: hexFrs(w.Packed()), Hash: hexFr(h), signature: sg})
		}
		for i := range 5 {
			t := messages.TransferMessage{Account: uint32(rnd.intn(1 << 24)), Receiver: uint32(rnd.intn(1 << 24)),
				Amount: rnd.u64() >> 1, Nonce: rnd.intn(1000)}
			switch i {
			case 0:
				t = messages.TransferMessage{Account: ^uint32(0), Receiver: ^uint32(0), Amount: ^uint64(0), Nonce: ^uint64(0)}
			case 1:
				t = messages.TransferMessage{}
			}
			h := t.Hash(d)
			sg, err := signWith(keys, (di*5+i+1)%NumKeys, h)
			if err != nil {
				return nil, fmt.Errorf("transfer %d: %w", i, err)
			}
			f.Transfers = append(f.Transfers, transferCase{Domain: di, Account: t.Account, Receiver: t.Receiver,
				Amount: decU64(t.Amount), Nonce: decU64(t.Nonce), Packed: hexFrs(t.Packed()), Hash: hexFr(h), signature: sg})
		}
	}
	return f, nil
}
