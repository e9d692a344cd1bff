// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {EscapeV2} from "../../src/EscapeV2.sol";
import {StateLayoutV2} from "../../src/StateLayoutV2.sol";
import {StateVectors} from "./StateVectors.sol";

/// @notice Readers of layout v2 proofs as the Go vector files write them (escape-v2.json,
/// rollup-v3-batches.json): an account's proof and a market's proof.
abstract contract StateV2Vectors is StateVectors {
    /// @notice The account proof at `p` ({accountId, account, accountSiblings}) to the markets
    /// root and global leaf of the state at `statePath`.
    function accountProofAt(string memory j, string memory p, string memory statePath)
        internal
        pure
        returns (StateLayoutV2.AccountProof memory a)
    {
        string memory ap = string.concat(p, ".account");
        a.accountId = num(j, string.concat(p, ".accountId"));
        a.identity.publicKeyX = fe(j, string.concat(ap, ".identity.publicKeyX"));
        a.identity.publicKeyY = fe(j, string.concat(ap, ".identity.publicKeyY"));
        a.identity.l1Owner = vm.parseJsonAddress(j, string.concat(ap, ".identity.l1Owner"));
        uint256 tier = num(j, string.concat(ap, ".identity.feeTier"));
        // forge-lint: disable-next-line(unsafe-typecast)
        a.identity.feeTier = uint8(tier); // < 8 in the vectors
        a.nonce = u64(j, string.concat(ap, ".nonce"));
        a.collateral = i64(j, string.concat(ap, ".collateral"));
        a.fillsRoot = fe(j, string.concat(ap, ".fillsRoot"));
        uint256[] memory q = feArray(j, string.concat(ap, ".packed"));
        for (uint256 k; k < 4; ++k) {
            a.positions[k] = q[k];
        }
        a.accountSiblings = feArray(j, string.concat(p, ".accountSiblings"));
        a.marketsRoot = fe(j, string.concat(statePath, ".marketsRoot"));
        a.globalLeaf = fe(j, string.concat(statePath, ".globalLeaf"));
    }

    /// @notice The escape proof at `p` (an account proof and its `markets` proofs) to the state at
    /// `statePath`.
    function escapeProofAt(string memory j, string memory p, string memory statePath)
        internal
        view
        returns (EscapeV2.Proof memory e)
    {
        e.account = accountProofAt(j, p, statePath);
        uint256 n = jsonLength(j, string.concat(p, ".markets"));
        e.markets = new EscapeV2.MarketLeafProof[](n);
        for (uint256 k; k < n; ++k) {
            e.markets[k] = marketProofAt(j, at(string.concat(p, ".markets"), k));
        }
    }

    /// @notice The market proof at `p` ({id, market, siblings}).
    function marketProofAt(string memory j, string memory p)
        internal
        pure
        returns (EscapeV2.MarketLeafProof memory mp)
    {
        mp.marketId = num(j, string.concat(p, ".id"));
        string memory m = string.concat(p, ".market");
        mp.market.oraclePrice = u64(j, string.concat(m, ".oraclePrice"));
        mp.market.oracleTimestamp = u64(j, string.concat(m, ".oracleTimestamp"));
        mp.market.fundingIndex = i64(j, string.concat(m, ".fundingIndex"));
        mp.market.fundingTimestamp = u64(j, string.concat(m, ".fundingTimestamp"));
        mp.market.openInterest = u64(j, string.concat(m, ".openInterest"));
        mp.market.riskHash = fe(j, string.concat(m, ".risk.hash"));
        mp.siblings = feArray(j, string.concat(p, ".siblings"));
    }
}
