// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IBatchVerifier} from "../src/IBatchVerifier.sol";
import {Poseidon2} from "../src/Poseidon2.sol";
import {StateLayoutV1} from "../src/StateLayoutV1.sol";
import {TestUSD} from "../src/TestUSD.sol";
import {ZkPerpRollup} from "../src/ZkPerpRollup.sol";
import {CollateralVault} from "../src/rollup/CollateralVault.sol";
import {PriorityQueue} from "../src/rollup/PriorityQueue.sol";
import {RollupBase} from "../src/rollup/RollupBase.sol";
import {RollupGovernance} from "../src/rollup/RollupGovernance.sol";
import {ExpectedInputVerifier, ReentrantToken, ZkPerpRollupHarness} from "./utils/RollupMocks.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";
import {console} from "./utils/Vm.sol";

/// @notice Unit and fuzz tests of ZkPerpRollup (with a verifier that accepts every proof unless
/// stated; the real Groth16 proof is in RollupRealProof.t.sol): deployment, TestUSD, deposits and
/// the priority hash (against the golden batches), batches, withdrawals, forced withdrawals,
/// freeze, reclaim, escape, governance, re-entrancy; each custom error.
contract ZkPerpRollupTest is RollupTestBase {
    // ---- deployment -----------------------------------------------------------------------------

    function test_genesis() public view {
        assertEq(rollup.stateRoot(), StateLayoutV1.GENESIS_STATE_ROOT, "genesis root");
        assertEq(rollup.lastBatchNumber(), 0, "batch 0");
        assertEq(rollup.nextAccountId(), 1, "account 0 is reserved");
        assertEq(rollup.priorityHashAt(0), 0, "h0 = 0");
        assertTrue(rollup.hasRole(rollup.ADMIN_ROLE(), ADMIN), "admin");
        assertTrue(rollup.hasRole(rollup.OPERATOR_ROLE(), OPERATOR), "operator");
        assertTrue(!rollup.hasRole(rollup.OPERATOR_ROLE(), ADMIN), "admin is not operator");
        assertEq(rollup.FORCED_ACTION_DEADLINE(), DEADLINE, "deadline");
        assertEq(rollup.VERIFIER_TIMELOCK(), TIMELOCK, "timelock");
        assertTrue(address(rollup.COLLATERAL()) == address(token), "collateral");
    }

    /// EIP-170: the rollup must stay deployable (runtime code <= 24,576 bytes).
    function test_codeSizeBelowEip170() public {
        ZkPerpRollup r = new ZkPerpRollup(token, verifier, ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        console.log("ZkPerpRollup runtime code size (bytes)", address(r).code.length);
        assertTrue(address(r).code.length <= 24_576, "EIP-170 code size limit");
    }

    function test_constructorRejectsBadParameters() public {
        vm.expectRevert(abi.encodeWithSelector(RollupGovernance.TimelockTooShort.selector, DEADLINE, DEADLINE + 1 days));
        new ZkPerpRollup(token, verifier, ADMIN, OPERATOR, DEADLINE, DEADLINE, NO_FEE);
        uint256 tooLong = uint256(type(uint32).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(RollupGovernance.BadDeadlines.selector, tooLong, tooLong + 1 days));
        new ZkPerpRollup(token, verifier, ADMIN, OPERATOR, tooLong, tooLong + 1 days, NO_FEE);
        vm.expectRevert(abi.encodeWithSelector(RollupGovernance.BadDeadlines.selector, 0, TIMELOCK));
        new ZkPerpRollup(token, verifier, ADMIN, OPERATOR, 0, TIMELOCK, NO_FEE);
        vm.expectRevert(RollupGovernance.ZeroAddress.selector);
        new ZkPerpRollup(IERC20(address(0)), verifier, ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        vm.expectRevert(RollupGovernance.ZeroAddress.selector);
        new ZkPerpRollup(token, IBatchVerifier(address(0)), ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        vm.expectRevert(RollupGovernance.ZeroAddress.selector);
        new ZkPerpRollup(token, verifier, ADMIN, address(0), DEADLINE, TIMELOCK, NO_FEE);
    }

    function test_testUsd() public {
        assertEq(token.decimals(), 6, "6 decimals");
        vm.prank(CAROL);
        token.faucet(5e6);
        assertEq(token.balanceOf(CAROL), 5e6, "faucet");
        uint256 limit = token.FAUCET_LIMIT();
        vm.expectRevert(abi.encodeWithSelector(TestUSD.FaucetLimitExceeded.selector, limit + 1, limit));
        token.faucet(limit + 1);
    }

    // ---- deposits and the priority queue ------------------------------------------------------

    /// The golden batch "deposits": account 5 (0xaa..01, 1,000,000) then account 9 (0xaa..02, 50)
    /// from genesis; the contract's rolling hash must be the batch's priorityHashAfter, and its
    /// public input for that batch the golden one.
    function test_priorityHashMatchesGoldenBatch() public {
        string memory j = readVectors("batches.json");
        rollup.setNextAccountIdForTest(5);
        depositAs(ALICE, 5, K1X, K1Y, 1_000_000);
        rollup.setNextAccountIdForTest(9);
        depositAs(BOB, 9, K2X, K2Y, 50);
        assertEq(rollup.priorityHashAt(0), vm.parseJsonUint(j, ".batches[0].priorityHashBefore"), "h0");
        assertEq(rollup.priorityHashAt(2), vm.parseJsonUint(j, ".batches[0].priorityHashAfter"), "h2");
        // Batch 3 deposits 7 more to account 5: its priorityHashAfter extends h2.
        depositAs(ALICE, 5, K1X, K1Y, 7);
        assertEq(rollup.priorityHashAt(3), vm.parseJsonUint(j, ".batches[2].priorityHashAfter"), "h3");
        assertEq(
            rollup.priorityHashAt(1),
            Poseidon2.compress(0, rollup.depositHash(5, ALICE, K1X, K1Y, 1_000_000)),
            "h1 = Compress(0, H(deposit))"
        );
    }

    /// The public input of every valid golden batch, from its fields, equals the golden one
    /// (and SHA-256 of its commitmentInput).
    function test_publicInputMatchesGoldenBatches() public view {
        string memory j = readVectors("batches.json");
        for (uint256 i; i < 3; ++i) {
            string memory b = at(".batches", i);
            bytes memory ci = vm.parseJsonBytes(j, string.concat(b, ".commitmentInput"));
            bytes memory chunks = new bytes(ci.length - 140);
            for (uint256 k; k < chunks.length; ++k) {
                chunks[k] = ci[140 + k];
            }
            uint256 pi = rollup.publicInput(
                vm.parseJsonUint(j, string.concat(b, ".oldStateRoot")),
                vm.parseJsonUint(j, string.concat(b, ".newStateRoot")),
                uint64(vm.parseJsonUint(j, string.concat(b, ".batchNumber"))),
                vm.parseJsonUint(j, string.concat(b, ".priorityHashBefore")),
                vm.parseJsonUint(j, string.concat(b, ".priorityHashAfter")),
                uint32(vm.parseJsonUint(j, string.concat(b, ".priorityCount"))),
                chunks
            );
            uint256 expected = vm.parseJsonUint(j, string.concat(b, ".publicInput"));
            assertEq(pi, expected, "public input");
            assertEq(uint256(sha256(ci)) & ((1 << 253) - 1), expected, "sha256(commitmentInput)");
        }
    }

    function test_depositBindsAndCredits() public {
        vm.startPrank(ALICE);
        token.faucet(150);
        token.approve(address(rollup), 150);
        uint256 g = gasleft();
        uint256 i0 = rollup.deposit(1, K1X, K1Y, 100);
        console.log("deposit gas, new account (external call)", g - gasleft());
        g = gasleft();
        uint256 i1 = rollup.deposit(1, K1X, K1Y, 50); // existing account, same owner and key
        console.log("deposit gas, existing account (external call)", g - gasleft());
        vm.stopPrank();
        assertEq(i0, 0, "first index");
        assertTrue(rollup.accountOwner(1) == ALICE, "bound owner");
        assertEq(rollup.nextAccountId(), 2, "next id");
        assertEq(i1, 1, "second index");
        assertEq(rollup.nextAccountId(), 2, "no new account");
        assertEq(rollup.pendingDepositTotal(), 150, "pending");
        assertEq(token.balanceOf(address(rollup)), 150, "vault");
        (PriorityQueue.OpKind kind, address owner, uint64 amount, uint32 accountId, uint64 deadline, bool reclaimed) =
            rollup.priorityOps(1);
        assertTrue(kind == PriorityQueue.OpKind.Deposit, "a deposit");
        assertTrue(owner == ALICE && amount == 50 && accountId == 1 && !reclaimed, "deposit record");
        assertEq(deadline, block.timestamp + DEADLINE, "deadline");
        assertEq(
            rollup.priorityHashAt(2),
            Poseidon2.compress(rollup.priorityHashAt(1), rollup.depositHash(1, ALICE, K1X, K1Y, 50)),
            "rolling hash"
        );
        vaultBalanceMatches();
    }

    function test_depositRejects() public {
        depositAs(ALICE, 1, K1X, K1Y, 100);
        vm.startPrank(BOB);
        token.faucet(1000);
        token.approve(address(rollup), 1000);
        // someone else's account
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.AccountNotBound.selector, 1, BOB));
        rollup.deposit(1, K1X, K1Y, 10);
        // an id that is not the next one
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.AccountNotBound.selector, 3, BOB));
        rollup.deposit(3, K2X, K2Y, 10);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.InvalidAmount.selector, 0));
        rollup.deposit(2, K2X, K2Y, 0);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.InvalidAmount.selector, uint256(1) << 63));
        rollup.deposit(2, K2X, K2Y, uint64(1) << 63);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.InvalidPublicKey.selector, K2X, K2Y + 1));
        rollup.deposit(2, K2X, K2Y + 1, 10);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.InvalidPublicKey.selector, 0, 1));
        rollup.deposit(2, 0, 1, 10);
        vm.stopPrank();
        // the right owner with another key
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.AccountNotBound.selector, 1, ALICE));
        rollup.deposit(1, K2X, K2Y, 10);
    }

    function test_depositAccountIdOutOfRange() public {
        // 2^24 - 1 is the insurance fund's account (state layout v2): never bound to a depositor
        uint256 fund = (1 << 24) - 1;
        assertEq(rollup.MAX_ACCOUNTS(), fund, "MAX_ACCOUNTS");
        rollup.setNextAccountIdForTest(fund);
        vm.startPrank(ALICE);
        token.faucet(10);
        token.approve(address(rollup), 10);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.AccountIdOutOfRange.selector, fund));
        rollup.deposit(fund, K1X, K1Y, 10);
        vm.stopPrank();
        // the last trader account is still accepted
        rollup.setNextAccountIdForTest(fund - 1);
        vm.startPrank(ALICE);
        token.approve(address(rollup), 10);
        rollup.deposit(fund - 1, K1X, K1Y, 10);
        vm.stopPrank();
        assertTrue(rollup.accountOwner(fund - 1) == ALICE, "last trader account bound");
    }

    function test_depositCap() public {
        uint256 max = rollup.MAX_AMOUNT();
        rollup.setGenesisForTest(StateLayoutV1.GENESIS_STATE_ROOT, 0, 0, 0, max - 5);
        vm.startPrank(ALICE);
        token.faucet(6);
        token.approve(address(rollup), 6);
        vm.expectRevert(abi.encodeWithSelector(CollateralVault.DepositCapExceeded.selector, max + 1, max));
        rollup.deposit(1, K1X, K1Y, 6);
        rollup.deposit(1, K1X, K1Y, 5); // exactly the cap
        vm.stopPrank();
    }

    function test_curveCheck() public view {
        string memory j = readVectors("eddsa.json");
        for (uint256 i; i < 8; ++i) {
            string memory k = at(".keys", i);
            uint256 x = vm.parseJsonUint(j, string.concat(k, ".publicKeyX"));
            uint256 y = vm.parseJsonUint(j, string.concat(k, ".publicKeyY"));
            assertTrue(rollup.isOnCurve(x, y), "golden key on the curve");
            assertTrue(!rollup.isOnCurve(x, y + 1), "perturbed key");
            assertTrue(!rollup.isOnCurve(x + R, y), "non-canonical x");
        }
        assertEq(rollup.EDWARDS_D(), vm.parseJsonUint(j, ".curve.d"), "d");
        assertTrue(rollup.isOnCurve(K1X, K1Y) && rollup.isOnCurve(K2X, K2Y), "batch keys");
        assertTrue(!rollup.isOnCurve(0, 0), "no key");
        assertTrue(!rollup.isOnCurve(0, 1), "identity");
    }

    /// Random coordinates are (overwhelmingly) not on the curve; canonical ones never revert.
    function testFuzz_curveCheckRejectsRandomPoints(uint256 x, uint256 y) public view {
        vm.assume(!(x == K1X && y == K1Y));
        assertTrue(!rollup.isOnCurve(x, y), "random point");
    }

    // ---- batches --------------------------------------------------------------------------------

    function test_commitBatchConsumesDepositsAndCreditsWithdrawals() public {
        depositAs(ALICE, 1, K1X, K1Y, 1000);
        depositAs(BOB, 2, K2X, K2Y, 400);
        depositAs(ALICE, 1, K1X, K1Y, 5); // stays pending
        bytes memory chunks = bytes.concat(
            chunk(1, 1, 0, 1000, ALICE),
            chunk(1, 2, 0, 400, BOB),
            chunk(2, 2, 0, 150, BOB),
            chunk(3, 1, 2, 9, address(0))
        );
        commit(123, 2, chunks);
        assertEq(rollup.stateRoot(), 123, "root");
        assertEq(rollup.lastBatchNumber(), 1, "batch number");
        assertEq(rollup.consumedPriorityOps(), 2, "consumed");
        assertEq(rollup.pendingDepositTotal(), 5, "pending");
        assertEq(rollup.verifiedCollateral(), 1250, "verified");
        assertEq(rollup.withdrawable(BOB), 150, "credited");
        uint256 pi =
            rollup.publicInput(StateLayoutV1.GENESIS_STATE_ROOT, 123, 1, 0, rollup.priorityHashAt(2), 2, chunks);
        assertEq(
            uint256(rollup.batchHashes(1)),
            uint256(rollup.batchInfoHash(1, StateLayoutV1.GENESIS_STATE_ROOT, 123, 2, pi, chunks)),
            "batch hash"
        );
        vaultBalanceMatches();

        vm.prank(BOB);
        uint256 g = gasleft();
        rollup.withdraw();
        console.log("withdraw gas (external call)", g - gasleft());
        assertEq(token.balanceOf(BOB), 150, "paid");
        assertEq(rollup.withdrawable(BOB), 0, "balance cleared");
        vaultBalanceMatches();
        vm.prank(BOB);
        vm.expectRevert(CollateralVault.NothingToWithdraw.selector);
        rollup.withdraw();
    }

    /// The events an indexer reads: deposit, account binding, batch, withdrawal credit, payout.
    function test_events() public {
        vm.startPrank(ALICE);
        token.faucet(1000);
        token.approve(address(rollup), 1000);
        uint256 h1 = Poseidon2.compress(0, rollup.depositHash(1, ALICE, K1X, K1Y, 1000));
        uint64 deadline = SafeCast.toUint64(block.timestamp + DEADLINE);
        vm.expectEmit(address(rollup));
        emit PriorityQueue.AccountBound(1, ALICE, K1X, K1Y);
        vm.expectEmit(address(rollup));
        emit PriorityQueue.DepositQueued(0, 1, ALICE, K1X, K1Y, 1000, h1, deadline);
        rollup.deposit(1, K1X, K1Y, 1000);
        vm.stopPrank();

        bytes memory chunks = bytes.concat(chunk(1, 1, 0, 1000, ALICE), chunk(2, 1, 0, 250, ALICE));
        uint256 g = StateLayoutV1.GENESIS_STATE_ROOT;
        uint256 pi = rollup.publicInput(g, 77, 1, 0, h1, 1, chunks);
        bytes32 info = rollup.batchInfoHash(1, g, 77, 1, pi, chunks);
        vm.expectEmit(address(rollup));
        emit RollupBase.WithdrawalCredited(1, 1, ALICE, 250);
        vm.expectEmit(address(rollup));
        emit ZkPerpRollup.BatchCommitted(1, g, 77, 0, 1, pi, info);
        vm.prank(OPERATOR);
        rollup.commitBatch(1, g, 77, 1, chunks, "");

        vm.expectEmit(address(rollup));
        emit CollateralVault.Withdrawn(ALICE, 250);
        vm.prank(ALICE);
        rollup.withdraw();
    }

    function test_commitBatchRejects() public {
        depositAs(ALICE, 1, K1X, K1Y, 1000);
        bytes memory chunks = bytes.concat(chunk(1, 1, 0, 1000, ALICE), noop());
        uint256 root = rollup.stateRoot();

        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.UnauthorizedSubmitter.selector, ALICE));
        rollup.commitBatch(1, root, 7, 1, chunks, "");

        vm.startPrank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.WrongBatchNumber.selector, 1, 2));
        rollup.commitBatch(2, root, 7, 1, chunks, "");
        vm.expectRevert(abi.encodeWithSelector(RollupBase.WrongPreviousRoot.selector, root, 6));
        rollup.commitBatch(1, 6, 7, 1, chunks, "");
        vm.expectRevert(abi.encodeWithSelector(RollupBase.NonCanonicalRoot.selector, R));
        rollup.commitBatch(1, root, R, 1, chunks, "");
        vm.expectRevert(abi.encodeWithSelector(ZkPerpRollup.BadChunks.selector, 0));
        rollup.commitBatch(1, root, 7, 1, "", "");
        vm.expectRevert(abi.encodeWithSelector(ZkPerpRollup.BadChunks.selector, 75));
        rollup.commitBatch(1, root, 7, 1, bytes.concat(chunks, hex"00"), "");
        vm.expectRevert(abi.encodeWithSelector(RollupBase.TooManyPriorityOps.selector, 2, 1));
        rollup.commitBatch(1, root, 7, 2, chunks, "");
        // withdrawing more than the verified state holds
        bytes memory over = bytes.concat(chunk(1, 1, 0, 1000, ALICE), chunk(2, 1, 0, 1001, ALICE));
        vm.expectRevert(abi.encodeWithSelector(CollateralVault.WithdrawalExceedsState.selector, 1001, 1000));
        rollup.commitBatch(1, root, 7, 1, over, "");

        rollup.commitBatch(1, root, 7, 1, chunks, "");
        // replay
        vm.expectRevert(abi.encodeWithSelector(RollupBase.WrongBatchNumber.selector, 2, 1));
        rollup.commitBatch(1, root, 7, 1, chunks, "");
        vm.stopPrank();
    }

    function test_commitBatchRejectsInvalidProof() public {
        ExpectedInputVerifier v = new ExpectedInputVerifier();
        ZkPerpRollup r = new ZkPerpRollup(token, v, ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        bytes memory chunks = bytes.concat(noop(), noop());
        uint256 g = StateLayoutV1.GENESIS_STATE_ROOT;
        uint256 pi = r.publicInput(g, 7, 1, 0, 0, 0, chunks);
        v.accept(pi);
        vm.startPrank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, pi));
        r.commitBatch(1, g, 7, 0, chunks, "bad");
        // another new root is another public input
        uint256 pi8 = r.publicInput(g, 8, 1, 0, 0, 0, chunks);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, pi8));
        r.commitBatch(1, g, 8, 0, chunks, "ok");
        r.commitBatch(1, g, 7, 0, chunks, "ok");
        vm.stopPrank();
        assertEq(r.stateRoot(), 7, "committed");
    }

    function test_roles() public {
        bytes32 op = rollup.OPERATOR_ROLE();
        bytes32 adminRole = rollup.ADMIN_ROLE();
        vm.prank(ADMIN);
        rollup.grantRole(op, CAROL);
        uint256 genesis = rollup.stateRoot();
        vm.prank(CAROL);
        rollup.commitBatch(1, genesis, 7, 0, noop(), "");
        vm.prank(ADMIN);
        rollup.revokeRole(op, CAROL);
        uint256 root = rollup.stateRoot();
        vm.prank(CAROL);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.UnauthorizedSubmitter.selector, CAROL));
        rollup.commitBatch(2, root, 8, 0, noop(), "");
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, OPERATOR, adminRole)
        );
        vm.prank(OPERATOR);
        rollup.grantRole(op, CAROL);
    }

    /// Fuzz: any deposit amount, any withdrawal up to it, through a batch: exact ERC-20 balances.
    function testFuzz_depositBatchWithdraw(uint64 amount, uint64 withdrawal, uint256 newRoot) public {
        amount = uint64(1 + (amount % token.FAUCET_LIMIT()));
        withdrawal = withdrawal % (amount + 1);
        newRoot = newRoot % R;
        depositAs(ALICE, 1, K1X, K1Y, amount);
        commit(newRoot, 1, bytes.concat(chunk(1, 1, 0, amount, ALICE), chunk(2, 1, 0, withdrawal, CAROL)));
        assertEq(rollup.verifiedCollateral(), amount - withdrawal, "verified");
        vaultBalanceMatches();
        if (withdrawal > 0) {
            vm.prank(CAROL);
            rollup.withdraw();
        }
        assertEq(token.balanceOf(CAROL), withdrawal, "paid exactly");
        assertEq(token.balanceOf(address(rollup)), amount - withdrawal, "vault");
        vaultBalanceMatches();
    }

    // ---- forced withdrawals, freeze, reclaim ----------------------------------------------------

    function test_forcedWithdrawalIgnoredFreezes() public {
        depositAs(ALICE, 1, K1X, K1Y, 1000);
        commit(11, 1, bytes.concat(chunk(1, 1, 0, 1000, ALICE), noop()));
        vm.prank(BOB);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.NotAccountOwner.selector, 1, BOB));
        rollup.requestForcedWithdrawal(1, 400);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.InvalidAmount.selector, uint256(1) << 63));
        rollup.requestForcedWithdrawal(1, uint64(1) << 63);
        vm.prank(ALICE);
        uint256 index = rollup.requestForcedWithdrawal(1, 400);
        assertEq(index, 1, "second priority operation");
        assertEq(
            rollup.priorityHashAt(2),
            Poseidon2.compress(rollup.priorityHashAt(1), rollup.forcedWithdrawalHash(1, ALICE, 400)),
            "the request extends the rolling hash"
        );
        (PriorityQueue.OpKind kind, address owner, uint64 amount, uint32 accountId, uint64 deadline,) =
            rollup.priorityOps(1);
        assertTrue(kind == PriorityQueue.OpKind.ForcedWithdrawal && owner == ALICE, "forced record");
        assertEq(amount, 400, "amount");
        assertEq(accountId, 1, "account");
        assertEq(deadline, block.timestamp + DEADLINE, "deadline");

        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.DeadlineNotReached.selector, deadline));
        rollup.freeze();
        // a batch that does not consume the request does not serve it, even with a withdrawal
        commit(12, 0, bytes.concat(chunk(2, 1, 0, 100, ALICE), noop()));
        assertTrue(!rollup.isPriorityOpServed(1), "still open");
        vm.warp(deadline + 1);
        vm.prank(CAROL);
        rollup.freeze();
        assertTrue(rollup.frozen(), "frozen");

        vm.expectRevert(PriorityQueue.RollupFrozen.selector);
        rollup.freeze();
        vm.prank(OPERATOR);
        vm.expectRevert(PriorityQueue.RollupFrozen.selector);
        rollup.commitBatch(3, 12, 13, 0, noop(), "");
        vm.prank(ALICE);
        vm.expectRevert(PriorityQueue.RollupFrozen.selector);
        rollup.deposit(1, K1X, K1Y, 1);
        vm.prank(ALICE);
        vm.expectRevert(PriorityQueue.RollupFrozen.selector);
        rollup.requestForcedWithdrawal(1, 1);
        // a request is not a deposit: nothing to reclaim
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.NotADeposit.selector, 1));
        rollup.reclaimDeposit(1);
    }

    /// A batch consuming the request serves it: the chunk (type 4) pays what the circuit decided —
    /// the amount if the account held it, 0 if it refused it — and freezing is no longer possible.
    function test_forcedWithdrawalServedByTheQueue() public {
        depositAs(ALICE, 1, K1X, K1Y, 1000);
        commit(11, 1, bytes.concat(chunk(1, 1, 0, 1000, ALICE), noop()));
        vm.prank(ALICE);
        uint256 paid = rollup.requestForcedWithdrawal(1, 400);
        vm.prank(ALICE);
        uint256 refused = rollup.requestForcedWithdrawal(1, 5000);
        assertTrue(!rollup.isPriorityOpServed(paid), "open");
        commit(12, 2, bytes.concat(chunk(4, 1, 0, 400, ALICE), chunk(4, 1, 0, 0, ALICE)));
        assertTrue(rollup.isPriorityOpServed(paid) && rollup.isPriorityOpServed(refused), "served");
        assertEq(rollup.withdrawable(ALICE), 400, "paid");
        assertEq(rollup.verifiedCollateral(), 600, "verified");
        assertEq(rollup.pendingDepositTotal(), 0, "requests add nothing to the pending deposits");
        vaultBalanceMatches();
        vm.warp(block.timestamp + DEADLINE + 1);
        vm.expectRevert(PriorityQueue.NothingOverdue.selector);
        rollup.freeze();
        vm.prank(ALICE);
        rollup.withdraw();
        assertEq(token.balanceOf(ALICE), 400, "claimed");
    }

    function test_overdueDepositFreezesAndIsReclaimed() public {
        vm.expectRevert(PriorityQueue.NothingOverdue.selector);
        rollup.freeze();
        depositAs(ALICE, 1, K1X, K1Y, 1000);
        depositAs(BOB, 2, K2X, K2Y, 300);
        depositAs(ALICE, 1, K1X, K1Y, 20);
        commit(11, 1, bytes.concat(chunk(1, 1, 0, 1000, ALICE), noop()));
        uint256 deadline = block.timestamp + DEADLINE;
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.DeadlineNotReached.selector, deadline));
        rollup.freeze();
        vm.expectRevert(PriorityQueue.NotFrozen.selector);
        rollup.reclaimDeposit(1);
        vm.warp(deadline + 1);
        rollup.freeze();
        assertTrue(rollup.frozen(), "frozen");

        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.DepositConsumed.selector, 0));
        rollup.reclaimDeposit(0);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.UnknownDeposit.selector, 3));
        rollup.reclaimDeposit(3);
        vm.prank(CAROL); // anyone may trigger it; the owner is paid
        rollup.reclaimDeposit(1);
        rollup.reclaimDeposit(2);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.DepositAlreadyReclaimed.selector, 1));
        rollup.reclaimDeposit(1);
        assertEq(rollup.withdrawable(BOB), 300, "bob");
        assertEq(rollup.withdrawable(ALICE), 20, "alice");
        assertEq(rollup.pendingDepositTotal(), 0, "nothing pending");
        vaultBalanceMatches();
        vm.prank(BOB);
        rollup.withdraw();
        assertEq(token.balanceOf(BOB), 300, "bob paid");
    }

    // ---- escape hatch ---------------------------------------------------------------------------

    /// Two accounts are deposited and consumed by a batch whose new root is a hand-built state
    /// holding them (account 1: 700 after a transfer of 300 to account 2, nonce 1; account 2: 600);
    /// a forced withdrawal is ignored, the rollup frozen, and each account escapes exactly once.
    function test_escape() public {
        depositAs(ALICE, 1, K1X, K1Y, 1000);
        depositAs(BOB, 2, K2X, K2Y, 300);
        uint256 l1 = leafOf(K1X, K1Y, ALICE, 1, 700);
        uint256 l2 = leafOf(K2X, K2Y, BOB, 0, 600);
        uint256 root = stateRootOf(l1, l2);
        assertEq(
            StateLayoutV1.stateRoot(
                StateLayoutV1.computeAccountsRoot(l2, 2, siblingsOf(2, l1, l2)),
                StateLayoutV1.EMPTY_MARKETS_ROOT,
                StateLayoutV1.GENESIS_GLOBAL_LEAF
            ),
            root,
            "both proofs lead to the same root"
        );
        commit(
            root,
            2,
            bytes.concat(chunk(1, 1, 0, 1000, ALICE), chunk(1, 2, 0, 300, BOB), chunk(3, 1, 2, 300, address(0)), noop())
        );

        ZkPerpRollup.EscapeProof memory pa = escapeProof(1, K1X, K1Y, ALICE, 1, 700, l1, l2);
        vm.expectRevert(PriorityQueue.NotFrozen.selector);
        rollup.escape(pa);

        vm.prank(ALICE);
        rollup.requestForcedWithdrawal(1, 700);
        vm.warp(block.timestamp + DEADLINE + 1);
        rollup.freeze();

        // wrong collateral, wrong owner, wrong account id: the proof fails
        ZkPerpRollup.EscapeProof memory bad = escapeProof(1, K1X, K1Y, ALICE, 1, 701, l1, l2);
        vm.expectRevert(abi.encodeWithSelector(ZkPerpRollup.InvalidEscapeProof.selector, rollupRootOf(bad), root));
        rollup.escape(bad);
        bad = escapeProof(1, K1X, K1Y, CAROL, 1, 700, l1, l2);
        vm.expectRevert(abi.encodeWithSelector(ZkPerpRollup.InvalidEscapeProof.selector, rollupRootOf(bad), root));
        rollup.escape(bad);
        bad = escapeProof(2, K1X, K1Y, ALICE, 1, 700, l1, l2);
        vm.expectRevert(abi.encodeWithSelector(ZkPerpRollup.InvalidEscapeProof.selector, rollupRootOf(bad), root));
        rollup.escape(bad);
        bad = escapeProof(1, K1X, K1Y, ALICE, 1, -5, l1, l2);
        vm.expectRevert(abi.encodeWithSelector(ZkPerpRollup.NegativeCollateral.selector, int64(-5)));
        rollup.escape(bad);

        vm.prank(CAROL); // anyone may submit; the leaf's owner is credited
        uint256 g = gasleft();
        rollup.escape(pa);
        console.log("escape gas (external call, 24-level account proof)", g - gasleft());
        vm.expectRevert(abi.encodeWithSelector(RollupBase.AlreadyEscaped.selector, 1));
        rollup.escape(pa);
        rollup.escape(escapeProof(2, K2X, K2Y, BOB, 0, 600, l1, l2));
        assertEq(rollup.withdrawable(ALICE), 700, "alice credited");
        assertEq(rollup.withdrawable(BOB), 600, "bob credited");
        assertEq(rollup.verifiedCollateral(), 0, "verified state drained");
        vaultBalanceMatches();

        vm.prank(ALICE);
        rollup.withdraw();
        vm.prank(BOB);
        rollup.withdraw();
        assertEq(token.balanceOf(ALICE), 700, "alice paid");
        assertEq(token.balanceOf(BOB), 600, "bob paid");
        assertEq(token.balanceOf(address(rollup)), 0, "vault empty");
    }

    function rollupRootOf(ZkPerpRollup.EscapeProof memory p) internal pure returns (uint256) {
        uint256 leaf = leafOf(p.publicKeyX, p.publicKeyY, p.l1Owner, p.nonce, p.collateral);
        return StateLayoutV1.stateRoot(
            StateLayoutV1.computeAccountsRoot(leaf, p.accountId, p.accountSiblings), p.marketsRoot, p.globalLeaf
        );
    }

    // ---- governance -----------------------------------------------------------------------------

    function test_verifierTimelock() public {
        ExpectedInputVerifier v = new ExpectedInputVerifier();
        bytes32 adminRole = rollup.ADMIN_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, OPERATOR, adminRole)
        );
        vm.prank(OPERATOR);
        rollup.proposeVerifier(v);
        vm.startPrank(ADMIN);
        vm.expectRevert(RollupGovernance.NoPendingVerifier.selector);
        rollup.activateVerifier();
        vm.expectRevert(RollupGovernance.NoPendingVerifier.selector);
        rollup.cancelVerifierProposal();
        vm.expectRevert(RollupGovernance.ZeroAddress.selector);
        rollup.proposeVerifier(IBatchVerifier(address(0)));
        rollup.proposeVerifier(v);
        uint256 eta = block.timestamp + TIMELOCK;
        assertEq(rollup.pendingVerifierEta(), eta, "eta");
        // a forced withdrawal requested now can freeze the rollup before the new verifier applies
        assertTrue(rollup.VERIFIER_TIMELOCK() > rollup.FORCED_ACTION_DEADLINE(), "timelock > deadline");
        vm.warp(eta - 1);
        vm.expectRevert(abi.encodeWithSelector(RollupGovernance.TimelockNotExpired.selector, eta));
        rollup.activateVerifier();
        rollup.cancelVerifierProposal();
        rollup.proposeVerifier(v);
        vm.warp(block.timestamp + TIMELOCK);
        rollup.activateVerifier();
        vm.stopPrank();
        assertTrue(address(rollup.verifier()) == address(v), "changed");
        assertTrue(address(rollup.pendingVerifier()) == address(0), "cleared");
    }

    // ---- re-entrancy ----------------------------------------------------------------------------

    /// A collateral token that re-enters withdraw() while paying out: the guard stops it, and the
    /// owner is paid exactly once.
    function test_withdrawReentrancyBlocked() public {
        ReentrantToken t = new ReentrantToken();
        ZkPerpRollupHarness r = new ZkPerpRollupHarness(t, verifier, ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        t.mint(ALICE, 1000);
        vm.startPrank(ALICE);
        t.approve(address(r), 1000);
        r.deposit(1, K1X, K1Y, 1000);
        vm.stopPrank();
        uint256 genesis = r.stateRoot();
        vm.prank(OPERATOR);
        r.commitBatch(1, genesis, 5, 1, bytes.concat(chunk(1, 1, 0, 1000, ALICE), chunk(2, 1, 0, 400, ALICE)), "");
        t.arm(r);
        vm.prank(ALICE);
        r.withdraw();
        assertEq(t.reentries(), 1, "the token re-entered");
        assertTrue(
            keccak256(t.reentryError())
                == keccak256(abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector)),
            "re-entry reverted with ReentrancyGuardReentrantCall"
        );
        assertEq(t.balanceOf(ALICE), 400, "paid once");
        assertEq(t.balanceOf(address(r)), 600, "vault");
        assertEq(r.withdrawable(ALICE), 0, "cleared");
        assertEq(
            t.balanceOf(address(r)), r.pendingDepositTotal() + r.totalWithdrawable() + r.verifiedCollateral(), "inv"
        );
    }
}
