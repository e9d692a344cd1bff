package messages_test

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/vectorfile"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/vectors"
)

type orderHashCircuit struct {
	Separator frontend.Variable
	Order     messages.OrderVars
	Hash      frontend.Variable `gnark:",public"`
}

func (c *orderHashCircuit) Define(api frontend.API) error {
	api.AssertIsEqual(messages.OrderHash(api, c.Separator, c.Order), c.Hash)
	return nil
}

type vectorOrder struct {
	Domain        int    `json:"domain"`
	Account       uint32 `json:"account"`
	Market        uint16 `json:"market"`
	Side          string `json:"side"`
	Type          string `json:"type"`
	TimeInForce   string `json:"timeInForce"`
	ReduceOnly    bool   `json:"reduceOnly"`
	ClientOrderID uint32 `json:"clientOrderId"`
	Size          string `json:"size"`
	Price         string `json:"price"`
	FeeCap        uint32 `json:"feeCap"`
	Expiry        string `json:"expiry"`
	Nonce         string `json:"nonce"`
	Trigger       string `json:"trigger"`
	TriggerPrice  string `json:"triggerPrice"`
	Hash          string `json:"hash"`
}

type vectorFile struct {
	Domains []struct {
		Separators map[string]string `json:"separators"`
	} `json:"domains"`
	Orders []vectorOrder `json:"orders"`
}

func loadVectors(t *testing.T) vectorFile {
	t.Helper()
	var f vectorFile
	vectorfile.Read(t, vectors.FileSignedMessages, &f)
	if len(f.Orders) == 0 {
		t.Fatal("no orders in the vector file")
	}
	return f
}

func code(names []string, s string) int {
	for i, n := range names {
		if n == s {
			return i
		}
	}
	panic("unknown enum name " + s)
}

func dec(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic("not a decimal: " + s)
	}
	return v
}

func hexBig(s string) *big.Int {
	v, ok := new(big.Int).SetString(s[2:], 16)
	if !ok {
		panic("not hex: " + s)
	}
	return v
}

func assignment(f vectorFile, o vectorOrder) *orderHashCircuit {
	reduce := 0
	if o.ReduceOnly {
		reduce = 1
	}
	return &orderHashCircuit{
		Separator: hexBig(f.Domains[o.Domain].Separators["order"]),
		Order: messages.OrderVars{
			Account: o.Account, Market: o.Market,
			Side:        code([]string{"BUY", "SELL"}, o.Side),
			Type:        code([]string{"LIMIT", "MARKET"}, o.Type),
			TimeInForce: code([]string{"GTC", "IOC", "FOK", "POST_ONLY"}, o.TimeInForce),
			ReduceOnly:  reduce, ClientOrderID: o.ClientOrderID,
			Size: dec(o.Size), Price: dec(o.Price), FeeCap: o.FeeCap, Expiry: dec(o.Expiry), Nonce: dec(o.Nonce),
			Trigger:      code([]string{"NONE", "STOP_LOSS", "TAKE_PROFIT"}, o.Trigger),
			TriggerPrice: dec(o.TriggerPrice),
		},
		Hash: hexBig(o.Hash),
	}
}

// TestOrderHashGadgetMatchesVectors computes every vector order's hash in-circuit (gnark's test
// engine) and checks it against the gnark-crypto hash in signed-messages.json.
func TestOrderHashGadgetMatchesVectors(t *testing.T) {
	f := loadVectors(t)
	for i, o := range f.Orders {
		if err := test.IsSolved(&orderHashCircuit{}, assignment(f, o), ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("order %d: %v", i, err)
		}
	}
}

// TestOrderHashGadgetBindsEveryField changes one field at a time (and the domain) and requires the
// circuit to be unsatisfied with the vector's hash.
func TestOrderHashGadgetBindsEveryField(t *testing.T) {
	f := loadVectors(t)
	base := f.Orders[1]
	otherDomain := 1 - base.Domain
	changes := map[string]func(a *orderHashCircuit){
		"account": func(a *orderHashCircuit) { a.Order.Account = base.Account ^ 1 },
		"market":  func(a *orderHashCircuit) { a.Order.Market = base.Market ^ 1 },
		"side":    func(a *orderHashCircuit) { a.Order.Side = 1 - code([]string{"BUY", "SELL"}, base.Side) },
		"type":    func(a *orderHashCircuit) { a.Order.Type = 1 - code([]string{"LIMIT", "MARKET"}, base.Type) },
		"timeInForce": func(a *orderHashCircuit) {
			a.Order.TimeInForce = 3 - code([]string{"GTC", "IOC", "FOK", "POST_ONLY"}, base.TimeInForce)
		},
		"reduceOnly":    func(a *orderHashCircuit) { a.Order.ReduceOnly = 1 - boolInt(base.ReduceOnly) },
		"clientOrderId": func(a *orderHashCircuit) { a.Order.ClientOrderID = base.ClientOrderID ^ 1 },
		"size":          func(a *orderHashCircuit) { a.Order.Size = new(big.Int).Xor(dec(base.Size), big.NewInt(1)) },
		"price":         func(a *orderHashCircuit) { a.Order.Price = new(big.Int).Xor(dec(base.Price), big.NewInt(1)) },
		"feeCap":        func(a *orderHashCircuit) { a.Order.FeeCap = base.FeeCap ^ 1 },
		"expiry":        func(a *orderHashCircuit) { a.Order.Expiry = new(big.Int).Xor(dec(base.Expiry), big.NewInt(1)) },
		"nonce":         func(a *orderHashCircuit) { a.Order.Nonce = new(big.Int).Xor(dec(base.Nonce), big.NewInt(1)) },
		"trigger": func(a *orderHashCircuit) {
			a.Order.Trigger = (code([]string{"NONE", "STOP_LOSS", "TAKE_PROFIT"}, base.Trigger) + 1) % 3
		},
		"triggerPrice": func(a *orderHashCircuit) {
			a.Order.TriggerPrice = new(big.Int).Xor(dec(base.TriggerPrice), big.NewInt(1))
		},
		"domain": func(a *orderHashCircuit) {
			a.Separator = hexBig(f.Domains[otherDomain].Separators["order"])
		},
		// a field out of its width cannot borrow bits from its neighbour: 2^32 for the account
		"accountOverflow": func(a *orderHashCircuit) { a.Order.Account = new(big.Int).Lsh(big.NewInt(1), 32) },
	}
	if err := test.IsSolved(&orderHashCircuit{}, assignment(f, base), ecc.BN254.ScalarField()); err != nil {
		t.Fatalf("unchanged order: %v", err)
	}
	for name, change := range changes {
		a := assignment(f, base)
		change(a)
		if err := test.IsSolved(&orderHashCircuit{}, a, ecc.BN254.ScalarField()); err == nil {
			t.Errorf("changing %s still satisfies the circuit", name)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
