// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "../Poseidon2.sol";
import {StateLayoutV2} from "../StateLayoutV2.sol";
import {ForcedTradeOp} from "./ForcedTradeOp.sol";

/// @notice What the desk reads of and asks of its rollup (ForcedTradeQueue).
interface IForcedTradeRollup {
    function frozen() external view returns (bool);
    function accountOwner(uint256 accountId) external view returns (address);
    function FORCED_REQUEST_FEE() external view returns (uint256);
    function ADMIN_ROLE() external view returns (bytes32);
    function hasRole(bytes32 role, address account) external view returns (bool);
    function enqueueForcedTrade(address owner, uint256 accountA, uint256 opHash)
        external
        payable
        returns (uint256 index, uint256 priorityHash, uint64 deadline);
}

/// @title Forced-trade requests (as StarkEx's ForcedTrade) into a rollup's priority queue
/// @notice Accounts A and B agree on a trade off-chain; B signs it with its L2 key (the forced-trade
/// message of docs/perp-circuit.md section 12); A's bound owner submits it here with B's signature.
/// The desk checks what L1 can check — A's owner is the sender, B is bound, A != B, the market id
/// is in the markets tree, size, amount and nonce in range, the signature's elements canonical,
/// the fee exact — computes the operation hash ForcedTradeOp.hash and has its rollup queue it with
/// the deadline and freeze rule of every priority operation: a batch must consume it (execute it,
/// or prove it invalid: unlisted market, stale nonce, bad signature, failed risk check) before the
/// deadline, or anyone may freeze. A needs no L2 signature: the sender is A's bound owner. No
/// batch shape consumes a forced trade yet (docs/perp-circuit.md section 12.6): a request no batch
/// can consume would freeze the rollup at its deadline, so the desk refuses every request
/// (ForcedTradesNotServed) until a rollup admin declares, once and for good, that the deployment's
/// verifier has a forced-trade group (serveForcedTrades).
/// @dev One desk per rollup, deployed by the rollup's constructor (the rollup's runtime code stays
/// under EIP-170). Called on any L1 transaction's thread; it holds no state.
contract ForcedTradeDesk {
    /// @notice Order of the prime-order subgroup of gnark's BN254 twisted Edwards curve: an EdDSA S
    /// is below it (the circuit asserts it, as gnark's verifier does).
    uint256 public constant EDWARDS_ORDER =
        2736030358979909402780800718157159386076813972158567259200215660948447373041;
    /// @notice A position's size is below 2^55 in layout v2, so a forced trade's size is too.
    uint256 public constant MAX_SIZE = (1 << 55) - 1;
    /// @notice Amounts are below 2^63 (CollateralVault.MAX_AMOUNT).
    uint256 public constant MAX_AMOUNT = (1 << 63) - 1;

    /// @notice The rollup whose queue the requests enter.
    IForcedTradeRollup public immutable ROLLUP;
    /// @notice Poseidon2.compress(0, ForcedTradeOp.TAG): the hasher state after the tag (a constant,
    /// so the constructor carries no copy of the permutation; checked by the forge test).
    uint256 public constant IV = 0x111746913dac3d14be8b088283a0775398d0c8495c63607641ba820195fb0efc;

    /// @notice Whether requests are taken: set once by a rollup admin (serveForcedTrades) when the
    /// deployment's batch shape consumes forced trades; never unset.
    bool public served;

    /// @notice A rollup admin opened the desk (serveForcedTrades).
    event ForcedTradesServed(address indexed admin);

    /// @notice Forced trade at priority-queue position `index` (opHash = ForcedTradeOp.hash of the
    /// request and its sender): a batch must execute it or prove it invalid before `deadline`, or
    /// anyone may freeze.
    event ForcedTradeRequested(
        uint256 indexed index,
        uint256 indexed accountA,
        uint256 indexed accountB,
        uint256 opHash,
        uint256 priorityHash,
        uint64 deadline
    );

    error RollupFrozen();
    error NotAccountOwner(uint256 accountId, address sender);
    error AccountNotBound(uint256 accountId);
    error SelfForcedTrade(uint256 accountId);
    error MarketOutOfRange(uint256 market);
    error InvalidSize(uint256 size);
    error InvalidAmount(uint256 amount);
    error InvalidNonce(uint256 nonce);
    error NonCanonicalSignature(uint256 rx, uint256 ry, uint256 s);
    error WrongForcedRequestFee(uint256 sent, uint256 required);
    error ForcedTradesNotServed();
    error NotRollupAdmin(address sender);

    constructor(IForcedTradeRollup rollup) {
        ROLLUP = rollup;
    }

    /// @notice Opens the desk for good: only a holder of the rollup's ADMIN_ROLE, and only once the
    /// deployment's verifier proves batches with a forced-trade group (else a request would freeze
    /// the rollup at its deadline, since no batch could consume it).
    function serveForcedTrades() external {
        IForcedTradeRollup r = ROLLUP;
        if (!r.hasRole(r.ADMIN_ROLE(), msg.sender)) revert NotRollupAdmin(msg.sender);
        served = true;
        emit ForcedTradesServed(msg.sender);
    }

    /// @notice Account A's bound owner submits forced trade `t` with B's signature, paying exactly
    /// the rollup's FORCED_REQUEST_FEE wei (held by the rollup: the operator's when a batch
    /// consumes the request, refundable in frozen mode).
    /// @return index the request's position in the rollup's priority queue
    function requestForcedTrade(ForcedTradeOp.Request calldata t) external payable returns (uint256 index) {
        if (!served) revert ForcedTradesNotServed();
        IForcedTradeRollup r = ROLLUP;
        if (r.frozen()) revert RollupFrozen();
        if (r.accountOwner(t.accountA) != msg.sender) revert NotAccountOwner(t.accountA, msg.sender);
        if (r.accountOwner(t.accountB) == address(0)) revert AccountNotBound(t.accountB);
        if (t.accountA == t.accountB) revert SelfForcedTrade(t.accountA);
        if (t.market >= 2 ** StateLayoutV2.MARKETS_DEPTH) revert MarketOutOfRange(t.market);
        if (t.size == 0 || t.size > MAX_SIZE) revert InvalidSize(t.size);
        if (t.amount == 0 || t.amount > MAX_AMOUNT) revert InvalidAmount(t.amount);
        if (t.nonce == 0) revert InvalidNonce(t.nonce);
        if (t.sigRX >= Poseidon2.R || t.sigRY >= Poseidon2.R || t.sigS >= EDWARDS_ORDER) {
            revert NonCanonicalSignature(t.sigRX, t.sigRY, t.sigS);
        }
        uint256 fee = r.FORCED_REQUEST_FEE();
        if (msg.value != fee) revert WrongForcedRequestFee(msg.value, fee);
        uint256 op = ForcedTradeOp.hash(t, msg.sender, IV);
        uint256 h;
        uint64 deadline;
        (index, h, deadline) = r.enqueueForcedTrade{value: msg.value}(msg.sender, t.accountA, op);
        emit ForcedTradeRequested(index, t.accountA, t.accountB, op, h, deadline);
    }

    /// @notice ForcedTradeOp.hash of `t` requested by `ownerA`: the priority operation the rollup
    /// queues (pinned against Go by test-vectors/forced-trade.json).
    function opHash(ForcedTradeOp.Request calldata t, address ownerA) external pure returns (uint256) {
        return ForcedTradeOp.hash(t, ownerA, IV);
    }
}
