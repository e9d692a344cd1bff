// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IBatchVerifier} from "../src/IBatchVerifier.sol";
import {ZkPerpRollup} from "../src/ZkPerpRollup.sol";
import {TinyBatchVerifier} from "../src/generated/TinyBatchVerifier.sol";
import {PriorityQueue} from "../src/rollup/PriorityQueue.sol";
import {RollupBase} from "../src/rollup/RollupBase.sol";
import {ExpectedInputVerifier, ZkPerpRollupHarness} from "./utils/RollupMocks.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";
import {console} from "./utils/Vm.sol";

/// @notice The real Groth16 proof of the golden batch "transfer-withdrawal" (batch 2 of
/// test-vectors/batches.json; proof and verifier exported by `zkprover fixture` into src/generated)
/// is accepted by commitBatch, the withdrawal it holds (account 9, 120 quanta to 0xaa..02) becomes
/// claimable, and every ERC-20 balance is exact. Tampered calldata is rejected with InvalidProof.
contract RollupRealProofTest is RollupTestBase {
    string internal constant B1 = ".batches[0]";
    string internal constant B2 = ".batches[1]";
    string internal constant B4 = ".batches[3]";

    string internal batches;
    TinyBatchVerifier internal tiny;
    bytes internal proof;
    bytes internal forcedProof;

    function setUp() public override {
        super.setUp();
        batches = readVectors("batches.json");
        tiny = new TinyBatchVerifier();
        string memory j = vm.readFile("src/generated/tiny-proof.json");
        proof = vm.parseJsonBytes(j, ".proof");
        forcedProof = vm.parseJsonBytes(j, ".forcedProof");
        assertEq(
            uint256(bytes32(vm.parseJsonBytes(j, ".forcedPublicInput"))),
            fieldOf(B4, ".publicInput"),
            "the fixture proves batch 4"
        );
        assertEq(
            uint256(bytes32(vm.parseJsonBytes(j, ".publicInput"))),
            fieldOf(B2, ".publicInput"),
            "the fixture proves batch 2"
        );
    }

    function fieldOf(string memory b, string memory key) internal view returns (uint256) {
        return vm.parseJsonUint(batches, string.concat(b, key));
    }

    /// The chunks of a golden batch: its commitmentInput after the 140-byte header.
    function chunksOf(string memory b) internal view returns (bytes memory chunks) {
        bytes memory ci = vm.parseJsonBytes(batches, string.concat(b, ".commitmentInput"));
        chunks = new bytes(ci.length - 140);
        for (uint256 k; k < chunks.length; ++k) {
            chunks[k] = ci[140 + k];
        }
    }

    /// TEST-ONLY genesis: the harness starts where batch 1 left the state (root, batch number 1,
    /// two consumed deposits with their rolling hash, 1,000,050 quanta in the verified state and
    /// in the vault).
    function harnessAtBatch1() internal returns (ZkPerpRollupHarness r) {
        r = new ZkPerpRollupHarness(token, IBatchVerifier(address(tiny)), ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        r.setGenesisForTest(fieldOf(B2, ".oldStateRoot"), 1, 2, fieldOf(B2, ".priorityHashBefore"), 1_000_050);
        vm.prank(address(r));
        token.faucet(1_000_050);
    }

    function commitBatch2(ZkPerpRollup r) internal returns (uint256 gasUsed) {
        uint256 oldRoot = fieldOf(B2, ".oldStateRoot");
        uint256 newRoot = fieldOf(B2, ".newStateRoot");
        bytes memory chunks = chunksOf(B2);
        vm.prank(OPERATOR);
        uint256 g = gasleft();
        r.commitBatch(2, oldRoot, newRoot, 0, chunks, proof);
        gasUsed = g - gasleft();
    }

    function checkAfterBatch2(ZkPerpRollup r) internal {
        assertEq(r.stateRoot(), fieldOf(B2, ".newStateRoot"), "new root");
        assertEq(r.lastBatchNumber(), 2, "batch number");
        assertEq(r.withdrawable(BOB), 120, "withdrawal claimable by 0xaa..02");
        assertEq(r.verifiedCollateral(), 1_000_050 - 120, "verified state");
        assertEq(
            uint256(r.batchHashes(2)),
            uint256(
                r.batchInfoHash(
                    2,
                    fieldOf(B2, ".oldStateRoot"),
                    fieldOf(B2, ".newStateRoot"),
                    0,
                    fieldOf(B2, ".publicInput"),
                    chunksOf(B2)
                )
            ),
            "batch hash"
        );
        uint256 bobBefore = token.balanceOf(BOB);
        vm.prank(BOB);
        r.withdraw();
        assertEq(token.balanceOf(BOB) - bobBefore, 120, "paid exactly 120");
        assertEq(token.balanceOf(address(r)), 1_000_050 - 120, "vault");
        assertEq(r.withdrawable(BOB), 0, "cleared");
        assertEq(
            token.balanceOf(address(r)),
            r.pendingDepositTotal() + r.totalWithdrawable() + r.verifiedCollateral(),
            "vault == pending + withdrawable + verified"
        );
    }

    function test_realProofAcceptedFromTestGenesis() public {
        ZkPerpRollupHarness r = harnessAtBatch1();
        uint256 gasUsed = commitBatch2(r);
        console.log("commitBatch gas (tiny batch, real Groth16 proof, 1 withdrawal)", gasUsed);
        checkAfterBatch2(r);
    }

    /// From genesis through deposit(): batch 1 ("deposits", its golden public input accepted by a
    /// stand-in verifier), then the real verifier installed through the timelock, then batch 2
    /// with its real proof.
    function test_realProofAfterDepositsFromGenesis() public {
        ExpectedInputVerifier stub = new ExpectedInputVerifier();
        stub.accept(fieldOf(B1, ".publicInput"));
        ZkPerpRollupHarness r = new ZkPerpRollupHarness(token, stub, ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        rollup = r;
        r.setNextAccountIdForTest(5);
        depositAs(ALICE, 5, K1X, K1Y, 1_000_000);
        r.setNextAccountIdForTest(9);
        depositAs(BOB, 9, K2X, K2Y, 50);
        assertEq(token.balanceOf(address(r)), 1_000_050, "vault after deposits");
        uint256 genesis = r.stateRoot();
        uint256 root1 = fieldOf(B1, ".newStateRoot");
        bytes memory chunks1 = chunksOf(B1);
        vm.prank(OPERATOR);
        r.commitBatch(1, genesis, root1, 2, chunks1, "ok");
        assertEq(r.consumedPriorityOps(), 2, "deposits consumed");
        assertEq(r.pendingDepositTotal(), 0, "none pending");
        assertEq(r.verifiedCollateral(), 1_000_050, "verified");

        vm.prank(ADMIN);
        r.proposeVerifier(IBatchVerifier(address(tiny)));
        vm.warp(block.timestamp + TIMELOCK);
        vm.prank(ADMIN);
        r.activateVerifier();

        commitBatch2(r);
        checkAfterBatch2(r);
        assertEq(token.balanceOf(ALICE), 0, "alice deposited everything");
    }

    function test_realVerifierRejectsTamperedBatches() public {
        ZkPerpRollupHarness r = harnessAtBatch1();
        uint256 oldRoot = fieldOf(B2, ".oldStateRoot");
        uint256 newRoot = fieldOf(B2, ".newStateRoot");
        bytes memory chunks = chunksOf(B2);
        vm.startPrank(OPERATOR);

        // another new root
        uint256 pi = r.publicInput(oldRoot, newRoot ^ 1, 2, r.priorityHashAt(2), r.priorityHashAt(2), 0, chunks);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, pi));
        r.commitBatch(2, oldRoot, newRoot ^ 1, 0, chunks, proof);

        // the withdrawal raised from 120 to 121 (amount's last byte is chunk 1, byte 16)
        bytes memory more = bytes.concat(chunks);
        more[37 + 16] = bytes1(uint8(more[37 + 16]) + 1);
        pi = r.publicInput(oldRoot, newRoot, 2, r.priorityHashAt(2), r.priorityHashAt(2), 0, more);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, pi));
        r.commitBatch(2, oldRoot, newRoot, 0, more, proof);

        // one bit of the proof flipped
        bytes memory bad = bytes.concat(proof);
        bad[100] = bytes1(uint8(bad[100]) ^ 1);
        pi = fieldOf(B2, ".publicInput");
        vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, pi));
        r.commitBatch(2, oldRoot, newRoot, 0, chunks, bad);
        vm.stopPrank();
        assertEq(r.stateRoot(), oldRoot, "nothing committed");
    }

    /// Golden batch 4 ("forced-withdrawals") serves two forced withdrawals requested on L1 through
    /// the priority queue: account 9 asks for 100 (paid), account 5 for 10,000,000 (more than it
    /// holds: refused, paid 0). The requests made here extend the rolling hash exactly as the Go
    /// and Java batchers do (the golden priorityHashAfter), and the real proof is accepted.
    function test_realProofServesForcedWithdrawals() public {
        ZkPerpRollupHarness r =
            new ZkPerpRollupHarness(token, IBatchVerifier(address(tiny)), ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        // after batches 1-3: deposits 1,000,000 + 50 + 7, withdrawal 120
        uint256 verified = 1_000_050 - 120 + 7;
        r.setGenesisForTest(fieldOf(B4, ".oldStateRoot"), 3, 5, fieldOf(B4, ".priorityHashBefore"), verified);
        vm.prank(address(r));
        token.faucet(verified);
        r.bindForTest(9, BOB);
        r.bindForTest(5, ALICE);
        vm.prank(BOB);
        assertEq(r.requestForcedWithdrawal(9, 100), 5, "queue position 5");
        vm.prank(ALICE);
        r.requestForcedWithdrawal(5, 10_000_000);
        assertEq(r.priorityHashAt(7), fieldOf(B4, ".priorityHashAfter"), "rolling hash = Go's");

        vm.prank(OPERATOR);
        r.commitBatch(4, fieldOf(B4, ".oldStateRoot"), fieldOf(B4, ".newStateRoot"), 2, chunksOf(B4), forcedProof);
        assertEq(r.stateRoot(), fieldOf(B4, ".newStateRoot"), "new root");
        assertTrue(r.isPriorityOpServed(5) && r.isPriorityOpServed(6), "both served");
        assertEq(r.withdrawable(BOB), 100, "paid");
        assertEq(r.withdrawable(ALICE), 0, "refused");
        assertEq(r.verifiedCollateral(), verified - 100, "verified state");
        assertEq(
            token.balanceOf(address(r)),
            r.pendingDepositTotal() + r.totalWithdrawable() + r.verifiedCollateral(),
            "vault == pending + withdrawable + verified"
        );
        vm.warp(block.timestamp + DEADLINE + 1);
        vm.expectRevert(PriorityQueue.NothingOverdue.selector);
        r.freeze();

        // The same requests with a larger amount than served: the proof no longer matches.
        ZkPerpRollupHarness r2 =
            new ZkPerpRollupHarness(token, IBatchVerifier(address(tiny)), ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
        r2.setGenesisForTest(fieldOf(B4, ".oldStateRoot"), 3, 5, fieldOf(B4, ".priorityHashBefore"), verified);
        r2.bindForTest(9, BOB);
        r2.bindForTest(5, ALICE);
        vm.prank(BOB);
        r2.requestForcedWithdrawal(9, 101);
        vm.prank(ALICE);
        r2.requestForcedWithdrawal(5, 10_000_000);
        bytes memory chunks = chunksOf(B4);
        vm.prank(OPERATOR);
        vm.expectRevert();
        r2.commitBatch(4, fieldOf(B4, ".oldStateRoot"), fieldOf(B4, ".newStateRoot"), 2, chunks, forcedProof);
    }
}
