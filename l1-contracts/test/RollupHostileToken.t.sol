// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {ZkPerpRollup} from "../src/ZkPerpRollup.sol";
import {CollateralVault} from "../src/rollup/CollateralVault.sol";
import {PriorityQueue} from "../src/rollup/PriorityQueue.sol";
import {
    FalseToken,
    FeeToken,
    HookAttacker,
    HookToken,
    MintableToken,
    ZkPerpRollupHarness
} from "./utils/RollupMocks.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

/// @notice The rollup with hostile collateral tokens (issue 19, item 11): an ERC-777-style token
/// whose hooks let the depositor call back into the rollup while it pulls or pays tokens, a
/// fee-on-transfer token and a token that returns false. Before the fix, a depositor's hook could
/// queue a forced withdrawal for the account being bound ahead of the deposit creating it: no batch
/// could ever serve it, and after the deadline anyone could freeze the rollup.
contract RollupHostileTokenTest is RollupTestBase {
    HookToken internal hook;
    ZkPerpRollupHarness internal r;
    HookAttacker internal attacker;

    function setUp() public override {
        super.setUp();
        hook = new HookToken();
        r = new ZkPerpRollupHarness(hook, verifier, ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        attacker = new HookAttacker(r, hook);
        hook.mint(address(attacker), 1_000_000);
    }

    /// The attacker's last re-entry reverted with ReentrancyGuardReentrantCall().
    function assertGuardRefused(string memory what) internal view {
        bytes memory expected = abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector);
        assertTrue(keccak256(attacker.reentryError()) == keccak256(expected), what);
    }

    function commitOn(ZkPerpRollup target, uint256 newRoot, uint32 priorityCount, bytes memory chunks) internal {
        uint64 next = target.lastBatchNumber() + 1;
        uint256 oldRoot = target.stateRoot();
        vm.prank(OPERATOR);
        target.commitBatch(next, oldRoot, newRoot, priorityCount, chunks, "");
    }

    /// The attack of item 11, with the hook swallowing the refusal: during the pull the new account
    /// is not bound yet and the re-entered requestForcedWithdrawal is refused by the guard; the
    /// deposit alone is queued, a batch consumes it, and nothing can ever freeze the rollup.
    function test_hookCannotQueueAForcedRequestAheadOfTheDepositThatCreatesTheAccount() public {
        attacker.arm(abi.encodeCall(PriorityQueue.requestForcedWithdrawal, (1, 100)), "", false, 1);
        uint256 index = attacker.deposit(1, K1X, K1Y, 1000);

        assertEq(attacker.reentries(), 1, "the hook ran during the pull");
        assertEq(attacker.nextIdSeen(), 1, "during the pull, account 1 is not assigned yet");
        assertTrue(attacker.ownerSeen() == address(0), "during the pull, account 1 has no owner");
        assertTrue(!attacker.reentrySucceeded(), "re-entry refused");
        assertGuardRefused("ReentrancyGuardReentrantCall");
        assertEq(index, 0, "the deposit is the first operation");
        assertEq(r.priorityOpCount(), 1, "no forced request was queued");
        (PriorityQueue.OpKind kind,,,,,) = r.priorityOps(0);
        assertTrue(kind == PriorityQueue.OpKind.Deposit, "op 0 is the deposit");
        assertTrue(r.accountOwner(1) == address(attacker), "bound after the pull");
        assertEq(hook.balanceOf(address(r)), 1000, "vault");

        // The queue is servable: a batch consumes the deposit and nothing is left to freeze on.
        commitOn(r, 11, 1, bytes.concat(chunk(1, 1, 0, 1000, address(attacker)), noop()));
        vm.warp(block.timestamp + DEADLINE + 1);
        vm.expectRevert(PriorityQueue.NothingOverdue.selector);
        r.freeze();
        // After its deposit, the account's own forced request is queued behind it and servable.
        uint256 forced = attacker.requestForcedWithdrawal(1, 100);
        assertEq(forced, 1, "behind the deposit");
        commitOn(r, 12, 1, bytes.concat(chunk(4, 1, 0, 100, address(attacker)), noop()));
        assertTrue(r.isPriorityOpServed(forced), "served");
    }

    /// The same attack with the hook letting the refusal propagate: the whole deposit reverts with
    /// ReentrancyGuardReentrantCall and leaves nothing behind.
    function test_revertingHookAbortsTheWholeDeposit() public {
        attacker.arm(abi.encodeCall(PriorityQueue.requestForcedWithdrawal, (1, 100)), "", true, 1);
        vm.expectRevert(ReentrancyGuard.ReentrancyGuardReentrantCall.selector);
        attacker.deposit(1, K1X, K1Y, 1000);
        assertEq(r.nextAccountId(), 1, "no account assigned");
        assertTrue(r.accountOwner(1) == address(0), "no account bound");
        assertEq(r.priorityOpCount(), 0, "nothing queued");
        assertEq(hook.balanceOf(address(attacker)), 1_000_000, "no tokens moved");
    }

    /// Every state-changing entry point, re-entered from the deposit's pull hook, is refused with
    /// ReentrancyGuardReentrantCall (the guard is checked before anything else).
    function test_everyEntryPointRefusesReentryDuringADeposit() public {
        ZkPerpRollup.EscapeProof memory p = escapeProof(1, K1X, K1Y, address(attacker), 0, 10, 0, 0);
        bytes[] memory calls = new bytes[](10);
        calls[0] = abi.encodeCall(PriorityQueue.deposit, (1, K1X, K1Y, 10));
        calls[1] = abi.encodeCall(PriorityQueue.deposit, (2, K2X, K2Y, 10));
        calls[2] = abi.encodeCall(CollateralVault.withdraw, ());
        calls[3] = abi.encodeCall(CollateralVault.claimFees, ());
        calls[4] = abi.encodeCall(PriorityQueue.requestForcedWithdrawal, (1, 1));
        calls[5] = abi.encodeCall(PriorityQueue.freeze, ());
        calls[6] = abi.encodeCall(PriorityQueue.reclaimDeposit, (0));
        calls[7] = abi.encodeCall(PriorityQueue.refundForcedRequestFee, (0));
        calls[8] = abi.encodeCall(ZkPerpRollup.escape, (p));
        calls[9] = abi.encodeCall(ZkPerpRollup.commitBatch, (1, r.stateRoot(), 7, 0, noop(), ""));
        for (uint256 i; i < calls.length; ++i) {
            attacker.arm(calls[i], "", false, 1);
            attacker.deposit(1, K1X, K1Y, 10);
            assertEq(attacker.reentries(), i + 1, "the hook ran");
            assertTrue(!attacker.reentrySucceeded(), "re-entry refused");
            assertGuardRefused("ReentrancyGuardReentrantCall");
        }
        assertEq(r.priorityOpCount(), calls.length, "only the outer deposits were queued");
        assertEq(r.nextAccountId(), 2, "only account 1 exists");
        assertEq(r.pendingDepositTotal(), 10 * calls.length, "pending");
        assertEq(hook.balanceOf(address(r)), r.pendingDepositTotal(), "vault == pending");
    }

    /// A payout (withdraw) whose recipient hook re-enters requestForcedWithdrawal and withdraw:
    /// both refused by the guard, the owner is paid once and nothing is queued.
    function test_payoutHookCannotReenter() public {
        attacker.deposit(1, K1X, K1Y, 1000);
        commitOn(
            r, 11, 1, bytes.concat(chunk(1, 1, 0, 1000, address(attacker)), chunk(2, 1, 0, 400, address(attacker)))
        );
        bytes[2] memory calls = [
            abi.encodeCall(PriorityQueue.requestForcedWithdrawal, (1, 1)), abi.encodeCall(CollateralVault.withdraw, ())
        ];
        attacker.arm("", calls[0], false, 1);
        attacker.withdraw();
        assertGuardRefused("request refused");
        assertEq(hook.balanceOf(address(attacker)), 1_000_000 - 600, "paid 400 once");
        assertEq(r.priorityOpCount(), 1, "no request queued");

        commitOn(r, 12, 0, bytes.concat(chunk(2, 1, 0, 100, address(attacker)), noop()));
        attacker.arm("", calls[1], false, 1);
        attacker.withdraw();
        assertGuardRefused("withdraw refused");
        assertEq(hook.balanceOf(address(attacker)), 1_000_000 - 500, "paid 100 once");
        assertEq(r.withdrawable(address(attacker)), 0, "cleared");
        assertEq(hook.balanceOf(address(r)), r.verifiedCollateral(), "vault == verified");
    }

    /// A rollup with collateral `t`; Alice holds 1,000 of it and has approved the rollup.
    function fundedRollup(MintableToken t) internal returns (ZkPerpRollupHarness f) {
        f = new ZkPerpRollupHarness(t, verifier, ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        t.mint(ALICE, 1000);
        vm.prank(ALICE);
        t.approve(address(f), 1000);
    }

    /// A fee-on-transfer token (moved here from ZkPerpRollup.t.sol): the balance difference is checked before the account is bound,
    /// so the refused deposit binds and queues nothing.
    function test_feeOnTransferTokenBindsNothing() public {
        FeeToken fee = new FeeToken();
        ZkPerpRollup f = fundedRollup(fee);
        vm.startPrank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(CollateralVault.UnsupportedToken.selector, 1000, 990));
        f.deposit(1, K1X, K1Y, 1000);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.NotAccountOwner.selector, 1, ALICE));
        f.requestForcedWithdrawal(1, 1);
        vm.stopPrank();
        assertEq(f.nextAccountId(), 1, "no account assigned");
        assertTrue(f.accountOwner(1) == address(0), "no account bound");
        assertEq(f.priorityOpCount(), 0, "nothing queued");
        assertEq(fee.balanceOf(ALICE), 1000, "no tokens moved");
    }

    /// A token that returns false: SafeERC20 refuses the deposit (nothing bound) and the payout
    /// (the balance stays claimable).
    function test_falseReturningTokenIsRefused() public {
        FalseToken t = new FalseToken();
        ZkPerpRollupHarness f = fundedRollup(t);
        t.setFailing(true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(t)));
        f.deposit(1, K1X, K1Y, 1000);
        assertEq(f.nextAccountId(), 1, "no account assigned");
        assertEq(f.priorityOpCount(), 0, "nothing queued");

        t.setFailing(false);
        vm.prank(ALICE);
        f.deposit(1, K1X, K1Y, 1000);
        commitOn(f, 11, 1, bytes.concat(chunk(1, 1, 0, 1000, ALICE), chunk(2, 1, 0, 400, ALICE)));
        t.setFailing(true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(t)));
        f.withdraw();
        assertEq(f.withdrawable(ALICE), 400, "still claimable");
        t.setFailing(false);
        vm.prank(ALICE);
        f.withdraw();
        assertEq(t.balanceOf(ALICE), 400, "paid once");
        assertEq(t.balanceOf(address(f)), f.verifiedCollateral(), "vault == verified");
    }
}
