// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title The collateral vault and pull-payment ledgers shared by the zkperp rollups
/// @notice One ERC-20 collateral. The vault's balance is split into three tracked parts:
/// pendingDepositTotal (deposits not yet consumed by a batch), totalWithdrawable (pull-payment
/// balances, claimed with withdraw()) and verifiedCollateral (the collateral represented in the
/// verified L2 state). Forced-request fees (ether) have their own pull-payment ledger, feeBalance,
/// claimed with claimFees().
/// @dev Invariant (tested): COLLATERAL.balanceOf(this) == pendingDepositTotal + totalWithdrawable +
/// verifiedCollateral. Called on any L1 transaction's thread; every external entry point is
/// nonReentrant.
abstract contract CollateralVault is ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice Amounts and balances are below 2^63 (they are i64 collateral in the L2 state).
    uint256 public constant MAX_AMOUNT = (1 << 63) - 1;

    /// @notice The collateral token.
    IERC20 public immutable COLLATERAL;

    /// @notice Collateral of deposits not consumed (nor reclaimed).
    uint256 public pendingDepositTotal;
    /// @notice Sum of all pull-payment balances.
    uint256 public totalWithdrawable;
    /// @notice Collateral represented in the verified L2 state.
    uint256 public verifiedCollateral;
    /// @notice Pull-payment balances of collateral (withdrawals, served forced withdrawals, escapes,
    /// reclaimed deposits).
    mapping(address owner => uint256) public withdrawable;
    /// @notice Ether balances (wei) claimable with claimFees(): forced-request fees earned by
    /// operators and fees refunded to requesters.
    mapping(address owner => uint256) public feeBalance;

    /// @notice A pull-payment balance was paid out.
    event Withdrawn(address indexed owner, uint256 amount);
    /// @notice A fee balance (wei) was paid out.
    event FeesClaimed(address indexed owner, uint256 amount);

    error DepositCapExceeded(uint256 total, uint256 cap);
    error UnsupportedToken(uint256 expected, uint256 received);
    error WithdrawalExceedsState(uint256 amount, uint256 verifiedCollateral);
    error NothingToWithdraw();
    error FeeTransferFailed(address to, uint256 amount);

    /// @param collateral the collateral token (the rollup's constructor refuses the zero address)
    constructor(IERC20 collateral) {
        COLLATERAL = collateral;
    }

    /// @notice Pays msg.sender its whole pull-payment balance (collateral).
    function withdraw() external nonReentrant {
        uint256 amount = withdrawable[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        withdrawable[msg.sender] = 0;
        totalWithdrawable -= amount;
        COLLATERAL.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    /// @notice Pays msg.sender its whole fee balance (wei): forced-request fees earned as operator
    /// or refunded as requester.
    function claimFees() external nonReentrant {
        uint256 amount = feeBalance[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        feeBalance[msg.sender] = 0;
        (bool ok,) = payable(msg.sender).call{value: amount}("");
        if (!ok) revert FeeTransferFailed(msg.sender, amount);
        emit FeesClaimed(msg.sender, amount);
    }

    /// @dev Pulls `amount` from msg.sender, refusing tokens that deliver another amount (measured
    /// by the vault's balance difference), and keeps the system total a valid i64.
    function _pullCollateral(uint256 amount) internal {
        // Every account's collateral is at most the total in the system, so capping the total
        // keeps every balance a valid i64 and the deposit always consumable by the circuit.
        uint256 total = verifiedCollateral + pendingDepositTotal + amount;
        if (total > MAX_AMOUNT) revert DepositCapExceeded(total, MAX_AMOUNT);
        uint256 before = COLLATERAL.balanceOf(address(this));
        COLLATERAL.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = COLLATERAL.balanceOf(address(this)) - before;
        if (received != amount) revert UnsupportedToken(amount, received);
    }

    /// @dev Credits `amount` collateral to the pull-payment balance of `owner` (the caller has
    /// taken it out of pendingDepositTotal or verifiedCollateral).
    function _credit(address owner, uint256 amount) internal {
        withdrawable[owner] += amount;
        totalWithdrawable += amount;
    }

    /// @dev Credits `amount` wei to the fee balance of `owner`.
    function _creditFee(address owner, uint256 amount) internal {
        feeBalance[owner] += amount;
    }
}
