// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "../src/Poseidon2.sol";
import {Poseidon2Harness} from "./utils/Harness.sol";
import {TestBase} from "./utils/TestBase.sol";
import {console} from "./utils/Vm.sol";

/// @notice Poseidon2 against test-vectors/poseidon2.json (generated from gnark-crypto v0.21.0).
contract Poseidon2Test is TestBase {
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    Poseidon2Harness internal h;

    function setUp() public {
        h = new Poseidon2Harness();
    }

    function test_modulus() public pure {
        assertEq(Poseidon2.R, R, "R");
    }

    function test_parameters() public view {
        string memory json = readVectors("poseidon2.json");
        assertEq(vm.parseJsonUint(json, ".parameters.width"), 2, "width");
        assertEq(vm.parseJsonUint(json, ".parameters.fullRounds"), 6, "fullRounds");
        assertEq(vm.parseJsonUint(json, ".parameters.partialRounds"), 50, "partialRounds");
        assertEq(vm.parseJsonUint(json, ".parameters.sboxDegree"), 5, "sboxDegree");
        assertTrue(
            keccak256(bytes(vm.parseJsonString(json, ".parameters.seed")))
                == keccak256("Poseidon2-BN254[t=2,rF=6,rP=50,d=5]"),
            "seed"
        );
    }

    /// The 62 embedded constants are the vector file's roundKeys, in order.
    function test_roundKeysMatchVectors() public view {
        string memory json = readVectors("poseidon2.json");
        uint256[62] memory k = Poseidon2.roundKeys();
        uint256 n;
        uint256 rounds = jsonLength(json, ".parameters.roundKeys");
        assertEq(rounds, 56, "rounds");
        for (uint256 i; i < rounds; ++i) {
            uint256[] memory keys = vm.parseJsonUintArray(json, at(".parameters.roundKeys", i));
            assertEq(keys.length, (i < 3 || i >= 53) ? 2 : 1, "keys per round");
            for (uint256 j; j < keys.length; ++j) {
                assertEq(k[n++], keys[j], string.concat("round key ", vm.toString(i), ".", vm.toString(j)));
            }
        }
        assertEq(n, 62, "key count");
    }

    /// The embedded constants are also the documented Keccak-256 chain: h = K(seed), then per key
    /// h = K(h), key = h mod r.
    function test_roundKeysAreKeccakChain() public pure {
        uint256[62] memory k = Poseidon2.roundKeys();
        bytes32 hh = keccak256("Poseidon2-BN254[t=2,rF=6,rP=50,d=5]");
        for (uint256 i; i < 62; ++i) {
            hh = keccak256(abi.encodePacked(hh));
            assertEq(k[i], uint256(hh) % R, "keccak chain");
        }
    }

    function test_permutationVectors() public view {
        string memory json = readVectors("poseidon2.json");
        uint256 n = jsonLength(json, ".permutation");
        assertTrue(n >= 10, "too few permutation vectors");
        for (uint256 i; i < n; ++i) {
            string memory v = at(".permutation", i);
            uint256[] memory input = vm.parseJsonUintArray(json, string.concat(v, ".input"));
            uint256[] memory output = vm.parseJsonUintArray(json, string.concat(v, ".output"));
            (uint256 c, uint256 d) = Poseidon2.permutation(input[0], input[1]);
            assertEq(c, output[0], string.concat("permutation[", vm.toString(i), "][0]"));
            assertEq(d, output[1], string.concat("permutation[", vm.toString(i), "][1]"));
            (c, d) = h.permutation(input[0], input[1]);
            assertEq(c, output[0], "harness permutation[0]");
            assertEq(d, output[1], "harness permutation[1]");
        }
    }

    function test_compressVectors() public view {
        string memory json = readVectors("poseidon2.json");
        uint256 n = jsonLength(json, ".compress");
        assertTrue(n >= 10, "too few compress vectors");
        for (uint256 i; i < n; ++i) {
            string memory v = at(".compress", i);
            uint256 l = vm.parseJsonUint(json, string.concat(v, ".left"));
            uint256 r = vm.parseJsonUint(json, string.concat(v, ".right"));
            uint256 out = vm.parseJsonUint(json, string.concat(v, ".output"));
            assertEq(Poseidon2.compress(l, r), out, string.concat("compress[", vm.toString(i), "]"));
            assertEq(h.compress(l, r), out, "harness compress");
        }
    }

    function test_hashVectors() public view {
        string memory json = readVectors("poseidon2.json");
        uint256 n = jsonLength(json, ".hash");
        assertTrue(n >= 8, "too few hash vectors");
        for (uint256 i; i < n; ++i) {
            string memory v = at(".hash", i);
            uint256[] memory inputs = vm.parseJsonUintArray(json, string.concat(v, ".inputs"));
            uint256 out = vm.parseJsonUint(json, string.concat(v, ".output"));
            assertEq(Poseidon2.hash(inputs), out, string.concat("hash[", vm.toString(i), "]"));
            assertEq(h.hash(inputs), out, "harness hash");
        }
    }

    function test_invalidCompressReverts() public {
        string memory json = readVectors("poseidon2.json");
        uint256 n = jsonLength(json, ".invalidCompress");
        assertTrue(n >= 6, "too few invalid vectors");
        for (uint256 i; i < n; ++i) {
            string memory v = at(".invalidCompress", i);
            uint256 l = vm.parseJsonUint(json, string.concat(v, ".left"));
            uint256 r = vm.parseJsonUint(json, string.concat(v, ".right"));
            assertTrue(
                keccak256(bytes(vm.parseJsonString(json, string.concat(v, ".reason")))) == keccak256("non_canonical"),
                "reason"
            );
            // The left input is checked first.
            uint256 bad = l >= R ? l : r;
            vm.expectRevert(abi.encodeWithSelector(Poseidon2.NonCanonicalFieldElement.selector, bad));
            h.compress(l, r);
        }
    }

    function test_permutationRejectsNonCanonical() public {
        vm.expectRevert(abi.encodeWithSelector(Poseidon2.NonCanonicalFieldElement.selector, R));
        h.permutation(R, 0);
        vm.expectRevert(abi.encodeWithSelector(Poseidon2.NonCanonicalFieldElement.selector, type(uint256).max));
        h.permutation(1, type(uint256).max);
    }

    function test_hashRejectsNonCanonical() public {
        uint256[] memory xs = new uint256[](3);
        xs[0] = 1;
        xs[1] = R + 5;
        vm.expectRevert(abi.encodeWithSelector(Poseidon2.NonCanonicalFieldElement.selector, R + 5));
        h.hash(xs);
    }

    function test_hashOfNothingIsZero() public view {
        assertEq(h.hash(new uint256[](0)), 0, "H()");
    }

    function testFuzz_compressIsCanonical(uint256 l, uint256 r) public view {
        l %= R;
        r %= R;
        uint256 out = h.compress(l, r);
        assertTrue(out < R, "compress >= R");
        assertEq(out, Poseidon2.compress(l, r), "internal vs external");
    }

    function testFuzz_permutationIsCanonical(uint256 a, uint256 b) public pure {
        (uint256 c, uint256 d) = Poseidon2.permutation(a % R, b % R);
        assertTrue(c < R && d < R, "permutation >= R");
    }

    function testFuzz_hashIsCanonical(uint256[] memory xs) public view {
        if (xs.length > 8) {
            assembly ("memory-safe") {
                mstore(xs, 8)
            }
        }
        uint256 s;
        for (uint256 i; i < xs.length; ++i) {
            xs[i] %= R;
            s = Poseidon2.compress(s, xs[i]);
        }
        uint256 out = h.hash(xs);
        assertTrue(out < R, "hash >= R");
        assertEq(out, s, "hash is MD over compress");
    }

    function testFuzz_compressRejectsNonCanonical(uint256 l, uint256 r) public {
        vm.assume(l >= R || r >= R);
        vm.expectRevert(abi.encodeWithSelector(Poseidon2.NonCanonicalFieldElement.selector, l >= R ? l : r));
        h.compress(l, r);
    }

    /// A plain reference permutation (every operation reduced mod R, keys from roundKeys()), for
    /// differential fuzzing of the unrolled, lazily reduced assembly.
    function refPermutation(uint256 a, uint256 b) internal pure returns (uint256, uint256) {
        uint256[62] memory k = Poseidon2.roundKeys();
        uint256 n;
        uint256 t = addmod(a, b, R);
        (a, b) = (addmod(a, t, R), addmod(b, t, R));
        for (uint256 i; i < 56; ++i) {
            if (i < 3 || i >= 53) {
                a = pow5(addmod(a, k[n++], R));
                b = pow5(addmod(b, k[n++], R));
                t = addmod(a, b, R);
                (a, b) = (addmod(a, t, R), addmod(b, t, R));
            } else {
                a = pow5(addmod(a, k[n++], R));
                t = addmod(a, b, R);
                (a, b) = (addmod(a, t, R), addmod(addmod(b, b, R), t, R));
            }
        }
        return (a, b);
    }

    function pow5(uint256 x) internal pure returns (uint256) {
        uint256 x2 = mulmod(x, x, R);
        return mulmod(mulmod(x2, x2, R), x, R);
    }

    function testFuzz_permutationMatchesReference(uint256 a, uint256 b) public pure {
        a %= R;
        b %= R;
        (uint256 c, uint256 d) = Poseidon2.permutation(a, b);
        (uint256 rc, uint256 rd) = refPermutation(a, b);
        assertEq(c, rc, "P[0]");
        assertEq(d, rd, "P[1]");
    }

    function test_referenceAgreesOnEdges() public view {
        uint256[4] memory xs = [uint256(0), 1, R - 1, R - 2];
        for (uint256 i; i < 4; ++i) {
            for (uint256 k; k < 4; ++k) {
                (uint256 c, uint256 d) = h.permutation(xs[i], xs[k]);
                (uint256 rc, uint256 rd) = refPermutation(xs[i], xs[k]);
                assertEq(c, rc, "edge P[0]");
                assertEq(d, rd, "edge P[1]");
            }
        }
    }

    /// Gas of one compression, called internally (as a contract using the library would), on
    /// runtime inputs.
    function test_gasCompress() public view {
        string memory json = readVectors("poseidon2.json");
        uint256 l = vm.parseJsonUint(json, ".compress[3].left");
        uint256 r = vm.parseJsonUint(json, ".compress[3].right");
        uint256 g = gasleft();
        uint256 out = Poseidon2.compress(l, r);
        g -= gasleft();
        assertEq(out, vm.parseJsonUint(json, ".compress[3].output"), "compress");
        console.log("gas: Poseidon2.compress (internal call)", g);
        uint256[] memory xs = vm.parseJsonUintArray(json, ".hash[7].inputs");
        g = gasleft();
        out = Poseidon2.hash(xs);
        g -= gasleft();
        console.log("gas: Poseidon2.hash of 8 elements (internal call)", g);
    }
}
