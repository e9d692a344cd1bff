// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "../Poseidon2.sol";
import {StateLayoutV1} from "../StateLayoutV1.sol";

/// @title The forced-trade request, its priority-operation hash and its batch record
/// (docs/perp-circuit.md section 12)
/// @notice The Go references are messages.ForcedTradeOp.Hash and forcedtrade.PublicData;
/// test-vectors/forced-trade.json and forced-trade-batch.json pin them.
library ForcedTradeOp {
    /// @notice "zkperp/forced-trade/v1" read as a big-endian integer.
    uint256 internal constant TAG = 0x7a6b706572702f666f726365642d74726164652f7631;
    /// @notice Type byte of a forced trade's record in a format v3 batch (docs/batch-format.md,
    /// "Format v3"): RECORD_TYPE | accountA u24 | accountB u24 | market u8 | side u8 (1: A buys) |
    /// size u64 | amount u64 | reason u8, RECORD_LENGTH bytes, zero-padded to the batch's record
    /// size. Every forced trade of a batch has one, executed or not (its operation is consumed).
    uint8 internal constant RECORD_TYPE = 0x0C;
    uint256 internal constant RECORD_LENGTH = 26;

    /// @notice A forced trade as account A submits it: A buys (aBuys) or sells `size` of `market`
    /// to or from B for `amount` collateral quanta at A's `nonce`; (sigRX, sigRY, sigS) is B's
    /// EdDSA signature of the message.
    struct Request {
        uint32 accountA;
        uint32 accountB;
        uint16 market;
        bool aBuys;
        uint64 size;
        uint64 amount;
        uint64 nonce;
        uint256 sigRX;
        uint256 sigRY;
        uint256 sigS;
    }

    /// @notice H(TAG, e1, e2, ownerA, sigRX, sigRY, sigS) with e1 = accountA (32) || accountB (32) ||
    /// market (16) || aBuys (8) || nonce (64) and e2 = size (64) || amount (64); `iv` is
    /// Poseidon2.compress(0, TAG).
    function hash(Request memory t, address ownerA, uint256 iv) internal pure returns (uint256 s) {
        uint256 e1 = (uint256(t.accountA) << 120) | (uint256(t.accountB) << 88) | (uint256(t.market) << 72)
            | ((t.aBuys ? uint256(1) : 0) << 64) | uint256(t.nonce);
        uint256[6] memory xs = [
            e1, (uint256(t.size) << 64) | uint256(t.amount), StateLayoutV1.fromAddress(ownerA), t.sigRX, t.sigRY, t.sigS
        ];
        s = iv;
        for (uint256 i; i < 6; ++i) {
            s = Poseidon2.compress(s, xs[i]);
        }
    }
}
