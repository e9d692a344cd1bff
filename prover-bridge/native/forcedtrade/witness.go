package forcedtrade

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	perpref "github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// ErrShape: the request needs a list entry at or beyond the shape's n, or a market id at or
// beyond its table length k.
var ErrShape = errors.New("forcedtrade: the request does not fit the circuit's shape")

// Separator returns D_forced_trade of a deployment as the constant NewStep takes.
func Separator(d messages.Domain) *big.Int {
	s := d.Separator(messages.ForcedTrade)
	return s.BigInt(new(big.Int))
}

// Witness decides op on s (reference.Apply) and returns the assignment of NewStep(n, k, …) that
// proves the outcome, with the outcome (its Next state is s itself when the trade is invalid).
func Witness(s *layoutv2.State, d messages.Domain, op messages.ForcedTradeOp, n, k int) (*Step, reference.Outcome, error) {
	out, err := reference.Apply(s, d, op)
	if err != nil {
		return nil, out, err
	}
	c, err := assign(s, d, op, out, n, k)
	return c, out, err
}

// assign builds the assignment proving out (its Reason and Next state) for op on s. A test builds
// an outcome the reference did not decide (a claim) to show that the circuit refuses it.
func assign(s *layoutv2.State, d messages.Domain, op messages.ForcedTradeOp, out reference.Outcome, n, k int) (*Step, error) {
	m := op.Message
	if int(m.Market) >= k {
		return nil, fmt.Errorf("%w: market %d, k = %d", ErrShape, m.Market, k)
	}
	c := NewStep(n, k, Separator(d))
	c.OldRoot, c.NewRoot, c.PriorityOp = el(s.Root()), el(out.Next.Root()), el(op.Hash())
	buy := 0
	if m.ABuys {
		buy = 1
	}
	c.Message = messages.ForcedTradeVars{AccountA: m.AccountA, AccountB: m.AccountB, Market: m.Market, ABuys: buy,
		Size: m.Size, Amount: m.Amount, Nonce: m.Nonce}
	c.OwnerA, c.RX, c.RY, c.S = el(layout.Address(op.OwnerA)), el(op.RX), el(op.RY), el(op.S)
	c.Reason = int(out.Reason)

	idA, idB := uint64(m.AccountA), uint64(m.AccountB)
	a, _ := s.Account(idA)
	b, _ := s.Account(idB)
	costA := new(big.Int).SetUint64(m.Amount)
	if !m.ABuys {
		costA.Neg(costA)
	}
	if err := assignParty(&c.A, s, idA, a, out.Figures.SlotA, n); err != nil {
		return nil, err
	}
	c.A.Shift = shift(s, a, out.Figures.SlotA, costA)
	c.B.Shift = shift(s, b, out.Figures.SlotB, new(big.Int).Neg(costA))
	// B's path is taken after A's update: the old state with A's new leaf and fill
	mid := s.Clone()
	if out.Reason == reference.Executed {
		na, _ := out.Next.Account(idA)
		if err := mid.SetAccount(idA, layoutv2.AccountFields{Identity: na.Identity, Nonce: na.Nonce, Collateral: na.Collateral,
			Positions: na.Positions}); err != nil {
			return nil, err
		}
		if err := mid.SetFill(idA, layoutv2.Fill{OrderNonce: m.Nonce, FilledAmount: m.Size}); err != nil {
			return nil, err
		}
	}
	if err := assignParty(&c.B, mid, idB, b, out.Figures.SlotB, n); err != nil {
		return nil, err
	}
	slot := layoutv2.FillSlot(m.Nonce)
	f, _ := s.Fill(idA, slot)
	c.FillNonce, c.FillFilled = f.OrderNonce, f.FilledAmount
	_, sib, err := s.FillProof(idA, slot)
	if err != nil {
		return nil, err
	}
	path(sib, c.FillPath[:])

	for id := range c.Markets {
		mk, listed := s.Market(uint64(id))
		c.Markets[id] = perpstep.UnlistedTableEntry()
		c.Table[id].Listed = 0
		if listed {
			c.Markets[id] = perpstep.TableEntry(mk)
			c.Table[id].Listed = 1
		}
		if err := openMarket(s, uint64(id), mk, &c.Table[id].OracleTimestamp, &c.Table[id].FundingTimestamp,
			&c.Table[id].TickBounds, c.Table[id].Path[:]); err != nil {
			return nil, err
		}
	}
	mk, listed := s.Market(uint64(m.Market))
	c.MarketListed = 0
	if listed {
		c.MarketListed = 1
	}
	if err := openMarket(s, uint64(m.Market), mk, &c.Market.OracleTimestamp, &c.Market.FundingTimestamp,
		&c.Market.TickBounds, c.Market.Path[:]); err != nil {
		return nil, err
	}
	c.GlobalLeaf = el(s.GlobalLeaf())
	return c, nil
}

func openMarket(s *layoutv2.State, id uint64, m layoutv2.Market, oracleTs, fundingTs *frontend.Variable,
	bounds *[5]frontend.Variable, p []frontend.Variable) error {
	_, sib, err := s.MarketProof(id)
	if err != nil {
		return err
	}
	path(sib, p)
	*oracleTs, *fundingTs = m.OracleTimestamp, m.FundingTimestamp
	*bounds = [5]frontend.Variable{m.Risk.OracleMaxAgeSeconds, m.Risk.OracleMaxFutureSeconds, m.Risk.OracleMaxMovePpm,
		m.Risk.FundingMinIntervalSeconds, m.Risk.FundingMaxRatePpm}
	return nil
}

// shift is the party's Shift: 0 when the collateral the settlement gadget computes at cost
// (collateral + the funding of every entry it reads − cost) is an int64, else its negation (the
// gadget then computes 0). With no free entry (slot −1) the gadget reads entry 0 as empty.
func shift(s *layoutv2.State, acc layoutv2.Account, slot int, cost *big.Int) *big.Int {
	c := new(big.Int).Sub(big.NewInt(acc.Collateral), cost)
	for j, e := range acc.Positions {
		if e.Empty() || (slot < 0 && j == 0) {
			continue
		}
		mk, _ := s.Market(uint64(e.Market))
		// ⌊−(index − snapshot)·size / 2^32⌋ (perp.FundingCredit; Div floors for a positive divisor)
		f := new(big.Int).Sub(big.NewInt(e.FundingSnapshot), big.NewInt(mk.FundingIndex))
		f.Mul(f, big.NewInt(e.Size))
		c.Add(c, f.Div(f, new(big.Int).Lsh(big.NewInt(1), 32)))
	}
	if c.IsInt64() {
		return new(big.Int)
	}
	return c.Neg(c)
}

// assignParty sets one party's opening: leaf fields from acc, the path in state at (which for B is
// the state after A's update), the list and the one-hot selection of entry slot (entry 0 when
// slot is −1: no entry is free).
func assignParty(p *Party, at *layoutv2.State, id uint64, acc layoutv2.Account, slot, n int) error {
	slot = max(slot, 0)
	if slot >= n {
		return fmt.Errorf("%w: entry %d selected, n = %d", ErrShape, slot, n)
	}
	p.KeyX, p.KeyY = el(acc.Identity.PublicKeyX), el(acc.Identity.PublicKeyY)
	p.L1Owner, p.FeeTier = el(layout.Address(acc.Identity.L1Owner)), acc.Identity.FeeTier
	p.Nonce, p.Collateral, p.FillsRoot = acc.Nonce, big.NewInt(acc.Collateral), el(acc.FillsRoot)
	list := perpstep.ReferenceList(acc.Positions)
	for j, q := range list {
		if j >= n {
			if q.Size != 0 {
				return fmt.Errorf("%w: entry %d in use, n = %d", ErrShape, j, n)
			}
			continue
		}
		p.Positions[j] = positionVars(q)
	}
	for j := range p.Select {
		p.Select[j] = 0
		if j == slot {
			p.Select[j] = 1
		}
	}
	_, sib, err := at.AccountProof(id)
	if err != nil {
		return err
	}
	path(sib, p.Path[:])
	return nil
}

func positionVars(q perpref.Position) perp.PositionVars {
	return perp.PositionVars{Market: q.Market, Size: big.NewInt(q.Size), Snapshot: big.NewInt(q.Snapshot)}
}

func el(e fr.Element) *big.Int { return e.BigInt(new(big.Int)) }

func path(siblings []fr.Element, out []frontend.Variable) {
	for i := range out {
		out[i] = el(siblings[i])
	}
}
