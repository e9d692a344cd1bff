// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {EscapeV2} from "../EscapeV2.sol";
import {StateLayoutV2} from "../StateLayoutV2.sol";

/// @title Layout v2 proof checks as external calls: EscapeV2.payout and StateLayoutV2.accountStateRoot
/// @notice Stateless. ZkPerpRollupV3 deploys one in its constructor and calls it for escapes and
/// genesis-account bindings, so that the proof code (leaf hashing, position unpacking, funding
/// and value) does not count against the rollup's EIP-170 code size. Any caller, any thread.
contract LayoutV2ProofChecker {
    /// @notice EscapeV2.payout(root, p): the amount owed (max(0, total)) and the total; reverts
    /// with EscapeV2's and the layout libraries' errors.
    function payout(uint256 root, EscapeV2.Proof calldata p) external pure returns (uint256 owed, int256 total) {
        return EscapeV2.payout(root, p);
    }

    /// @notice StateLayoutV2.accountStateRoot(p): the state root an account proof leads to.
    function accountStateRoot(StateLayoutV2.AccountProof calldata p) external pure returns (uint256) {
        return StateLayoutV2.accountStateRoot(p);
    }
}
