package escape

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// MarketProof is a market leaf's preimage and its path in the markets tree.
type MarketProof struct {
	ID       uint8
	Market   layoutv2.Market
	Siblings [layoutv2.MarketsDepth]fr.Element // from the leaf upward
}

// Proof links an account leaf v2 and the market leaves of its positions to a state root.
type Proof struct {
	AccountID       uint64
	Account         layoutv2.Account                   // the leaf's preimage
	AccountSiblings [layoutv2.AccountsDepth]fr.Element // from the leaf upward
	Markets         []MarketProof                      // one per non-empty entry, in entry order
	MarketsRoot     fr.Element
	GlobalLeaf      fr.Element
}

// Prove returns the escape proof of account id in state s. It refuses what [Payout] refuses.
func Prove(s *layoutv2.State, id uint64) (Proof, error) {
	a, err := account(s, id)
	if err != nil {
		return Proof{}, err
	}
	p := Proof{AccountID: id, Account: a, MarketsRoot: s.MarketsRoot(), GlobalLeaf: s.GlobalLeaf()}
	_, sib, err := s.AccountProof(id)
	if err != nil {
		return Proof{}, err
	}
	copy(p.AccountSiblings[:], sib)
	for _, e := range a.Positions {
		if e.Empty() {
			continue
		}
		m, ok := s.Market(uint64(e.Market))
		if !ok {
			return Proof{}, fmt.Errorf("%w: account %d, market %d", ErrMarketNotListed, id, e.Market)
		}
		mp := MarketProof{ID: e.Market, Market: m}
		_, sib, err := s.MarketProof(uint64(e.Market))
		if err != nil {
			return Proof{}, err
		}
		copy(mp.Siblings[:], sib)
		p.Markets = append(p.Markets, mp)
	}
	return p, nil
}

// AccountsRoot returns the accounts root the proof's account leaf and siblings lead to.
func (p *Proof) AccountsRoot() (fr.Element, error) {
	leaf, err := p.Account.Hash()
	if err != nil {
		return fr.Element{}, err
	}
	return layout.RootFromProof(p.AccountID, leaf, p.AccountSiblings[:]), nil
}

// Verify checks p against the state root and returns the account's payout, in this order:
// ErrIndexOutOfRange (account id ≥ 2^24), ErrInsuranceFund, an invalid account
// preimage (layoutv2's typed errors), ErrMarketMismatch (market proofs not exactly the non-empty
// entries' markets in entry order), ErrRootMismatch (a market path that does not lead to the
// markets root, or a state root other than root). It is what the Solidity EscapeV2.verify does.
func Verify(root fr.Element, p *Proof) (Breakdown, error) {
	if p.AccountID > layoutv2.InsuranceFundAccount {
		return Breakdown{}, fmt.Errorf("%w: account %d", ErrIndexOutOfRange, p.AccountID)
	}
	if p.AccountID == layoutv2.InsuranceFundAccount {
		return Breakdown{}, ErrInsuranceFund
	}
	accountsRoot, err := p.AccountsRoot()
	if err != nil {
		return Breakdown{}, err
	}
	markets := make(map[uint8]layoutv2.Market)
	next := 0
	for i, e := range p.Account.Positions {
		if e.Empty() {
			continue
		}
		if next >= len(p.Markets) || p.Markets[next].ID != e.Market {
			return Breakdown{}, fmt.Errorf("%w: entry %d holds market %d", ErrMarketMismatch, i, e.Market)
		}
		mp := &p.Markets[next] // its ID equals a checked entry's market: below 64
		got := layout.RootFromProof(uint64(mp.ID), mp.Market.Hash(), mp.Siblings[:])
		if !got.Equal(&p.MarketsRoot) {
			return Breakdown{}, fmt.Errorf("%w: market %d", ErrRootMismatch, mp.ID)
		}
		markets[mp.ID] = mp.Market
		next++
	}
	if next != len(p.Markets) {
		return Breakdown{}, fmt.Errorf("%w: %d market proofs for %d positions", ErrMarketMismatch, len(p.Markets), next)
	}
	got := layoutv2.StateRoot(accountsRoot, p.MarketsRoot, p.GlobalLeaf)
	if !got.Equal(&root) {
		return Breakdown{}, ErrRootMismatch
	}
	return Compute(p.AccountID, p.Account, markets)
}
