// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "./Poseidon2.sol";
import {StateLayoutV1} from "./StateLayoutV1.sol";

/// @title zkperp state layout, version 2 (docs/state-layout.md, section 9)
/// @notice Tags, depths, the position-list packing, every v2 leaf, the oracle-signer tree, the
/// fee-tier hash, the global leaf and the state root, checked by the tests against the golden
/// vectors in test-vectors/state-v2.json. Not yet used by ZkPerpRollup: its escape hatch still
/// verifies layout v1 proofs (StateLayoutV1) until the batch circuit moves to v2.
/// @dev Hashing, the integer embeddings and Merkle proofs are those of v1 (StateLayoutV1); a leaf
/// is H(TAG, fields...) with Compress(0, TAG) precomputed per kind (the *_IV constants).
library StateLayoutV2 {
    /// @notice The layout version these rules implement.
    uint256 internal constant VERSION = 2;

    // ---- domain tags: the ASCII strings read as big-endian integers -----------------------------

    /// @notice "zkperp/account/v2"
    uint256 internal constant TAG_ACCOUNT = 0x0000000000000000000000000000007a6b706572702f6163636f756e742f7632;
    /// @notice "zkperp/account-identity/v2"
    uint256 internal constant TAG_ACCOUNT_IDENTITY = 0x0000000000007a6b706572702f6163636f756e742d6964656e746974792f7632;
    /// @notice "zkperp/fill/v2"
    uint256 internal constant TAG_FILL = 0x0000000000000000000000000000000000007a6b706572702f66696c6c2f7632;
    /// @notice "zkperp/market/v2"
    uint256 internal constant TAG_MARKET = 0x000000000000000000000000000000007a6b706572702f6d61726b65742f7632;
    /// @notice "zkperp/market-risk/v2"
    uint256 internal constant TAG_MARKET_RISK = 0x00000000000000000000007a6b706572702f6d61726b65742d7269736b2f7632;
    /// @notice "zkperp/global/v2"
    uint256 internal constant TAG_GLOBAL = 0x000000000000000000000000000000007a6b706572702f676c6f62616c2f7632;
    /// @notice "zkperp/oracle-signer/v2"
    uint256 internal constant TAG_ORACLE_SIGNER = 0x0000000000000000007a6b706572702f6f7261636c652d7369676e65722f7632;
    /// @notice "zkperp/fee-tiers/v2"
    uint256 internal constant TAG_FEE_TIERS = 0x000000000000000000000000007a6b706572702f6665652d74696572732f7632;
    /// @notice "zkperp/state/v2"
    uint256 internal constant TAG_STATE = 0x00000000000000000000000000000000007a6b706572702f73746174652f7632;

    // ---- Compress(0, TAG) ---------------------------------------------------------------------------

    uint256 internal constant ACCOUNT_IV = 0x0e842d2cce12eda58d85de71e79c3d88263a2bcdae89f50b63083119c083241f;
    uint256 internal constant ACCOUNT_IDENTITY_IV = 0x253e377debc4f041d99297708a96f93f00992d1c83b89a04d5cfae67cb28e058;
    uint256 internal constant FILL_IV = 0x2fa9d86055f338fbe25cede2a6a4f901b36494220da8e0b1d447e328332497b0;
    uint256 internal constant MARKET_IV = 0x137445d0bce83aae0401eb19ff208cc0662337aaa0f8d1588dccca6ae04f1d45;
    uint256 internal constant MARKET_RISK_IV = 0x1294a3bfa2bbd6bbe548e936ed8237a51ea7e315e0a674d760fc739a3805b8e8;
    uint256 internal constant GLOBAL_IV = 0x27060d54f4f925813162482a7a82883c7140b55111eeb8612f414a391793fd08;
    uint256 internal constant ORACLE_SIGNER_IV = 0x244d27818ae9549e3c77172d7c9778893305f8e00f985ad13a9edc60f816537f;
    uint256 internal constant FEE_TIERS_IV = 0x11d23e5d88571887e82e1177f432b08799bc7aceeeb4f4e500f3230b73b5dc67;
    uint256 internal constant STATE_IV = 0x18b5680e539f816abc7f5580483001db2c392a2863c009744864724bf703ee67;

    // ---- trees and bounds -----------------------------------------------------------------------------

    /// @notice Depth of the accounts tree (index = account id).
    uint256 internal constant ACCOUNTS_DEPTH = 24;
    /// @notice Depth of an account's fills tree (index = order nonce mod 2^12).
    uint256 internal constant FILLS_DEPTH = 12;
    /// @notice Depth of the markets tree (index = market id).
    uint256 internal constant MARKETS_DEPTH = 6;
    /// @notice Depth of the oracle-signer tree (16 slots).
    uint256 internal constant ORACLE_SIGNERS_DEPTH = 4;
    /// @notice The insurance fund's account id: 2^24 - 1.
    uint256 internal constant INSURANCE_FUND_ACCOUNT = (1 << 24) - 1;
    /// @notice Entries of an account's position list (the bound on open positions).
    uint256 internal constant MAX_POSITIONS = 8;
    /// @notice Fee tiers in the fee-tier hash.
    uint256 internal constant FEE_TIERS = 8;
    /// @notice Slots of the oracle-signer tree.
    uint256 internal constant ORACLE_SIGNER_SLOTS = 16;
    /// @notice The largest |size| of a position entry: 2^55 - 1.
    int64 internal constant MAX_ABS_SIZE = int64((1 << 55) - 1);
    /// @notice Bits of one packed entry.
    uint256 internal constant ENTRY_BITS = 126;
    /// @notice 2^126 - 1.
    uint256 internal constant ENTRY_MASK = (1 << 126) - 1;
    /// @notice Added to a signed fee rate before hashing: 2^20.
    int256 internal constant FEE_RATE_OFFSET = 1 << 20;
    /// @notice The largest |fee rate| in ppm.
    int256 internal constant MAX_FEE_RATE_PPM = 1_000_000;
    /// @notice Z12: a new account's fillsRoot.
    uint256 internal constant EMPTY_FILLS_ROOT = 0x094a9ef0b9ac65845e8c729a05bb6c6c7a77aae048d7aa20974da272784bed22;
    /// @notice Z4: the root of the empty oracle-signer tree.
    uint256 internal constant EMPTY_ORACLE_SIGNERS_ROOT =
        0x0529faba7f5b8973838ad1a98f4f4dca60fccb16809659f1de31a258b439d9dc;

    // ---- errors -------------------------------------------------------------------------------------

    /// @notice A non-empty entry with market >= 64 or |size| >= 2^55.
    error PositionOutOfRange(uint256 market, int256 size);
    /// @notice Two non-empty entries hold the same market.
    error DuplicateMarket(uint256 market);
    /// @notice A packed value no valid position list packs to.
    error NonCanonicalEntry(uint256 value);
    /// @notice A fee tier index >= 8 or a rate outside [-10^6, 10^6] ppm.
    error FeeTierOutOfRange(int256 value);
    /// @notice An oracle quorum above 16.
    error QuorumOutOfRange(uint256 quorum);

    // ---- contents -------------------------------------------------------------------------------------

    /// @notice One position entry; size 0 = empty (its market and snapshot are not stored).
    struct PositionEntry {
        uint8 market;
        int64 size;
        int64 fundingSnapshot;
    }

    /// @notice The fields of the identity hash.
    struct Identity {
        uint256 publicKeyX;
        uint256 publicKeyY;
        address l1Owner;
        uint8 feeTier;
    }

    /// @notice A market's risk parameters and tick bounds, in hashing order.
    struct MarketRisk {
        uint64 initialMarginPpm;
        uint64 maintenanceMarginPpm;
        uint64 baselinePositionSize;
        uint64 incrementalPositionSize;
        uint64 incrementalInitialMarginPpm;
        uint64 maxPositionSize;
        uint64 openInterestCap;
        uint64 oracleMaxAgeSeconds;
        uint64 oracleMaxFutureSeconds;
        uint64 oracleMaxMovePpm;
        uint64 fundingMinIntervalSeconds;
        uint64 fundingMaxRatePpm;
    }

    /// @notice One fee tier: signed ppm rates.
    struct FeeTier {
        int32 makerPpm;
        int32 takerPpm;
    }

    // ---- position list ----------------------------------------------------------------------------------

    /// @notice 0 for an empty entry, else market + (size + 2^55)·2^6 + (fundingSnapshot + 2^63)·2^62.
    function packEntry(PositionEntry memory e) internal pure returns (uint256) {
        if (e.size == 0) return 0;
        if (e.market > 63 || e.size > MAX_ABS_SIZE || e.size < -MAX_ABS_SIZE) {
            revert PositionOutOfRange(e.market, e.size);
        }
        // both offsets make the fields non-negative and below 2^56 / 2^64: the casts are exact
        // forge-lint: disable-next-line(unsafe-typecast)
        uint256 size = uint256(int256(e.size) + (1 << 55));
        // forge-lint: disable-next-line(unsafe-typecast)
        uint256 snapshot = uint256(int256(e.fundingSnapshot) + (1 << 63));
        return uint256(e.market) | (size << 6) | (snapshot << 62);
    }

    /// @notice Inverts packEntry; reverts NonCanonicalEntry on a value it never produces.
    function unpackEntry(uint256 v) internal pure returns (PositionEntry memory e) {
        if (v >> ENTRY_BITS != 0) revert NonCanonicalEntry(v);
        if (v == 0) return e;
        uint256 sizeField = (v >> 6) & ((1 << 56) - 1);
        if (sizeField == 0 || sizeField == 1 << 55) revert NonCanonicalEntry(v);
        // forge-lint: disable-next-line(unsafe-typecast)
        e.market = uint8(v & 63);
        // sizeField - 2^55 is in (-2^55, 2^55), snapshot field - 2^63 in [-2^63, 2^63): exact casts
        // forge-lint: disable-next-line(unsafe-typecast)
        e.size = int64(int256(sizeField) - (1 << 55));
        // forge-lint: disable-next-line(unsafe-typecast)
        e.fundingSnapshot = int64(int256(v >> 62) - (1 << 63));
    }

    /// @notice q1 ... q4 of a list of 8 entries (q_k = entry_{2k-2} + entry_{2k-1}·2^126); reverts on
    /// an out-of-range entry or a market held twice.
    function packPositions(PositionEntry[MAX_POSITIONS] memory p) internal pure returns (uint256[4] memory q) {
        _checkDistinct(p);
        for (uint256 k; k < 4; ++k) {
            q[k] = packEntry(p[2 * k]) | (packEntry(p[2 * k + 1]) << ENTRY_BITS);
        }
    }

    /// @notice Inverts packPositions; reverts NonCanonicalEntry or DuplicateMarket.
    function unpackPositions(uint256[4] memory q) internal pure returns (PositionEntry[MAX_POSITIONS] memory p) {
        for (uint256 k; k < 4; ++k) {
            if (q[k] >> (2 * ENTRY_BITS) != 0) revert NonCanonicalEntry(q[k]);
            p[2 * k] = unpackEntry(q[k] & ENTRY_MASK);
            p[2 * k + 1] = unpackEntry(q[k] >> ENTRY_BITS);
        }
        _checkDistinct(p);
    }

    function _checkDistinct(PositionEntry[MAX_POSITIONS] memory p) private pure {
        uint256 seen;
        for (uint256 i; i < MAX_POSITIONS; ++i) {
            if (p[i].size == 0) continue;
            uint256 bit = uint256(1) << p[i].market;
            if (seen & bit != 0) revert DuplicateMarket(p[i].market);
            seen |= bit;
        }
    }

    // ---- leaves ---------------------------------------------------------------------------------------

    /// @notice H(TAG_ACCOUNT_IDENTITY_V2, publicKeyX, publicKeyY, l1Owner, feeTier).
    function identityHash(Identity memory i) internal pure returns (uint256 s) {
        if (i.feeTier >= FEE_TIERS) revert FeeTierOutOfRange(int256(uint256(i.feeTier)));
        s = Poseidon2.compress(ACCOUNT_IDENTITY_IV, i.publicKeyX);
        s = Poseidon2.compress(s, i.publicKeyY);
        s = Poseidon2.compress(s, StateLayoutV1.fromAddress(i.l1Owner));
        s = Poseidon2.compress(s, i.feeTier);
    }

    /// @notice H(TAG_ACCOUNT_V2, identity, nonce, collateral, fillsRoot, q1, q2, q3, q4).
    function accountLeaf(uint256 identity, uint64 nonce, int64 collateral, uint256 fillsRoot, uint256[4] memory q)
        internal
        pure
        returns (uint256 s)
    {
        s = Poseidon2.compress(ACCOUNT_IV, identity);
        s = Poseidon2.compress(s, nonce);
        s = Poseidon2.compress(s, StateLayoutV1.fromInt64(collateral));
        s = Poseidon2.compress(s, fillsRoot);
        for (uint256 k; k < 4; ++k) {
            s = Poseidon2.compress(s, q[k]);
        }
    }

    /// @notice H(TAG_FILL_V2, orderNonce + filledAmount·2^64).
    function fillLeaf(uint64 orderNonce, uint64 filledAmount) internal pure returns (uint256) {
        return Poseidon2.compress(FILL_IV, uint256(orderNonce) | (uint256(filledAmount) << 64));
    }

    /// @notice H(TAG_MARKET_RISK_V2, the twelve parameters in declaration order).
    function marketRiskHash(MarketRisk memory r) internal pure returns (uint256 s) {
        s = Poseidon2.compress(MARKET_RISK_IV, r.initialMarginPpm);
        s = Poseidon2.compress(s, r.maintenanceMarginPpm);
        s = Poseidon2.compress(s, r.baselinePositionSize);
        s = Poseidon2.compress(s, r.incrementalPositionSize);
        s = Poseidon2.compress(s, r.incrementalInitialMarginPpm);
        s = Poseidon2.compress(s, r.maxPositionSize);
        s = Poseidon2.compress(s, r.openInterestCap);
        s = Poseidon2.compress(s, r.oracleMaxAgeSeconds);
        s = Poseidon2.compress(s, r.oracleMaxFutureSeconds);
        s = Poseidon2.compress(s, r.oracleMaxMovePpm);
        s = Poseidon2.compress(s, r.fundingMinIntervalSeconds);
        s = Poseidon2.compress(s, r.fundingMaxRatePpm);
    }

    /// @notice H(TAG_MARKET_V2, oraclePrice, oracleTimestamp, fundingIndex, fundingTimestamp, openInterest, riskHash).
    function marketLeaf(StateLayoutV1.Market memory m) internal pure returns (uint256 s) {
        s = Poseidon2.compress(MARKET_IV, m.oraclePrice);
        s = Poseidon2.compress(s, m.oracleTimestamp);
        s = Poseidon2.compress(s, StateLayoutV1.fromInt64(m.fundingIndex));
        s = Poseidon2.compress(s, m.fundingTimestamp);
        s = Poseidon2.compress(s, m.openInterest);
        s = Poseidon2.compress(s, m.riskHash);
    }

    /// @notice 0 for an empty slot (key (0, 0)), else H(TAG_ORACLE_SIGNER_V2, keyX, keyY).
    function oracleSignerLeaf(uint256 keyX, uint256 keyY) internal pure returns (uint256) {
        if (keyX == 0 && keyY == 0) return 0;
        return Poseidon2.compress(Poseidon2.compress(ORACLE_SIGNER_IV, keyX), keyY);
    }

    /// @notice The root of the depth-4 tree of 16 signer leaves.
    function oracleSignersRoot(uint256[16] memory leaves) internal pure returns (uint256) {
        for (uint256 width = 16; width > 1; width /= 2) {
            for (uint256 i; i < width / 2; ++i) {
                leaves[i] = Poseidon2.compress(leaves[2 * i], leaves[2 * i + 1]);
            }
        }
        return leaves[0];
    }

    /// @notice H(TAG_FEE_TIERS_V2, maker0 + 2^20, taker0 + 2^20, ..., maker7 + 2^20, taker7 + 2^20).
    function feeTiersHash(FeeTier[FEE_TIERS] memory tiers) internal pure returns (uint256 s) {
        s = FEE_TIERS_IV;
        for (uint256 i; i < FEE_TIERS; ++i) {
            s = Poseidon2.compress(s, _feeRate(tiers[i].makerPpm));
            s = Poseidon2.compress(s, _feeRate(tiers[i].takerPpm));
        }
    }

    function _feeRate(int32 rate) private pure returns (uint256) {
        if (rate > MAX_FEE_RATE_PPM || rate < -MAX_FEE_RATE_PPM) revert FeeTierOutOfRange(rate);
        // rate + 2^20 is in [48,576, 2,048,576]: positive, the cast is exact
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint256(int256(rate) + FEE_RATE_OFFSET);
    }

    /// @notice H(TAG_GLOBAL_V2, feeBalance, oracleSignersRoot, oracleQuorum, feeTiersRoot).
    function globalLeaf(int64 feeBalance, uint256 signersRoot, uint256 oracleQuorum, uint256 feeTiersRoot)
        internal
        pure
        returns (uint256 s)
    {
        if (oracleQuorum > ORACLE_SIGNER_SLOTS) revert QuorumOutOfRange(oracleQuorum);
        s = Poseidon2.compress(GLOBAL_IV, StateLayoutV1.fromInt64(feeBalance));
        s = Poseidon2.compress(s, signersRoot);
        s = Poseidon2.compress(s, oracleQuorum);
        s = Poseidon2.compress(s, feeTiersRoot);
    }

    /// @notice Everything that links one account leaf v2 to a state root: the identity preimage,
    /// the leaf's other fields with the packed position list, the 24 account siblings, and the
    /// other two state-root inputs (what a v2 escape hatch will check; not used by the rollup yet).
    struct AccountProof {
        uint256 accountId;
        Identity identity;
        uint64 nonce;
        int64 collateral;
        uint256 fillsRoot;
        uint256[4] positions;
        uint256[] accountSiblings;
        uint256 marketsRoot;
        uint256 globalLeaf;
    }

    /// @notice The state root an account proof leads to (identity -> account leaf -> accountsRoot ->
    /// state root). Reverts on a malformed proof (length, index, non-canonical values, fee tier).
    function accountStateRoot(AccountProof memory p) internal pure returns (uint256) {
        uint256 leaf = accountLeaf(identityHash(p.identity), p.nonce, p.collateral, p.fillsRoot, p.positions);
        uint256 accountsRoot = StateLayoutV1.computeRoot(ACCOUNTS_DEPTH, leaf, p.accountId, p.accountSiblings);
        return stateRoot(accountsRoot, p.marketsRoot, p.globalLeaf);
    }

    /// @notice Whether an account proof leads to `root`.
    function verifyAccount(uint256 root, AccountProof memory p) internal pure returns (bool) {
        return accountStateRoot(p) == root;
    }

    /// @notice stateRoot = H(TAG_STATE_V2, accountsRoot, marketsRoot, globalLeaf).
    function stateRoot(uint256 accountsRoot, uint256 marketsRoot, uint256 globalLeaf_) internal pure returns (uint256) {
        return
            Poseidon2.compress(Poseidon2.compress(Poseidon2.compress(STATE_IV, accountsRoot), marketsRoot), globalLeaf_);
    }
}
