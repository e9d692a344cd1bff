// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {TinyBatchVerifier} from "../src/generated/TinyBatchVerifier.sol";
import {TestBase} from "./utils/TestBase.sol";
import {console} from "./utils/Vm.sol";

/// @notice The Groth16 verifier exported by gnark (ExportSolidity) for the tiny batch circuit,
/// against a proof made by the native prover with the same keys (src/generated, written by
/// `zkprover fixture` in check.sh): the proof is accepted, and flipping any one of a spread of
/// bits — in A, B, C, the Pedersen commitment, its proof of knowledge, or the public input — is
/// rejected.
contract BatchVerifierTest is TestBase {
    TinyBatchVerifier internal verifier;
    bytes internal proof;
    uint256 internal publicInput;

    function setUp() public {
        verifier = new TinyBatchVerifier();
        string memory j = vm.readFile("src/generated/tiny-proof.json");
        proof = vm.parseJsonBytes(j, ".proof");
        publicInput = uint256(bytes32(vm.parseJsonBytes(j, ".publicInput")));
    }

    function test_acceptsTheProof() public view {
        assertEq(proof.length, 384, "A, B, C, one commitment and its proof of knowledge");
        uint256 g = gasleft();
        verifier.verifyProof{gas: 2_000_000}(proof, [publicInput]);
        console.log("verifyProof gas (external call)", g - gasleft());
    }

    function test_rejectsOneFlippedBitInTheProof() public {
        uint16[9] memory bits = [uint16(0), 255, 511, 1000, 1535, 2047, 2300, 2600, 3071];
        for (uint256 i; i < bits.length; ++i) {
            bytes memory bad = bytes.concat(proof);
            uint256 bit = bits[i];
            uint8 mask = uint8(2 ** (bit % 8));
            bad[bit / 8] = bytes1(uint8(bad[bit / 8]) ^ mask);
            vm.expectRevert();
            // A point off the curve makes the pairing precompile consume all the gas it is given.
            verifier.verifyProof{gas: 2_000_000}(bad, [publicInput]);
        }
    }

    function test_rejectsOneFlippedBitInThePublicInput() public {
        uint8[4] memory bits = [0, 1, 100, 252];
        for (uint256 i; i < bits.length; ++i) {
            vm.expectRevert();
            verifier.verifyProof{gas: 2_000_000}(proof, [publicInput ^ (uint256(1) << bits[i])]);
        }
    }
}
