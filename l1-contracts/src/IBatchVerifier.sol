// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @notice The Groth16 verifier of the batch circuit as gnark exports it (ExportSolidity): one
/// public input; `verifyProof` returns nothing and reverts when the proof is invalid.
interface IBatchVerifier {
    function verifyProof(bytes calldata proof, uint256[1] calldata input) external view;
}
