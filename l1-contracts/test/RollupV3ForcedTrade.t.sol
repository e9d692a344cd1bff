// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "../src/Poseidon2.sol";
import {ZkPerpRollupV3} from "../src/ZkPerpRollupV3.sol";
import {ForcedTradeDesk} from "../src/rollup/ForcedTradeDesk.sol";
import {ForcedTradeOp} from "../src/rollup/ForcedTradeOp.sol";
import {ForcedTradeQueue} from "../src/rollup/ForcedTradeQueue.sol";
import {PriorityQueue} from "../src/rollup/PriorityQueue.sol";
import {RollupV3TestBase} from "./utils/RollupV3TestBase.sol";
import {console} from "./utils/Vm.sol";

/// @notice ZkPerpRollupV3.requestForcedTrade: the op hash against test-vectors/forced-trade.json
/// (Go: vectors/forced_trade.go), the checks L1 makes, the queue entry, and drill (b): a forced
/// trade ignored past the deadline lets anyone freeze.
contract RollupV3ForcedTradeTest is RollupV3TestBase {
    uint256 internal constant K2X = 0x12f1c64c48e891932357e9914f04cccfbbed5ded6c035d3db3a8bdcff98edd7e;
    uint256 internal constant K2Y = 0x254ff12ba521a7bdecff004ee3a6a7187c8488dc0c9454fbb7d32dbee4dc4d77;
    uint256 internal constant FEE = 0.01 ether;
    uint256 internal constant NEW_ROOT = 0x42;
    uint256 internal constant EDWARDS_ORDER =
        2736030358979909402780800718157159386076813972158567259200215660948447373041;

    function opHash(ForcedTradeOp.Request memory t, address owner) internal pure returns (uint256) {
        return ForcedTradeOp.hash(t, owner, Poseidon2.compress(0, ForcedTradeOp.TAG));
    }

    /// The rollup's desk, read before any prank (a read is a call, which would take the prank).
    ForcedTradeDesk internal desk_;

    function setUp() public override {
        super.setUp();
        desk_ = rollup.FORCED_TRADE_DESK();
    }

    function desk() internal view returns (ForcedTradeDesk) {
        return desk_;
    }

    /// Alice holds FIRST_ID, Bob FIRST_ID + 1; both deposits consumed by batch 1; the desk opened by
    /// the rollup's admin (as a deployment whose shape consumes forced trades would).
    function bindTwo() internal {
        bindTwoClosed();
        vm.prank(ADMIN);
        desk_.serveForcedTrades();
    }

    /// bindTwo without opening the desk (a deployment whose shape has no forced-trade group).
    function bindTwoClosed() internal {
        rollup = deployRollup(verifier, 0, FEE);
        desk_ = rollup.FORCED_TRADE_DESK();
        depositAs(ALICE, FIRST_ID, K1X, K1Y, 1_000);
        depositAs(BOB, FIRST_ID + 1, K2X, K2Y, 1_000);
        commit(nextHeader(NEW_ROOT, T0, 2), bytes.concat(depositRecord(), depositRecord()));
        vm.deal(ALICE, 1 ether);
    }

    function request() internal pure returns (ForcedTradeOp.Request memory t) {
        t = ForcedTradeOp.Request({
            // forge-lint: disable-next-line(unsafe-typecast)
            accountA: uint32(FIRST_ID),
            // forge-lint: disable-next-line(unsafe-typecast)
            accountB: uint32(FIRST_ID + 1),
            market: 3,
            aBuys: true,
            size: 5,
            amount: 500,
            nonce: 7,
            sigRX: 11,
            sigRY: 12,
            sigS: 13
        });
    }

    /// @notice Every case of forced-trade.json: the contract's op hash (ForcedTradeOp.hash, which
    /// requestForcedTrade queues: test_requestQueuesTheOp) equals Go's, the requester being the
    /// vector's ownerA.
    function test_opHashMatchesGoVectors() public view {
        string memory j = readVectors("forced-trade.json");
        uint256 n = jsonLength(j, ".cases");
        assertTrue(n >= 10, "at least ten cases");
        for (uint256 i; i < n; ++i) {
            string memory c = at(".cases", i);
            ForcedTradeOp.Request memory t = ForcedTradeOp.Request({
                accountA: uint32(vm.parseJsonUint(j, string.concat(c, ".accountA"))),
                accountB: uint32(vm.parseJsonUint(j, string.concat(c, ".accountB"))),
                market: uint16(vm.parseJsonUint(j, string.concat(c, ".market"))),
                aBuys: vm.parseJsonBool(j, string.concat(c, ".aBuys")),
                size: uint64(vm.parseJsonUint(j, string.concat(c, ".size"))),
                amount: uint64(vm.parseJsonUint(j, string.concat(c, ".amount"))),
                nonce: uint64(vm.parseJsonUint(j, string.concat(c, ".nonce"))),
                sigRX: vm.parseJsonUint(j, string.concat(c, ".sigRX")),
                sigRY: vm.parseJsonUint(j, string.concat(c, ".sigRY")),
                sigS: vm.parseJsonUint(j, string.concat(c, ".sigS"))
            });
            address owner = vm.parseJsonAddress(j, string.concat(c, ".ownerA"));
            assertEq(
                ForcedTradeOp.hash(t, owner, Poseidon2.compress(0, ForcedTradeOp.TAG)),
                vm.parseJsonUint(j, string.concat(c, ".opHash")),
                "op hash"
            );
        }
        assertEq(ForcedTradeOp.TAG, vm.parseJsonUint(j, ".opTag"), "tag");
        assertEq(desk().IV(), Poseidon2.compress(0, ForcedTradeOp.TAG), "the desk's IV");
    }

    /// @notice A's owner's request enters the queue with the forced-withdrawal deadline, is
    /// announced with its op hash, and extends the rolling hash by that op hash.
    /// @notice Until a rollup admin opens the desk, no request is taken (no batch could consume it,
    /// so it would freeze the rollup at its deadline), and nobody else can open it.
    function test_closedDeskRefusesRequestsAndOnlyTheAdminOpensIt() public {
        bindTwoClosed();
        ForcedTradeDesk d = desk();
        assertTrue(!d.served(), "a new desk is closed");
        uint256 count = rollup.priorityOpCount();
        vm.prank(ALICE);
        vm.expectRevert(ForcedTradeDesk.ForcedTradesNotServed.selector);
        d.requestForcedTrade{value: FEE}(request());
        assertEq(rollup.priorityOpCount(), count, "nothing queued");
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(ForcedTradeDesk.NotRollupAdmin.selector, OPERATOR));
        d.serveForcedTrades();
        assertTrue(!d.served(), "the operator cannot open it");
        vm.expectEmit(address(d));
        emit ForcedTradeDesk.ForcedTradesServed(ADMIN);
        vm.prank(ADMIN);
        d.serveForcedTrades();
        assertTrue(d.served(), "the admin opened it");
        vm.prank(ALICE);
        d.requestForcedTrade{value: FEE}(request());
        assertEq(rollup.priorityOpCount(), count + 1, "then a request is queued");
    }

    function test_requestQueuesTheOp() public {
        bindTwo();
        ForcedTradeOp.Request memory t = request();
        uint256 op = opHash(t, ALICE);
        uint256 index = rollup.priorityOpCount();
        uint256 h = Poseidon2.compress(rollup.priorityHashAt(index), op);
        // forge-lint: disable-next-line(unsafe-typecast)
        uint64 due = uint64(block.timestamp + DEADLINE);
        vm.expectEmit(address(desk()));
        emit ForcedTradeDesk.ForcedTradeRequested(index, FIRST_ID, FIRST_ID + 1, op, h, due);
        vm.prank(ALICE);
        uint256 g = gasleft();
        uint256 got = desk().requestForcedTrade{value: FEE}(t);
        console.log("requestForcedTrade execution gas", g - gasleft());
        assertEq(got, index, "index");
        assertEq(rollup.priorityOpCount(), index + 1, "queued");
        assertEq(rollup.priorityHashAt(index + 1), h, "rolling hash");
        (PriorityQueue.OpKind kind, address owner,, uint32 account, uint64 deadline,) = rollup.priorityOps(index);
        assertTrue(kind == PriorityQueue.OpKind.ForcedTrade, "kind");
        assertEq(uint160(owner), uint160(ALICE), "owner");
        assertEq(account, FIRST_ID, "account A");
        assertEq(deadline, block.timestamp + DEADLINE, "deadline");
        // another requester of the same fields is another operation
        assertTrue(opHash(t, BOB) != op, "the owner is hashed");
    }

    /// @notice EIP-3860: the rollup's creation code, which carries the desk's and the proof
    /// checker's, stays deployable (at most 49,152 bytes; anvil refuses more).
    function test_creationCodeBelowEip3860() public view {
        uint256 size = type(ZkPerpRollupV3).creationCode.length;
        console.log("ZkPerpRollupV3 creation code size (bytes)", size);
        assertTrue(size <= 49_152, "EIP-3860 initcode size limit");
    }

    /// @notice What L1 refuses, each with its typed error, leaving the queue unchanged.
    function test_badRequestsRevert() public {
        bindTwo();
        uint256 count = rollup.priorityOpCount();
        ForcedTradeOp.Request memory t = request();
        expectRequestRevert(
            BOB, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.NotAccountOwner.selector, FIRST_ID, BOB)
        );
        t = request();
        // forge-lint: disable-next-line(unsafe-typecast)
        t.accountB = uint32(FIRST_ID + 2);
        expectRequestRevert(
            ALICE, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.AccountNotBound.selector, FIRST_ID + 2)
        );
        t = request();
        t.accountB = t.accountA;
        expectRequestRevert(ALICE, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.SelfForcedTrade.selector, FIRST_ID));
        t = request();
        t.market = 64;
        expectRequestRevert(ALICE, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.MarketOutOfRange.selector, 64));
        t = request();
        t.size = 0;
        expectRequestRevert(ALICE, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.InvalidSize.selector, 0));
        t.size = uint64(1 << 55);
        expectRequestRevert(ALICE, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.InvalidSize.selector, 1 << 55));
        t = request();
        t.amount = 0;
        expectRequestRevert(ALICE, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.InvalidAmount.selector, 0));
        t.amount = uint64(1 << 63);
        expectRequestRevert(ALICE, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.InvalidAmount.selector, 1 << 63));
        t = request();
        t.nonce = 0;
        expectRequestRevert(ALICE, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.InvalidNonce.selector, 0));
        t = request();
        t.sigS = EDWARDS_ORDER;
        expectRequestRevert(
            ALICE, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.NonCanonicalSignature.selector, 11, 12, t.sigS)
        );
        t = request();
        t.sigRX = R;
        expectRequestRevert(
            ALICE, t, FEE, abi.encodeWithSelector(ForcedTradeDesk.NonCanonicalSignature.selector, R, 12, 13)
        );
        t = request();
        expectRequestRevert(ALICE, t, 0, abi.encodeWithSelector(ForcedTradeDesk.WrongForcedRequestFee.selector, 0, FEE));
        // only the desk may queue a forced trade on the rollup
        vm.expectRevert(abi.encodeWithSelector(ForcedTradeQueue.NotTheForcedTradeDesk.selector, ALICE));
        vm.prank(ALICE);
        rollup.enqueueForcedTrade{value: FEE}(ALICE, FIRST_ID, 1);
        assertEq(rollup.priorityOpCount(), count, "nothing queued");
    }

    function expectCommitRevert(ZkPerpRollupV3.BatchHeader memory h, bytes memory records, bytes memory err) internal {
        vm.expectRevert(err);
        vm.prank(OPERATOR);
        rollup.commitBatch(h, records, "");
    }

    function expectRequestRevert(address who, ForcedTradeOp.Request memory t, uint256 fee, bytes memory err) internal {
        vm.deal(who, 1 ether);
        vm.expectRevert(err);
        vm.prank(who);
        desk().requestForcedTrade{value: fee}(t);
    }

    /// @notice Drill (b): a forced trade ignored past its deadline lets anyone freeze; no batch is
    /// accepted afterwards and the request's fee is refunded. Consumed in time, it earns the fee.
    function test_ignoredForcedTradeFreezes() public {
        bindTwo();
        vm.prank(ALICE);
        uint256 f = desk().requestForcedTrade{value: FEE}(request());
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.DeadlineNotReached.selector, block.timestamp + DEADLINE));
        rollup.freeze();
        vm.warp(block.timestamp + DEADLINE + 1);
        vm.expectEmit(address(rollup));
        emit PriorityQueue.Frozen(BOB, f);
        vm.prank(BOB);
        rollup.freeze();
        expectCommitRevert(
            nextHeader(NEW_ROOT + 1, T0, 1),
            depositRecord(),
            abi.encodeWithSelector(PriorityQueue.RollupFrozen.selector)
        );
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.RollupFrozen.selector));
        vm.prank(ALICE);
        desk().requestForcedTrade{value: FEE}(request());
        rollup.refundForcedRequestFee(f);
        assertEq(rollup.feeBalance(ALICE), FEE, "fee refunded");
        vaultBalanceMatches(rollup);
    }

    /// @notice A batch holding the forced trade's record (executed, as Go's batchv3 writes it:
    /// test-vectors/forced-trade-batch.json) commits, consumes the op and earns its fee; the record
    /// credits nobody.
    function test_consumedForcedTradeEarnsTheFee() public {
        bindTwo();
        vm.prank(ALICE);
        uint256 f = desk().requestForcedTrade{value: FEE}(request());
        // the verifier double accepts any proof (the public input is still rebuilt by the rollup)
        string memory j = readVectors("forced-trade-batch.json");
        bytes memory record = vm.parseJsonBytes(j, ".cases[1].record");
        assertEq(vm.parseJsonUint(j, ".cases[1].reason"), 0, "the executed case");
        assertEq(uint8(record[0]), rollup.RECORD_FORCED_TRADE(), "a forced-trade record");
        uint256 withdrawable = rollup.totalWithdrawable();
        commit(nextHeader(NEW_ROOT + 1, T0, 1), bytes.concat(record, noopRecord()));
        assertEq(rollup.totalWithdrawable(), withdrawable, "no credit");
        assertTrue(rollup.isPriorityOpServed(f), "served");
        assertEq(rollup.feeBalance(OPERATOR), FEE, "operator earned the fee");
        vm.warp(block.timestamp + DEADLINE + 1);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.NothingOverdue.selector));
        rollup.freeze();
    }
}
