// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Vm} from "./Vm.sol";

/// @notice Minimal test base: the cheatcode handle, assertions that revert with a message (forge
/// reports a reverting test as failed, with the reason), and golden-vector helpers.
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @notice Where the golden vectors live, relative to the Foundry project root.
    string internal constant VECTORS = "../test-vectors/";

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) {
            revert(string.concat(what, ": ", vm.toString(bytes32(a)), " != ", vm.toString(bytes32(b))));
        }
    }

    function assertTrue(bool c, string memory what) internal pure {
        if (!c) revert(what);
    }

    function readVectors(string memory file) internal view returns (string memory) {
        return vm.readFile(string.concat(VECTORS, file));
    }

    /// @notice The length of the JSON array at `path` (e.g. ".compress").
    function jsonLength(string memory json, string memory path) internal view returns (uint256 n) {
        while (vm.keyExistsJson(json, string.concat(path, "[", vm.toString(n), "]"))) {
            ++n;
        }
    }

    /// @notice `path[i]`, for building JSON paths.
    function at(string memory path, uint256 i) internal pure returns (string memory) {
        return string.concat(path, "[", vm.toString(i), "]");
    }
}
