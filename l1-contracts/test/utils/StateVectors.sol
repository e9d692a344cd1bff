// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {StateLayoutV1} from "../../src/StateLayoutV1.sol";
import {TestBase} from "./TestBase.sol";

/// @notice Readers for test-vectors/state.json (decimal strings for integers, 0x-hex field elements).
abstract contract StateVectors is TestBase {
    /// @notice test-vectors/state.json. Kept in memory and passed around: a storage copy would
    /// cost thousands of SLOADs per read.
    function loadState() internal view returns (string memory) {
        return readVectors("state.json");
    }

    function str(string memory j, string memory key) internal pure returns (string memory) {
        return vm.parseJsonString(j, key);
    }

    function eq(string memory a, string memory b) internal pure returns (bool) {
        return keccak256(bytes(a)) == keccak256(bytes(b));
    }

    function fe(string memory j, string memory key) internal pure returns (uint256) {
        return vm.parseJsonUint(j, key);
    }

    function num(string memory j, string memory key) internal pure returns (uint256) {
        return vm.parseJsonUint(j, key);
    }

    function u64(string memory j, string memory key) internal pure returns (uint64) {
        uint256 v = vm.parseJsonUint(j, key);
        assertTrue(v <= type(uint64).max, string.concat(key, " is not a u64"));
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(v);
    }

    function i64(string memory j, string memory key) internal pure returns (int64) {
        int256 v = vm.parseJsonInt(j, key);
        assertTrue(v >= type(int64).min && v <= type(int64).max, string.concat(key, " is not an i64"));
        // forge-lint: disable-next-line(unsafe-typecast)
        return int64(v);
    }

    function feArray(string memory j, string memory key) internal pure returns (uint256[] memory) {
        return vm.parseJsonUintArray(j, key);
    }

    /// @notice The account fields at `p` (a leaves[].fields object or a setAccount step); the
    /// roots are read only when `withRoots` (steps have none).
    function readAccount(string memory j, string memory p, bool withRoots)
        internal
        pure
        returns (StateLayoutV1.Account memory a)
    {
        a.publicKeyX = fe(j, string.concat(p, ".publicKeyX"));
        a.publicKeyY = fe(j, string.concat(p, ".publicKeyY"));
        a.l1Owner = vm.parseJsonAddress(j, string.concat(p, ".l1Owner"));
        a.nonce = u64(j, string.concat(p, ".nonce"));
        a.collateral = i64(j, string.concat(p, ".collateral"));
        if (withRoots) {
            a.positionsRoot = fe(j, string.concat(p, ".positionsRoot"));
            a.fillsRoot = fe(j, string.concat(p, ".fillsRoot"));
        }
    }

    function readRisk(string memory j, string memory p) internal pure returns (StateLayoutV1.MarketRisk memory r) {
        r.initialMarginPpm = u64(j, string.concat(p, ".initialMarginPpm"));
        r.maintenanceMarginPpm = u64(j, string.concat(p, ".maintenanceMarginPpm"));
        r.baselinePositionSize = u64(j, string.concat(p, ".baselinePositionSize"));
        r.incrementalPositionSize = u64(j, string.concat(p, ".incrementalPositionSize"));
        r.incrementalInitialMarginPpm = u64(j, string.concat(p, ".incrementalInitialMarginPpm"));
        r.maxPositionSize = u64(j, string.concat(p, ".maxPositionSize"));
        r.openInterestCap = u64(j, string.concat(p, ".openInterestCap"));
    }

    /// @notice Market fields at `p`; riskHash is read as given (leaves) or computed from `.risk` (steps).
    function readMarket(string memory j, string memory p, bool riskFromStep)
        internal
        pure
        returns (StateLayoutV1.Market memory m)
    {
        m.oraclePrice = u64(j, string.concat(p, ".oraclePrice"));
        m.oracleTimestamp = u64(j, string.concat(p, ".oracleTimestamp"));
        m.fundingIndex = i64(j, string.concat(p, ".fundingIndex"));
        m.fundingTimestamp = u64(j, string.concat(p, ".fundingTimestamp"));
        m.openInterest = u64(j, string.concat(p, ".openInterest"));
        m.riskHash = riskFromStep
            ? StateLayoutV1.marketRiskHash(readRisk(j, string.concat(p, ".risk")))
            : fe(j, string.concat(p, ".riskHash"));
    }
}
