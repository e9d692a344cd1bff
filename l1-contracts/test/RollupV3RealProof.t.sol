// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IBatchVerifier} from "../src/IBatchVerifier.sol";
import {TestUSD} from "../src/TestUSD.sol";
import {ZkPerpRollupV3} from "../src/ZkPerpRollupV3.sol";
import {V3TinyBatchVerifier} from "../src/generated/V3TinyBatchVerifier.sol";
import {RollupBase} from "../src/rollup/RollupBase.sol";
import {TestBase} from "./utils/TestBase.sol";
import {console} from "./utils/Vm.sol";

/// @notice The real Groth16 proof of the golden format v3 batch (two trades, an oracle tick, a
/// funding tick, a deposit creating account 12 and a withdrawal of account 5; proof, verifier and
/// batch written by `zkprover fixture -shape v3-tiny` into src/generated, see build.sh) is accepted
/// by ZkPerpRollupV3's commitBatch: the rollup is deployed at the address the circuit's domain
/// names (the fixture's `rollup`), on the golden initial state as genesis; the deposit is made on
/// L1 first (its operation hash is the one the circuit consumed), the batch is committed with the
/// real proof, the withdrawal becomes claimable and every ERC-20 balance is exact. Tampered
/// records, header fields and proof bytes are refused.
contract RollupV3RealProofTest is TestBase {
    address internal constant ADMIN = address(0xAD);
    address internal constant OPERATOR = address(0x0B);
    uint256 internal constant DEADLINE = 7 days;
    uint256 internal constant TIMELOCK = 8 days;
    /// Σ collateral of the golden initial state (prover-bridge/native/batchv3/golden.go,
    /// GoldenState: accounts 5 and 9 hold 500,000 each; the fee balance and the fund hold 0). The
    /// fixture file does not carry it.
    uint256 internal constant GOLDEN_COLLATERAL = 1_000_000;

    string internal fixture;
    TestUSD internal token;
    IBatchVerifier internal verifier;
    ZkPerpRollupV3 internal rollup;
    ZkPerpRollupV3.BatchHeader internal header;
    bytes internal records;
    bytes internal proof;
    uint256 internal publicInput;

    // the fixture's one deposit and one withdrawal
    address internal depositor;
    uint256 internal depositAccount;
    uint256 internal keyX;
    uint256 internal keyY;
    uint64 internal depositAmount;
    address internal recipient;
    uint256 internal withdrawalAmount;

    function setUp() public {
        fixture = vm.readFile("src/generated/v3-tiny-proof.json");
        assertEq(vm.parseJsonUint(fixture, ".chainId"), block.chainid, "the proof's chain id is forge's");
        token = new TestUSD();
        verifier = IBatchVerifier(address(new V3TinyBatchVerifier()));
        readFixture();
        rollup = deployAt(vm.parseJsonAddress(fixture, ".rollup"));
        token.faucet(GOLDEN_COLLATERAL);
        token.approve(address(rollup), GOLDEN_COLLATERAL);
        rollup.fundGenesis();
        vm.warp(header.batchTime + 1 hours);
    }

    function readFixture() internal {
        header = ZkPerpRollupV3.BatchHeader({
            batchNumber: uint64(vm.parseJsonUint(fixture, ".batchNumber")),
            oldStateRoot: vm.parseJsonUint(fixture, ".genesisRoot"),
            newStateRoot: vm.parseJsonUint(fixture, ".newRoot"),
            batchTime: uint64(vm.parseJsonUint(fixture, ".batchTime")),
            priorityHashBefore: vm.parseJsonUint(fixture, ".priorityBefore"),
            priorityHashAfter: vm.parseJsonUint(fixture, ".priorityAfter"),
            priorityCount: uint32(vm.parseJsonUint(fixture, ".priorityCount"))
        });
        records = vm.parseJsonBytes(fixture, ".records");
        proof = vm.parseJsonBytes(fixture, ".proof");
        publicInput = vm.parseJsonUint(fixture, ".publicInput");
        assertEq(jsonLength(fixture, ".deposits"), 1, "one deposit");
        assertEq(jsonLength(fixture, ".withdrawals"), 1, "one withdrawal");
        depositor = vm.parseJsonAddress(fixture, ".deposits[0].owner");
        depositAccount = vm.parseJsonUint(fixture, ".deposits[0].account");
        keyX = vm.parseJsonUint(fixture, ".deposits[0].publicKeyX");
        keyY = vm.parseJsonUint(fixture, ".deposits[0].publicKeyY");
        depositAmount = uint64(vm.parseJsonUint(fixture, ".deposits[0].amount"));
        recipient = vm.parseJsonAddress(fixture, ".withdrawals[0].recipient");
        withdrawalAmount = vm.parseJsonUint(fixture, ".withdrawals[0].amount");
    }

    /// @notice Deploys the rollup at `where` (the address the proof's domain names) as forge-std's
    /// deployCodeTo does: the creation code runs there as a call, its runtime code is put there.
    function deployAt(address where) internal returns (ZkPerpRollupV3) {
        ZkPerpRollupV3.Genesis memory g = ZkPerpRollupV3.Genesis({
            stateRoot: header.oldStateRoot,
            // the deposit creates the first account L1 assigns; the golden accounts 5 and 9 are below it
            firstAccountId: depositAccount,
            collateral: GOLDEN_COLLATERAL
        });
        bytes memory args = abi.encode(token, verifier, ADMIN, OPERATOR, g, DEADLINE, TIMELOCK, 0);
        vm.etch(where, abi.encodePacked(type(ZkPerpRollupV3).creationCode, args));
        (bool ok, bytes memory runtime) = where.call("");
        assertTrue(ok, "constructor at the fixture's address");
        vm.etch(where, runtime);
        return ZkPerpRollupV3(where);
    }

    function depositOnL1() internal {
        vm.startPrank(depositor);
        token.faucet(depositAmount);
        token.approve(address(rollup), depositAmount);
        rollup.deposit(depositAccount, keyX, keyY, depositAmount);
        vm.stopPrank();
    }

    function commit(ZkPerpRollupV3.BatchHeader memory h, bytes memory r, bytes memory p)
        internal
        returns (uint256 gas)
    {
        vm.prank(OPERATOR);
        uint256 g = gasleft();
        rollup.commitBatch(h, r, p);
        gas = g - gasleft();
    }

    function test_realProofIsAcceptedAndTheWithdrawalPaid() public {
        depositOnL1();
        assertEq(
            rollup.depositHash(depositAccount, depositor, keyX, keyY, depositAmount),
            vm.parseJsonUint(fixture, ".deposits[0].opHash"),
            "the deposit's operation hash is the one the circuit consumed"
        );
        assertEq(rollup.priorityHashAt(1), header.priorityHashAfter, "L1's chain after the deposit = the batch's");
        assertTrue(
            keccak256(rollup.commitment(header, records)) == keccak256(vm.parseJsonBytes(fixture, ".commitment")),
            "commitment bytes"
        );
        assertEq(rollup.publicInput(header, records), publicInput, "public input");

        uint256 gas = commit(header, records, proof);
        console.log("ZkPerpRollupV3.commitBatch, v3-tiny fixture batch, real verifier (execution gas)", gas);
        console.log("  records bytes (calldata)", records.length);

        assertEq(rollup.stateRoot(), header.newStateRoot, "new root");
        assertEq(rollup.lastBatchNumber(), header.batchNumber, "batch number");
        assertEq(rollup.lastBatchTime(), header.batchTime, "batch time");
        assertEq(rollup.consumedPriorityOps(), 1, "the deposit consumed");
        assertEq(rollup.withdrawable(recipient), withdrawalAmount, "withdrawal claimable");
        assertEq(rollup.verifiedCollateral(), GOLDEN_COLLATERAL + depositAmount - withdrawalAmount, "verified");

        vm.prank(recipient);
        rollup.withdraw();
        assertEq(token.balanceOf(recipient), withdrawalAmount, "recipient paid exactly");
        assertEq(token.balanceOf(depositor), 0, "depositor spent exactly its deposit");
        assertEq(
            token.balanceOf(address(rollup)),
            GOLDEN_COLLATERAL + depositAmount - withdrawalAmount,
            "vault holds the rest"
        );
        assertEq(rollup.totalWithdrawable(), 0, "nothing left to claim");
    }

    /// @notice Expects InvalidProof for the input rebuilt from `h` and `r`. The call gets a block's
    /// worth of gas (3M): a malformed proof point makes the verifier's precompile call burn all the
    /// gas it is given, as it would in a transaction.
    function expectInvalid(ZkPerpRollupV3.BatchHeader memory h, bytes memory r, bytes memory p) internal {
        uint256 pi = rollup.publicInput(h, r);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, pi));
        vm.prank(OPERATOR);
        rollup.commitBatch{gas: 3_000_000}(h, r, p);
    }

    function test_tamperedBatchIsRefused() public {
        depositOnL1();
        ZkPerpRollupV3.BatchHeader memory h = header;
        bytes memory r = records;
        // a record byte of each step: the deposit, the oracle tick, a trade, the funding tick,
        // the other trade, the withdrawal's amount and its recipient; then a byte of the
        // first no-op (the transfer, forced-withdrawal, liquidation and period-start slots pad it)
        uint256 w = rollup.RECORD_SIZE();
        uint256[8] memory at =
            [uint256(0), w + 3, 2 * w + 10, 3 * w + 5, 4 * w + 20, 5 * w + 11, 5 * w + 31, 6 * w + 10];
        for (uint256 i; i < at.length; ++i) {
            r[at[i]] ^= 0x01;
            expectInvalid(h, r, proof);
            r[at[i]] ^= 0x01;
        }
        h.newStateRoot ^= 1;
        expectInvalid(h, r, proof);
        h.newStateRoot ^= 1;
        h.batchTime -= 1;
        expectInvalid(h, r, proof);
        h.batchTime += 1;
        bytes memory p = proof;
        for (uint256 i = 5; i < p.length; i += 97) {
            p[i] ^= 0x01;
            expectInvalid(h, r, p);
            p[i] ^= 0x01;
        }
        commit(h, r, p);
        assertEq(rollup.stateRoot(), header.newStateRoot, "the untampered batch is accepted");
    }

    /// @notice Without the deposit on L1 the batch cannot be committed; with another deposit
    /// amount the chain differs from the one the proof consumed.
    function test_theProofNeedsTheDepositOnL1() public {
        vm.expectRevert(abi.encodeWithSelector(RollupBase.TooManyPriorityOps.selector, 1, 0));
        vm.prank(OPERATOR);
        rollup.commitBatch(header, records, proof);
        vm.startPrank(depositor);
        token.faucet(depositAmount + 1);
        token.approve(address(rollup), depositAmount + 1);
        rollup.deposit(depositAccount, keyX, keyY, depositAmount + 1);
        vm.stopPrank();
        uint256 stored = rollup.priorityHashAt(1);
        vm.expectRevert(
            abi.encodeWithSelector(ZkPerpRollupV3.WrongPriorityHash.selector, 1, stored, header.priorityHashAfter)
        );
        vm.prank(OPERATOR);
        rollup.commitBatch(header, records, proof);
    }
}
