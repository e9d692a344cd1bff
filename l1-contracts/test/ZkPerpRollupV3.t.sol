// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IBatchVerifier} from "../src/IBatchVerifier.sol";
import {Poseidon2} from "../src/Poseidon2.sol";
import {StateLayoutV2} from "../src/StateLayoutV2.sol";
import {ZkPerpRollupV3} from "../src/ZkPerpRollupV3.sol";
import {CollateralVault} from "../src/rollup/CollateralVault.sol";
import {PriorityQueue} from "../src/rollup/PriorityQueue.sol";
import {RollupBase} from "../src/rollup/RollupBase.sol";
import {RollupGovernance} from "../src/rollup/RollupGovernance.sol";
import {ExpectedInputVerifier} from "./utils/RollupMocks.sol";
import {RollupV3TestBase} from "./utils/RollupV3TestBase.sol";
import {console} from "./utils/Vm.sol";

/// @notice Unit tests of ZkPerpRollupV3's own rules (genesis, the format v3 header checks, records,
/// freeze) with a verifier double; the commitment against Go is in RollupV3Vectors.t.sol, the real
/// proof in RollupV3RealProof.t.sol, the escape with positions in RollupV3Escape.t.sol.
contract ZkPerpRollupV3Test is RollupV3TestBase {
    uint256 internal constant NEW_ROOT = 0x0abc;
    uint24 internal constant FIRST_ID24 = 10; // FIRST_ID as a record's u24

    /// The rollup's state a refused call must leave as it was.
    struct Snapshot {
        uint256 stateRoot;
        uint64 lastBatchNumber;
        uint64 lastBatchTime;
        uint256 consumed;
        uint256 pending;
        uint256 verified;
        uint256 totalWithdrawable;
        uint256 vault;
    }

    function snapshot() internal view returns (Snapshot memory s) {
        s = Snapshot({
            stateRoot: rollup.stateRoot(),
            lastBatchNumber: rollup.lastBatchNumber(),
            lastBatchTime: rollup.lastBatchTime(),
            consumed: rollup.consumedPriorityOps(),
            pending: rollup.pendingDepositTotal(),
            verified: rollup.verifiedCollateral(),
            totalWithdrawable: rollup.totalWithdrawable(),
            vault: token.balanceOf(address(rollup))
        });
    }

    function assertUnchanged(Snapshot memory a) internal view {
        Snapshot memory b = snapshot();
        assertTrue(keccak256(abi.encode(a)) == keccak256(abi.encode(b)), "a refused call changed the rollup");
    }

    /// @notice Expects `h`, `records` to be refused with `err` as the operator, changing nothing.
    function expectCommitRevert(ZkPerpRollupV3.BatchHeader memory h, bytes memory records, bytes memory err) internal {
        Snapshot memory before = snapshot();
        vm.expectRevert(err);
        vm.prank(OPERATOR);
        rollup.commitBatch(h, records, "");
        assertUnchanged(before);
    }

    // ---- deployment and genesis -----------------------------------------------------------------

    function test_genesis() public {
        assertEq(rollup.stateRoot(), GENESIS_ROOT, "genesis root");
        assertEq(rollup.GENESIS_STATE_ROOT(), GENESIS_ROOT, "GENESIS_STATE_ROOT");
        assertEq(rollup.nextAccountId(), FIRST_ID, "first account id");
        assertEq(rollup.FIRST_ACCOUNT_ID(), FIRST_ID, "FIRST_ACCOUNT_ID");
        assertEq(rollup.lastBatchNumber(), 0, "batch 0");
        assertEq(rollup.lastBatchTime(), 0, "time 0");
        assertEq(rollup.priorityHashAt(0), 0, "P_0 = 0");
        assertTrue(rollup.genesisFunded(), "funded in setUp");
        assertEq(rollup.verifiedCollateral(), GENESIS_COLLATERAL, "the genesis collateral is verified");
        assertEq(token.balanceOf(address(rollup)), GENESIS_COLLATERAL, "and in the vault");
        vm.expectRevert(ZkPerpRollupV3.GenesisAlreadyFunded.selector);
        rollup.fundGenesis();
        ZkPerpRollupV3 empty = deployRollup(verifier, 0, 0);
        assertTrue(empty.genesisFunded(), "a genesis without collateral needs no funding");
    }

    /// EIP-170: the rollup must stay deployable (runtime code <= 24,576 bytes).
    function test_codeSizeBelowEip170() public view {
        console.log("ZkPerpRollupV3 runtime code size (bytes)", address(rollup).code.length);
        assertTrue(address(rollup).code.length <= 24_576, "EIP-170 code size limit");
    }

    function test_constructorRejectsBadParameters() public {
        uint256 max = rollup.MAX_AMOUNT();
        ZkPerpRollupV3.Genesis[4] memory bad = [
            ZkPerpRollupV3.Genesis({stateRoot: R, firstAccountId: FIRST_ID, collateral: 0}),
            ZkPerpRollupV3.Genesis({stateRoot: GENESIS_ROOT, firstAccountId: 0, collateral: 0}),
            ZkPerpRollupV3.Genesis({stateRoot: GENESIS_ROOT, firstAccountId: (1 << 24) - 1, collateral: 0}),
            ZkPerpRollupV3.Genesis({stateRoot: GENESIS_ROOT, firstAccountId: FIRST_ID, collateral: max + 1})
        ];
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ZkPerpRollupV3.BadGenesis.selector, bad[i].stateRoot, bad[i].firstAccountId, bad[i].collateral
                )
            );
            new ZkPerpRollupV3(token, verifier, ADMIN, OPERATOR, bad[i], DEADLINE, TIMELOCK, 0);
        }
        ZkPerpRollupV3.Genesis memory g =
            ZkPerpRollupV3.Genesis({stateRoot: GENESIS_ROOT, firstAccountId: FIRST_ID, collateral: 0});
        vm.expectRevert(RollupGovernance.ZeroAddress.selector);
        new ZkPerpRollupV3(IERC20(address(0)), verifier, ADMIN, OPERATOR, g, DEADLINE, TIMELOCK, 0);
        vm.expectRevert(RollupGovernance.ZeroAddress.selector);
        new ZkPerpRollupV3(token, IBatchVerifier(address(0)), ADMIN, OPERATOR, g, DEADLINE, TIMELOCK, 0);
        vm.expectRevert(abi.encodeWithSelector(RollupGovernance.TimelockTooShort.selector, DEADLINE, DEADLINE + 1 days));
        new ZkPerpRollupV3(token, verifier, ADMIN, OPERATOR, g, DEADLINE, DEADLINE, 0);
    }

    function test_batchesWaitForTheGenesisCollateral() public {
        rollup = deployRollup(verifier, GENESIS_COLLATERAL, 0);
        expectCommitRevert(
            nextHeader(NEW_ROOT, T0, 0), noopRecord(), abi.encodeWithSelector(ZkPerpRollupV3.GenesisNotFunded.selector)
        );
        token.faucet(GENESIS_COLLATERAL);
        token.approve(address(rollup), GENESIS_COLLATERAL - 1);
        vm.expectRevert(); // the allowance is one short: the token refuses, nothing is funded
        rollup.fundGenesis();
        assertTrue(!rollup.genesisFunded(), "not funded");
        token.approve(address(rollup), GENESIS_COLLATERAL);
        vm.expectEmit(address(rollup));
        emit ZkPerpRollupV3.GenesisFunded(address(this), GENESIS_COLLATERAL);
        rollup.fundGenesis();
        assertEq(token.balanceOf(address(rollup)), GENESIS_COLLATERAL, "pulled exactly");
        commit(nextHeader(NEW_ROOT, T0, 0), noopRecord());
        assertEq(rollup.stateRoot(), NEW_ROOT, "committed once funded");
    }

    // ---- a batch and its effects ----------------------------------------------------------------

    /// @notice A new account's deposit and a forced withdrawal are consumed; the records pay the
    /// forced withdrawal (300 to Alice) and a withdrawal of a genesis account (200 to Bob); the
    /// trade, deposit and no-op records pay nothing; the root, number and time are stored.
    function test_batchConsumesTheQueueAndPaysTheRecords() public {
        uint256 d = depositAs(ALICE, FIRST_ID, K1X, K1Y, 1_000);
        vm.prank(ALICE);
        uint256 f = rollup.requestForcedWithdrawal(FIRST_ID, 300);
        assertEq(d, 0, "deposit index");
        assertEq(f, 1, "forced index");
        uint256 p1 = Poseidon2.compress(0, rollup.depositHash(FIRST_ID, ALICE, K1X, K1Y, 1_000));
        assertEq(rollup.priorityHashAt(1), p1, "P_1 = Compress(P_0, deposit hash)");
        assertEq(
            rollup.priorityHashAt(2),
            Poseidon2.compress(p1, rollup.forcedWithdrawalHash(FIRST_ID, ALICE, 300)),
            "P_2 = Compress(P_1, forced-withdrawal hash)"
        );

        bytes memory records = bytes.concat(
            depositRecord(),
            tradeRecord(),
            forcedRecord(FIRST_ID24, 300, ALICE),
            withdrawalRecord(3, 200, BOB),
            noopRecord()
        );
        ZkPerpRollupV3.BatchHeader memory h = nextHeader(NEW_ROOT, T0 + 60, 2);
        uint256 pi = rollup.publicInput(h, records);
        vm.expectEmit(address(rollup));
        emit RollupBase.WithdrawalCredited(1, FIRST_ID, ALICE, 300);
        vm.expectEmit(address(rollup));
        emit RollupBase.WithdrawalCredited(1, 3, BOB, 200);
        vm.expectEmit(address(rollup));
        emit ZkPerpRollupV3.BatchCommitted(
            1, GENESIS_ROOT, NEW_ROOT, T0 + 60, 0, 2, pi, rollup.batchInfoHash(h, pi, records)
        );
        commit(h, records);

        assertEq(rollup.stateRoot(), NEW_ROOT, "root");
        assertEq(rollup.lastBatchNumber(), 1, "number");
        assertEq(rollup.lastBatchTime(), T0 + 60, "time");
        assertEq(rollup.consumedPriorityOps(), 2, "both operations consumed");
        assertTrue(rollup.isPriorityOpServed(1), "the forced request is served");
        assertEq(rollup.pendingDepositTotal(), 0, "no pending deposit");
        assertEq(rollup.withdrawable(ALICE), 300, "Alice's forced withdrawal");
        assertEq(rollup.withdrawable(BOB), 200, "Bob's withdrawal");
        assertEq(rollup.totalWithdrawable(), 500, "total withdrawable");
        assertEq(rollup.verifiedCollateral(), GENESIS_COLLATERAL + 1_000 - 500, "verified: genesis + deposit - paid");
        assertTrue(rollup.batchHashes(1) == rollup.batchInfoHash(h, pi, records), "batch hash");
        vaultBalanceMatches(rollup);

        vm.prank(BOB);
        rollup.withdraw();
        vm.prank(ALICE);
        rollup.withdraw();
        assertEq(token.balanceOf(BOB), 200, "Bob paid");
        assertEq(token.balanceOf(ALICE), 300, "Alice paid");
        assertEq(token.balanceOf(address(rollup)), GENESIS_COLLATERAL + 1_000 - 500, "vault");
        vaultBalanceMatches(rollup);
    }

    /// @notice A refused forced withdrawal (paid 0) credits 0 and still consumes the request.
    function test_refusedForcedWithdrawalPaysZero() public {
        depositAs(ALICE, FIRST_ID, K1X, K1Y, 1_000);
        vm.prank(ALICE);
        rollup.requestForcedWithdrawal(FIRST_ID, 5_000);
        commit(nextHeader(NEW_ROOT, T0, 2), bytes.concat(depositRecord(), forcedRecord(FIRST_ID24, 0, ALICE)));
        assertEq(rollup.withdrawable(ALICE), 0, "paid 0");
        assertEq(rollup.consumedPriorityOps(), 2, "consumed");
        assertEq(rollup.verifiedCollateral(), GENESIS_COLLATERAL + 1_000, "verified");
        vaultBalanceMatches(rollup);
    }

    /// @notice Batch times may repeat but never decrease; the next batch starts at the stored P.
    function test_secondBatchContinuesTheChainAndTime() public {
        depositAs(ALICE, FIRST_ID, K1X, K1Y, 1_000);
        depositAs(ALICE, FIRST_ID, K1X, K1Y, 500);
        commit(nextHeader(NEW_ROOT, T0 + 10, 1), depositRecord());
        ZkPerpRollupV3.BatchHeader memory h = nextHeader(NEW_ROOT + 1, T0 + 9, 1);
        assertEq(h.priorityHashBefore, rollup.priorityHashAt(1), "P before = P_1");
        expectCommitRevert(
            h, depositRecord(), abi.encodeWithSelector(ZkPerpRollupV3.BatchTimeDecreased.selector, T0 + 9, T0 + 10)
        );
        h.batchTime = T0 + 10;
        commit(h, depositRecord());
        assertEq(rollup.lastBatchNumber(), 2, "second batch");
        assertEq(rollup.verifiedCollateral(), GENESIS_COLLATERAL + 1_500, "both deposits verified");
        assertEq(rollup.pendingDepositTotal(), 0, "none pending");
    }

    // ---- refusals -------------------------------------------------------------------------------

    function test_commitRefusals() public {
        depositAs(ALICE, FIRST_ID, K1X, K1Y, 1_000);
        bytes memory rec = depositRecord();
        ZkPerpRollupV3.BatchHeader memory good = nextHeader(NEW_ROOT, T0, 1);
        ZkPerpRollupV3.BatchHeader memory h;

        Snapshot memory before = snapshot();
        vm.expectRevert(abi.encodeWithSelector(RollupBase.UnauthorizedSubmitter.selector, ALICE));
        vm.prank(ALICE);
        rollup.commitBatch(good, rec, "");
        assertUnchanged(before);

        h = nextHeader(NEW_ROOT, T0, 1);
        h.batchNumber = 2;
        expectCommitRevert(h, rec, abi.encodeWithSelector(RollupBase.WrongBatchNumber.selector, 1, 2));
        h.batchNumber = 0;
        expectCommitRevert(h, rec, abi.encodeWithSelector(RollupBase.WrongBatchNumber.selector, 1, 0));

        h = nextHeader(NEW_ROOT, T0, 1);
        h.oldStateRoot = NEW_ROOT;
        expectCommitRevert(
            h, rec, abi.encodeWithSelector(RollupBase.WrongPreviousRoot.selector, GENESIS_ROOT, NEW_ROOT)
        );

        h = nextHeader(R, T0, 1);
        expectCommitRevert(h, rec, abi.encodeWithSelector(RollupBase.NonCanonicalRoot.selector, R));

        h = nextHeader(NEW_ROOT, uint64(block.timestamp + 1), 1);
        expectCommitRevert(
            h,
            rec,
            abi.encodeWithSelector(ZkPerpRollupV3.BatchTimeInFuture.selector, block.timestamp + 1, block.timestamp)
        );

        h = nextHeader(NEW_ROOT, T0, 1);
        expectCommitRevert(h, "", abi.encodeWithSelector(ZkPerpRollupV3.BadRecords.selector, 0));
        expectCommitRevert(h, new bytes(34), abi.encodeWithSelector(ZkPerpRollupV3.BadRecords.selector, 34));
        expectCommitRevert(h, new bytes(36), abi.encodeWithSelector(ZkPerpRollupV3.BadRecords.selector, 36));

        h = nextHeader(NEW_ROOT, T0, 1);
        h.priorityCount = 2;
        expectCommitRevert(h, rec, abi.encodeWithSelector(RollupBase.TooManyPriorityOps.selector, 2, 1));

        h = nextHeader(NEW_ROOT, T0, 1);
        h.priorityHashBefore = 1;
        expectCommitRevert(h, rec, abi.encodeWithSelector(ZkPerpRollupV3.WrongPriorityHash.selector, 0, 0, 1));
        h = nextHeader(NEW_ROOT, T0, 1);
        uint256 p1 = h.priorityHashAfter;
        h.priorityHashAfter = p1 + 1;
        expectCommitRevert(h, rec, abi.encodeWithSelector(ZkPerpRollupV3.WrongPriorityHash.selector, 1, p1, p1 + 1));
        // a count of 0 with the chain value after one operation: the after hash names count 0
        h = nextHeader(NEW_ROOT, T0, 1);
        h.priorityCount = 0;
        expectCommitRevert(h, rec, abi.encodeWithSelector(ZkPerpRollupV3.WrongPriorityHash.selector, 0, 0, p1));

        // the good header still commits after all of that
        commit(good, rec);
        assertEq(rollup.lastBatchNumber(), 1, "committed");
    }

    /// @notice The proof is checked against the public input rebuilt from the header and records:
    /// a verifier that accepts exactly one input refuses any other record byte.
    function test_proofIsCheckedForTheRebuiltInput() public {
        ExpectedInputVerifier v = new ExpectedInputVerifier();
        rollup = deployRollup(v, 0, 0);
        bytes memory records = bytes.concat(tradeRecord(), noopRecord());
        ZkPerpRollupV3.BatchHeader memory h = nextHeader(NEW_ROOT, T0, 0);
        uint256 pi = rollup.publicInput(h, records);
        assertTrue(pi < (1 << 253), "top three bits cleared");
        v.accept(pi);
        records[20] ^= 0x01;
        uint256 other = rollup.publicInput(h, records);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, other));
        vm.prank(OPERATOR);
        rollup.commitBatch(h, records, "ok");
        records[20] ^= 0x01;
        vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, pi));
        vm.prank(OPERATOR);
        rollup.commitBatch(h, records, "not ok");
        vm.prank(OPERATOR);
        rollup.commitBatch(h, records, "ok");
        assertEq(rollup.stateRoot(), NEW_ROOT, "accepted");
    }

    /// @notice The records cannot pay out more than the verified state holds.
    function test_withdrawalExceedingTheStateIsRefused() public {
        bytes memory records = bytes.concat(withdrawalRecord(3, GENESIS_COLLATERAL, BOB), withdrawalRecord(4, 1, ALICE));
        expectCommitRevert(
            nextHeader(NEW_ROOT, T0, 0),
            records,
            abi.encodeWithSelector(CollateralVault.WithdrawalExceedsState.selector, 1, 0)
        );
    }

    // ---- accounts -------------------------------------------------------------------------------

    /// @notice L1 assigns ids from FIRST_ACCOUNT_ID; a genesis account's id cannot be taken by a
    /// deposit, and only its bound owner may request a forced withdrawal.
    function test_genesisIdsAreNotAssigned() public {
        vm.startPrank(ALICE);
        token.faucet(100);
        token.approve(address(rollup), 100);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.AccountNotBound.selector, 3, ALICE));
        rollup.deposit(3, K1X, K1Y, 100);
        vm.expectRevert(abi.encodeWithSelector(PriorityQueue.NotAccountOwner.selector, 3, ALICE));
        rollup.requestForcedWithdrawal(3, 100);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ZkPerpRollupV3.NotAGenesisAccount.selector, FIRST_ID, FIRST_ID));
        StateLayoutV2.AccountProof memory p;
        p.accountId = FIRST_ID;
        rollup.bindGenesisAccount(p);
    }

    // ---- freeze ---------------------------------------------------------------------------------

    /// @notice An ignored forced request freezes the rollup after its deadline: no more batches,
    /// the request's fee is refunded and a pending deposit reclaimed.
    function test_ignoredForcedRequestFreezes() public {
        rollup = deployRollup(verifier, 0, 0.01 ether);
        depositAs(ALICE, FIRST_ID, K1X, K1Y, 1_000);
        commit(nextHeader(NEW_ROOT, T0, 1), depositRecord());
        vm.deal(ALICE, 1 ether);
        vm.prank(ALICE);
        uint256 f = rollup.requestForcedWithdrawal{value: 0.01 ether}(FIRST_ID, 10);
        depositAs(ALICE, FIRST_ID, K1X, K1Y, 40);
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
        rollup.refundForcedRequestFee(f);
        rollup.reclaimDeposit(f + 1);
        assertEq(rollup.feeBalance(ALICE), 0.01 ether, "fee refunded");
        assertEq(rollup.withdrawable(ALICE), 40, "deposit reclaimed");
        vaultBalanceMatches(rollup);
    }
}
