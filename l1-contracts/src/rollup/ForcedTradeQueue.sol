// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {ForcedTradeDesk, IForcedTradeRollup} from "./ForcedTradeDesk.sol";
import {PriorityQueue} from "./PriorityQueue.sol";

/// @title The rollup's side of forced trades: its desk (ForcedTradeDesk, deployed here) checks and
/// hashes each request, and the rollup queues it as a priority operation of kind ForcedTrade
/// with the deadline and freeze rule of every priority operation (docs/perp-circuit.md section 12).
/// @dev Called on any L1 transaction's thread; the entry point is nonReentrant.
abstract contract ForcedTradeQueue is PriorityQueue {
    /// @notice The desk where A's owner requests a forced trade (ForcedTradeDesk.requestForcedTrade).
    ForcedTradeDesk public immutable FORCED_TRADE_DESK;

    error NotTheForcedTradeDesk(address sender);

    constructor() {
        FORCED_TRADE_DESK = new ForcedTradeDesk(IForcedTradeRollup(address(this)));
    }

    /// @notice The desk queues forced trade `opHash` of account `accountA` requested by `owner`, who
    /// paid the forced-request fee with it. Only the desk.
    function enqueueForcedTrade(address owner, uint256 accountA, uint256 opHash)
        external
        payable
        nonReentrant
        returns (uint256 index, uint256 h, uint64 deadline)
    {
        if (msg.sender != address(FORCED_TRADE_DESK)) revert NotTheForcedTradeDesk(msg.sender);
        if (frozen) revert RollupFrozen();
        return _enqueue(OpKind.ForcedTrade, owner, accountA, 0, opHash);
    }
}
