// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {ZkPerpRollupV3} from "../src/ZkPerpRollupV3.sol";
import {ForcedTradeOp} from "../src/rollup/ForcedTradeOp.sol";
import {RollupV3TestBase} from "./utils/RollupV3TestBase.sol";

/// @notice Forced trades in a format v3 batch against test-vectors/forced-trade-batch.json (Go:
/// vectors/forced_trade_batch.go, a batch sealed by batchv3.Seal with one forced trade of each
/// outcome): each forced-trade record's bytes are the layout ForcedTradeOp.RECORD_TYPE names, and
/// the rollup rebuilds the batch's commitment and public input byte for byte.
contract RollupV3ForcedTradeBatchTest is RollupV3TestBase {
    function load() internal view returns (string memory) {
        return readVectors("forced-trade-batch.json");
    }

    function str(string memory j, string memory path) internal pure returns (uint256) {
        return vm.parseJsonUint(j, path);
    }

    /// The record of case `c` written from its fields (type, accounts, market, side, size,
    /// amount, reason), zero-padded to RECORD_SIZE.
    function recordOf(string memory j, string memory c) internal pure returns (bytes memory) {
        return abi.encodePacked(
            ForcedTradeOp.RECORD_TYPE,
            uint24(str(j, string.concat(c, ".accountA"))),
            uint24(str(j, string.concat(c, ".accountB"))),
            uint8(str(j, string.concat(c, ".market"))),
            vm.parseJsonBool(j, string.concat(c, ".aBuys")) ? uint8(1) : uint8(0),
            uint64(str(j, string.concat(c, ".size"))),
            uint64(str(j, string.concat(c, ".amount"))),
            uint8(str(j, string.concat(c, ".reason"))),
            bytes9(0)
        );
    }

    function header(string memory j) internal pure returns (ZkPerpRollupV3.BatchHeader memory h) {
        h = ZkPerpRollupV3.BatchHeader({
            batchNumber: uint64(str(j, ".header.batchNumber")),
            oldStateRoot: str(j, ".header.oldRoot"),
            newStateRoot: str(j, ".header.newRoot"),
            batchTime: uint64(str(j, ".header.batchTime")),
            priorityHashBefore: str(j, ".header.priorityBefore"),
            priorityHashAfter: str(j, ".header.priorityAfter"),
            priorityCount: uint32(str(j, ".header.priorityCount"))
        });
    }

    /// @notice Every case's record (one per outcome: executed, stale, bad signature, risk, unknown
    /// market) is the record written from its fields and sits at its step's place in the batch's
    /// records; the record type and size are the rollup's.
    function test_forcedTradeRecordsMatchGo() public view {
        string memory j = load();
        assertEq(str(j, ".recordType"), rollup.RECORD_FORCED_TRADE(), "record type");
        assertEq(str(j, ".recordSize"), rollup.RECORD_SIZE(), "record size");
        assertEq(ForcedTradeOp.RECORD_LENGTH + 9, rollup.RECORD_SIZE(), "record length");
        bytes memory records = vm.parseJsonBytes(j, ".records");
        uint256 n = jsonLength(j, ".cases");
        assertEq(n, 5, "five forced trades");
        bool[5] memory seen;
        for (uint256 i; i < n; ++i) {
            string memory c = at(".cases", i);
            bytes memory want = recordOf(j, c);
            assertEq(
                uint256(keccak256(vm.parseJsonBytes(j, string.concat(c, ".record")))),
                uint256(keccak256(want)),
                "record"
            );
            bytes memory inBatch = new bytes(want.length);
            for (uint256 b; b < want.length; ++b) {
                inBatch[b] = records[i * want.length + b];
            }
            assertEq(uint256(keccak256(inBatch)), uint256(keccak256(want)), "record in the batch");
            seen[str(j, string.concat(c, ".reason"))] = true;
        }
        for (uint256 r; r < 5; ++r) {
            assertTrue(seen[r], "every outcome");
        }
    }

    /// @notice The rollup's commitment bytes and public input of Go's batch with forced trades are
    /// Go's.
    function test_forcedTradeBatchPublicInputMatchesGo() public view {
        string memory j = load();
        ZkPerpRollupV3.BatchHeader memory h = header(j);
        bytes memory records = vm.parseJsonBytes(j, ".records");
        assertEq(h.priorityCount, 5, "each forced trade consumes its operation");
        assertEq(
            uint256(keccak256(rollup.commitment(h, records))),
            uint256(keccak256(vm.parseJsonBytes(j, ".commitment"))),
            "commitment"
        );
        assertEq(rollup.publicInput(h, records), str(j, ".publicInput"), "public input");
    }
}
