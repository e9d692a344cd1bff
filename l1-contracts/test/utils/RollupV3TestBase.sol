// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IBatchVerifier} from "../../src/IBatchVerifier.sol";
import {Poseidon2} from "../../src/Poseidon2.sol";
import {TestUSD} from "../../src/TestUSD.sol";
import {ZkPerpRollupV3} from "../../src/ZkPerpRollupV3.sol";
import {AcceptAllVerifier} from "./RollupMocks.sol";
import {TestBase} from "./TestBase.sol";

/// @notice Shared setup of the format v3 rollup's unit tests: TestUSD collateral, a verifier that
/// accepts every proof (the public input is still rebuilt by the rollup), a genesis state root
/// chosen by hand holding GENESIS_COLLATERAL (funded in setUp) with accounts below FIRST_ID, and
/// builders of format v3 records (35 bytes each, docs/batch-format.md "Format v3").
abstract contract RollupV3TestBase is TestBase {
    uint256 internal constant DEADLINE = 7 days;
    uint256 internal constant TIMELOCK = 8 days;
    uint256 internal constant R = Poseidon2.R;
    uint256 internal constant GENESIS_ROOT = 0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef;
    uint256 internal constant FIRST_ID = 10;
    uint64 internal constant GENESIS_COLLATERAL = 5_000;
    /// The batch times of the tests: the clock starts at T0 + 1 hour.
    uint64 internal constant T0 = 1_800_000_000;

    address internal constant ADMIN = address(0xAD);
    address internal constant OPERATOR = address(0x0B);
    address internal constant ALICE = address(uint160(0x00aa00000000000000000000000000000000000001));
    address internal constant BOB = address(uint160(0x00aa00000000000000000000000000000000000002));

    // Two points of gnark's BN254 twisted Edwards curve (the keys of test-vectors/batches.json's holders 1 and 2).
    uint256 internal constant K1X = 0x2cd2f2defa4fe4b3c59d8390ea31f0816854d16d15b9bf771ec0ddc687a6e107;
    uint256 internal constant K1Y = 0x054be65d0192c1390ab7db955bc7fac1ffb871e72c19dea631e316955bdaf199;

    TestUSD internal token;
    IBatchVerifier internal verifier;
    ZkPerpRollupV3 internal rollup;

    function setUp() public virtual {
        vm.warp(T0 + 1 hours);
        token = new TestUSD();
        verifier = new AcceptAllVerifier();
        rollup = deployRollup(verifier, GENESIS_COLLATERAL, 0);
        fundGenesis(rollup);
    }

    function deployRollup(IBatchVerifier v, uint256 genesisCollateral, uint256 fee) internal returns (ZkPerpRollupV3) {
        return new ZkPerpRollupV3(
            token,
            v,
            ADMIN,
            OPERATOR,
            ZkPerpRollupV3.Genesis({stateRoot: GENESIS_ROOT, firstAccountId: FIRST_ID, collateral: genesisCollateral}),
            DEADLINE,
            TIMELOCK,
            fee
        );
    }

    function fundGenesis(ZkPerpRollupV3 r) internal {
        uint256 amount = r.GENESIS_COLLATERAL();
        token.faucet(amount);
        token.approve(address(r), amount);
        r.fundGenesis();
    }

    // ---- records (35 bytes) ---------------------------------------------------------------------

    function depositRecord() internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(1), bytes32(0), bytes2(0));
    }

    function withdrawalRecord(uint24 account, uint64 amount, address owner) internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(2), account, amount, owner, bytes3(0));
    }

    function forcedRecord(uint24 account, uint64 paid, address owner) internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(4), account, paid, owner, bytes3(0));
    }

    /// A trade record (type 5) whose other 34 bytes look like a withdrawal's amount and owner, to
    /// show that only types 2 and 4 pay.
    function tradeRecord() internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(5), uint24(1), uint64(777), ALICE, bytes3(0));
    }

    function noopRecord() internal pure returns (bytes memory) {
        return new bytes(35);
    }

    // ---- batches --------------------------------------------------------------------------------

    /// @notice The header of the next batch consuming `count` priority operations at time `t`.
    function nextHeader(uint256 newRoot, uint64 t, uint32 count)
        internal
        view
        returns (ZkPerpRollupV3.BatchHeader memory h)
    {
        uint256 first = rollup.consumedPriorityOps();
        h = ZkPerpRollupV3.BatchHeader({
            batchNumber: rollup.lastBatchNumber() + 1,
            oldStateRoot: rollup.stateRoot(),
            newStateRoot: newRoot,
            batchTime: t,
            priorityHashBefore: rollup.priorityHashAt(first),
            priorityHashAfter: rollup.priorityHashAt(first + count),
            priorityCount: count
        });
    }

    function commit(ZkPerpRollupV3.BatchHeader memory h, bytes memory records) internal {
        vm.prank(OPERATOR);
        rollup.commitBatch(h, records, "");
    }

    /// @notice Faucet, approve and deposit as `who`.
    function depositAs(address who, uint256 id, uint256 x, uint256 y, uint64 amount) internal returns (uint256 index) {
        vm.startPrank(who);
        token.faucet(amount);
        token.approve(address(rollup), amount);
        index = rollup.deposit(id, x, y, amount);
        vm.stopPrank();
    }

    function vaultBalanceMatches(ZkPerpRollupV3 r) internal view {
        assertEq(
            token.balanceOf(address(r)),
            r.pendingDepositTotal() + r.totalWithdrawable() + r.verifiedCollateral(),
            "vault == pending + withdrawable + verified"
        );
    }
}
