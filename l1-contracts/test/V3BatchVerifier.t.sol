// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {V3TinyBatchVerifier} from "../src/generated/V3TinyBatchVerifier.sol";
import {TestBase} from "./utils/TestBase.sol";
import {console} from "./utils/Vm.sol";

/// @notice The Groth16 verifier gnark exports for the format v3 batch circuit, shape v3-tiny, for
/// the fixture deployment (chain id 31337, rollup 0x9fE4…a6e0), against the proof of the golden
/// batch (two trades, an oracle tick, a funding tick, a deposit and a withdrawal) that
/// `zkprover fixture -shape v3-tiny` writes into src/generated/ (build.sh): the proof is accepted
/// for its public input, which is the SHA-256 of the fixture's commitment with the top three bits
/// cleared; it is rejected for the input + 1 and with any one of a spread of proof bytes changed.
contract V3BatchVerifierTest is TestBase {
    V3TinyBatchVerifier internal verifier;
    string internal fixture;
    bytes internal proof;
    uint256 internal publicInput;

    function setUp() public {
        verifier = new V3TinyBatchVerifier();
        fixture = vm.readFile("src/generated/v3-tiny-proof.json");
        proof = vm.parseJsonBytes(fixture, ".proof");
        publicInput = uint256(bytes32(vm.parseJsonBytes(fixture, ".publicInput")));
    }

    function test_acceptsTheFixtureProof() public view {
        uint256 g = gasleft();
        verifier.verifyProof{gas: 2_000_000}(proof, [publicInput]);
        console.log("v3-tiny verifyProof gas (external call)", g - gasleft());
    }

    /// @notice The public input is what an L1 contract recomputes from calldata: SHA-256 of the
    /// commitment (header, then the records) with the top three bits cleared; the header holds the
    /// fixture's roots, batch number, batch time and priority fields in docs/batch-format.md's order.
    function test_thePublicInputIsTheCommitmentHash() public view {
        bytes memory c = vm.parseJsonBytes(fixture, ".commitment");
        uint256 h = uint256(sha256(c)) & (type(uint256).max >> 3);
        assertEq(h, publicInput, "sha256(commitment) with the top 3 bits cleared");
        bytes memory header = abi.encodePacked(
            vm.parseJsonBytes(fixture, ".genesisRoot"),
            vm.parseJsonBytes(fixture, ".newRoot"),
            uint64(vm.parseJsonUint(fixture, ".batchNumber")),
            uint64(vm.parseJsonUint(fixture, ".batchTime")),
            vm.parseJsonBytes(fixture, ".priorityBefore"),
            vm.parseJsonBytes(fixture, ".priorityAfter"),
            uint32(vm.parseJsonUint(fixture, ".priorityCount"))
        );
        assertEq(header.length, 148, "header length");
        assertEq(
            uint256(keccak256(bytes.concat(header, vm.parseJsonBytes(fixture, ".records")))),
            uint256(keccak256(c)),
            "commitment = header || records"
        );
    }

    function test_rejectsThePublicInputPlusOne() public {
        vm.expectRevert();
        verifier.verifyProof{gas: 2_000_000}(proof, [publicInput + 1]);
    }

    function test_rejectsAChangedProofByte() public {
        uint256[7] memory at_ = [uint256(0), 31, 64, 100, 200, 300, proof.length - 1];
        for (uint256 i; i < at_.length; ++i) {
            bytes memory bad = bytes.concat(proof);
            bad[at_[i]] = bytes1(uint8(bad[at_[i]]) ^ 0x01);
            vm.expectRevert();
            // A point off the curve makes the pairing precompile consume all the gas it is given.
            verifier.verifyProof{gas: 2_000_000}(bad, [publicInput]);
        }
    }
}
