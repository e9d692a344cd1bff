// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IBatchVerifier} from "./IBatchVerifier.sol";
import {Poseidon2} from "./Poseidon2.sol";
import {StateLayoutV1} from "./StateLayoutV1.sol";

/// @title zkperp rollup: collateral vault, deposit priority queue, batch verification,
/// withdrawals, forced withdrawals, freeze and escape hatch
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
/// @dev Accounting invariant (tested): collateral.balanceOf(this) == pendingDepositTotal +
/// totalWithdrawable + verifiedCollateral, where verifiedCollateral is the collateral represented
/// in the verified L2 state (consumed deposits minus credited withdrawals and escapes).
/// Re-entrancy: every entry point that a user or a token could reach is nonReentrant, so a
/// collateral token with hooks cannot call back into the rollup while it moves tokens; the
/// governance functions make no external call. deposit() pulls (and measures) the tokens before it
/// binds a new account and queues the deposit.
contract ZkPerpRollup is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    // ---- constants ------------------------------------------------------------------------------

    /// @notice Manages parameters (the verifier, through the timelock) and the operator role.
    bytes32 public constant ADMIN_ROLE = keccak256("zkperp.role.ADMIN");
    /// @notice Submits batches.
    bytes32 public constant OPERATOR_ROLE = keccak256("zkperp.role.OPERATOR");

    /// @notice "zkperp/deposit/v1" read as a big-endian integer (docs/batch-format.md, section 1).
    uint256 public constant TAG_DEPOSIT = 0x7a6b706572702f6465706f7369742f7631;
    /// @notice "zkperp/forced-withdrawal/v1" read as a big-endian integer (docs/batch-format.md, section 1).
    uint256 public constant TAG_FORCED_WITHDRAWAL = 0x7a6b706572702f666f726365642d7769746864726177616c2f7631;
    /// @notice d of gnark's BN254 twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 (state layout, section 6).
    uint256 public constant EDWARDS_D = 12181644023421730124874158521699555681764249180949974110617291017600649128846;
    /// @notice Bytes per public-data chunk: type (1) | accountA (4) | accountB (4) | amount (8) | address (20).
    uint256 public constant CHUNK_SIZE = 37;
    /// @notice Chunk type of a deposit.
    uint8 public constant CHUNK_DEPOSIT = 1;
    /// @notice Chunk type of a withdrawal.
    uint8 public constant CHUNK_WITHDRAWAL = 2;
    /// @notice Chunk type of a served (paid or refused) forced withdrawal.
    uint8 public constant CHUNK_FORCED_WITHDRAWAL = 4;
    /// @notice Trader accounts are 0 ... 2^24 - 2 (account 0 is reserved by this contract, see
    /// nextAccountId); 2^24 - 1 is the insurance fund (state layout v2), which no one can bind.
    uint256 public constant MAX_ACCOUNTS = (1 << 24) - 1;
    /// @notice Amounts and balances are below 2^63 (they are i64 collateral in the L2 state).
    uint256 public constant MAX_AMOUNT = (1 << 63) - 1;
    /// @notice Public input = SHA-256(commitmentInput) with its top three bits cleared.
    uint256 internal constant PUBLIC_INPUT_MASK = (1 << 253) - 1;
    /// @notice The verifier timelock exceeds the forced-action deadline by at least this much: a
    /// user who requests a forced withdrawal when a verifier is proposed can still freeze the rollup
    /// for this long (less one second) before the new verifier can be activated (README: rules).
    uint256 public constant REACTION_MARGIN = 1 days;

    // ---- immutables -----------------------------------------------------------------------------

    /// @notice The collateral token.
    IERC20 public immutable COLLATERAL;
    /// @notice Seconds within which a deposit must be consumed and a forced withdrawal served.
    uint256 public immutable FORCED_ACTION_DEADLINE;
    /// @notice Seconds between proposing and activating a new verifier
    /// (>= FORCED_ACTION_DEADLINE + REACTION_MARGIN).
    uint256 public immutable VERIFIER_TIMELOCK;
    /// @notice Wei a forced-withdrawal request must pay (exactly): it pays the operator for the
    /// circuit slot the request takes, so that a flood of requests costs its sender more than it
    /// costs the operator (README: capacity argument). 0 disables the fee (devnet).
    uint256 public immutable FORCED_REQUEST_FEE;
    /// @notice Poseidon2.compress(0, TAG_DEPOSIT): the hasher state after the deposit tag.
    uint256 internal immutable DEPOSIT_IV;
    /// @notice Poseidon2.compress(0, TAG_FORCED_WITHDRAWAL): the hasher state after the forced-withdrawal tag.
    uint256 internal immutable FORCED_IV;

    // ---- types ----------------------------------------------------------------------------------

    /// @notice Kinds of priority operations.
    enum OpKind {
        Deposit,
        ForcedWithdrawal
    }

    /// @notice One priority operation (index = its position in the queue): a deposit (amount pulled
    /// into the vault) or a forced withdrawal request (amount asked of the account's L2 collateral).
    /// `reclaimed`: frozen mode, the deposit was credited back or the request's fee refunded.
    struct PriorityOp {
        OpKind kind;
        address owner;
        uint64 amount;
        uint32 accountId;
        uint64 deadline;
        bool reclaimed;
    }

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

    // ---- state ----------------------------------------------------------------------------------

    /// @notice The verifier batches are checked with.
    IBatchVerifier public verifier;
    /// @notice The proposed verifier (zero when none).
    IBatchVerifier public pendingVerifier;
    /// @notice When the proposed verifier may be activated.
    uint256 public pendingVerifierEta;

    /// @notice The last verified state root.
    uint256 public stateRoot;
    /// @notice The number of the last verified batch (0 at genesis).
    uint64 public lastBatchNumber;
    /// @notice Frozen mode (final): no batches; deposit reclaims, fee refunds and escapes.
    bool public frozen;
    /// @notice keccak256 of each verified batch's info (see batchInfoHash).
    mapping(uint256 batchNumber => bytes32) public batchHashes;

    /// @notice The id the next new account gets. Starts at 1: 0 is what no-op chunks name.
    uint256 public nextAccountId;
    /// @notice The L1 owner each account is bound to (by its first deposit).
    mapping(uint256 accountId => address) public accountOwner;
    /// @notice keccak256(publicKeyX, publicKeyY) of each account's L2 key.
    mapping(uint256 accountId => bytes32) public accountKeyHash;

    /// @notice The priority queue: deposits and forced-withdrawal requests.
    mapping(uint256 index => PriorityOp) public priorityOps;
    /// @notice The rolling hash after the first `count` priority operations (priorityHashAt[0] = 0).
    mapping(uint256 count => uint256) public priorityHashAt;
    /// @notice Priority operations queued so far.
    uint256 public priorityOpCount;
    /// @notice Priority operations consumed by verified batches (always a prefix of the queue).
    uint256 public consumedPriorityOps;

    /// @notice Collateral of deposits not consumed (nor reclaimed).
    uint256 public pendingDepositTotal;
    /// @notice Sum of all pull-payment balances.
    uint256 public totalWithdrawable;
    /// @notice Collateral represented in the verified L2 state.
    uint256 public verifiedCollateral;
    /// @notice Pull-payment balances of collateral (withdrawals, served forced withdrawals, escapes,
    /// reclaimed deposits).
    mapping(address owner => uint256) public withdrawable;

    /// @notice Accounts that escaped (frozen mode, once each).
    mapping(uint256 accountId => bool) public escaped;

    /// @notice Ether balances (wei) claimable with claimFees(): forced-request fees earned by
    /// operators and fees refunded to requesters.
    mapping(address owner => uint256) public feeBalance;

    // ---- events ---------------------------------------------------------------------------------

    /// @notice A new account id was bound to its L1 owner and L2 key (by its first deposit).
    event AccountBound(uint256 indexed accountId, address indexed owner, uint256 publicKeyX, uint256 publicKeyY);
    /// @notice Deposit `index` entered the priority queue; `priorityHash` is the rolling hash after it.
    event DepositQueued(
        uint256 indexed index,
        uint256 indexed accountId,
        address indexed owner,
        uint256 publicKeyX,
        uint256 publicKeyY,
        uint64 amount,
        uint256 priorityHash,
        uint64 deadline
    );
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
    /// @notice A withdrawal or served forced-withdrawal chunk of batch `batchNumber` credited `owner`
    /// (claim with withdraw()); a refused forced withdrawal credits 0.
    event WithdrawalCredited(
        uint64 indexed batchNumber, uint256 indexed accountId, address indexed owner, uint64 amount
    );
    /// @notice A pull-payment balance was paid out.
    event Withdrawn(address indexed owner, uint256 amount);
    /// @notice Forced withdrawal request at priority-queue position `index`: a batch must serve it
    /// (pay `amount` if the account holds it, else refuse it) before `deadline`, or anyone may freeze.
    event ForcedWithdrawalRequested(
        uint256 indexed index,
        uint256 indexed accountId,
        address indexed owner,
        uint64 amount,
        uint256 priorityHash,
        uint64 deadline
    );
    /// @notice The rollup froze because priority operation `index` was left unconsumed past its deadline.
    event Frozen(address indexed by, uint256 index);
    /// @notice Frozen mode: unconsumed deposit `index` was credited back to its owner.
    event DepositReclaimed(uint256 indexed index, address indexed owner, uint64 amount);
    /// @notice Frozen mode: account `accountId` escaped; its owner was credited `amount`.
    event Escaped(uint256 indexed accountId, address indexed owner, uint64 amount);
    /// @notice A new verifier was proposed; it can be activated at `eta`.
    event VerifierProposed(address indexed verifier, uint256 eta);
    /// @notice The proposed verifier became active.
    event VerifierChanged(address indexed verifier);
    /// @notice The proposal was withdrawn.
    event VerifierProposalCancelled(address indexed verifier);
    /// @notice Batch `batchNumber` served `count` forced requests; `operator` earned their fees.
    event ForcedRequestFeesEarned(uint64 indexed batchNumber, address indexed operator, uint256 count, uint256 amount);
    /// @notice Frozen mode: the fee of unserved forced request `index` was credited back to its owner.
    event ForcedRequestFeeRefunded(uint256 indexed index, address indexed owner, uint256 amount);
    /// @notice A fee balance (wei) was paid out.
    event FeesClaimed(address indexed owner, uint256 amount);

    // ---- errors ---------------------------------------------------------------------------------

    error ZeroAddress();
    error BadDeadlines(uint256 forcedActionDeadline, uint256 verifierTimelock);
    error RollupFrozen();
    error NotFrozen();
    error InvalidAmount(uint256 amount);
    error InvalidPublicKey(uint256 x, uint256 y);
    error AccountIdOutOfRange(uint256 accountId);
    error AccountNotBound(uint256 accountId, address owner);
    error DepositCapExceeded(uint256 total, uint256 cap);
    error UnsupportedToken(uint256 expected, uint256 received);
    error UnauthorizedSubmitter(address sender);
    error WrongBatchNumber(uint64 expected, uint64 actual);
    error WrongPreviousRoot(uint256 expected, uint256 actual);
    error NonCanonicalRoot(uint256 root);
    error BadChunks(uint256 length);
    error TooManyPriorityOps(uint256 requested, uint256 available);
    error InvalidProof(uint256 publicInput);
    error WithdrawalExceedsState(uint256 amount, uint256 verifiedCollateral);
    error NothingToWithdraw();
    error NotAccountOwner(uint256 accountId, address sender);
    error DeadlineNotReached(uint256 deadline);
    error NothingOverdue();
    error UnknownDeposit(uint256 index);
    error NotADeposit(uint256 index);
    error DepositConsumed(uint256 index);
    error DepositAlreadyReclaimed(uint256 index);
    error AlreadyEscaped(uint256 accountId);
    error NegativeCollateral(int64 collateral);
    error InvalidEscapeProof(uint256 computedRoot, uint256 stateRoot);
    error NoPendingVerifier();
    error TimelockNotExpired(uint256 eta);
    error TimelockTooShort(uint256 verifierTimelock, uint256 minimum);
    error WrongForcedRequestFee(uint256 sent, uint256 required);
    error NotAForcedRequest(uint256 index);
    error FeeTransferFailed(address to, uint256 amount);

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
    ) {
        if (
            address(collateral) == address(0) || address(verifier_) == address(0) || admin == address(0)
                || operator == address(0)
        ) revert ZeroAddress();
        if (forcedActionDeadline == 0 || forcedActionDeadline > type(uint32).max) {
            revert BadDeadlines(forcedActionDeadline, verifierTimelock);
        }
        if (verifierTimelock < forcedActionDeadline + REACTION_MARGIN) {
            revert TimelockTooShort(verifierTimelock, forcedActionDeadline + REACTION_MARGIN);
        }
        COLLATERAL = collateral;
        FORCED_ACTION_DEADLINE = forcedActionDeadline;
        VERIFIER_TIMELOCK = verifierTimelock;
        FORCED_REQUEST_FEE = forcedRequestFee;
        DEPOSIT_IV = Poseidon2.compress(0, TAG_DEPOSIT);
        FORCED_IV = Poseidon2.compress(0, TAG_FORCED_WITHDRAWAL);
        verifier = verifier_;
        stateRoot = StateLayoutV1.GENESIS_STATE_ROOT;
        nextAccountId = 1;
        _setRoleAdmin(ADMIN_ROLE, ADMIN_ROLE);
        _setRoleAdmin(OPERATOR_ROLE, ADMIN_ROLE);
        _grantRole(ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, operator);
    }

    // ---- deposits -------------------------------------------------------------------------------

    /// @notice Deposits `amount` collateral quanta for L2 account `accountId` with key
    /// (publicKeyX, publicKeyY), owned by msg.sender. `accountId` is either nextAccountId (a new
    /// account, bound to msg.sender and this key) or an account already bound to exactly msg.sender
    /// and this key. Checks the account, pulls the tokens (approve first; the vault must receive
    /// exactly `amount`), and only then binds a new account and appends the deposit to the priority
    /// queue, so no call the token makes during the transfer sees the new account.
    /// @return index the deposit's position in the priority queue
    function deposit(uint256 accountId, uint256 publicKeyX, uint256 publicKeyY, uint64 amount)
        external
        nonReentrant
        returns (uint256 index)
    {
        if (frozen) revert RollupFrozen();
        if (amount == 0 || amount > MAX_AMOUNT) revert InvalidAmount(amount);
        if (!isOnCurve(publicKeyX, publicKeyY)) revert InvalidPublicKey(publicKeyX, publicKeyY);
        bytes32 keyHash = keccak256(abi.encode(publicKeyX, publicKeyY));
        bool isNew = _checkAccount(accountId, keyHash);
        _pullCollateral(amount);
        if (isNew) {
            nextAccountId = accountId + 1;
            accountOwner[accountId] = msg.sender;
            accountKeyHash[accountId] = keyHash;
            emit AccountBound(accountId, msg.sender, publicKeyX, publicKeyY);
        }
        uint64 deadline;
        uint256 h;
        (index, h, deadline) = _enqueue(
            OpKind.Deposit, accountId, amount, depositHash(accountId, msg.sender, publicKeyX, publicKeyY, amount)
        );
        pendingDepositTotal += amount;
        emit DepositQueued(index, accountId, msg.sender, publicKeyX, publicKeyY, amount, h, deadline);
    }

    /// @dev Whether `accountId` is a new account (nextAccountId, in range); otherwise checks that
    /// it is bound to exactly msg.sender and the key. Binds nothing.
    function _checkAccount(uint256 accountId, bytes32 keyHash) private view returns (bool isNew) {
        if (accountId == nextAccountId) {
            if (accountId >= MAX_ACCOUNTS) revert AccountIdOutOfRange(accountId);
            return true;
        }
        if (accountOwner[accountId] != msg.sender || accountKeyHash[accountId] != keyHash) {
            revert AccountNotBound(accountId, msg.sender);
        }
        return false;
    }

    /// @dev Pulls `amount` from msg.sender, refusing tokens that deliver another amount (measured
    /// by the vault's balance difference), and keeps the system total a valid i64.
    function _pullCollateral(uint64 amount) private {
        // Every account's collateral is at most the total in the system, so capping the total
        // keeps every balance a valid i64 and the deposit always consumable by the circuit.
        uint256 total = verifiedCollateral + pendingDepositTotal + amount;
        if (total > MAX_AMOUNT) revert DepositCapExceeded(total, MAX_AMOUNT);
        uint256 before = COLLATERAL.balanceOf(address(this));
        COLLATERAL.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = COLLATERAL.balanceOf(address(this)) - before;
        if (received != amount) revert UnsupportedToken(amount, received);
    }

    /// @dev Appends a priority operation of msg.sender; returns its index, the rolling hash after
    /// it and its deadline.
    function _enqueue(OpKind kind, uint256 accountId, uint64 amount, uint256 opHash)
        private
        returns (uint256 index, uint256 h, uint64 deadline)
    {
        index = priorityOpCount;
        h = Poseidon2.compress(priorityHashAt[index], opHash);
        priorityHashAt[index + 1] = h;
        priorityOpCount = index + 1;
        // FORCED_ACTION_DEADLINE < 2^32 (constructor), so the sum fits 64 bits for ages to come.
        // forge-lint: disable-next-line(unsafe-typecast)
        deadline = uint64(block.timestamp + FORCED_ACTION_DEADLINE);
        priorityOps[index] = PriorityOp({
            kind: kind,
            owner: msg.sender,
            amount: amount,
            accountId: SafeCast.toUint32(accountId),
            deadline: deadline,
            reclaimed: false
        });
    }

    /// @notice H(TAG_DEPOSIT, account, owner, publicKeyX, publicKeyY, amount) (docs/batch-format.md, section 2).
    function depositHash(uint256 accountId, address owner, uint256 publicKeyX, uint256 publicKeyY, uint64 amount)
        public
        view
        returns (uint256 s)
    {
        s = Poseidon2.compress(DEPOSIT_IV, accountId);
        s = Poseidon2.compress(s, StateLayoutV1.fromAddress(owner));
        s = Poseidon2.compress(s, publicKeyX);
        s = Poseidon2.compress(s, publicKeyY);
        s = Poseidon2.compress(s, amount);
    }

    /// @notice H(TAG_FORCED_WITHDRAWAL, account, owner, amount) (docs/batch-format.md, section 2).
    function forcedWithdrawalHash(uint256 accountId, address owner, uint64 amount) public view returns (uint256 s) {
        s = Poseidon2.compress(FORCED_IV, accountId);
        s = Poseidon2.compress(s, StateLayoutV1.fromAddress(owner));
        s = Poseidon2.compress(s, amount);
    }

    /// @notice Whether (x, y) is a point of gnark's BN254 twisted Edwards curve other than the
    /// identity, with canonical coordinates. (Subgroup membership is not checked here.)
    function isOnCurve(uint256 x, uint256 y) public pure returns (bool) {
        uint256 r = Poseidon2.R;
        if (x >= r || y >= r || (x == 0 && y == 1)) return false;
        uint256 x2 = mulmod(x, x, r);
        uint256 y2 = mulmod(y, y, r);
        return addmod(r - x2, y2, r) == addmod(1, mulmod(EDWARDS_D, mulmod(x2, y2, r), r), r);
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
        if (!hasRole(OPERATOR_ROLE, msg.sender)) revert UnauthorizedSubmitter(msg.sender);
        if (frozen) revert RollupFrozen();
        if (batchNumber != lastBatchNumber + 1) revert WrongBatchNumber(lastBatchNumber + 1, batchNumber);
        if (oldStateRoot != stateRoot) revert WrongPreviousRoot(stateRoot, oldStateRoot);
        if (newStateRoot >= Poseidon2.R) revert NonCanonicalRoot(newStateRoot);
        if (chunks.length == 0 || chunks.length % CHUNK_SIZE != 0) revert BadChunks(chunks.length);
        uint256 available = priorityOpCount - consumedPriorityOps;
        if (priorityCount > available) revert TooManyPriorityOps(priorityCount, available);

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
        try verifier.verifyProof(proof, [pi]) {}
        catch {
            revert InvalidProof(pi);
        }
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
        // Deposits among the operations [first, end) move from pending to the verified state;
        // forced withdrawals are paid by their chunks and their fees go to the operator.
        uint256 first = consumedPriorityOps;
        uint256 end = first + priorityCount;
        uint256 consumed;
        uint256 forced;
        for (uint256 i = first; i < end; ++i) {
            PriorityOp storage op = priorityOps[i];
            if (op.kind == OpKind.Deposit) consumed += op.amount;
            else ++forced;
        }
        consumedPriorityOps = end;
        pendingDepositTotal -= consumed;
        if (forced != 0 && FORCED_REQUEST_FEE != 0) {
            uint256 fees = forced * FORCED_REQUEST_FEE;
            _creditFee(msg.sender, fees);
            emit ForcedRequestFeesEarned(batchNumber, msg.sender, forced, fees);
        }
        verifiedCollateral = _creditWithdrawals(batchNumber, chunks, verifiedCollateral + consumed);

        stateRoot = newStateRoot;
        lastBatchNumber = batchNumber;
        bytes32 info = batchInfoHash(batchNumber, oldStateRoot, newStateRoot, priorityCount, pi, chunks);
        batchHashes[batchNumber] = info;
        emit BatchCommitted(batchNumber, oldStateRoot, newStateRoot, first, priorityCount, pi, info);
    }

    /// @dev Credits every withdrawal and forced-withdrawal chunk to its address; returns the
    /// verified collateral left.
    function _creditWithdrawals(uint64 batchNumber, bytes calldata chunks, uint256 verified) private returns (uint256) {
        uint256 credited;
        for (uint256 o; o < chunks.length; o += CHUNK_SIZE) {
            uint8 kind = uint8(chunks[o]);
            if (kind != CHUNK_WITHDRAWAL && kind != CHUNK_FORCED_WITHDRAWAL) continue;
            uint256 accountId = uint32(bytes4(chunks[o + 1:o + 5]));
            uint64 amount = uint64(bytes8(chunks[o + 9:o + 17]));
            address owner = address(bytes20(chunks[o + 17:o + 37]));
            if (amount > verified) revert WithdrawalExceedsState(amount, verified);
            unchecked {
                verified -= amount;
            }
            credited += amount;
            withdrawable[owner] += amount;
            emit WithdrawalCredited(batchNumber, accountId, owner, amount);
        }
        totalWithdrawable += credited;
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

    // ---- withdrawals ----------------------------------------------------------------------------

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

    /// @dev Credits `amount` wei to the fee balance of `owner`.
    function _creditFee(address owner, uint256 amount) private {
        feeBalance[owner] += amount;
    }

    // ---- forced withdrawals and freeze ----------------------------------------------------------

    /// @notice The owner of `accountId` asks to withdraw `amount` (0 < amount < 2^63) of its L2
    /// collateral, through the priority queue, paying exactly FORCED_REQUEST_FEE wei: the operator
    /// must serve it (the circuit pays it if the account holds it, else refuses it) within
    /// FORCED_ACTION_DEADLINE, or anyone may freeze the rollup.
    /// @return index the request's position in the priority queue
    function requestForcedWithdrawal(uint256 accountId, uint64 amount)
        external
        payable
        nonReentrant
        returns (uint256 index)
    {
        if (frozen) revert RollupFrozen();
        if (accountOwner[accountId] != msg.sender) revert NotAccountOwner(accountId, msg.sender);
        if (amount == 0 || amount > MAX_AMOUNT) revert InvalidAmount(amount);
        if (msg.value != FORCED_REQUEST_FEE) revert WrongForcedRequestFee(msg.value, FORCED_REQUEST_FEE);
        uint256 h;
        uint64 deadline;
        (index, h, deadline) =
            _enqueue(OpKind.ForcedWithdrawal, accountId, amount, forcedWithdrawalHash(accountId, msg.sender, amount));
        emit ForcedWithdrawalRequested(index, accountId, msg.sender, amount, h, deadline);
    }

    /// @notice Whether priority operation `index` has been consumed by a verified batch.
    function isPriorityOpServed(uint256 index) public view returns (bool) {
        return index < consumedPriorityOps;
    }

    /// @notice Freezes the rollup because the oldest unconsumed priority operation (a deposit or a
    /// forced withdrawal) is past its deadline. Anyone.
    function freeze() external nonReentrant {
        if (frozen) revert RollupFrozen();
        uint256 head = consumedPriorityOps;
        if (head == priorityOpCount) revert NothingOverdue();
        uint256 deadline = priorityOps[head].deadline;
        // Deadlines are days long; validators shift timestamps by seconds.
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp <= deadline) revert DeadlineNotReached(deadline);
        frozen = true;
        emit Frozen(msg.sender, head);
    }

    // ---- frozen mode ----------------------------------------------------------------------------

    /// @notice Frozen mode: credits an unconsumed deposit back to its owner (anyone may call; the
    /// funds go to the owner's pull-payment balance). Batches are impossible once frozen, so the
    /// deposit can never be consumed afterwards.
    function reclaimDeposit(uint256 index) external nonReentrant {
        PriorityOp storage d = _unconsumedOp(index);
        if (d.kind != OpKind.Deposit) revert NotADeposit(index);
        d.reclaimed = true;
        uint64 amount = d.amount;
        address owner = d.owner;
        pendingDepositTotal -= amount;
        withdrawable[owner] += amount;
        totalWithdrawable += amount;
        emit DepositReclaimed(index, owner, amount);
    }

    /// @notice Frozen mode: credits the fee of an unserved forced-withdrawal request back to its
    /// owner's fee balance (anyone may call; claim with claimFees()).
    function refundForcedRequestFee(uint256 index) external nonReentrant {
        PriorityOp storage r = _unconsumedOp(index);
        if (r.kind != OpKind.ForcedWithdrawal) revert NotAForcedRequest(index);
        r.reclaimed = true;
        _creditFee(r.owner, FORCED_REQUEST_FEE);
        emit ForcedRequestFeeRefunded(index, r.owner, FORCED_REQUEST_FEE);
    }

    /// @dev Frozen mode: priority operation `index`, queued, not consumed, not yet reclaimed or
    /// refunded (the Deposit* errors name any priority operation's index).
    function _unconsumedOp(uint256 index) private view returns (PriorityOp storage op) {
        if (!frozen) revert NotFrozen();
        if (index >= priorityOpCount) revert UnknownDeposit(index);
        if (index < consumedPriorityOps) revert DepositConsumed(index);
        op = priorityOps[index];
        if (op.reclaimed) revert DepositAlreadyReclaimed(index);
    }

    /// @notice Frozen mode: credits an account's collateral to its L1 owner, once, by a Merkle proof
    /// of its leaf against the last verified root (anyone may call; the funds go to the leaf's
    /// owner). The account must hold no positions (positionsRoot = Z6).
    function escape(EscapeProof calldata p) external nonReentrant {
        if (!frozen) revert NotFrozen();
        if (escaped[p.accountId]) revert AlreadyEscaped(p.accountId);
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
        escaped[p.accountId] = true;
        // collateral >= 0 was checked above.
        // forge-lint: disable-next-line(unsafe-typecast)
        uint64 amount = uint64(p.collateral);
        verifiedCollateral -= amount;
        withdrawable[p.l1Owner] += amount;
        totalWithdrawable += amount;
        emit Escaped(p.accountId, p.l1Owner, amount);
    }

    // ---- governance -----------------------------------------------------------------------------

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
