package layoutv2

import (
	"errors"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// Version is the state layout version implemented by this package.
const Version = 2

// Tree depths and sizes of layout v2.
const (
	AccountsDepth      = 24 // 2^24 accounts, the last one the insurance fund
	FillsDepth         = 12 // 4,096 fill slots per account: nonce mod 2^12
	MarketsDepth       = 6  // 64 markets
	OracleSignersDepth = 4  // 16 oracle-signer slots

	// InsuranceFundAccount is the insurance fund's account id: the last leaf of the accounts tree.
	// Traders' ids are below it.
	InsuranceFundAccount = uint64(1)<<AccountsDepth - 1
	// MaxPositions is the number of position entries of an account (the bound on open positions).
	MaxPositions = 8
	// PositionElements is the number of field elements the position list packs into.
	PositionElements = MaxPositions / 2
	// FeeTierCount is the number of fee tiers in the fee-tier hash.
	FeeTierCount = 8
	// OracleSignerSlots is the number of slots of the oracle-signer tree.
	OracleSignerSlots = 1 << OracleSignersDepth
)

// Tag strings of layout version 2.
const (
	TagAccountString         = "zkperp/account/v2"
	TagAccountIdentityString = "zkperp/account-identity/v2"
	TagFillString            = "zkperp/fill/v2"
	TagMarketString          = "zkperp/market/v2"
	TagMarketRiskString      = "zkperp/market-risk/v2"
	TagGlobalString          = "zkperp/global/v2"
	TagOracleSignerString    = "zkperp/oracle-signer/v2"
	TagFeeTiersString        = "zkperp/fee-tiers/v2"
	TagStateString           = "zkperp/state/v2"
)

// Domain tags of layout version 2 (see [layout.Tag]).
var (
	TagAccount         = layout.Tag(TagAccountString)
	TagAccountIdentity = layout.Tag(TagAccountIdentityString)
	TagFill            = layout.Tag(TagFillString)
	TagMarket          = layout.Tag(TagMarketString)
	TagMarketRisk      = layout.Tag(TagMarketRiskString)
	TagGlobal          = layout.Tag(TagGlobalString)
	TagOracleSigner    = layout.Tag(TagOracleSignerString)
	TagFeeTiers        = layout.Tag(TagFeeTiersString)
	TagState           = layout.Tag(TagStateString)
)

// Typed errors of layout v2. Every constructor and encoder that refuses a value wraps one of them.
var (
	// ErrPositionOutOfRange: a position entry whose market, size or snapshot does not fit its width.
	ErrPositionOutOfRange = errors.New("layoutv2: position entry out of range")
	// ErrDuplicateMarket: two non-empty entries of one account hold the same market.
	ErrDuplicateMarket = errors.New("layoutv2: two position entries hold the same market")
	// ErrTooManyPositions: a position in a new market for a list whose 8 entries are all taken.
	ErrTooManyPositions = errors.New("layoutv2: all 8 position entries are taken")
	// ErrNonCanonicalEntry: a packed element that no valid list packs to.
	ErrNonCanonicalEntry = errors.New("layoutv2: packed position element is not canonical")
	// ErrFeeTierOutOfRange: a fee tier index ≥ 8 or a rate outside [−10^6, 10^6] ppm.
	ErrFeeTierOutOfRange = errors.New("layoutv2: fee tier out of range")
	// ErrQuorumOutOfRange: an oracle quorum above the number of signer slots.
	ErrQuorumOutOfRange = errors.New("layoutv2: oracle quorum out of range")
	// ErrIndexOutOfRange: an account id, market id, fill nonce or signer slot out of range.
	ErrIndexOutOfRange = errors.New("layoutv2: index out of range")
	// ErrNoAccount: a fill was addressed to an account that does not exist.
	ErrNoAccount = errors.New("layoutv2: account does not exist")
)

// StateRoot returns H(TAG_STATE_V2, accountsRoot, marketsRoot, globalLeaf).
func StateRoot(accountsRoot, marketsRoot, globalLeaf fr.Element) fr.Element {
	return layout.Hash(TagState, accountsRoot, marketsRoot, globalLeaf)
}
