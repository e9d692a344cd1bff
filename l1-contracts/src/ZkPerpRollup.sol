// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IBatchVerifier} from "./IBatchVerifier.sol";
import {StateLayoutV1} from "./StateLayoutV1.sol";
import {PriorityQueue} from "./rollup/PriorityQueue.sol";
import {RollupBase} from "./rollup/RollupBase.sol";

/// @title zkperp rollup (batch format v2 over state layout v1): collateral vault, deposit priority
/// queue, batch verification, withdrawals, forced withdrawals, freeze and escape hatch
/// @notice One ERC-20 collateral (set at deployment). Deposits and forced-withdrawal requests enter
/// one priority queue whose Poseidon2 rolling hash the batch circuit consumes in order
/// (docs/batch-format.md, section 2); the operator commits batches with a Groth16 proof of the
/// public input this contract recomputes from its own stored values and the calldata; withdrawals
/// and served forced withdrawals in a batch credit pull-payment balances. If the operator leaves a
/// priority operation unconsumed past its deadline, anyone can freeze the rollup: no more batches;
/// unconsumed deposits are reclaimable, the fees of unserved forced requests refundable, and every
/// account without positions can escape with its collateral, exactly once, by a Merkle proof
/// against the last verified state root.
/// Forced-withdrawal requests pay FORCED_REQUEST_FEE (wei), earned by the operator whose batch
/// serves them and refunded to the requester if the rollup freezes first.
/// The queue, the vault, the governance and the batch-chain rules are shared with ZkPerpRollupV3
/// (src/rollup/: PriorityQueue, CollateralVault, RollupGovernance, RollupBase); this contract adds
/// the format v2 batch (37-byte chunks) and the layout v1 escape.
/// @dev Accounting invariant (tested): collateral.balanceOf(this) == pendingDepositTotal +
/// totalWithdrawable + verifiedCollateral, where verifiedCollateral is the collateral represented
/// in the verified L2 state (consumed deposits minus credited withdrawals and escapes).
/// Re-entrancy: every entry point that a user or a token could reach is nonReentrant, so a
/// collateral token with hooks cannot call back into the rollup while it moves tokens; the
/// governance functions make no external call. deposit() pulls (and measures) the tokens before it
/// binds a new account and queues the deposit. Called on any L1 transaction's thread.
contract ZkPerpRollup is RollupBase {
    /// @notice Bytes per public-data chunk: type (1) | accountA (4) | accountB (4) | amount (8) | address (20).
    uint256 public constant CHUNK_SIZE = 37;
    /// @notice Chunk type of a deposit.
    uint8 public constant CHUNK_DEPOSIT = 1;
    /// @notice Chunk type of a withdrawal.
    uint8 public constant CHUNK_WITHDRAWAL = 2;
    /// @notice Chunk type of a served (paid or refused) forced withdrawal.
    uint8 public constant CHUNK_FORCED_WITHDRAWAL = 4;

    /// @notice An account leaf and its path to the state root, for the escape hatch. Positions are
    /// out of scope in this version: the leaf's positionsRoot must be the empty Z6.
    struct EscapeProof {
        uint256 accountId;
        uint256 publicKeyX;
        uint256 publicKeyY;
        address l1Owner;
        uint64 nonce;
        int64 collateral;
        uint256 fillsRoot;
        uint256[] accountSiblings;
        uint256 marketsRoot;
        uint256 globalLeaf;
    }

    /// @notice Batch `batchNumber` was verified; it consumed priority operations
    /// [firstPriorityOp, firstPriorityOp + priorityCount).
    event BatchCommitted(
        uint64 indexed batchNumber,
        uint256 oldStateRoot,
        uint256 newStateRoot,
        uint256 firstPriorityOp,
        uint32 priorityCount,
        uint256 publicInput,
        bytes32 batchHash
    );
    /// @notice Frozen mode: account `accountId` escaped; its owner was credited `amount`.
    event Escaped(uint256 indexed accountId, address indexed owner, uint64 amount);

    error BadChunks(uint256 length);
    error NegativeCollateral(int64 collateral);
    error InvalidEscapeProof(uint256 computedRoot, uint256 stateRoot);

    /// @param collateral the collateral token (6 decimals on the devnet: TestUSD)
    /// @param verifier_ the batch verifier (gnark-exported Groth16 verifier of the batch circuit)
    /// @param admin gets ADMIN_ROLE; operator gets OPERATOR_ROLE (both manageable by ADMIN_ROLE)
    /// @param forcedActionDeadline seconds, 1 ... 2^32 - 1 (7 days = 604800 in production; short on
    /// the devnet)
    /// @param verifierTimelock seconds, at least forcedActionDeadline + REACTION_MARGIN so users can
    /// leave first
    /// @param forcedRequestFee wei each forced-withdrawal request pays (0: none)
    constructor(
        IERC20 collateral,
        IBatchVerifier verifier_,
        address admin,
        address operator,
        uint256 forcedActionDeadline,
        uint256 verifierTimelock,
        uint256 forcedRequestFee
    )
        // Ids start at 1: account 0 is what no-op chunks name and is never assigned by L1.
        PriorityQueue(
            collateral, verifier_, admin, operator, forcedActionDeadline, verifierTimelock, forcedRequestFee, 1
        )
    {
        stateRoot = StateLayoutV1.GENESIS_STATE_ROOT;
    }

    // ---- batches --------------------------------------------------------------------------------

    /// @notice Commits and verifies batch `batchNumber`: the public input is recomputed from the
    /// stored root, the stored priority hashes (before: after the consumed operations; after: after
    /// `priorityCount` more) and the calldata, and checked with the verifier; then the priority
    /// operations are consumed, each withdrawal or forced-withdrawal chunk credits its address, the
    /// fees of the consumed forced requests are credited to msg.sender (feeBalance), and the new
    /// root is stored.
    /// @param oldStateRoot must equal the stored root (an early, explicit check; it is also in
    /// the public input)
    /// @param chunks the batch's public data, 37 bytes per slot (docs/batch-format.md, section 2)
    function commitBatch(
        uint64 batchNumber,
        uint256 oldStateRoot,
        uint256 newStateRoot,
        uint32 priorityCount,
        bytes calldata chunks,
        bytes calldata proof
    ) external nonReentrant {
        _checkHeader(batchNumber, oldStateRoot, newStateRoot);
        if (chunks.length == 0 || chunks.length % CHUNK_SIZE != 0) revert BadChunks(chunks.length);
        _checkPriorityCount(priorityCount);

        uint256 pi = _verifyBatch(batchNumber, oldStateRoot, newStateRoot, priorityCount, chunks, proof);
        _applyBatch(batchNumber, oldStateRoot, newStateRoot, priorityCount, chunks, pi);
    }

    /// @dev Recomputes the public input from the stored priority hashes and checks the proof.
    function _verifyBatch(
        uint64 batchNumber,
        uint256 oldStateRoot,
        uint256 newStateRoot,
        uint32 priorityCount,
        bytes calldata chunks,
        bytes calldata proof
    ) private view returns (uint256 pi) {
        uint256 first = consumedPriorityOps;
        pi = publicInput(
            oldStateRoot,
            newStateRoot,
            batchNumber,
            priorityHashAt[first],
            priorityHashAt[first + priorityCount],
            priorityCount,
            chunks
        );
        _verifyProof(proof, pi);
    }

    /// @dev The L1 effects of a verified batch.
    function _applyBatch(
        uint64 batchNumber,
        uint256 oldStateRoot,
        uint256 newStateRoot,
        uint32 priorityCount,
        bytes calldata chunks,
        uint256 pi
    ) private {
        // Deposits among the consumed operations move from pending to the verified state; forced
        // withdrawals are paid by their chunks and their fees go to the operator.
        (uint256 first, uint256 deposited) = _consumePriorityOps(batchNumber, priorityCount);
        verifiedCollateral = _creditWithdrawals(batchNumber, chunks, verifiedCollateral + deposited);

        stateRoot = newStateRoot;
        lastBatchNumber = batchNumber;
        bytes32 info = batchInfoHash(batchNumber, oldStateRoot, newStateRoot, priorityCount, pi, chunks);
        batchHashes[batchNumber] = info;
        emit BatchCommitted(batchNumber, oldStateRoot, newStateRoot, first, priorityCount, pi, info);
    }

    /// @dev Credits every withdrawal and forced-withdrawal chunk to its address; returns the
    /// verified collateral left.
    function _creditWithdrawals(uint64 batchNumber, bytes calldata chunks, uint256 verified) private returns (uint256) {
        for (uint256 o; o < chunks.length; o += CHUNK_SIZE) {
            uint8 kind = uint8(chunks[o]);
            if (kind != CHUNK_WITHDRAWAL && kind != CHUNK_FORCED_WITHDRAWAL) continue;
            uint256 accountId = uint32(bytes4(chunks[o + 1:o + 5]));
            uint64 amount = uint64(bytes8(chunks[o + 9:o + 17]));
            address owner = address(bytes20(chunks[o + 17:o + 37]));
            verified = _creditWithdrawal(batchNumber, accountId, owner, amount, verified);
        }
        return verified;
    }

    /// @notice The circuit's public input: SHA-256(oldStateRoot | newStateRoot | batchNumber (u64) |
    /// priorityHashBefore | priorityHashAfter | priorityCount (u32) | chunks) with the top three bits cleared.
    function publicInput(
        uint256 oldStateRoot,
        uint256 newStateRoot,
        uint64 batchNumber,
        uint256 priorityHashBefore,
        uint256 priorityHashAfter,
        uint32 priorityCount,
        bytes calldata chunks
    ) public pure returns (uint256) {
        bytes memory commitment = abi.encodePacked(
            oldStateRoot, newStateRoot, batchNumber, priorityHashBefore, priorityHashAfter, priorityCount, chunks
        );
        return uint256(sha256(commitment)) & PUBLIC_INPUT_MASK;
    }

    /// @notice The hash stored per batch: keccak256 of its number, roots, priority count, public
    /// input and keccak256 of its chunks.
    function batchInfoHash(
        uint64 batchNumber,
        uint256 oldStateRoot,
        uint256 newStateRoot,
        uint32 priorityCount,
        uint256 pi,
        bytes calldata chunks
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(batchNumber, oldStateRoot, newStateRoot, priorityCount, pi, keccak256(chunks)));
    }

    // ---- escape -------------------------------------------------------------------------------

    /// @notice Frozen mode: credits an account's collateral to its L1 owner, once, by a Merkle proof
    /// of its leaf against the last verified root (anyone may call; the funds go to the leaf's
    /// owner). The account must hold no positions (positionsRoot = Z6).
    function escape(EscapeProof calldata p) external nonReentrant {
        _markEscaped(p.accountId);
        if (p.collateral < 0) revert NegativeCollateral(p.collateral);
        uint256 leaf = StateLayoutV1.accountLeaf(
            StateLayoutV1.Account({
                publicKeyX: p.publicKeyX,
                publicKeyY: p.publicKeyY,
                l1Owner: p.l1Owner,
                nonce: p.nonce,
                collateral: p.collateral,
                positionsRoot: StateLayoutV1.EMPTY_POSITIONS_ROOT,
                fillsRoot: p.fillsRoot
            })
        );
        uint256 root = StateLayoutV1.stateRoot(
            StateLayoutV1.computeAccountsRoot(leaf, p.accountId, p.accountSiblings), p.marketsRoot, p.globalLeaf
        );
        if (root != stateRoot) revert InvalidEscapeProof(root, stateRoot);
        // collateral >= 0 was checked above.
        // forge-lint: disable-next-line(unsafe-typecast)
        uint64 amount = uint64(p.collateral);
        verifiedCollateral -= amount;
        _credit(p.l1Owner, amount);
        emit Escaped(p.accountId, p.l1Owner, amount);
    }
}
