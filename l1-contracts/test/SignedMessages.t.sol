// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "../src/Poseidon2.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice The order message hash of signed-message format 2 (docs/state-layout.md, "Signed messages")
/// recomputed with the repository's Poseidon2 library against test-vectors/signed-messages.json
/// (generated from gnark-crypto): domain separators D = H(tag, 2, chainId, rollup) and order hashes
/// H(D, e1, e2) with the fields packed big-endian.
contract SignedMessagesTest is TestBase {
    string internal constant FILE = "signed-messages.json";

    /// @notice An ASCII tag as the big-endian integer of its bytes (at most 31).
    function tag(string memory s) internal pure returns (uint256) {
        bytes memory b = bytes(s);
        uint256 v;
        for (uint256 i; i < b.length; ++i) {
            v = (v << 8) | uint8(b[i]);
        }
        return v;
    }

    function separator(string memory typeTag, uint256 chainId, address rollup) internal pure returns (uint256) {
        uint256[] memory xs = new uint256[](4);
        xs[0] = tag(typeTag);
        xs[1] = 2;
        xs[2] = chainId;
        xs[3] = uint256(uint160(rollup));
        return Poseidon2.hash(xs);
    }

    function code(string memory name, string[4] memory names) internal pure returns (uint256) {
        for (uint256 i; i < 4; ++i) {
            if (keccak256(bytes(name)) == keccak256(bytes(names[i]))) return i;
        }
        revert(string.concat("unknown enum name ", name));
    }

    function test_separators() public view {
        string memory json = readVectors(FILE);
        assertEq(vm.parseJsonUint(json, ".formatVersion"), 2, "format version");
        uint256 n = jsonLength(json, ".domains");
        assertEq(n, 2, "domains");
        for (uint256 i; i < n; ++i) {
            string memory d = at(".domains", i);
            uint256 chainId = vm.parseJsonUint(json, string.concat(d, ".chainId"));
            address rollup = vm.parseJsonAddress(json, string.concat(d, ".rollupAddress"));
            assertEq(
                separator("zkperp/order", chainId, rollup),
                vm.parseJsonUint(json, string.concat(d, ".separators.order")),
                "order separator"
            );
            assertEq(
                separator("zkperp/cancel-order", chainId, rollup),
                vm.parseJsonUint(json, string.concat(d, ".separators.cancelOrder")),
                "cancel separator"
            );
            assertEq(
                separator("zkperp/cancel-all", chainId, rollup),
                vm.parseJsonUint(json, string.concat(d, ".separators.cancelAll")),
                "cancel-all separator"
            );
            assertEq(
                separator("zkperp/oracle-price", chainId, rollup),
                vm.parseJsonUint(json, string.concat(d, ".separators.oraclePrice")),
                "oracle separator"
            );
        }
    }

    /// @notice e1 = account ‖ market ‖ flags ‖ clientOrderId ‖ nonce ‖ expiry (32, 16, 16, 32, 64, 64 bits).
    function packedHead(string memory json, string memory o) internal pure returns (uint256) {
        uint256 flags = code(vm.parseJsonString(json, string.concat(o, ".side")), ["BUY", "SELL", "", ""])
            | code(vm.parseJsonString(json, string.concat(o, ".type")), ["LIMIT", "MARKET", "", ""]) << 1
            | code(vm.parseJsonString(json, string.concat(o, ".timeInForce")), ["GTC", "IOC", "FOK", "POST_ONLY"]) << 3
            | (vm.parseJsonBool(json, string.concat(o, ".reduceOnly")) ? 1 << 5 : 0)
            | code(vm.parseJsonString(json, string.concat(o, ".trigger")), ["NONE", "STOP_LOSS", "TAKE_PROFIT", ""])
            << 6;
        assertEq(flags, vm.parseJsonUint(json, string.concat(o, ".flags")), "flags");
        return vm.parseJsonUint(json, string.concat(o, ".account")) << 192
            | vm.parseJsonUint(json, string.concat(o, ".market")) << 176 | flags << 160
            | vm.parseJsonUint(json, string.concat(o, ".clientOrderId")) << 128
            | vm.parseJsonUint(json, string.concat(o, ".nonce")) << 64
            | vm.parseJsonUint(json, string.concat(o, ".expiry"));
    }

    /// @notice e2 = size ‖ price ‖ triggerPrice ‖ feeCap (64, 64, 64, 32 bits).
    function packedTail(string memory json, string memory o) internal pure returns (uint256) {
        return vm.parseJsonUint(json, string.concat(o, ".size")) << 160
            | vm.parseJsonUint(json, string.concat(o, ".price")) << 96
            | vm.parseJsonUint(json, string.concat(o, ".triggerPrice")) << 32
            | vm.parseJsonUint(json, string.concat(o, ".feeCap"));
    }

    function test_orderHashes() public view {
        string memory json = readVectors(FILE);
        uint256[2] memory seps = [
            vm.parseJsonUint(json, ".domains[0].separators.order"),
            vm.parseJsonUint(json, ".domains[1].separators.order")
        ];
        uint256 n = jsonLength(json, ".orders");
        assertEq(n, 192, "orders");
        for (uint256 i; i < n; ++i) {
            string memory o = at(".orders", i);
            uint256[] memory packed = vm.parseJsonUintArray(json, string.concat(o, ".packed"));
            uint256 e1 = packedHead(json, o);
            uint256 e2 = packedTail(json, o);
            assertEq(e1, packed[0], string.concat("e1 of order ", vm.toString(i)));
            assertEq(e2, packed[1], string.concat("e2 of order ", vm.toString(i)));
            uint256[] memory xs = new uint256[](3);
            xs[0] = seps[vm.parseJsonUint(json, string.concat(o, ".domain"))];
            xs[1] = e1;
            xs[2] = e2;
            assertEq(
                Poseidon2.hash(xs),
                vm.parseJsonUint(json, string.concat(o, ".hash")),
                string.concat("hash of order ", vm.toString(i))
            );
        }
    }

    /// @notice One field changed (the price, by one quantum) or the other domain: another hash.
    function test_orderHashBindsFieldsAndDomain() public view {
        string memory json = readVectors(FILE);
        string memory o = ".orders[1]";
        uint256 d = vm.parseJsonUint(json, string.concat(o, ".domain"));
        uint256[] memory xs = new uint256[](3);
        xs[0] = vm.parseJsonUint(json, string.concat(".domains[", vm.toString(d), "].separators.order"));
        xs[1] = packedHead(json, o);
        xs[2] = packedTail(json, o);
        uint256 expected = vm.parseJsonUint(json, string.concat(o, ".hash"));
        assertEq(Poseidon2.hash(xs), expected, "unchanged");
        xs[2] = xs[2] + (1 << 96); // price + 1
        assertTrue(Poseidon2.hash(xs) != expected, "a changed price must change the hash");
        xs[2] = packedTail(json, o);
        xs[0] = vm.parseJsonUint(json, string.concat(".domains[", vm.toString(1 - d), "].separators.order"));
        assertTrue(Poseidon2.hash(xs) != expected, "another domain must change the hash");
    }
}
