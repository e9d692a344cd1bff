// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title Test USD (devnet collateral)
/// @notice A 6-decimal ERC-20 with a public faucet, for devnets and tests only: anyone can mint up
/// to FAUCET_LIMIT per call. Never deploy it as the collateral of a real rollup.
contract TestUSD is ERC20 {
    /// @notice The most one faucet call mints: 1,000,000 tUSD.
    uint256 public constant FAUCET_LIMIT = 1_000_000e6;

    /// @notice A faucet call asked for more than FAUCET_LIMIT.
    error FaucetLimitExceeded(uint256 requested, uint256 limit);

    constructor() ERC20("zkperp Test USD", "tUSD") {}

    /// @notice 6 decimals, like USDC: one collateral quantum is 10^-6 tUSD.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` (at most FAUCET_LIMIT) to the caller.
    function faucet(uint256 amount) external {
        if (amount > FAUCET_LIMIT) revert FaucetLimitExceeded(amount, FAUCET_LIMIT);
        _mint(msg.sender, amount);
    }
}
