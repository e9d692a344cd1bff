// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IBatchVerifier} from "../IBatchVerifier.sol";
import {Poseidon2} from "../Poseidon2.sol";
import {StateLayoutV1} from "../StateLayoutV1.sol";
import {CollateralVault} from "./CollateralVault.sol";
import {RollupGovernance} from "./RollupGovernance.sol";

/// @title Accounts, the priority queue (deposits and forced-withdrawal requests) and the freeze
/// rule shared by the zkperp rollups
/// @notice L1 binds each account id to its owner and L2 key at its first deposit (ids from
/// FIRST_ACCOUNT_ID up, in order). Deposits and forced-withdrawal requests enter one queue whose
/// Poseidon2 rolling hash P (P_0 = 0, P_{i+1} = Compress(P_i, operation hash)) a batch circuit
/// consumes in order; the operation hashes are docs/batch-format.md §2's, the same in format v2
/// and v3. If the oldest unconsumed operation is past its deadline anyone may freeze the rollup
/// (final): no more batches; unconsumed deposits are reclaimable and the fees of unserved forced
/// requests refundable. A derived rollup consumes operations with _consumePriorityOps when it
/// commits a verified batch.
/// @dev Called on any L1 transaction's thread; every state-changing entry point is nonReentrant.
abstract contract PriorityQueue is RollupGovernance, CollateralVault {
    /// @notice "zkperp/deposit/v1" read as a big-endian integer (docs/batch-format.md, section 1).
    uint256 public constant TAG_DEPOSIT = 0x7a6b706572702f6465706f7369742f7631;
    /// @notice "zkperp/forced-withdrawal/v1" read as a big-endian integer (docs/batch-format.md, section 1).
    uint256 public constant TAG_FORCED_WITHDRAWAL = 0x7a6b706572702f666f726365642d7769746864726177616c2f7631;
    /// @notice d of gnark's BN254 twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 (state layout, section 6).
    uint256 public constant EDWARDS_D = 12181644023421730124874158521699555681764249180949974110617291017600649128846;
    /// @notice Trader accounts are below 2^24 - 1; 2^24 - 1 is the insurance fund (state layout
    /// v2), which no one can bind.
    uint256 public constant MAX_ACCOUNTS = (1 << 24) - 1;

    /// @notice Seconds within which a deposit must be consumed and a forced withdrawal served.
    uint256 public immutable FORCED_ACTION_DEADLINE;
    /// @notice Wei a forced-withdrawal request must pay (exactly): it pays the operator for the
    /// circuit slot the request takes, so that a flood of requests costs its sender more than it
    /// costs the operator (README: capacity argument). 0 disables the fee (devnet).
    uint256 public immutable FORCED_REQUEST_FEE;
    /// @notice Poseidon2.compress(0, TAG_DEPOSIT): the hasher state after the deposit tag.
    uint256 internal immutable DEPOSIT_IV;
    /// @notice Poseidon2.compress(0, TAG_FORCED_WITHDRAWAL): the hasher state after the forced-withdrawal tag.
    uint256 internal immutable FORCED_IV;

    /// @notice Kinds of priority operations.
    enum OpKind {
        Deposit,
        ForcedWithdrawal,
        ForcedTrade
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

    /// @notice The number of the last verified batch (0 at genesis). Kept here, in frozen's storage
    /// slot, because every commit reads both (RollupBase advances it).
    uint64 public lastBatchNumber;
    /// @notice Frozen mode (final): no batches; deposit reclaims, fee refunds and escapes.
    bool public frozen;
    /// @notice The id the next new account gets (never below the rollup's first account id).
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
    /// @notice Batch `batchNumber` served `count` forced requests; `operator` earned their fees.
    event ForcedRequestFeesEarned(uint64 indexed batchNumber, address indexed operator, uint256 count, uint256 amount);
    /// @notice Frozen mode: the fee of unserved forced request `index` was credited back to its owner.
    event ForcedRequestFeeRefunded(uint256 indexed index, address indexed owner, uint256 amount);

    error RollupFrozen();
    error NotFrozen();
    error InvalidAmount(uint256 amount);
    error InvalidPublicKey(uint256 x, uint256 y);
    error AccountIdOutOfRange(uint256 accountId);
    error AccountNotBound(uint256 accountId, address owner);
    error NotAccountOwner(uint256 accountId, address sender);
    error DeadlineNotReached(uint256 deadline);
    error NothingOverdue();
    error UnknownDeposit(uint256 index);
    error NotADeposit(uint256 index);
    error DepositConsumed(uint256 index);
    error DepositAlreadyReclaimed(uint256 index);
    error WrongForcedRequestFee(uint256 sent, uint256 required);
    error NotAForcedRequest(uint256 index);

    /// @param collateral the collateral token (6 decimals on the devnet: TestUSD)
    /// @param verifier_ the batch verifier (gnark-exported Groth16 verifier of the batch circuit)
    /// @param admin gets ADMIN_ROLE; operator gets OPERATOR_ROLE (both manageable by ADMIN_ROLE)
    /// @param forcedActionDeadline seconds, 1 ... 2^32 - 1 (7 days = 604800 in production; short on
    /// the devnet)
    /// @param verifierTimelock seconds, at least forcedActionDeadline + REACTION_MARGIN so users can
    /// leave first
    /// @param forcedRequestFee wei each forced-withdrawal request pays (0: none)
    /// @param firstAccountId the id L1 gives the first new account (the derived rollup checks it)
    constructor(
        IERC20 collateral,
        IBatchVerifier verifier_,
        address admin,
        address operator,
        uint256 forcedActionDeadline,
        uint256 verifierTimelock,
        uint256 forcedRequestFee,
        uint256 firstAccountId
    ) RollupGovernance(verifier_, admin, operator, forcedActionDeadline, verifierTimelock) CollateralVault(collateral) {
        if (address(collateral) == address(0)) revert ZeroAddress();
        FORCED_ACTION_DEADLINE = forcedActionDeadline;
        FORCED_REQUEST_FEE = forcedRequestFee;
        DEPOSIT_IV = Poseidon2.compress(0, TAG_DEPOSIT);
        FORCED_IV = Poseidon2.compress(0, TAG_FORCED_WITHDRAWAL);
        nextAccountId = firstAccountId;
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
            _bindAccount(accountId, msg.sender, publicKeyX, publicKeyY);
        }
        uint64 deadline;
        uint256 h;
        (index, h, deadline) = _enqueue(
            OpKind.Deposit,
            msg.sender,
            accountId,
            amount,
            depositHash(accountId, msg.sender, publicKeyX, publicKeyY, amount)
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

    /// @dev Binds `accountId` to `owner` and the key (AccountBound).
    function _bindAccount(uint256 accountId, address owner, uint256 publicKeyX, uint256 publicKeyY) internal {
        accountOwner[accountId] = owner;
        accountKeyHash[accountId] = keccak256(abi.encode(publicKeyX, publicKeyY));
        emit AccountBound(accountId, owner, publicKeyX, publicKeyY);
    }

    /// @dev Appends a priority operation of `owner` (who gets a refund in frozen mode); returns its
    /// index, the rolling hash after it and its deadline (every kind gets the same deadline and
    /// freeze rule).
    function _enqueue(OpKind kind, address owner, uint256 accountId, uint64 amount, uint256 opHash)
        internal
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
            owner: owner,
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
        (index, h, deadline) = _enqueue(
            OpKind.ForcedWithdrawal, msg.sender, accountId, amount, forcedWithdrawalHash(accountId, msg.sender, amount)
        );
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

    /// @dev Consumes the next `count` priority operations for verified batch `batchNumber`: their
    /// deposits leave the pending total (the caller adds `deposited` to verifiedCollateral), the
    /// fees of their forced requests go to msg.sender (the operator). Returns the first consumed
    /// index and the deposited amount.
    function _consumePriorityOps(uint64 batchNumber, uint256 count)
        internal
        returns (uint256 first, uint256 deposited)
    {
        first = consumedPriorityOps;
        uint256 end = first + count;
        uint256 forced;
        for (uint256 i = first; i < end; ++i) {
            PriorityOp storage op = priorityOps[i];
            if (op.kind == OpKind.Deposit) deposited += op.amount;
            else ++forced;
        }
        consumedPriorityOps = end;
        pendingDepositTotal -= deposited;
        if (forced != 0 && FORCED_REQUEST_FEE != 0) {
            uint256 fees = forced * FORCED_REQUEST_FEE;
            _creditFee(msg.sender, fees);
            emit ForcedRequestFeesEarned(batchNumber, msg.sender, forced, fees);
        }
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
        _credit(owner, amount);
        emit DepositReclaimed(index, owner, amount);
    }

    /// @notice Frozen mode: credits the fee of an unserved forced request (withdrawal or trade)
    /// back to its owner's fee balance (anyone may call; claim with claimFees()).
    function refundForcedRequestFee(uint256 index) external nonReentrant {
        PriorityOp storage r = _unconsumedOp(index);
        if (r.kind == OpKind.Deposit) revert NotAForcedRequest(index);
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
}
