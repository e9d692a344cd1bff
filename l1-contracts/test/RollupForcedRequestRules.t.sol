// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ZkPerpRollup} from "../src/ZkPerpRollup.sol";
import {CollateralVault} from "../src/rollup/CollateralVault.sol";
import {PriorityQueue} from "../src/rollup/PriorityQueue.sol";
import {RollupGovernance} from "../src/rollup/RollupGovernance.sol";
import {EtherRefuser, ExpectedInputVerifier, ZkPerpRollupHarness} from "./utils/RollupMocks.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

/// @notice The rules that keep a forced withdrawal a real exit (issue 19, items 12 and 13): the
/// verifier timelock exceeds the forced-action deadline by REACTION_MARGIN, so a request made when
/// a verifier is proposed freezes the rollup before the verifier can be activated; a request asks
/// for a positive amount and pays FORCED_REQUEST_FEE, earned by the operator whose batch serves
/// it and refunded to the requester if the rollup freezes first.
contract RollupForcedRequestRulesTest is RollupTestBase {
    uint256 internal constant FEE = 0.002 ether;
    /// The fee rollup's operator (an account that accepts ether; OPERATOR = 0x0b is a precompile).
    address internal constant FEE_OPERATOR = address(0x0BEEF);

    ZkPerpRollupHarness internal paid;

    function setUp() public override {
        super.setUp();
        paid = new ZkPerpRollupHarness(token, verifier, ADMIN, FEE_OPERATOR, DEADLINE, TIMELOCK, FEE);
        vm.deal(ALICE, 1 ether);
        vm.deal(BOB, 1 ether);
    }

    function depositOn(ZkPerpRollup r, address who, uint256 id, uint256 x, uint256 y, uint64 amount) internal {
        vm.startPrank(who);
        token.faucet(amount);
        token.approve(address(r), amount);
        r.deposit(id, x, y, amount);
        vm.stopPrank();
    }

    function commitOn(ZkPerpRollup r, address operator, uint256 newRoot, uint32 count, bytes memory chunks) internal {
        uint64 next = r.lastBatchNumber() + 1;
        uint256 oldRoot = r.stateRoot();
        vm.prank(operator);
        r.commitBatch(next, oldRoot, newRoot, count, chunks, "");
    }

    // ---- item 12: the timelock's reaction margin ------------------------------------------------

    function test_timelockNeedsTheReactionMargin() public {
        uint256 margin = rollup.REACTION_MARGIN();
        assertEq(margin, 1 days, "one day");
        vm.expectRevert(
            abi.encodeWithSelector(RollupGovernance.TimelockTooShort.selector, DEADLINE + margin - 1, DEADLINE + margin)
        );
        new ZkPerpRollup(token, verifier, ADMIN, OPERATOR, DEADLINE, DEADLINE + margin - 1, NO_FEE);
        // The old off-by-one: deadline + 1 second.
        vm.expectRevert(
            abi.encodeWithSelector(RollupGovernance.TimelockTooShort.selector, DEADLINE + 1, DEADLINE + margin)
        );
        new ZkPerpRollup(token, verifier, ADMIN, OPERATOR, DEADLINE, DEADLINE + 1, NO_FEE);
        ZkPerpRollup r = new ZkPerpRollup(token, verifier, ADMIN, OPERATOR, DEADLINE, DEADLINE + margin, NO_FEE);
        assertEq(r.VERIFIER_TIMELOCK(), DEADLINE + margin, "the boundary is accepted");
    }

    /// With the shortest timelock allowed, a forced withdrawal requested in the proposal's block
    /// freezes the rollup REACTION_MARGIN - 1 seconds before the new verifier can be activated;
    /// once frozen, the new verifier can never commit a batch.
    function test_requestInTheProposalBlockFreezesBeforeActivation() public {
        assertEq(rollup.VERIFIER_TIMELOCK(), DEADLINE + rollup.REACTION_MARGIN(), "shortest timelock");
        depositAs(ALICE, 1, K1X, K1Y, 1000);
        commit(11, 1, bytes.concat(chunk(1, 1, 0, 1000, ALICE), noop()));
        ExpectedInputVerifier evil = new ExpectedInputVerifier();
        vm.prank(ADMIN);
        rollup.proposeVerifier(evil);
        uint256 eta = rollup.pendingVerifierEta();
        vm.prank(ALICE);
        uint256 index = rollup.requestForcedWithdrawal(1, 1000);
        (,,,, uint64 deadline,) = rollup.priorityOps(index);
        assertEq(deadline, block.timestamp + DEADLINE, "same block as the proposal");

        vm.warp(uint256(deadline) + 1);
        vm.prank(ADMIN);
        vm.expectRevert(abi.encodeWithSelector(RollupGovernance.TimelockNotExpired.selector, eta));
        rollup.activateVerifier();
        vm.prank(CAROL);
        rollup.freeze();
        assertTrue(rollup.frozen(), "frozen");
        assertEq(eta - block.timestamp, rollup.REACTION_MARGIN() - 1, "frozen a margin before eta");

        vm.warp(eta);
        vm.prank(ADMIN);
        rollup.activateVerifier();
        uint256 root = rollup.stateRoot();
        vm.prank(OPERATOR);
        vm.expectRevert(PriorityQueue.RollupFrozen.selector);
        rollup.commitBatch(2, root, 12, 1, bytes.concat(chunk(4, 1, 0, 0, ALICE), noop()), "ok");
    }

    // ---- item 13: minimum amount and fee --------------------------------------------------------

    function test_zeroAmountRequestIsRefused() public {
        depositAs(ALICE, 1, K1X, K1Y, 1000);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.InvalidAmount.selector, 0));
        rollup.requestForcedWithdrawal(1, 0);
        assertEq(rollup.priorityOpCount(), 1, "nothing queued");
        vm.prank(ALICE);
        rollup.requestForcedWithdrawal(1, 1); // the smallest request
        assertEq(rollup.priorityOpCount(), 2, "queued");
    }

    /// The fee is exact; the operator whose batch serves the requests earns their fees and claims
    /// them in ether.
    function test_feePaysTheServingOperator() public {
        assertEq(paid.FORCED_REQUEST_FEE(), FEE, "fee");
        depositOn(paid, ALICE, 1, K1X, K1Y, 1000);
        commitOn(paid, FEE_OPERATOR, 11, 1, bytes.concat(chunk(1, 1, 0, 1000, ALICE), noop()));
        vm.startPrank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.WrongForcedRequestFee.selector, 0, FEE));
        paid.requestForcedWithdrawal(1, 400);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.WrongForcedRequestFee.selector, FEE + 1, FEE));
        paid.requestForcedWithdrawal{value: FEE + 1}(1, 400);
        paid.requestForcedWithdrawal{value: FEE}(1, 400);
        paid.requestForcedWithdrawal{value: FEE}(1, 5000); // refused by the circuit, still a slot
        vm.stopPrank();
        assertEq(address(paid).balance, 2 * FEE, "fees held");
        assertEq(ALICE.balance, 1 ether - 2 * FEE, "alice paid two fees");

        vm.expectEmit(address(paid));
        emit PriorityQueue.ForcedRequestFeesEarned(2, FEE_OPERATOR, 2, 2 * FEE);
        commitOn(paid, FEE_OPERATOR, 12, 2, bytes.concat(chunk(4, 1, 0, 400, ALICE), chunk(4, 1, 0, 0, ALICE)));
        assertEq(paid.feeBalance(FEE_OPERATOR), 2 * FEE, "earned");
        assertEq(address(paid).balance, paid.feeBalance(FEE_OPERATOR), "ether == fee balances");
        // A batch without forced requests earns nothing.
        commitOn(paid, FEE_OPERATOR, 13, 0, noop());
        assertEq(paid.feeBalance(FEE_OPERATOR), 2 * FEE, "unchanged");

        vm.expectEmit(address(paid));
        emit CollateralVault.FeesClaimed(FEE_OPERATOR, 2 * FEE);
        vm.prank(FEE_OPERATOR);
        paid.claimFees();
        assertEq(FEE_OPERATOR.balance, 2 * FEE, "operator paid");
        assertEq(address(paid).balance, 0, "nothing left");
        vm.prank(FEE_OPERATOR);
        vm.expectRevert(CollateralVault.NothingToWithdraw.selector);
        paid.claimFees();
        // The collateral side is untouched by fees.
        assertEq(
            token.balanceOf(address(paid)),
            paid.pendingDepositTotal() + paid.totalWithdrawable() + paid.verifiedCollateral(),
            "vault == pending + withdrawable + verified"
        );
    }

    /// A request the operator never serves: once frozen, its fee goes back to the requester; a
    /// served request's fee stays with the operator.
    function test_unservedRequestFeeIsRefundedAfterFreeze() public {
        depositOn(paid, ALICE, 1, K1X, K1Y, 1000);
        commitOn(paid, FEE_OPERATOR, 11, 1, bytes.concat(chunk(1, 1, 0, 1000, ALICE), noop()));
        vm.prank(ALICE);
        paid.requestForcedWithdrawal{value: FEE}(1, 100); // index 1, served
        commitOn(paid, FEE_OPERATOR, 12, 1, bytes.concat(chunk(4, 1, 0, 100, ALICE), noop()));
        vm.prank(ALICE);
        uint256 ignored = paid.requestForcedWithdrawal{value: FEE}(1, 200); // index 2, ignored
        depositOn(paid, BOB, 2, K2X, K2Y, 50); // index 3
        vm.expectRevert(PriorityQueue.NotFrozen.selector);
        paid.refundForcedRequestFee(ignored);

        vm.warp(block.timestamp + DEADLINE + 1);
        paid.freeze();
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.DepositConsumed.selector, 1));
        paid.refundForcedRequestFee(1);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.NotAForcedRequest.selector, 3));
        paid.refundForcedRequestFee(3);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.UnknownDeposit.selector, 4));
        paid.refundForcedRequestFee(4);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.NotADeposit.selector, ignored));
        paid.reclaimDeposit(ignored);

        vm.expectEmit(address(paid));
        emit PriorityQueue.ForcedRequestFeeRefunded(ignored, ALICE, FEE);
        vm.prank(CAROL); // anyone; the requester is credited
        paid.refundForcedRequestFee(ignored);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.DepositAlreadyReclaimed.selector, ignored));
        paid.refundForcedRequestFee(ignored);
        assertEq(paid.feeBalance(ALICE), FEE, "refunded");
        assertEq(paid.feeBalance(FEE_OPERATOR), FEE, "the served one stays earned");
        assertEq(address(paid).balance, paid.feeBalance(ALICE) + paid.feeBalance(FEE_OPERATOR), "ether == fee balances");

        vm.prank(ALICE);
        paid.claimFees();
        assertEq(ALICE.balance, 1 ether - FEE, "alice paid for the served request only");
    }

    /// An operator that refuses ether cannot be paid: the claim reverts and its balance stays.
    function test_feeClaimByARecipientThatRefusesEther() public {
        address refuser = address(new EtherRefuser());
        ZkPerpRollupHarness r = new ZkPerpRollupHarness(token, verifier, ADMIN, refuser, DEADLINE, TIMELOCK, FEE);
        depositOn(r, ALICE, 1, K1X, K1Y, 1000);
        vm.prank(ALICE);
        r.requestForcedWithdrawal{value: FEE}(1, 100);
        commitOn(r, refuser, 11, 2, bytes.concat(chunk(1, 1, 0, 1000, ALICE), chunk(4, 1, 0, 100, ALICE)));
        vm.prank(refuser);
        vm.expectRevert(abi.encodeWithSelector(CollateralVault.FeeTransferFailed.selector, refuser, FEE));
        r.claimFees();
        assertEq(r.feeBalance(refuser), FEE, "still claimable");
        assertEq(address(r).balance, FEE, "still held");
    }

    /// A flood of N requests, each the smallest allowed, costs its sender N fees and pays the
    /// operator N fees once served: the operator is paid for every circuit slot the flood takes.
    function testFuzz_floodPaysTheOperatorPerSlot(uint8 n) public {
        uint256 count = 1 + uint256(n) % 32;
        address flooder = address(0xF100D);
        vm.deal(flooder, count * FEE);
        depositOn(paid, flooder, 1, K1X, K1Y, 1);
        for (uint256 i; i < count; ++i) {
            vm.prank(flooder);
            paid.requestForcedWithdrawal{value: FEE}(1, 1);
        }
        assertEq(flooder.balance, 0, "the flood cost count fees");
        bytes memory chunks = chunk(1, 1, 0, 1, flooder);
        for (uint256 i; i < count; ++i) {
            chunks = bytes.concat(chunks, chunk(4, 1, 0, i == 0 ? 1 : 0, flooder));
        }
        commitOn(paid, FEE_OPERATOR, 11, SafeCast.toUint32(count + 1), chunks);
        assertEq(paid.feeBalance(FEE_OPERATOR), count * FEE, "one fee per slot");
        assertEq(address(paid).balance, count * FEE, "held until claimed");
    }
}
