// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {StateLayoutV1} from "./StateLayoutV1.sol";
import {StateLayoutV2} from "./StateLayoutV2.sol";

/// @title The escape hatch with positions over state layout v2 (docs/state-layout.md §9.10)
/// @notice Verifies an account's escape proof against a layout-v2 state root and returns what the
/// account is owed: collateral + Σ funding(size, snapshot, F_m) + Σ value(size, p_m) at the proven
/// market leaves, where funding = ⌊−(F − snapshot)·size / 2^32⌋ and value = ⌊size·p / 2^32⌋,
/// computed exactly in int256; a negative total is owed 0. The insurance fund does not escape.
/// Checked against test-vectors/escape-v2.json (Go reference: prover-bridge/native/escape). Not
/// yet used by ZkPerpRollup, whose state root is still layout v1: a vault that uses it must record
/// "escaped once" per account and cap what it pays at the collateral it holds for the frozen state
/// (see the section of the doc, and test/utils/EscapeV2Vault.sol).
/// @dev Leaf hashes and the account path are StateLayoutV2's, market paths StateLayoutV1.computeRoot.
library EscapeV2 {
    /// @notice A market leaf's preimage (riskHash as a field element) and its 6 siblings.
    struct MarketLeafProof {
        uint256 marketId;
        StateLayoutV1.Market market;
        uint256[] siblings;
    }

    /// @notice An account's escape proof: its leaf preimage with the account path, the markets root
    /// and the global leaf (StateLayoutV2.AccountProof), and one market proof per non-empty
    /// position entry, in entry order.
    struct Proof {
        StateLayoutV2.AccountProof account;
        MarketLeafProof[] markets;
    }

    /// @notice The insurance fund (account 2^24 - 1) cannot escape: its equity stays in the vault.
    error InsuranceFundCannotEscape();
    /// @notice Entry `entry` holds `market` but the next market proof is for another market or missing.
    error MarketProofMismatch(uint256 entry, uint256 market);
    /// @notice More market proofs than non-empty entries (a market the account does not hold).
    error UnheldMarketProof(uint256 given, uint256 held);
    /// @notice A market leaf whose path does not lead to the proof's markets root.
    error MarketNotInRoot(uint256 marketId);
    /// @notice The proof leads to another state root.
    error StateRootMismatch(uint256 expected, uint256 actual);

    uint256 private constant PRICE_FRACTION_BITS = 32;

    /// @notice Verifies `p` against `root` and returns the amount owed (max(0, total)) and the total.
    /// Reverts: InsuranceFundCannotEscape; StateLayoutV1.IndexOutOfRange / WrongProofLength
    /// (account id >= 2^24, market id >= 64, wrong sibling count); StateLayoutV2.NonCanonicalEntry /
    /// DuplicateMarket / FeeTierOutOfRange (a preimage no valid state has); MarketProofMismatch,
    /// UnheldMarketProof (market proofs not exactly the held markets in entry order);
    /// MarketNotInRoot; StateRootMismatch; Poseidon2.NonCanonicalFieldElement.
    function payout(uint256 root, Proof memory p) internal pure returns (uint256 owed, int256 total) {
        StateLayoutV2.AccountProof memory a = p.account;
        if (a.accountId == StateLayoutV2.INSURANCE_FUND_ACCOUNT) revert InsuranceFundCannotEscape();
        StateLayoutV2.PositionEntry[8] memory entries = StateLayoutV2.unpackPositions(a.positions);
        total = a.collateral;
        uint256 next;
        for (uint256 i; i < StateLayoutV2.MAX_POSITIONS; ++i) {
            StateLayoutV2.PositionEntry memory e = entries[i];
            if (e.size == 0) continue;
            if (next >= p.markets.length || p.markets[next].marketId != e.market) {
                revert MarketProofMismatch(i, e.market);
            }
            MarketLeafProof memory mp = p.markets[next];
            uint256 leaf = StateLayoutV2.marketLeaf(mp.market);
            if (StateLayoutV1.computeRoot(StateLayoutV2.MARKETS_DEPTH, leaf, mp.marketId, mp.siblings) != a.marketsRoot)
            {
                revert MarketNotInRoot(mp.marketId);
            }
            total += funding(e.size, e.fundingSnapshot, mp.market.fundingIndex) + value(e.size, mp.market.oraclePrice);
            ++next;
        }
        if (next != p.markets.length) revert UnheldMarketProof(p.markets.length, next);
        uint256 got = StateLayoutV2.accountStateRoot(a);
        if (got != root) revert StateRootMismatch(root, got);
        // total > 0 here makes the cast exact
        // forge-lint: disable-next-line(unsafe-typecast)
        owed = total > 0 ? uint256(total) : 0;
    }

    /// @notice ⌊−(index − snapshot)·size / 2^32⌋: the funding credit since the snapshot (the
    /// engine's RiskMath.fundingCredit, without its int64 bound). |result| < 2^87.
    function funding(int64 size, int64 snapshot, int64 index) internal pure returns (int256) {
        // an arithmetic right shift of an int256 is the floor of the division by 2^32
        return (-(int256(index) - int256(snapshot)) * int256(size)) >> PRICE_FRACTION_BITS;
    }

    /// @notice ⌊size·price / 2^32⌋: a position's value (the engine's RiskMath.value, without its
    /// int64 bound). |result| < 2^87.
    function value(int64 size, uint64 price) internal pure returns (int256) {
        return (int256(size) * int256(uint256(price))) >> PRICE_FRACTION_BITS;
    }
}
