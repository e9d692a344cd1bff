package layout

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// AccountFields are the account-leaf fields that are set directly. The positionsRoot and
// fillsRoot fields of the leaf always come from the account's own subtrees.
type AccountFields struct {
	PublicKeyX fr.Element
	PublicKeyY fr.Element
	L1Owner    [20]byte
	Nonce      uint64
	Collateral int64
}

type accountState struct {
	fields    AccountFields
	positions *SparseTree
	fills     *SparseTree
	posData   map[uint64]Position
	fillData  map[uint64]Fill
}

func (a *accountState) leaf() Account {
	return Account{
		PublicKeyX:    a.fields.PublicKeyX,
		PublicKeyY:    a.fields.PublicKeyY,
		L1Owner:       a.fields.L1Owner,
		Nonce:         a.fields.Nonce,
		Collateral:    a.fields.Collateral,
		PositionsRoot: a.positions.Root(),
		FillsRoot:     a.fills.Root(),
	}
}

// State is the whole layout-v1 state in memory: the accounts tree (each account with its own
// positions and fills trees), the markets tree and the global leaf. The zero value is not usable;
// create states with [NewState] (the genesis state).
type State struct {
	accounts    *SparseTree
	accountData map[uint64]*accountState
	markets     *SparseTree
	marketData  map[uint64]Market
	global      Global
}

// NewState returns the genesis state: every tree empty and both global balances 0.
func NewState() *State {
	return &State{
		accounts:    NewSparseTree(AccountsDepth),
		accountData: make(map[uint64]*accountState),
		markets:     NewSparseTree(MarketsDepth),
		marketData:  make(map[uint64]Market),
	}
}

// Proof is a Merkle proof of one leaf in one tree, with the root it proves against.
type Proof struct {
	Index    uint64
	Leaf     fr.Element   // 0 for an empty slot (non-membership)
	Siblings []fr.Element // from the leaf upward
	Root     fr.Element
}

// Verify reports whether the proof hashes to its root.
func (p *Proof) Verify() bool { return VerifyProof(p.Index, p.Leaf, p.Siblings, p.Root) }

func proofOf(t *SparseTree, index uint64) (Proof, error) {
	siblings, err := t.Proof(index)
	if err != nil {
		return Proof{}, err
	}
	leaf, _ := t.Leaf(index)
	return Proof{Index: index, Leaf: leaf, Siblings: siblings, Root: t.Root()}, nil
}

// SetAccount creates the account (with empty positions and fills trees: positionsRoot Z6, fillsRoot
// Z16) or, if it exists, replaces its fields while keeping its positions and fills.
func (s *State) SetAccount(id uint64, f AccountFields) error {
	if id >= uint64(1)<<AccountsDepth {
		return fmt.Errorf("%w: account %d", ErrIndexOutOfRange, id)
	}
	a, ok := s.accountData[id]
	if !ok {
		a = &accountState{
			positions: NewSparseTree(PositionsDepth),
			fills:     NewSparseTree(FillsDepth),
			posData:   make(map[uint64]Position),
			fillData:  make(map[uint64]Fill),
		}
		s.accountData[id] = a
	}
	a.fields = f
	return s.refreshAccount(id)
}

func (s *State) refreshAccount(id uint64) error {
	leaf := s.accountData[id].leaf()
	return s.accounts.Update(id, leaf.Hash())
}

// SetPosition sets the position of an existing account in a market. A position of size 0 removes
// it (the slot becomes the empty leaf). It returns [ErrNoAccount] if the account does not exist.
func (s *State) SetPosition(account, market uint64, p Position) error {
	a, ok := s.accountData[account]
	if !ok {
		return fmt.Errorf("%w: %d", ErrNoAccount, account)
	}
	if err := a.positions.Update(market, p.Hash()); err != nil {
		return fmt.Errorf("position market %d: %w", market, err)
	}
	if p.Size == 0 {
		delete(a.posData, market)
	} else {
		a.posData[market] = p
	}
	return s.refreshAccount(account)
}

// SetFill writes a fill leaf of an existing account into slot FillSlot(f.OrderNonce). The tree does
// not enforce the replay rule (that is the engine's and the circuit's job). It returns
// [ErrNoAccount] if the account does not exist.
func (s *State) SetFill(account uint64, f Fill) error {
	a, ok := s.accountData[account]
	if !ok {
		return fmt.Errorf("%w: %d", ErrNoAccount, account)
	}
	if f.OrderNonce == 0 {
		return errors.New("layout: fill order nonce must be at least 1")
	}
	slot := FillSlot(f.OrderNonce)
	if err := a.fills.Update(slot, f.Hash()); err != nil {
		return err
	}
	a.fillData[slot] = f
	return s.refreshAccount(account)
}

// SetMarket lists or updates a market.
func (s *State) SetMarket(id uint64, m Market) error {
	if err := s.markets.Update(id, m.Hash()); err != nil {
		return fmt.Errorf("market %d: %w", id, err)
	}
	s.marketData[id] = m
	return nil
}

// SetGlobal replaces the global leaf's content.
func (s *State) SetGlobal(g Global) { s.global = g }

// Account returns the account leaf content (with its current subtree roots).
func (s *State) Account(id uint64) (Account, bool) {
	a, ok := s.accountData[id]
	if !ok {
		return Account{}, false
	}
	return a.leaf(), true
}

// Position returns an account's position in a market (false if none).
func (s *State) Position(account, market uint64) (Position, bool) {
	a, ok := s.accountData[account]
	if !ok {
		return Position{}, false
	}
	p, ok := a.posData[market]
	return p, ok
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

// Market returns a listed market (false if the slot is empty).
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

// GlobalLeaf returns H(TAG_GLOBAL, insuranceFund, feeBalance).
func (s *State) GlobalLeaf() fr.Element { return s.global.Hash() }

// Root returns the state root H(TAG_STATE, accountsRoot, marketsRoot, globalLeaf).
func (s *State) Root() fr.Element {
	return StateRoot(s.AccountsRoot(), s.MarketsRoot(), s.GlobalLeaf())
}

// AccountProof proves the account leaf at id (or that the slot is empty) against accountsRoot.
func (s *State) AccountProof(id uint64) (Proof, error) { return proofOf(s.accounts, id) }

// MarketProof proves the market leaf at id (or that the slot is empty) against marketsRoot.
func (s *State) MarketProof(id uint64) (Proof, error) { return proofOf(s.markets, id) }

// PositionProof proves an account's position leaf in a market (or its absence) against the
// account's positionsRoot. The account must exist.
func (s *State) PositionProof(account, market uint64) (Proof, error) {
	a, ok := s.accountData[account]
	if !ok {
		return Proof{}, fmt.Errorf("%w: %d", ErrNoAccount, account)
	}
	return proofOf(a.positions, market)
}

// FillProof proves the fill leaf in an account's fills slot (or that the slot is empty) against the
// account's fillsRoot. The account must exist.
func (s *State) FillProof(account, slot uint64) (Proof, error) {
	a, ok := s.accountData[account]
	if !ok {
		return Proof{}, fmt.Errorf("%w: %d", ErrNoAccount, account)
	}
	return proofOf(a.fills, slot)
}
