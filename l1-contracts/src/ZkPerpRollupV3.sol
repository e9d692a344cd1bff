// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {EscapeV2} from "./EscapeV2.sol";
import {IBatchVerifier} from "./IBatchVerifier.sol";
import {Poseidon2} from "./Poseidon2.sol";
import {StateLayoutV2} from "./StateLayoutV2.sol";
import {ForcedTradeOp} from "./rollup/ForcedTradeOp.sol";
import {ForcedTradeQueue} from "./rollup/ForcedTradeQueue.sol";
import {LayoutV2ProofChecker} from "./rollup/LayoutV2ProofChecker.sol";
import {PriorityQueue} from "./rollup/PriorityQueue.sol";
import {RollupBase} from "./rollup/RollupBase.sol";

/// @title zkperp rollup for batch format v3 over state layout v2: trades, oracle and funding ticks
/// and the collateral transactions, with the escape hatch with positions
/// @notice Shares the vault, the priority queue (deposits and forced-withdrawal requests, the same
/// operation hashes and Poseidon2 chain P as format v2), the freeze rule and the verifier timelock
/// with ZkPerpRollup (src/rollup/), and queues forced trades requested on its desk
/// (ForcedTradeQueue, FORCED_TRADE_DESK; a batch shape with a forced-trade group consumes them, each
/// with a RECORD_FORCED_TRADE record). What is its own:
/// - a deployment genesis: a layout v2 state root (markets, oracle signers and possibly accounts
///   exist from the start), the first account id L1 assigns (ids below it are the genesis state's:
///   their owners bind themselves with bindGenesisAccount by a proof against the verified root),
///   and the collateral the genesis state holds, paid into the vault once with fundGenesis before
///   the first batch;
/// - commitBatch takes the format v3 header (docs/batch-format.md, "Format v3", "Commitment and
///   public input": old root, new root, batch number, batch time T, priority hash before and
///   after, priority count) and the records (RECORD_SIZE bytes per step, execution order), checks
///   every header field against its own storage and the clock, rebuilds the commitment bytes
///   exactly as Go's batchv3 CommitmentBytes, and checks the proof of SHA-256(commitment) with its
///   top three bits cleared; each withdrawal (type 2) and forced-withdrawal (type 4) record credits
///   its owner; trades, forced trades, ticks, transfers and deposits change nothing else on L1;
/// - escape with positions in frozen mode (EscapeV2.payout against the last verified root), each
///   account once, credited min(owed, the verified collateral left): first come, first served.
/// @dev Accounting invariant (tested): COLLATERAL.balanceOf(this) == pendingDepositTotal +
/// totalWithdrawable + verifiedCollateral. Every entry point a user or a token can reach is
/// nonReentrant. Called on any L1 transaction's thread.
contract ZkPerpRollupV3 is RollupBase, ForcedTradeQueue {
    /// @notice Commitment header bytes: old root (32) | new root (32) | batch number (8) | batch time (8)
    /// | priority hash before (32) | after (32) | priority count (4).
    uint256 public constant HEADER_SIZE = 148;
    /// @notice Bytes per record (W of a shape with trade slots: a trade's 35 bytes; every other
    /// record is zero-padded to it). The verifier's shape must have trade slots.
    uint256 public constant RECORD_SIZE = 35;
    /// @notice Record type of a withdrawal: 2 | account u24 | amount u64 | l1Owner (20).
    uint8 public constant RECORD_WITHDRAWAL = 2;
    /// @notice Record type of a served forced withdrawal: 4 | account u24 | paid u64 | l1Owner (20).
    uint8 public constant RECORD_FORCED_WITHDRAWAL = 4;
    /// @notice Record type of a forced trade, executed or proven invalid (ForcedTradeOp.RECORD_TYPE:
    /// 12 | accountA u24 | accountB u24 | market u8 | side u8 | size u64 | amount u64 | reason u8).
    /// It moves no collateral on L1; the batch consumes its priority operation like any other.
    uint8 public constant RECORD_FORCED_TRADE = ForcedTradeOp.RECORD_TYPE;

    /// @notice The deployment's initial layout v2 state.
    /// @param stateRoot its root (< r)
    /// @param firstAccountId the id of the first account L1 assigns, 1 ... 2^24 - 2: every account of
    /// the genesis state is below it (except the insurance fund, 2^24 - 1)
    /// @param collateral Σ collateral of the genesis state's accounts (< 2^63), paid in with fundGenesis
    struct Genesis {
        uint256 stateRoot;
        uint256 firstAccountId;
        uint256 collateral;
    }

    /// @notice A format v3 batch's header, in commitment order.
    struct BatchHeader {
        uint64 batchNumber;
        uint256 oldStateRoot;
        uint256 newStateRoot;
        uint64 batchTime;
        uint256 priorityHashBefore;
        uint256 priorityHashAfter;
        uint32 priorityCount;
    }

    /// @notice The genesis state root.
    uint256 public immutable GENESIS_STATE_ROOT;
    /// @notice The first account id L1 assigns; lower ids are the genesis state's accounts.
    uint256 public immutable FIRST_ACCOUNT_ID;
    /// @notice The collateral the genesis state holds (paid in by fundGenesis).
    uint256 public immutable GENESIS_COLLATERAL;
    /// @notice The layout v2 proof checks (escape payout, account proofs), deployed by the
    /// constructor: an external contract keeps this one under EIP-170.
    LayoutV2ProofChecker public immutable PROOF_CHECKER;

    /// @notice Whether GENESIS_COLLATERAL is in the vault (batches need it).
    bool public genesisFunded;
    /// @notice The batch time T of the last verified batch (0 at genesis); T never decreases.
    uint64 public lastBatchTime;

    /// @notice The genesis collateral was paid into the vault by `funder`.
    event GenesisFunded(address indexed funder, uint256 amount);
    /// @notice Batch `batchNumber` (time `batchTime`) was verified; it consumed priority operations
    /// [firstPriorityOp, firstPriorityOp + priorityCount).
    event BatchCommitted(
        uint64 indexed batchNumber,
        uint256 oldStateRoot,
        uint256 newStateRoot,
        uint64 batchTime,
        uint256 firstPriorityOp,
        uint32 priorityCount,
        uint256 publicInput,
        bytes32 batchHash
    );
    /// @notice Frozen mode: account `accountId` escaped, owed `owed` by EscapeV2; its owner was
    /// credited `credited` = min(owed, the verified collateral left).
    event Escaped(uint256 indexed accountId, address indexed owner, uint256 owed, uint256 credited);

    error BadGenesis(uint256 stateRoot, uint256 firstAccountId, uint256 collateral);
    error GenesisNotFunded();
    error GenesisAlreadyFunded();
    error BatchTimeInFuture(uint64 batchTime, uint256 blockTime);
    error BatchTimeDecreased(uint64 batchTime, uint64 lastBatchTime);
    error BadRecords(uint256 length);
    error WrongPriorityHash(uint256 count, uint256 expected, uint256 actual);
    error NotAGenesisAccount(uint256 accountId, uint256 firstAccountId);
    error AccountAlreadyBound(uint256 accountId);
    error InvalidAccountProof(uint256 computedRoot, uint256 stateRoot);

    /// @param collateral the collateral token
    /// @param verifier_ the gnark-exported verifier of the deployment's format v3 shape (its
    /// circuit holds this rollup's chain id and address as constants)
    /// @param admin gets ADMIN_ROLE; operator gets OPERATOR_ROLE
    /// @param genesis the initial layout v2 state (see Genesis)
    /// @param forcedActionDeadline seconds, 1 ... 2^32 - 1
    /// @param verifierTimelock seconds, at least forcedActionDeadline + REACTION_MARGIN
    /// @param forcedRequestFee wei each forced-withdrawal request pays (0: none)
    constructor(
        IERC20 collateral,
        IBatchVerifier verifier_,
        address admin,
        address operator,
        Genesis memory genesis,
        uint256 forcedActionDeadline,
        uint256 verifierTimelock,
        uint256 forcedRequestFee
    )
        PriorityQueue(
            collateral,
            verifier_,
            admin,
            operator,
            forcedActionDeadline,
            verifierTimelock,
            forcedRequestFee,
            genesis.firstAccountId
        )
    {
        if (
            genesis.stateRoot >= Poseidon2.R || genesis.firstAccountId == 0 || genesis.firstAccountId >= MAX_ACCOUNTS
                || genesis.collateral > MAX_AMOUNT
        ) revert BadGenesis(genesis.stateRoot, genesis.firstAccountId, genesis.collateral);
        GENESIS_STATE_ROOT = genesis.stateRoot;
        FIRST_ACCOUNT_ID = genesis.firstAccountId;
        GENESIS_COLLATERAL = genesis.collateral;
        PROOF_CHECKER = new LayoutV2ProofChecker();
        stateRoot = genesis.stateRoot;
        genesisFunded = genesis.collateral == 0;
    }

    // ---- genesis --------------------------------------------------------------------------------

    /// @notice Pays GENESIS_COLLATERAL (pulled from the caller, approve first; the vault must
    /// receive exactly that) into the verified state, once. Anyone.
    function fundGenesis() external nonReentrant {
        if (genesisFunded) revert GenesisAlreadyFunded();
        _pullCollateral(GENESIS_COLLATERAL);
        genesisFunded = true;
        verifiedCollateral += GENESIS_COLLATERAL;
        emit GenesisFunded(msg.sender, GENESIS_COLLATERAL);
    }

    /// @notice Binds a genesis account (id below FIRST_ACCOUNT_ID) to the L1 owner and key of its
    /// leaf, proven against the last verified state root, so that its owner can deposit to it and
    /// request forced withdrawals. Anyone; once per account. Sound from any verified root: an
    /// account's owner and key never change once it exists, and no id below FIRST_ACCOUNT_ID is
    /// ever created after genesis (L1 assigns new ids from FIRST_ACCOUNT_ID up).
    function bindGenesisAccount(StateLayoutV2.AccountProof calldata p) external nonReentrant {
        if (frozen) revert RollupFrozen();
        uint256 id = p.accountId;
        if (id >= FIRST_ACCOUNT_ID) revert NotAGenesisAccount(id, FIRST_ACCOUNT_ID);
        if (accountOwner[id] != address(0)) revert AccountAlreadyBound(id);
        address owner = p.identity.l1Owner;
        if (owner == address(0)) revert ZeroAddress();
        uint256 root = PROOF_CHECKER.accountStateRoot(p);
        if (root != stateRoot) revert InvalidAccountProof(root, stateRoot);
        _bindAccount(id, owner, p.identity.publicKeyX, p.identity.publicKeyY);
    }

    // ---- batches --------------------------------------------------------------------------------

    /// @notice Commits and verifies a format v3 batch: batch number = last + 1, old root = the
    /// stored root, new root canonical, lastBatchTime <= T <= block.timestamp, records a non-empty
    /// multiple of RECORD_SIZE bytes, priority count <= the unconsumed operations, priority hash
    /// before = the chain after the consumed operations and after = the chain after `count` more;
    /// then the verifier must accept the proof for publicInput(h, records). Effects: the operations
    /// are consumed (deposits into the verified collateral, forced requests' fees to msg.sender),
    /// each withdrawal and forced-withdrawal record credits its owner, the root, number and time
    /// are stored. Operator only; nothing changes on any refusal.
    /// @param records S records of RECORD_SIZE bytes in execution order (Go: Witness.Records)
    /// @param proof what the shape's verifier takes
    function commitBatch(BatchHeader calldata h, bytes calldata records, bytes calldata proof) external nonReentrant {
        _checkHeader(h.batchNumber, h.oldStateRoot, h.newStateRoot);
        if (!genesisFunded) revert GenesisNotFunded();
        // T is the engine's clock, seconds; bounded by the block's time, not compared to it exactly.
        // forge-lint: disable-next-line(block-timestamp)
        if (h.batchTime > block.timestamp) revert BatchTimeInFuture(h.batchTime, block.timestamp);
        if (h.batchTime < lastBatchTime) revert BatchTimeDecreased(h.batchTime, lastBatchTime);
        if (records.length == 0 || records.length % RECORD_SIZE != 0) revert BadRecords(records.length);
        _checkPriorityCount(h.priorityCount);
        uint256 first = consumedPriorityOps;
        uint256 end = first + h.priorityCount;
        if (h.priorityHashBefore != priorityHashAt[first]) {
            revert WrongPriorityHash(first, priorityHashAt[first], h.priorityHashBefore);
        }
        if (h.priorityHashAfter != priorityHashAt[end]) {
            revert WrongPriorityHash(end, priorityHashAt[end], h.priorityHashAfter);
        }
        uint256 pi = publicInput(h, records);
        _verifyProof(proof, pi);
        _applyBatch(h, records, pi);
    }

    /// @dev The L1 effects of a verified batch.
    function _applyBatch(BatchHeader calldata h, bytes calldata records, uint256 pi) private {
        (uint256 first, uint256 deposited) = _consumePriorityOps(h.batchNumber, h.priorityCount);
        verifiedCollateral = _creditRecords(h.batchNumber, records, verifiedCollateral + deposited);
        stateRoot = h.newStateRoot;
        lastBatchNumber = h.batchNumber;
        lastBatchTime = h.batchTime;
        bytes32 info = batchInfoHash(h, pi, records);
        batchHashes[h.batchNumber] = info;
        emit BatchCommitted(
            h.batchNumber, h.oldStateRoot, h.newStateRoot, h.batchTime, first, h.priorityCount, pi, info
        );
    }

    /// @dev Credits every withdrawal and forced-withdrawal record to its owner; returns the
    /// verified collateral left.
    function _creditRecords(uint64 batchNumber, bytes calldata records, uint256 verified) private returns (uint256) {
        for (uint256 o; o < records.length; o += RECORD_SIZE) {
            uint8 kind = uint8(records[o]);
            if (kind != RECORD_WITHDRAWAL && kind != RECORD_FORCED_WITHDRAWAL) continue;
            uint256 accountId = uint24(bytes3(records[o + 1:o + 4]));
            uint64 amount = uint64(bytes8(records[o + 4:o + 12]));
            address owner = address(bytes20(records[o + 12:o + 32]));
            verified = _creditWithdrawal(batchNumber, accountId, owner, amount, verified);
        }
        return verified;
    }

    /// @notice The commitment bytes (Go: batchv3 Witness.CommitmentBytes): old root | new root |
    /// batch number (u64) | batch time (u64) | priority hash before | after | priority count (u32) |
    /// records, big-endian.
    function commitment(BatchHeader calldata h, bytes calldata records) public pure returns (bytes memory) {
        return abi.encodePacked(
            h.oldStateRoot,
            h.newStateRoot,
            h.batchNumber,
            h.batchTime,
            h.priorityHashBefore,
            h.priorityHashAfter,
            h.priorityCount,
            records
        );
    }

    /// @notice The circuit's public input: SHA-256(commitment(h, records)) with the top three bits cleared.
    function publicInput(BatchHeader calldata h, bytes calldata records) public pure returns (uint256) {
        return uint256(sha256(commitment(h, records))) & PUBLIC_INPUT_MASK;
    }

    /// @notice The hash stored per batch: keccak256 of its header, public input and keccak256 of its records.
    function batchInfoHash(BatchHeader calldata h, uint256 pi, bytes calldata records) public pure returns (bytes32) {
        return keccak256(abi.encode(h, pi, keccak256(records)));
    }

    // ---- escape -------------------------------------------------------------------------------

    /// @notice Frozen mode: credits what an account is owed with its positions (EscapeV2.payout:
    /// collateral + funding + value of each position at the proven market leaves, 0 if negative)
    /// to its proven L1 owner, once, capped at the verified collateral left (first come, first
    /// served). Anyone may submit the proof; the insurance fund cannot escape.
    /// @return credited the amount credited to the owner's pull-payment balance
    function escape(EscapeV2.Proof calldata p) external nonReentrant returns (uint256 credited) {
        uint256 id = p.account.accountId;
        _markEscaped(id);
        (uint256 owed,) = PROOF_CHECKER.payout(stateRoot, p);
        uint256 pool = verifiedCollateral;
        credited = owed < pool ? owed : pool;
        verifiedCollateral = pool - credited;
        address owner = p.account.identity.l1Owner;
        _credit(owner, credited);
        emit Escaped(id, owner, owed, credited);
    }
}
