package forcedtrade

import (
	"math/big"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// tagOp is TAG_FORCED_TRADE as a circuit constant.
var tagOp = messages.TagForcedTradeOp.BigInt(new(big.Int))
