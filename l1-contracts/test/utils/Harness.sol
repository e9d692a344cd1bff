// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "../../src/Poseidon2.sol";
import {StateLayoutV1} from "../../src/StateLayoutV1.sol";

/// @notice External entry points to the internal library functions, so that tests can expect
/// reverts (vm.expectRevert applies to the next call) and `forge test --gas-report` can measure them.
contract Poseidon2Harness {
    function permutation(uint256 a, uint256 b) external pure returns (uint256, uint256) {
        return Poseidon2.permutation(a, b);
    }

    function compress(uint256 l, uint256 r) external pure returns (uint256) {
        return Poseidon2.compress(l, r);
    }

    function hash(uint256[] memory inputs) external pure returns (uint256) {
        return Poseidon2.hash(inputs);
    }
}

contract StateLayoutV1Harness {
    function computeRoot(uint256 depth, uint256 leaf, uint256 index, uint256[] memory siblings)
        external
        pure
        returns (uint256)
    {
        return StateLayoutV1.computeRoot(depth, leaf, index, siblings);
    }

    function computeAccountsRoot(uint256 leaf, uint256 accountId, uint256[] memory siblings)
        external
        pure
        returns (uint256)
    {
        return StateLayoutV1.computeAccountsRoot(leaf, accountId, siblings);
    }

    function verifyAccount(uint256 root, uint256 leaf, uint256 accountId, uint256[] memory siblings)
        external
        pure
        returns (bool)
    {
        return StateLayoutV1.verify(root, StateLayoutV1.ACCOUNTS_DEPTH, leaf, accountId, siblings);
    }

    function computePositionsRoot(uint256 leaf, uint256 marketId, uint256[] memory siblings)
        external
        pure
        returns (uint256)
    {
        return StateLayoutV1.computePositionsRoot(leaf, marketId, siblings);
    }

    function computeFillsRoot(uint256 leaf, uint256 slot, uint256[] memory siblings) external pure returns (uint256) {
        return StateLayoutV1.computeFillsRoot(leaf, slot, siblings);
    }

    function computeMarketsRoot(uint256 leaf, uint256 marketId, uint256[] memory siblings)
        external
        pure
        returns (uint256)
    {
        return StateLayoutV1.computeMarketsRoot(leaf, marketId, siblings);
    }

    function accountLeaf(StateLayoutV1.Account memory a) external pure returns (uint256) {
        return StateLayoutV1.accountLeaf(a);
    }

    function positionLeaf(int64 size, int64 fundingIndexSnapshot) external pure returns (uint256) {
        return StateLayoutV1.positionLeaf(size, fundingIndexSnapshot);
    }

    function stateRoot(uint256 accountsRoot, uint256 marketsRoot, uint256 globalLeaf) external pure returns (uint256) {
        return StateLayoutV1.stateRoot(accountsRoot, marketsRoot, globalLeaf);
    }

    function verifyPosition(uint256 root, StateLayoutV1.PositionProof memory p) external pure returns (bool) {
        return StateLayoutV1.verifyPosition(root, p);
    }

    function verifyMarket(uint256 root, StateLayoutV1.MarketProof memory p) external pure returns (bool) {
        return StateLayoutV1.verifyMarket(root, p);
    }

    function emptySubtree(uint256 height) external pure returns (uint256) {
        return StateLayoutV1.emptySubtree(height);
    }

    function toInt64(uint256 e) external pure returns (int64) {
        return StateLayoutV1.toInt64(e);
    }
}
