// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "../Poseidon2.sol";
import {PriorityQueue} from "./PriorityQueue.sol";

/// @title The batch chain shared by the zkperp rollups: the verified root, the batch number, the
/// commit rules every batch format has, the withdrawal credits and the escape-once record
/// @notice A derived rollup defines its batch format: commitBatch rebuilds its public input from
/// stored values and calldata, calls _checkHeader, _checkPriorityCount and _verifyProof, then
/// applies the batch (_consumePriorityOps, _creditWithdrawal per paid record, _storeBatch).
/// @dev Called on any L1 transaction's thread.
abstract contract RollupBase is PriorityQueue {
    /// @notice Public input = SHA-256(commitment bytes) with its top three bits cleared.
    uint256 internal constant PUBLIC_INPUT_MASK = (1 << 253) - 1;

    /// @notice The last verified state root.
    uint256 public stateRoot;
    /// @notice keccak256 of each verified batch's info (see the derived rollup's batchInfoHash).
    mapping(uint256 batchNumber => bytes32) public batchHashes;
    /// @notice Accounts that escaped (frozen mode, once each).
    mapping(uint256 accountId => bool) public escaped;

    /// @notice A withdrawal or served forced-withdrawal record of batch `batchNumber` credited
    /// `owner` (claim with withdraw()); a refused forced withdrawal credits 0.
    event WithdrawalCredited(
        uint64 indexed batchNumber, uint256 indexed accountId, address indexed owner, uint64 amount
    );

    error UnauthorizedSubmitter(address sender);
    error WrongBatchNumber(uint64 expected, uint64 actual);
    error WrongPreviousRoot(uint256 expected, uint256 actual);
    error NonCanonicalRoot(uint256 root);
    error TooManyPriorityOps(uint256 requested, uint256 available);
    error InvalidProof(uint256 publicInput);
    error AlreadyEscaped(uint256 accountId);

    /// @dev The checks every batch starts with: the operator submits, the rollup is not frozen,
    /// the number follows the last one, the old root is the stored one and the new root canonical.
    function _checkHeader(uint64 batchNumber, uint256 oldStateRoot, uint256 newStateRoot) internal view {
        if (!hasRole(OPERATOR_ROLE, msg.sender)) revert UnauthorizedSubmitter(msg.sender);
        if (frozen) revert RollupFrozen();
        if (batchNumber != lastBatchNumber + 1) revert WrongBatchNumber(lastBatchNumber + 1, batchNumber);
        if (oldStateRoot != stateRoot) revert WrongPreviousRoot(stateRoot, oldStateRoot);
        if (newStateRoot >= Poseidon2.R) revert NonCanonicalRoot(newStateRoot);
    }

    /// @dev A batch consumes at most the unconsumed priority operations.
    function _checkPriorityCount(uint256 priorityCount) internal view {
        uint256 available = priorityOpCount - consumedPriorityOps;
        if (priorityCount > available) revert TooManyPriorityOps(priorityCount, available);
    }

    /// @dev The verifier must accept `proof` for the single public input `pi`; any revert of the
    /// verifier is InvalidProof(pi).
    function _verifyProof(bytes calldata proof, uint256 pi) internal view {
        try verifier.verifyProof(proof, [pi]) {}
        catch {
            revert InvalidProof(pi);
        }
    }

    /// @dev Credits a paid record's `amount` to `owner` out of `verified` (the verified collateral
    /// being updated by the caller) and returns what is left; WithdrawalExceedsState guards the
    /// accounting (a sound circuit never pays out more than the state holds).
    function _creditWithdrawal(uint64 batchNumber, uint256 accountId, address owner, uint64 amount, uint256 verified)
        internal
        returns (uint256)
    {
        if (amount > verified) revert WithdrawalExceedsState(amount, verified);
        _credit(owner, amount);
        emit WithdrawalCredited(batchNumber, accountId, owner, amount);
        unchecked {
            return verified - amount;
        }
    }

    /// @dev Frozen mode: marks `accountId` as escaped, once.
    function _markEscaped(uint256 accountId) internal {
        if (!frozen) revert NotFrozen();
        if (escaped[accountId]) revert AlreadyEscaped(accountId);
        escaped[accountId] = true;
    }
}
