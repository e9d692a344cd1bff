package layout

import "github.com/consensys/gnark-crypto/ecc/bn254/fr"

// Account is the content of an account leaf (accounts tree, index = account id).
type Account struct {
	PublicKeyX    fr.Element // L2 EdDSA public key, x coordinate; (0, 0) = no key
	PublicKeyY    fr.Element // L2 EdDSA public key, y coordinate
	L1Owner       [20]byte   // L1 address that receives withdrawals and may force exits
	Nonce         uint64     // counter of the account's non-order signed transactions
	Collateral    int64      // collateral balance in collateral quanta
	PositionsRoot fr.Element // root of the account's positions tree
	FillsRoot     fr.Element // root of the account's fills tree
}

// Hash returns H(TAG_ACCOUNT, publicKeyX, publicKeyY, l1Owner, nonce, collateral, positionsRoot,
// fillsRoot).
func (a *Account) Hash() fr.Element {
	return Hash(TagAccount, a.PublicKeyX, a.PublicKeyY, Address(a.L1Owner), U64(a.Nonce),
		I64(a.Collateral), a.PositionsRoot, a.FillsRoot)
}

// Position is the content of a position leaf (positions tree of an account, index = market id).
type Position struct {
	Size                 int64 // signed size in synthetic quanta (> 0 long, < 0 short, 0 none)
	FundingIndexSnapshot int64 // market funding index when funding was last settled
}

// Hash returns 0 for a position of size 0 (the empty leaf: its snapshot is not stored), else
// H(TAG_POSITION, size, fundingIndexSnapshot).
func (p *Position) Hash() fr.Element {
	if p.Size == 0 {
		return fr.Element{}
	}
	return Hash(TagPosition, I64(p.Size), I64(p.FundingIndexSnapshot))
}

// Fill is the content of a fill leaf (fills tree of an account, index = orderNonce mod 2^16).
type Fill struct {
	OrderNonce   uint64 // nonce of the signed order that owns the slot (≥ 1)
	FilledAmount uint64 // synthetic quanta of that order filled so far
}

// FillSlot returns the fills-tree index of an order nonce: nonce mod 2^16.
func FillSlot(orderNonce uint64) uint64 { return orderNonce & (1<<FillsDepth - 1) }

// Hash returns H(TAG_FILL, orderNonce, filledAmount).
func (f *Fill) Hash() fr.Element {
	return Hash(TagFill, U64(f.OrderNonce), U64(f.FilledAmount))
}

// MarketRisk holds a market's risk parameters (all u64; margin fractions in parts per million).
type MarketRisk struct {
	InitialMarginPpm            uint64
	MaintenanceMarginPpm        uint64
	BaselinePositionSize        uint64
	IncrementalPositionSize     uint64
	IncrementalInitialMarginPpm uint64
	MaxPositionSize             uint64
	OpenInterestCap             uint64
}

// Hash returns riskHash = H(TAG_MARKET_RISK, initialMarginPpm, maintenanceMarginPpm,
// baselinePositionSize, incrementalPositionSize, incrementalInitialMarginPpm, maxPositionSize,
// openInterestCap).
func (r *MarketRisk) Hash() fr.Element {
	return Hash(TagMarketRisk, U64(r.InitialMarginPpm), U64(r.MaintenanceMarginPpm),
		U64(r.BaselinePositionSize), U64(r.IncrementalPositionSize),
		U64(r.IncrementalInitialMarginPpm), U64(r.MaxPositionSize), U64(r.OpenInterestCap))
}

// Market is the content of a market leaf (markets tree, index = market id).
type Market struct {
	OraclePrice      uint64 // collateral quanta per synthetic quantum, 32 fractional bits
	OracleTimestamp  uint64 // Unix seconds of the price in use
	FundingIndex     int64  // cumulative funding per synthetic quantum, 32 fractional bits
	FundingTimestamp uint64 // Unix seconds of the last funding tick
	OpenInterest     uint64 // sum of the long sizes in the market
	Risk             MarketRisk
}

// Hash returns H(TAG_MARKET, oraclePrice, oracleTimestamp, fundingIndex, fundingTimestamp,
// openInterest, riskHash) with riskHash = m.Risk.Hash().
func (m *Market) Hash() fr.Element {
	return MarketLeaf(m.OraclePrice, m.OracleTimestamp, m.FundingIndex, m.FundingTimestamp,
		m.OpenInterest, m.Risk.Hash())
}

// MarketLeaf computes a market leaf from its fields with a given riskHash.
func MarketLeaf(oraclePrice, oracleTimestamp uint64, fundingIndex int64, fundingTimestamp,
	openInterest uint64, riskHash fr.Element) fr.Element {
	return Hash(TagMarket, U64(oraclePrice), U64(oracleTimestamp), I64(fundingIndex),
		U64(fundingTimestamp), U64(openInterest), riskHash)
}

// Global is the content of the global leaf.
type Global struct {
	InsuranceFund int64 // collateral quanta
	FeeBalance    int64 // collateral quanta
}

// Hash returns H(TAG_GLOBAL, insuranceFund, feeBalance).
func (g *Global) Hash() fr.Element {
	return Hash(TagGlobal, I64(g.InsuranceFund), I64(g.FeeBalance))
}

// StateRoot returns H(TAG_STATE, accountsRoot, marketsRoot, globalLeaf).
func StateRoot(accountsRoot, marketsRoot, globalLeaf fr.Element) fr.Element {
	return Hash(TagState, accountsRoot, marketsRoot, globalLeaf)
}

// GenesisRoot returns the state root with every tree empty and both global balances 0.
func GenesisRoot() fr.Element {
	g := Global{}
	return StateRoot(EmptyRoot(AccountsDepth), EmptyRoot(MarketsDepth), g.Hash())
}
