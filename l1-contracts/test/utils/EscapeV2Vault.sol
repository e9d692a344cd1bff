// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {EscapeV2} from "../../src/EscapeV2.sol";

/// @notice Test harness: the vault side of a layout-v2 escape as docs/state-layout.md §9.10 says a
/// frozen rollup must do it, without the rest of the rollup. It holds the collateral of one frozen
/// layout-v2 state (`escapePool`, funded with `fund`), lets each account escape once (anyone may
/// submit the proof; the amount goes to the account's proven L1 owner), credits
/// min(owed, escapePool) — first come, first served — and pays by pull (`withdraw`), like
/// ZkPerpRollup's v1 escape. Any thread of a test may call it; not deployed anywhere.
contract EscapeV2Vault is ReentrancyGuard {
    using SafeERC20 for IERC20;

    IERC20 public immutable token;
    /// @notice The last verified layout-v2 state root at the freeze.
    uint256 public immutable frozenRoot;

    /// @notice Collateral held for the frozen state and not yet credited to an escaping account.
    uint256 public escapePool;
    /// @notice Σ amounts funded into the pool.
    uint256 public funded;
    /// @notice Σ amounts credited to escaping accounts.
    uint256 public totalCredited;
    /// @notice Σ credited and not yet withdrawn.
    uint256 public totalWithdrawable;

    mapping(uint256 accountId => bool) public escaped;
    mapping(address owner => uint256) public withdrawable;

    /// @notice An account tried to escape a second time.
    error AlreadyEscaped(uint256 accountId);
    /// @notice Nothing to withdraw.
    error NothingToWithdraw(address owner);

    /// @notice `owed` by the formula, `credited` = min(owed, the pool before).
    event Escaped(uint256 indexed accountId, address indexed owner, uint256 owed, uint256 credited);

    constructor(IERC20 token_, uint256 frozenRoot_) {
        token = token_;
        frozenRoot = frozenRoot_;
    }

    /// @notice Adds `amount` (pulled from the caller) to the pool.
    function fund(uint256 amount) external nonReentrant {
        token.safeTransferFrom(msg.sender, address(this), amount);
        escapePool += amount;
        funded += amount;
    }

    /// @notice Verifies the proof against the frozen root (EscapeV2.payout), marks the account as
    /// escaped and credits its L1 owner with min(owed, escapePool).
    function escape(EscapeV2.Proof calldata p) external nonReentrant returns (uint256 credited) {
        uint256 id = p.account.accountId;
        if (escaped[id]) revert AlreadyEscaped(id);
        (uint256 owed,) = EscapeV2.payout(frozenRoot, p);
        escaped[id] = true;
        uint256 pool = escapePool;
        credited = owed < pool ? owed : pool;
        escapePool = pool - credited;
        totalCredited += credited;
        address owner = p.account.identity.l1Owner;
        withdrawable[owner] += credited;
        totalWithdrawable += credited;
        emit Escaped(id, owner, owed, credited);
    }

    /// @notice Pays the caller what escapes credited to it.
    function withdraw() external nonReentrant {
        uint256 amount = withdrawable[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        withdrawable[msg.sender] = 0;
        totalWithdrawable -= amount;
        token.safeTransfer(msg.sender, amount);
    }
}
