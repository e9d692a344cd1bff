// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "./Poseidon2.sol";

/// @title zkperp state layout, version 1 (docs/state-layout.md)
/// @notice Tags, tree depths, empty subtrees, leaf hashes, the state root and Merkle proof
/// verification, as the L1 escape hatch needs them. Every constant here is checked by the tests
/// against the golden vectors in test-vectors/state.json.
/// @dev All hashing is Poseidon2 (see Poseidon2.sol). A leaf is H(TAG, fields...); since the first
/// absorbed block is the tag, Compress(0, TAG) is precomputed per kind (the *_IV constants) and each
/// leaf costs one compression per field. Inputs that are field elements (keys, roots, siblings,
/// leaves) must be canonical (< R): Poseidon2 reverts with NonCanonicalFieldElement otherwise.
library StateLayoutV1 {
    /// @notice The layout version these rules implement.
    uint256 internal constant VERSION = 1;

    /// @notice The BN254 scalar field modulus r.
    uint256 internal constant R = Poseidon2.R;

    // ---- domain tags: the ASCII strings read as big-endian integers -----------------------------

    /// @notice "zkperp/account/v1"
    uint256 internal constant TAG_ACCOUNT = 0x0000000000000000000000000000007a6b706572702f6163636f756e742f7631;
    /// @notice "zkperp/position/v1"
    uint256 internal constant TAG_POSITION = 0x00000000000000000000000000007a6b706572702f706f736974696f6e2f7631;
    /// @notice "zkperp/fill/v1"
    uint256 internal constant TAG_FILL = 0x0000000000000000000000000000000000007a6b706572702f66696c6c2f7631;
    /// @notice "zkperp/market/v1"
    uint256 internal constant TAG_MARKET = 0x000000000000000000000000000000007a6b706572702f6d61726b65742f7631;
    /// @notice "zkperp/market-risk/v1"
    uint256 internal constant TAG_MARKET_RISK = 0x00000000000000000000007a6b706572702f6d61726b65742d7269736b2f7631;
    /// @notice "zkperp/global/v1"
    uint256 internal constant TAG_GLOBAL = 0x000000000000000000000000000000007a6b706572702f676c6f62616c2f7631;
    /// @notice "zkperp/state/v1"
    uint256 internal constant TAG_STATE = 0x00000000000000000000000000000000007a6b706572702f73746174652f7631;

    // ---- Compress(0, TAG): the hasher state after absorbing the tag ----------------------------

    uint256 internal constant ACCOUNT_IV = 0x2cf75e8108ebdff10ee76e7b5384310a5ccdae8944029baa75b97212e4d09f92;
    uint256 internal constant POSITION_IV = 0x0f76bd74c0b5a890d1ac4c75a60290e76cb9afd482a865dab4bc459a1a048889;
    uint256 internal constant FILL_IV = 0x25a4df1f4dec005249235c86984952973f19adb35080dc77dcb00aecd2bfa5fa;
    uint256 internal constant MARKET_IV = 0x0d958c5d61eaf24584480cb0567a0834f6f1762c33512d15bd6dac774fee1341;
    uint256 internal constant MARKET_RISK_IV = 0x2e57eeac55edecf21b0af64ccdd4a8a76452739ff7143f9adb9db27769f0e15d;
    uint256 internal constant GLOBAL_IV = 0x1b35eeab2c89c0242817476f97461bbbbbc78beda9903d9617d6dd3387e7df7a;
    uint256 internal constant STATE_IV = 0x24a28931c69651e872e02fb94b5c825d8d3e17111081968f0f33e18a059c66e4;

    // ---- trees ------------------------------------------------------------------------------------

    /// @notice Depth of the accounts tree (index = account id).
    uint256 internal constant ACCOUNTS_DEPTH = 24;
    /// @notice Depth of an account's positions tree (index = market id).
    uint256 internal constant POSITIONS_DEPTH = 6;
    /// @notice Depth of an account's fills tree (index = order nonce mod 2^16).
    uint256 internal constant FILLS_DEPTH = 16;
    /// @notice Depth of the markets tree (index = market id).
    uint256 internal constant MARKETS_DEPTH = 6;
    /// @notice The deepest tree of the layout (emptySubtree is defined up to this height).
    uint256 internal constant MAX_DEPTH = 24;

    /// @notice Z24: the root of the empty accounts tree.
    uint256 internal constant EMPTY_ACCOUNTS_ROOT = 0x2e253e775d61f22db0acf403d1cf3a5f09491d4aac0069dc4e2b23148b1d94d4;
    /// @notice Z6: the root of an empty positions tree (a new account's positionsRoot).
    uint256 internal constant EMPTY_POSITIONS_ROOT = 0x14a7abf386a6f16a560c1ad4a5a40605a0dc562f261ffbd6e2dead73806b3fa2;
    /// @notice Z16: the root of an empty fills tree (a new account's fillsRoot).
    uint256 internal constant EMPTY_FILLS_ROOT = 0x0526bcf2f2f80f0767b3b7ccd36aad34bff6994d25fc1b69788cc630e93df5bb;
    /// @notice Z6: the root of the empty markets tree.
    uint256 internal constant EMPTY_MARKETS_ROOT = 0x14a7abf386a6f16a560c1ad4a5a40605a0dc562f261ffbd6e2dead73806b3fa2;
    /// @notice H(TAG_GLOBAL, 0, 0): the global leaf at genesis.
    uint256 internal constant GENESIS_GLOBAL_LEAF = 0x2cc2d0713c5b8ace03f0e3e59ef13beef705b095ce78a1d11e68405d0fb775e5;
    /// @notice H(TAG_STATE, Z24, Z6, H(TAG_GLOBAL, 0, 0)): the state root at genesis.
    uint256 internal constant GENESIS_STATE_ROOT = 0x1996676f3c0b3985c0bba317a1a088d8c1c9d8283e589c8ed4e5c747af2bae25;

    // ---- errors -------------------------------------------------------------------------------------

    /// @notice A leaf index does not fit the tree: index >= 2^depth.
    error IndexOutOfRange(uint256 index, uint256 depth);
    /// @notice A Merkle proof does not have exactly `depth` siblings.
    error WrongProofLength(uint256 expected, uint256 actual);
    /// @notice emptySubtree was asked for a height above MAX_DEPTH.
    error HeightOutOfRange(uint256 height);
    /// @notice A field element is not the image of an i64 (r - 2^63 > value > 2^63 - 1).
    error NotAnInt64(uint256 value);

    // ---- leaf contents --------------------------------------------------------------------------------

    /// @notice The fields of an account leaf, in hashing order.
    struct Account {
        uint256 publicKeyX;
        uint256 publicKeyY;
        address l1Owner;
        uint64 nonce;
        int64 collateral;
        uint256 positionsRoot;
        uint256 fillsRoot;
    }

    /// @notice The fields of a market leaf, in hashing order.
    struct Market {
        uint64 oraclePrice;
        uint64 oracleTimestamp;
        int64 fundingIndex;
        uint64 fundingTimestamp;
        uint64 openInterest;
        uint256 riskHash;
    }

    /// @notice A market's risk parameters, in hashing order (riskHash = marketRiskHash(these)).
    struct MarketRisk {
        uint64 initialMarginPpm;
        uint64 maintenanceMarginPpm;
        uint64 baselinePositionSize;
        uint64 incrementalPositionSize;
        uint64 incrementalInitialMarginPpm;
        uint64 maxPositionSize;
        uint64 openInterestCap;
    }

    /// @notice Everything that links one position to a state root (docs/state-layout.md, section 5):
    /// the position and its 6 siblings give positionsRoot; the account fields with that positionsRoot
    /// and the 24 account siblings give accountsRoot; with marketsRoot and globalLeaf, the state root.
    struct PositionProof {
        uint256 accountId;
        uint256 marketId;
        int64 size;
        int64 fundingIndexSnapshot;
        uint256[] positionSiblings;
        uint256 publicKeyX;
        uint256 publicKeyY;
        address l1Owner;
        uint64 nonce;
        int64 collateral;
        uint256 fillsRoot;
        uint256[] accountSiblings;
        uint256 marketsRoot;
        uint256 globalLeaf;
    }

    /// @notice A market leaf and its 6 siblings, with the other two state-root inputs.
    struct MarketProof {
        uint256 marketId;
        Market market;
        uint256[] siblings;
        uint256 accountsRoot;
        uint256 globalLeaf;
    }

    // ---- integer embeddings -----------------------------------------------------------------------------

    /// @notice The field element of an i64: x for x >= 0, R - |x| for x < 0.
    function fromInt64(int64 x) internal pure returns (uint256) {
        unchecked {
            // int256(x) + R lies in [R - 2^63, R + 2^63), positive and below 2^255, so both casts
            // are exact; the mod maps non-negative x back to x.
            // forge-lint: disable-next-line(unsafe-typecast)
            return uint256(int256(x) + int256(R)) % R;
        }
    }

    /// @notice The i64 whose embedding is `e`; reverts with NotAnInt64 for any other element.
    function toInt64(uint256 e) internal pure returns (int64) {
        unchecked {
            // Both branches bound the value to the int64 range first, so the casts are exact.
            if (e <= uint256(uint64(type(int64).max))) {
                // forge-lint: disable-next-line(unsafe-typecast)
                return int64(uint64(e));
            }
            if (e < R && e >= R - (uint256(1) << 63)) {
                // R - e is in [1, 2^63]
                // forge-lint: disable-next-line(unsafe-typecast)
                return int64(-int256(R - e));
            }
        }
        revert NotAnInt64(e);
    }

    /// @notice The field element of an L1 address: its big-endian value.
    function fromAddress(address a) internal pure returns (uint256) {
        return uint256(uint160(a));
    }

    // ---- leaves ---------------------------------------------------------------------------------------

    /// @notice H(TAG_ACCOUNT, publicKeyX, publicKeyY, l1Owner, nonce, collateral, positionsRoot, fillsRoot).
    function accountLeaf(Account memory a) internal pure returns (uint256 s) {
        s = Poseidon2.compress(ACCOUNT_IV, a.publicKeyX);
        s = Poseidon2.compress(s, a.publicKeyY);
        s = Poseidon2.compress(s, fromAddress(a.l1Owner));
        s = Poseidon2.compress(s, a.nonce);
        s = Poseidon2.compress(s, fromInt64(a.collateral));
        s = Poseidon2.compress(s, a.positionsRoot);
        s = Poseidon2.compress(s, a.fillsRoot);
    }

    /// @notice size == 0 ? 0 : H(TAG_POSITION, size, fundingIndexSnapshot) (a flat position is the empty leaf).
    function positionLeaf(int64 size, int64 fundingIndexSnapshot) internal pure returns (uint256) {
        if (size == 0) return 0;
        return Poseidon2.compress(Poseidon2.compress(POSITION_IV, fromInt64(size)), fromInt64(fundingIndexSnapshot));
    }

    /// @notice H(TAG_FILL, orderNonce, filledAmount).
    function fillLeaf(uint64 orderNonce, uint64 filledAmount) internal pure returns (uint256) {
        return Poseidon2.compress(Poseidon2.compress(FILL_IV, orderNonce), filledAmount);
    }

    /// @notice H(TAG_MARKET, oraclePrice, oracleTimestamp, fundingIndex, fundingTimestamp, openInterest, riskHash).
    function marketLeaf(Market memory m) internal pure returns (uint256 s) {
        s = Poseidon2.compress(MARKET_IV, m.oraclePrice);
        s = Poseidon2.compress(s, m.oracleTimestamp);
        s = Poseidon2.compress(s, fromInt64(m.fundingIndex));
        s = Poseidon2.compress(s, m.fundingTimestamp);
        s = Poseidon2.compress(s, m.openInterest);
        s = Poseidon2.compress(s, m.riskHash);
    }

    /// @notice H(TAG_MARKET_RISK, the seven risk parameters in declaration order).
    function marketRiskHash(MarketRisk memory r) internal pure returns (uint256 s) {
        s = Poseidon2.compress(MARKET_RISK_IV, r.initialMarginPpm);
        s = Poseidon2.compress(s, r.maintenanceMarginPpm);
        s = Poseidon2.compress(s, r.baselinePositionSize);
        s = Poseidon2.compress(s, r.incrementalPositionSize);
        s = Poseidon2.compress(s, r.incrementalInitialMarginPpm);
        s = Poseidon2.compress(s, r.maxPositionSize);
        s = Poseidon2.compress(s, r.openInterestCap);
    }

    /// @notice H(TAG_GLOBAL, insuranceFund, feeBalance).
    function globalLeaf(int64 insuranceFund, int64 feeBalance) internal pure returns (uint256) {
        return Poseidon2.compress(Poseidon2.compress(GLOBAL_IV, fromInt64(insuranceFund)), fromInt64(feeBalance));
    }

    /// @notice stateRoot = H(TAG_STATE, accountsRoot, marketsRoot, globalLeaf).
    function stateRoot(uint256 accountsRoot, uint256 marketsRoot, uint256 globalLeaf_) internal pure returns (uint256) {
        return
            Poseidon2.compress(Poseidon2.compress(Poseidon2.compress(STATE_IV, accountsRoot), marketsRoot), globalLeaf_);
    }

    // ---- sparse Merkle trees ------------------------------------------------------------------------

    /// @notice Z_h, the root of an empty subtree of height h (Z_0 = 0, Z_{h+1} = Compress(Z_h, Z_h)), h <= 24.
    function emptySubtree(uint256 height) internal pure returns (uint256 z) {
        if (height > MAX_DEPTH) revert HeightOutOfRange(height);
        assembly ("memory-safe") {
            switch height
            case 0 { z := 0 }
            case 1 { z := 0x292c3a4b9343aec63e584aefa8bedeaefae44e6d718451a75736def795109dfb }
            case 2 { z := 0x0d9dd3c4a68664559a1238c140a81e243e98f1802349ea44cebacb2a8fdd445a }
            case 3 { z := 0x2772e83a77c7464b844664878c5535209508d569375a829dd4a15bc85681245d }
            case 4 { z := 0x0529faba7f5b8973838ad1a98f4f4dca60fccb16809659f1de31a258b439d9dc }
            case 5 { z := 0x0452250fc72024a46f74d24a50b7e6ff1a303ffa583c1b6496ae4fa778af72b8 }
            case 6 { z := 0x14a7abf386a6f16a560c1ad4a5a40605a0dc562f261ffbd6e2dead73806b3fa2 }
            case 7 { z := 0x1a5fa16f1b62950e4d8db93887563ed593572f3bd631598b09eb57c6f19d0e04 }
            case 8 { z := 0x1aabdf8bc39fc9ed61d157291aa1e97c4bf9b78a3e3b7b107689d7afa269c092 }
            case 9 { z := 0x0d5faea0cfb6e4f72cd97e1cea577fbf3a553544637f271a99dc61acf373cdac }
            case 10 { z := 0x1e251359303514345750acd2f2b3f1548ffd008ddbf90bd3c34769859b51bf0b }
            case 11 { z := 0x135ed95060b60c52d24c51bbadc785784fce405246b018d72dba4dcbf5445a98 }
            case 12 { z := 0x094a9ef0b9ac65845e8c729a05bb6c6c7a77aae048d7aa20974da272784bed22 }
            case 13 { z := 0x2218ba2a9065f88f403b8ee3c7e9823b75b47402c0ac74896564e28ed26a1833 }
            case 14 { z := 0x0e53ec6acac9e47761ff5f4da08163fc96061886523e4b10ec313e7ce111c51c }
            case 15 { z := 0x004d3af59995ba54da542f6b22860bb5dc414973bbe33be107f38b861015d1fc }
            case 16 { z := 0x0526bcf2f2f80f0767b3b7ccd36aad34bff6994d25fc1b69788cc630e93df5bb }
            case 17 { z := 0x1f3b3ca72b3fed744384e03611e40b6bd78fc00a98206a2a8bceeb070c8ee78d }
            case 18 { z := 0x2ae8df96dab42f9f9817ba337e4631cdf5564097c756e9d1446277e2067ffdc0 }
            case 19 { z := 0x06906273aa189e68d1cfe6004a30acd8ba369ede1972b1f9487576e355a9f173 }
            case 20 { z := 0x227ddf06cd019e0636691f0ab018f4f0762ca6b2947fb0bb694de42783cd6733 }
            case 21 { z := 0x26d51f311ba1d685e609747b014915e527b9f122647a3625d0164bbe2146e894 }
            case 22 { z := 0x25ebd291c105c368d22a72de6cf12d7b4db869f27397d6331f68e65e3bad3e8b }
            case 23 { z := 0x18530f9046b56f53907d7cc9c86ec959c4f6b2e27b9187f3baee5ca1be60e8f8 }
            default { z := 0x2e253e775d61f22db0acf403d1cf3a5f09491d4aac0069dc4e2b23148b1d94d4 }
        }
    }

    /// @notice The root of a tree of depth `depth` given leaf `index`, its value and its siblings
    /// ordered from the leaf upward: bit h of index chooses whether the running node is the left
    /// (0) or right (1) child at height h. Reverts on index >= 2^depth or siblings.length != depth.
    function computeRoot(uint256 depth, uint256 leaf, uint256 index, uint256[] memory siblings)
        internal
        pure
        returns (uint256 acc)
    {
        if (siblings.length != depth) revert WrongProofLength(depth, siblings.length);
        if (index >> depth != 0) revert IndexOutOfRange(index, depth);
        acc = leaf;
        for (uint256 h; h < depth; ++h) {
            uint256 sibling = siblings[h];
            acc = (index >> h) & 1 == 0 ? Poseidon2.compress(acc, sibling) : Poseidon2.compress(sibling, acc);
        }
    }

    /// @notice accountsRoot from an account leaf, the account id and 24 siblings.
    function computeAccountsRoot(uint256 leaf, uint256 accountId, uint256[] memory siblings)
        internal
        pure
        returns (uint256)
    {
        return computeRoot(ACCOUNTS_DEPTH, leaf, accountId, siblings);
    }

    /// @notice positionsRoot from a position leaf, the market id and 6 siblings.
    function computePositionsRoot(uint256 leaf, uint256 marketId, uint256[] memory siblings)
        internal
        pure
        returns (uint256)
    {
        return computeRoot(POSITIONS_DEPTH, leaf, marketId, siblings);
    }

    /// @notice fillsRoot from a fill leaf, its slot (order nonce mod 2^16) and 16 siblings.
    function computeFillsRoot(uint256 leaf, uint256 slot, uint256[] memory siblings) internal pure returns (uint256) {
        return computeRoot(FILLS_DEPTH, leaf, slot, siblings);
    }

    /// @notice marketsRoot from a market leaf, the market id and 6 siblings.
    function computeMarketsRoot(uint256 leaf, uint256 marketId, uint256[] memory siblings)
        internal
        pure
        returns (uint256)
    {
        return computeRoot(MARKETS_DEPTH, leaf, marketId, siblings);
    }

    /// @notice Whether `leaf` sits at `index` of the tree of depth `depth` with root `root`.
    /// Malformed proofs (length, index, non-canonical values) revert rather than return false.
    function verify(uint256 root, uint256 depth, uint256 leaf, uint256 index, uint256[] memory siblings)
        internal
        pure
        returns (bool)
    {
        return computeRoot(depth, leaf, index, siblings) == root;
    }

    /// @notice The state root that a position proof leads to (position -> positionsRoot -> account
    /// leaf -> accountsRoot -> state root).
    function positionStateRoot(PositionProof memory p) internal pure returns (uint256) {
        uint256 positionsRoot =
            computePositionsRoot(positionLeaf(p.size, p.fundingIndexSnapshot), p.marketId, p.positionSiblings);
        uint256 leaf = accountLeaf(
            Account({
                publicKeyX: p.publicKeyX,
                publicKeyY: p.publicKeyY,
                l1Owner: p.l1Owner,
                nonce: p.nonce,
                collateral: p.collateral,
                positionsRoot: positionsRoot,
                fillsRoot: p.fillsRoot
            })
        );
        return stateRoot(computeAccountsRoot(leaf, p.accountId, p.accountSiblings), p.marketsRoot, p.globalLeaf);
    }

    /// @notice Whether a position proof leads to `root`.
    function verifyPosition(uint256 root, PositionProof memory p) internal pure returns (bool) {
        return positionStateRoot(p) == root;
    }

    /// @notice The state root that a market proof leads to.
    function marketStateRoot(MarketProof memory p) internal pure returns (uint256) {
        return stateRoot(p.accountsRoot, computeMarketsRoot(marketLeaf(p.market), p.marketId, p.siblings), p.globalLeaf);
    }

    /// @notice Whether a market proof leads to `root`.
    function verifyMarket(uint256 root, MarketProof memory p) internal pure returns (bool) {
        return marketStateRoot(p) == root;
    }
}
