package layoutv2

import (
	"errors"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// AccountFields are the account-leaf fields that are set directly; the fillsRoot always comes from
// the account's own fills tree.
type AccountFields struct {
	Identity   Identity
	Nonce      uint64
	Collateral int64
	Positions  Positions
}

type accountState struct {
	fields   AccountFields
	fills    *layout.SparseTree
	fillData map[uint64]Fill
}

func (a *accountState) leaf() Account {
	return Account{Identity: a.fields.Identity, Nonce: a.fields.Nonce, Collateral: a.fields.Collateral,
		FillsRoot: a.fills.Root(), Positions: a.fields.Positions}
}

// State is the whole layout-v2 state in memory. Create it with [NewState]; the zero value is not
// usable. Not safe for concurrent use.
type State struct {
	accounts    *layout.SparseTree
	accountData map[uint64]*accountState
	markets     *layout.SparseTree
	marketData  map[uint64]Market
	global      Global
}

// NewState returns the genesis state: the insurance fund account (id 2^24 − 1, key (0, 0), owner
// 0, fee tier 0, nonce 0, collateral 0, no positions, empty fills tree), no other account, no
// market, and the zero global leaf content (fee balance 0, no oracle signer, quorum 0, every fee
// tier (0, 0)).
func NewState() *State {
	s := &State{
		accounts:    layout.NewSparseTree(AccountsDepth),
		accountData: make(map[uint64]*accountState),
		markets:     layout.NewSparseTree(MarketsDepth),
		marketData:  make(map[uint64]Market),
	}
	if err := s.SetAccount(InsuranceFundAccount, AccountFields{}); err != nil {
		panic(err) // the zero fields are always valid
	}
	return s
}

// SetAccount creates the account (with an empty fills tree) or replaces its fields, keeping its
// fills. It refuses an id ≥ 2^24 (ErrIndexOutOfRange) and invalid fields (fee tier, positions);
// the state is unchanged on error.
func (s *State) SetAccount(id uint64, f AccountFields) error {
	if id > InsuranceFundAccount {
		return fmt.Errorf("%w: account %d", ErrIndexOutOfRange, id)
	}
	a, ok := s.accountData[id]
	fills := layout.NewSparseTree(FillsDepth)
	if ok {
		fills = a.fills
	}
	leaf := Account{Identity: f.Identity, Nonce: f.Nonce, Collateral: f.Collateral, FillsRoot: fills.Root(), Positions: f.Positions}
	h, err := leaf.Hash()
	if err != nil {
		return fmt.Errorf("account %d: %w", id, err)
	}
	if err := s.accounts.Update(id, h); err != nil {
		return err
	}
	if !ok {
		a = &accountState{fills: fills, fillData: make(map[uint64]Fill)}
		s.accountData[id] = a
	}
	a.fields = f
	return nil
}

// SetFill writes a fill leaf of an existing account into slot FillSlot(f.OrderNonce).
func (s *State) SetFill(account uint64, f Fill) error {
	a, ok := s.accountData[account]
	if !ok {
		return fmt.Errorf("%w: %d", ErrNoAccount, account)
	}
	if f.OrderNonce == 0 {
		return errors.New("layoutv2: fill order nonce must be at least 1")
	}
	slot := FillSlot(f.OrderNonce)
	if err := a.fills.Update(slot, f.Hash()); err != nil {
		return err
	}
	a.fillData[slot] = f
	leaf := a.leaf()
	h, err := leaf.Hash()
	if err != nil {
		return err // cannot happen: the fields were checked by SetAccount
	}
	return s.accounts.Update(account, h)
}

// SetMarket lists or updates a market (id < 64).
func (s *State) SetMarket(id uint64, m Market) error {
	if err := s.markets.Update(id, m.Hash()); err != nil {
		return fmt.Errorf("%w: market %d", ErrIndexOutOfRange, id)
	}
	s.marketData[id] = m
	return nil
}

// SetGlobal replaces the global leaf's content; it refuses an invalid quorum or fee tier.
func (s *State) SetGlobal(g Global) error {
	if _, err := g.Hash(); err != nil {
		return err
	}
	s.global = g
	return nil
}

// Account returns the account leaf content (with its current fills root).
func (s *State) Account(id uint64) (Account, bool) {
	a, ok := s.accountData[id]
	if !ok {
		return Account{}, false
	}
	return a.leaf(), true
}

// Fill returns the fill stored in an account's fills slot (false if the slot is empty).
func (s *State) Fill(account, slot uint64) (Fill, bool) {
	a, ok := s.accountData[account]
	if !ok {
		return Fill{}, false
	}
	f, ok := a.fillData[slot]
	return f, ok
}

// FillSlots returns the non-empty fill slots of an account in increasing order (none for an
// account that does not exist).
func (s *State) FillSlots(account uint64) []uint64 {
	a, ok := s.accountData[account]
	if !ok {
		return nil
	}
	slots := make([]uint64, 0, len(a.fillData))
	for slot := range a.fillData {
		slots = append(slots, slot)
	}
	slices.Sort(slots)
	return slots
}

// Market returns a listed market.
func (s *State) Market(id uint64) (Market, bool) {
	m, ok := s.marketData[id]
	return m, ok
}

// Global returns the global leaf's content.
func (s *State) Global() Global { return s.global }

// AccountsRoot returns the accounts tree root.
func (s *State) AccountsRoot() fr.Element { return s.accounts.Root() }

// MarketsRoot returns the markets tree root.
func (s *State) MarketsRoot() fr.Element { return s.markets.Root() }

// GlobalLeaf returns the global leaf hash.
func (s *State) GlobalLeaf() fr.Element {
	h, err := s.global.Hash()
	if err != nil {
		panic(err) // SetGlobal checked it
	}
	return h
}

// Root returns H(TAG_STATE_V2, accountsRoot, marketsRoot, globalLeaf).
func (s *State) Root() fr.Element {
	return StateRoot(s.AccountsRoot(), s.MarketsRoot(), s.GlobalLeaf())
}

// AccountProof returns the 24 siblings of the account leaf at id (leaf 0 for an empty slot).
func (s *State) AccountProof(id uint64) (leaf fr.Element, siblings []fr.Element, err error) {
	if siblings, err = s.accounts.Proof(id); err != nil {
		return leaf, nil, err
	}
	leaf, _ = s.accounts.Leaf(id)
	return leaf, siblings, nil
}

// FillProof returns the 12 siblings of an account's fill slot.
func (s *State) FillProof(account, slot uint64) (leaf fr.Element, siblings []fr.Element, err error) {
	a, ok := s.accountData[account]
	if !ok {
		return leaf, nil, fmt.Errorf("%w: %d", ErrNoAccount, account)
	}
	if siblings, err = a.fills.Proof(slot); err != nil {
		return leaf, nil, err
	}
	leaf, _ = a.fills.Leaf(slot)
	return leaf, siblings, nil
}

// MarketProof returns the 6 siblings of a market leaf.
func (s *State) MarketProof(id uint64) (leaf fr.Element, siblings []fr.Element, err error) {
	if siblings, err = s.markets.Proof(id); err != nil {
		return leaf, nil, err
	}
	leaf, _ = s.markets.Leaf(id)
	return leaf, siblings, nil
}

// AccountIDs returns the ids of the existing accounts in increasing order.
func (s *State) AccountIDs() []uint64 {
	ids := make([]uint64, 0, len(s.accountData))
	for id := range s.accountData {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// MarketIDs returns the ids of the listed markets in increasing order.
func (s *State) MarketIDs() []uint64 {
	ids := make([]uint64, 0, len(s.marketData))
	for id := range s.marketData {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// SetPosition sets an existing account's position in a market by the entry-assignment rule
// ([Positions.Set]): ErrNoAccount, ErrTooManyPositions or ErrPositionOutOfRange leave the state
// unchanged.
func (s *State) SetPosition(account uint64, market uint8, size, fundingSnapshot int64) error {
	a, ok := s.accountData[account]
	if !ok {
		return fmt.Errorf("%w: %d", ErrNoAccount, account)
	}
	p, err := a.fields.Positions.Set(market, size, fundingSnapshot)
	if err != nil {
		return err
	}
	f := a.fields
	f.Positions = p
	return s.SetAccount(account, f)
}
