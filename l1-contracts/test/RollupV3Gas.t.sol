// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {ZkPerpRollupV3} from "../src/ZkPerpRollupV3.sol";
import {RollupV3TestBase} from "./utils/RollupV3TestBase.sol";
import {console} from "./utils/Vm.sol";

/// @notice Gas of ZkPerpRollupV3.commitBatch as a function of its records, with the accept-all
/// verifier (the verifier's own cost is the real-proof test's): execution gas of the call measured
/// with gasleft(), for batches of n trade records and of n withdrawal records, and the calldata
/// bytes a transaction would carry. Logged for docs/benchmarks.md ("L1 contracts (gas)", format
/// v3); asserts only that each record costs something and that the cost grows linearly.
contract RollupV3GasTest is RollupV3TestBase {
    /// A trade record with non-zero bytes in every field (type 5, buyer, seller, market, size,
    /// price, both order nonces), as a real trade has.
    function trade(uint24 i) internal pure returns (bytes memory) {
        return abi.encodePacked(
            uint8(5), 1 + i, 2 + i, uint8(1), uint56(1_000) + i, uint32(1_234_567), uint64(100 + i), uint64(101 + i)
        );
    }

    function tradeBatch(uint24 n) internal pure returns (bytes memory r) {
        for (uint24 i; i < n; ++i) {
            r = bytes.concat(r, trade(i));
        }
    }

    function withdrawalBatch(uint24 n) internal pure returns (bytes memory r) {
        for (uint24 i; i < n; ++i) {
            r = bytes.concat(r, withdrawalRecord(1 + i, 1, address(uint160(0xa000) + i)));
        }
    }

    /// @notice Commits `records` as the next batch; returns the call's execution gas.
    function measure(bytes memory records) internal returns (uint256 gas) {
        ZkPerpRollupV3.BatchHeader memory h = nextHeader(rollup.stateRoot() + 1, T0, 0);
        vm.prank(OPERATOR);
        uint256 g = gasleft();
        rollup.commitBatch(h, records, "");
        gas = g - gasleft();
    }

    function test_gasPerTradeRecord() public {
        uint24[4] memory n = [uint24(1), 16, 32, 64];
        uint256[4] memory gas;
        for (uint256 i; i < n.length; ++i) {
            // a fresh batch each time, after a warm-up batch so that every slot is written before
            measure(tradeBatch(1));
            gas[i] = measure(tradeBatch(n[i]));
            console.log(string.concat("commitBatch execution gas, trade records: ", vm.toString(n[i])), gas[i]);
        }
        uint256 perRecord = (gas[3] - gas[0]) / (n[3] - n[0]);
        console.log("  per trade record (64 vs 1), execution gas", perRecord);
        console.log("  calldata bytes per trade record", 35);
        assertTrue(perRecord > 0 && gas[2] - gas[1] <= (gas[3] - gas[2]) * 2, "linear in the records");
    }

    function test_gasPerWithdrawalRecord() public {
        // enough verified collateral for 64 withdrawals of 1
        measure(tradeBatch(1));
        uint256 one = measure(withdrawalBatch(1));
        uint256 many = measure(withdrawalBatch(33));
        console.log("commitBatch execution gas, withdrawal records: 1", one);
        console.log("commitBatch execution gas, withdrawal records: 33", many);
        console.log("  per withdrawal record (new recipient each), execution gas", (many - one) / 32);
        assertTrue(many > one, "withdrawals cost gas");
    }
}
