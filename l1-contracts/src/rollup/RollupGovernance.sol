// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

import {IBatchVerifier} from "../IBatchVerifier.sol";

/// @title Roles and the verifier timelock shared by the zkperp rollups (ZkPerpRollup, ZkPerpRollupV3)
/// @notice ADMIN_ROLE (admin of itself and of OPERATOR_ROLE) changes the batch verifier only through
/// a timelock that exceeds the forced-action deadline by at least REACTION_MARGIN, so a user who
/// distrusts a proposed verifier can request a forced withdrawal and freeze the rollup (if it is
/// ignored) before the new verifier can be activated (l1-contracts/README.md, Governance).
/// @dev The governance functions make no external call. Called on any L1 transaction's thread.
abstract contract RollupGovernance is AccessControl {
    /// @notice Manages parameters (the verifier, through the timelock) and the operator role.
    bytes32 public constant ADMIN_ROLE = keccak256("zkperp.role.ADMIN");
    /// @notice Submits batches.
    bytes32 public constant OPERATOR_ROLE = keccak256("zkperp.role.OPERATOR");
    /// @notice The verifier timelock exceeds the forced-action deadline by at least this much: a
    /// user who requests a forced withdrawal when a verifier is proposed can still freeze the rollup
    /// for this long (less one second) before the new verifier can be activated (README: rules).
    uint256 public constant REACTION_MARGIN = 1 days;

    /// @notice Seconds between proposing and activating a new verifier
    /// (>= the forced-action deadline + REACTION_MARGIN).
    uint256 public immutable VERIFIER_TIMELOCK;

    /// @notice The verifier batches are checked with.
    IBatchVerifier public verifier;
    /// @notice The proposed verifier (zero when none).
    IBatchVerifier public pendingVerifier;
    /// @notice When the proposed verifier may be activated.
    uint256 public pendingVerifierEta;

    /// @notice A new verifier was proposed; it can be activated at `eta`.
    event VerifierProposed(address indexed verifier, uint256 eta);
    /// @notice The proposed verifier became active.
    event VerifierChanged(address indexed verifier);
    /// @notice The proposal was withdrawn.
    event VerifierProposalCancelled(address indexed verifier);

    error ZeroAddress();
    error BadDeadlines(uint256 forcedActionDeadline, uint256 verifierTimelock);
    error NoPendingVerifier();
    error TimelockNotExpired(uint256 eta);
    error TimelockTooShort(uint256 verifierTimelock, uint256 minimum);

    /// @param forcedActionDeadline seconds, 1 ... 2^32 - 1 (checked here because the timelock is
    /// bounded by it; the priority queue keeps it)
    constructor(
        IBatchVerifier verifier_,
        address admin,
        address operator,
        uint256 forcedActionDeadline,
        uint256 verifierTimelock
    ) {
        if (address(verifier_) == address(0) || admin == address(0) || operator == address(0)) revert ZeroAddress();
        if (forcedActionDeadline == 0 || forcedActionDeadline > type(uint32).max) {
            revert BadDeadlines(forcedActionDeadline, verifierTimelock);
        }
        if (verifierTimelock < forcedActionDeadline + REACTION_MARGIN) {
            revert TimelockTooShort(verifierTimelock, forcedActionDeadline + REACTION_MARGIN);
        }
        VERIFIER_TIMELOCK = verifierTimelock;
        verifier = verifier_;
        _setRoleAdmin(ADMIN_ROLE, ADMIN_ROLE);
        _setRoleAdmin(OPERATOR_ROLE, ADMIN_ROLE);
        _grantRole(ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, operator);
    }

    /// @notice Proposes a new verifier; it can be activated after VERIFIER_TIMELOCK.
    function proposeVerifier(IBatchVerifier newVerifier) external onlyRole(ADMIN_ROLE) {
        if (address(newVerifier) == address(0)) revert ZeroAddress();
        pendingVerifier = newVerifier;
        pendingVerifierEta = block.timestamp + VERIFIER_TIMELOCK;
        emit VerifierProposed(address(newVerifier), pendingVerifierEta);
    }

    /// @notice Activates the proposed verifier once its timelock has passed.
    function activateVerifier() external onlyRole(ADMIN_ROLE) {
        IBatchVerifier v = pendingVerifier;
        if (address(v) == address(0)) revert NoPendingVerifier();
        // Deadlines are days long; validators shift timestamps by seconds.
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp < pendingVerifierEta) revert TimelockNotExpired(pendingVerifierEta);
        verifier = v;
        pendingVerifier = IBatchVerifier(address(0));
        pendingVerifierEta = 0;
        emit VerifierChanged(address(v));
    }

    /// @notice Withdraws the proposal.
    function cancelVerifierProposal() external onlyRole(ADMIN_ROLE) {
        IBatchVerifier v = pendingVerifier;
        if (address(v) == address(0)) revert NoPendingVerifier();
        pendingVerifier = IBatchVerifier(address(0));
        pendingVerifierEta = 0;
        emit VerifierProposalCancelled(address(v));
    }
}
