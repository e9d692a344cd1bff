// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {TestUSD} from "../src/TestUSD.sol";
import {ZkPerpRollup} from "../src/ZkPerpRollup.sol";
import {AcceptAllVerifier} from "./utils/RollupMocks.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice Drives the rollup with random deposits, forced-withdrawal requests, batches (consuming
/// the priority queue in order — deposits credited, forced withdrawals paid or refused by a model
/// of the L2 balances — with a withdrawal the model allows), withdrawals, and once in a while a
/// freeze followed by reclaims; keeps ghost totals of its own.
contract RollupHandler is TestBase {
    ZkPerpRollup public immutable rollup;
    TestUSD public immutable token;
    address public immutable operator;

    uint256 internal constant ACTORS = 3;
    // Keys of test-vectors/batches.json and eddsa.json (on the curve).
    uint256[3] internal keyX = [
        0x2cd2f2defa4fe4b3c59d8390ea31f0816854d16d15b9bf771ec0ddc687a6e107,
        0x12f1c64c48e891932357e9914f04cccfbbed5ded6c035d3db3a8bdcff98edd7e,
        0x0a9ea421192d00507c9b85a325e151629b5c9145711d83df94a463f1c8b8e406
    ];
    uint256[3] internal keyY = [
        0x054be65d0192c1390ab7db955bc7fac1ffb871e72c19dea631e316955bdaf199,
        0x254ff12ba521a7bdecff004ee3a6a7187c8488dc0c9454fbb7d32dbee4dc4d77,
        0x09f5086382fa88d80ce7ab80c44389718e13aeffd88e533c1d76dd29a68e67b9
    ];

    mapping(uint256 actor => uint256) public accountOf; // 0 = none yet
    mapping(uint256 accountId => uint256) public l2Balance; // model of the verified L2 state
    uint256[] internal queueAccount;
    uint256[] internal queueAmount;
    bool[] internal queueForced; // false: deposit; true: forced-withdrawal request
    uint256 public consumed;
    uint256 public forcedPaid;
    uint256 public forcedRefused;

    uint256 public ghostPending;
    uint256 public ghostWithdrawable;
    uint256 public ghostVerified;
    uint256 public ghostPaidOut;
    uint256 public ghostDeposited;
    uint256 public calls;
    uint256 public freezes;
    uint256 public reclaims;

    constructor(ZkPerpRollup r, TestUSD t, address op) {
        rollup = r;
        token = t;
        operator = op;
    }

    function actor(uint256 i) public pure returns (address) {
        return address(SafeCast.toUint160(0x1000 + i));
    }

    function deposit(uint256 actorSeed, uint256 amountSeed) external {
        if (rollup.frozen()) return;
        uint256 a = actorSeed % ACTORS;
        uint64 amount = SafeCast.toUint64(1 + amountSeed % 1e12);
        uint256 id = accountOf[a] == 0 ? rollup.nextAccountId() : accountOf[a];
        vm.startPrank(actor(a));
        token.faucet(amount);
        token.approve(address(rollup), amount);
        rollup.deposit(id, keyX[a], keyY[a], amount);
        vm.stopPrank();
        accountOf[a] = id;
        queueAccount.push(id);
        queueAmount.push(amount);
        queueForced.push(false);
        ghostPending += amount;
        ghostDeposited += amount;
        ++calls;
    }

    /// A bound account's owner asks for up to twice what it may hold (some requests are refused).
    function requestForced(uint256 actorSeed, uint256 amountSeed) external {
        if (rollup.frozen()) return;
        uint256 a = actorSeed % ACTORS;
        uint256 id = accountOf[a];
        if (id == 0) return;
        uint64 amount = SafeCast.toUint64(1 + amountSeed % (2 * l2Balance[id] + 2));
        vm.prank(actor(a));
        rollup.requestForcedWithdrawal(id, amount);
        queueAccount.push(id);
        queueAmount.push(amount);
        queueForced.push(true);
        ++calls;
    }

    function commit(uint256 countSeed, uint256 withdrawSeed, uint256 rootSeed) external {
        if (rollup.frozen()) return;
        uint256 pending = queueAccount.length - consumed;
        uint256 count = countSeed % (pending < 2 ? pending + 1 : 3);
        bytes memory chunks;
        for (uint256 i; i < count; ++i) {
            uint256 id = queueAccount[consumed + i];
            if (queueForced[consumed + i]) {
                // the circuit's rule: pay the amount if the account holds it, else refuse (0)
                uint256 want = queueAmount[consumed + i];
                uint256 paid = want <= l2Balance[id] ? want : 0;
                chunks = bytes.concat(
                    chunks,
                    abi.encodePacked(
                        uint8(4), SafeCast.toUint32(id), uint32(0), SafeCast.toUint64(paid), rollup.accountOwner(id)
                    )
                );
                l2Balance[id] -= paid;
                ghostVerified -= paid;
                ghostWithdrawable += paid;
                if (paid == 0 && want != 0) ++forcedRefused;
                else ++forcedPaid;
                continue;
            }
            chunks = bytes.concat(
                chunks,
                abi.encodePacked(
                    uint8(1),
                    SafeCast.toUint32(id),
                    uint32(0),
                    SafeCast.toUint64(queueAmount[consumed + i]),
                    rollup.accountOwner(id)
                )
            );
            l2Balance[id] += queueAmount[consumed + i];
            ghostPending -= queueAmount[consumed + i];
            ghostVerified += queueAmount[consumed + i];
        }
        consumed += count;
        // one withdrawal of a random account, up to its modelled balance
        uint256 a = withdrawSeed % ACTORS;
        uint256 wid = accountOf[a];
        if (wid != 0 && l2Balance[wid] > 0) {
            uint256 amount = (withdrawSeed >> 8) % (l2Balance[wid] + 1);
            chunks = bytes.concat(
                chunks,
                abi.encodePacked(uint8(2), SafeCast.toUint32(wid), uint32(0), SafeCast.toUint64(amount), actor(a))
            );
            l2Balance[wid] -= amount;
            ghostVerified -= amount;
            ghostWithdrawable += amount;
        }
        if (chunks.length == 0) chunks = new bytes(37); // a no-op slot
        uint64 next = rollup.lastBatchNumber() + 1;
        uint256 oldRoot = rollup.stateRoot();
        vm.prank(operator);
        rollup.commitBatch(next, oldRoot, rootSeed % 2 ** 250, SafeCast.toUint32(count), chunks, "");
        ++calls;
    }

    function withdraw(uint256 actorSeed) external {
        address who = actor(actorSeed % ACTORS);
        uint256 amount = rollup.withdrawable(who);
        if (amount == 0) return;
        vm.prank(who);
        rollup.withdraw();
        ghostWithdrawable -= amount;
        ghostPaidOut += amount;
        ++calls;
    }

    /// Rarely: let the oldest deposit go overdue, freeze, and reclaim every pending deposit.
    function freezeAndReclaim(uint256 seed) external {
        if (rollup.frozen() || seed % 32 != 0 || consumed == queueAccount.length) return;
        vm.warp(block.timestamp + rollup.FORCED_ACTION_DEADLINE() + 1);
        rollup.freeze();
        for (uint256 i = consumed; i < queueAccount.length; ++i) {
            if (queueForced[i]) continue; // a request holds no funds
            rollup.reclaimDeposit(i);
            ghostPending -= queueAmount[i];
            ghostWithdrawable += queueAmount[i];
            ++reclaims;
        }
        ++freezes;
        ++calls;
    }

    function l2Total() external view returns (uint256 s) {
        for (uint256 a; a < ACTORS; ++a) {
            if (accountOf[a] != 0) s += l2Balance[accountOf[a]];
        }
    }
}

/// @notice Invariant: the vault's collateral always equals pending deposits + withdrawable
/// balances + the collateral represented in the verified state, both as the contract tracks them
/// and as the handler's independent model does.
contract RollupInvariantTest is TestBase {
    RollupHandler internal handler;
    ZkPerpRollup internal rollup;
    TestUSD internal token;

    function setUp() public {
        token = new TestUSD();
        address op = address(0x0B);
        rollup = new ZkPerpRollup(token, new AcceptAllVerifier(), address(0xAD), op, 7 days, 8 days, 0);
        handler = new RollupHandler(rollup, token, op);
    }

    /// Forge fuzzes only the handler.
    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(handler);
    }

    function invariant_vaultEqualsPendingPlusWithdrawablePlusVerified() public view {
        uint256 vault = token.balanceOf(address(rollup));
        assertEq(
            vault,
            rollup.pendingDepositTotal() + rollup.totalWithdrawable() + rollup.verifiedCollateral(),
            "contract's accounting"
        );
        assertEq(rollup.pendingDepositTotal(), handler.ghostPending(), "pending");
        assertEq(rollup.totalWithdrawable(), handler.ghostWithdrawable(), "withdrawable");
        assertEq(rollup.verifiedCollateral(), handler.ghostVerified(), "verified");
        assertEq(handler.ghostVerified(), handler.l2Total(), "verified == sum of modelled L2 balances");
        assertEq(vault + handler.ghostPaidOut(), handler.ghostDeposited(), "nothing created or lost");
    }
}
