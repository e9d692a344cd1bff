package perp_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// Each case breaks one rule of the trade alone: the Go reference must report exactly that rule,
// and the circuit (witness outputs recomputed by the reference, so only the rule can fail) must
// be unsatisfiable. Every case runs with 1, 4 and 8 positions.
func TestEachRuleBrokenAloneIsUnsatisfiable(t *testing.T) {
	// signedThen signs the orders as changed by sign, then applies relay without re-signing.
	signedThen := func(sign, relay func(o *messages.OrderMessage)) func(sc *scenario) {
		return func(sc *scenario) {
			sign(&sc.t.Buyer.Order)
			sc.resign(t)
			relay(&sc.t.Buyer.Order)
		}
	}
	field := func(sign, relay func(o *messages.OrderMessage)) func(sc *scenario) { return signedThen(sign, relay) }
	otherDomain := func(d messages.Domain) func(sc *scenario) {
		return func(sc *scenario) {
			good := sc.t.Domain
			sc.t.Domain = d
			sc.resign(t)
			sc.t.Domain = good
		}
	}
	cases := []struct {
		name   string
		rule   reference.Rule
		break_ func(sc *scenario)
	}{
		{"signature by another key", reference.RuleSignature, func(sc *scenario) { sc.t.Buyer.Signature = sign(t, sc.keys[1], sc.t.Domain, sc.t.Buyer.Order) }},
		{"signature S changed", reference.RuleSignature, func(sc *scenario) { sc.t.Seller.Signature[63] ^= 1 }},
		{"type changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.Type = 1 }, func(o *messages.OrderMessage) { o.Type = 0 })},
		{"time in force changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.TimeInForce = 1 }, func(o *messages.OrderMessage) { o.TimeInForce = 0 })},
		{"reduce-only changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.ReduceOnly = true }, func(o *messages.OrderMessage) { o.ReduceOnly = false })},
		{"trigger changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.Trigger = 1 }, func(o *messages.OrderMessage) { o.Trigger = 0 })},
		{"trigger price changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.TriggerPrice = 1_250 }, func(o *messages.OrderMessage) { o.TriggerPrice = 0 })},
		{"price changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.Price = 1_315 }, func(o *messages.OrderMessage) { o.Price = 1_320 })},
		{"size changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.Size = 70 }, func(o *messages.OrderMessage) { o.Size = 100 })},
		{"fee cap changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.FeeCap = 600 }, func(o *messages.OrderMessage) { o.FeeCap = 1_000 })},
		{"nonce changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.Nonce = 70_001 }, func(o *messages.OrderMessage) { o.Nonce = 70_000 })},
		{"market changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.Market = 4 }, func(o *messages.OrderMessage) { o.Market = 3 })},
		{"side changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.Side = 1 }, func(o *messages.OrderMessage) { o.Side = 0 })},
		{"account changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.Account = 6 }, func(o *messages.OrderMessage) { o.Account = 5 })},
		{"expiry changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.Expiry = 1 }, func(o *messages.OrderMessage) { o.Expiry = 1_900_000_000 })},
		{"client order id changed", reference.RuleSignature, field(func(o *messages.OrderMessage) { o.ClientOrderID = 1 }, func(o *messages.OrderMessage) { o.ClientOrderID = 77 })},
		{"other chain id", reference.RuleSignature, otherDomain(messages.Domain{ChainID: 1, Rollup: demoDomain.Rollup})},
		{"other rollup address", reference.RuleSignature, otherDomain(messages.Domain{ChainID: demoDomain.ChainID, Rollup: [20]byte{1}})},
		{"order for another market", reference.RuleOrderFields, func(sc *scenario) { sc.t.Seller.Order.Market = 4; sc.resign(t) }},
		{"two buy orders", reference.RuleOrderFields, func(sc *scenario) { sc.t.Seller.Order.Side = 0; sc.resign(t) }},
		{"price above the buyer's limit", reference.RuleLimit, func(sc *scenario) { sc.t.Price = 1_321 }},
		{"price below the seller's limit", reference.RuleLimit, func(sc *scenario) { sc.t.Price = 1_299 }},
		{"overfill", reference.RuleFill, func(sc *scenario) { sc.t.Buyer.FillFilled = 41 }},
		{"overfill of a fresh order", reference.RuleFill, func(sc *scenario) { sc.t.Seller.Order.Size = 59; sc.resign(t) }},
		{"slot holds a larger nonce", reference.RuleFill, func(sc *scenario) { sc.t.Buyer.FillNonce = 70_001 }},
		{"fee rate above the cap", reference.RuleFeeCap, func(sc *scenario) { sc.t.Buyer.FeePpm = 1_001 }},
		{"rebate larger than the fee", reference.RuleFeeBalance, func(sc *scenario) { sc.t.Seller.FeePpm = -501 }},
		{"open interest above the cap", reference.RuleOpenInt, func(sc *scenario) { sc.t.Markets[3].Risk.OICap = 5_059 }},
		{"reduce-only order that grows the position", reference.RuleReduceOnly, func(sc *scenario) {
			sc.t.Buyer.Order.ReduceOnly, sc.t.Buyer.Order.TimeInForce = true, 1
			sc.resign(t)
		}},
		{"reduce-only order that flips the position", reference.RuleReduceOnly, func(sc *scenario) {
			sc.t.Buyer.Positions[0].Size = -30
			sc.t.Buyer.Order.ReduceOnly, sc.t.Buyer.Order.TimeInForce = true, 1
			sc.resign(t)
		}},
		{"position above the maximum size", reference.RuleMaxSize, func(sc *scenario) { sc.t.Markets[3].Risk.MaxPositionSize = 99 }},
		{"margin below initial while risk grows", reference.RuleMargin, func(sc *scenario) { sc.t.Seller.Collateral = -120_000 }},
		{"more positions than the bound", reference.RulePositions, func(sc *scenario) {
			n := len(sc.t.Seller.Positions)
			for j := range sc.t.Seller.Positions {
				m := []int{0, 1, 2, 4, 5, 6, 7, 8}[j]
				sc.t.Seller.Positions[j] = reference.Position{Market: m, Size: int64(10 + j), Snapshot: sc.t.Markets[m].FundingIndex}
			}
			sc.t.Seller.Slot = n - 1
		}},
		{"market already held in another entry", reference.RulePositions, func(sc *scenario) {
			sc.t.Buyer.Slot = len(sc.t.Buyer.Positions) - 1
			if sc.t.Buyer.Slot == 0 {
				sc.t.Buyer.Positions = append(sc.t.Buyer.Positions, reference.Position{})
				sc.t.Seller.Positions = append(sc.t.Seller.Positions, reference.Position{})
				sc.t.Buyer.Slot = 1
			}
			sc.t.Buyer.Positions[sc.t.Buyer.Slot] = reference.Position{}
		}},
	}
	for _, n := range []int{1, 4, 8} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("N=%d/%s", n, c.name), func(t *testing.T) {
				sc := newScenario(t, n)
				c.break_(sc)
				_, broken := reference.Apply(sc.t)
				if !reflect.DeepEqual(broken, []reference.Rule{c.rule}) {
					t.Fatalf("the reference reports %v, want only %s", broken, c.rule)
				}
				if err := solve(t, sc.t); err == nil {
					t.Fatalf("breaking %s alone still solves", c.rule)
				}
			})
		}
	}
}
