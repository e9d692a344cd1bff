// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "../src/Poseidon2.sol";
import {StateLayoutV1 as L} from "../src/StateLayoutV1.sol";
import {StateLayoutV1Harness} from "./utils/Harness.sol";
import {StateVectors} from "./utils/StateVectors.sol";
import {console} from "./utils/Vm.sol";

/// @notice State layout v1 against test-vectors/state.json (and field.json for the i64 embedding).
contract StateLayoutV1Test is StateVectors {
    uint256 internal constant R = Poseidon2.R;

    StateLayoutV1Harness internal h;

    function setUp() public {
        h = new StateLayoutV1Harness();
    }

    // ---- constants ------------------------------------------------------------------------------------

    function asciiTag(string memory s) internal pure returns (uint256) {
        bytes memory b = bytes(s);
        uint256 v;
        for (uint256 i; i < b.length; ++i) {
            v = (v << 8) | uint8(b[i]);
        }
        return v;
    }

    function test_tags() public view {
        string memory j = loadState();
        assertEq(L.TAG_ACCOUNT, fe(j, ".tags.account"), "account tag");
        assertEq(L.TAG_POSITION, fe(j, ".tags.position"), "position tag");
        assertEq(L.TAG_FILL, fe(j, ".tags.fill"), "fill tag");
        assertEq(L.TAG_MARKET, fe(j, ".tags.market"), "market tag");
        assertEq(L.TAG_MARKET_RISK, fe(j, ".tags.marketRisk"), "marketRisk tag");
        assertEq(L.TAG_GLOBAL, fe(j, ".tags.global"), "global tag");
        assertEq(L.TAG_STATE, fe(j, ".tags.state"), "state tag");
        assertEq(L.TAG_ACCOUNT, asciiTag("zkperp/account/v1"), "account tag string");
        assertEq(L.TAG_POSITION, asciiTag("zkperp/position/v1"), "position tag string");
        assertEq(L.TAG_FILL, asciiTag("zkperp/fill/v1"), "fill tag string");
        assertEq(L.TAG_MARKET, asciiTag("zkperp/market/v1"), "market tag string");
        assertEq(L.TAG_MARKET_RISK, asciiTag("zkperp/market-risk/v1"), "marketRisk tag string");
        assertEq(L.TAG_GLOBAL, asciiTag("zkperp/global/v1"), "global tag string");
        assertEq(L.TAG_STATE, asciiTag("zkperp/state/v1"), "state tag string");
    }

    /// The precomputed hasher states after the tag block are Compress(0, TAG).
    function test_tagIvs() public pure {
        assertEq(L.ACCOUNT_IV, Poseidon2.compress(0, L.TAG_ACCOUNT), "ACCOUNT_IV");
        assertEq(L.POSITION_IV, Poseidon2.compress(0, L.TAG_POSITION), "POSITION_IV");
        assertEq(L.FILL_IV, Poseidon2.compress(0, L.TAG_FILL), "FILL_IV");
        assertEq(L.MARKET_IV, Poseidon2.compress(0, L.TAG_MARKET), "MARKET_IV");
        assertEq(L.MARKET_RISK_IV, Poseidon2.compress(0, L.TAG_MARKET_RISK), "MARKET_RISK_IV");
        assertEq(L.GLOBAL_IV, Poseidon2.compress(0, L.TAG_GLOBAL), "GLOBAL_IV");
        assertEq(L.STATE_IV, Poseidon2.compress(0, L.TAG_STATE), "STATE_IV");
    }

    function test_depths() public view {
        string memory j = loadState();
        assertEq(L.ACCOUNTS_DEPTH, num(j, ".depths.accounts"), "accounts depth");
        assertEq(L.POSITIONS_DEPTH, num(j, ".depths.positions"), "positions depth");
        assertEq(L.FILLS_DEPTH, num(j, ".depths.fills"), "fills depth");
        assertEq(L.MARKETS_DEPTH, num(j, ".depths.markets"), "markets depth");
    }

    function test_emptyRoots() public view {
        string memory j = loadState();
        assertEq(L.EMPTY_ACCOUNTS_ROOT, fe(j, ".emptyRoots.accounts"), "Z24");
        assertEq(L.EMPTY_POSITIONS_ROOT, fe(j, ".emptyRoots.positions"), "Z6 positions");
        assertEq(L.EMPTY_FILLS_ROOT, fe(j, ".emptyRoots.fills"), "Z16");
        assertEq(L.EMPTY_MARKETS_ROOT, fe(j, ".emptyRoots.markets"), "Z6 markets");
        assertEq(L.emptySubtree(24), L.EMPTY_ACCOUNTS_ROOT, "emptySubtree(24)");
        assertEq(L.emptySubtree(16), L.EMPTY_FILLS_ROOT, "emptySubtree(16)");
        assertEq(L.emptySubtree(6), L.EMPTY_POSITIONS_ROOT, "emptySubtree(6)");
    }

    /// Every entry of the emptySubtree table is Z_{h+1} = Compress(Z_h, Z_h) from Z_0 = 0.
    function test_emptySubtreeTable() public view {
        uint256 z;
        for (uint256 ht; ht <= L.MAX_DEPTH; ++ht) {
            assertEq(L.emptySubtree(ht), z, string.concat("Z", vm.toString(ht)));
            assertEq(h.emptySubtree(ht), z, "harness emptySubtree");
            z = Poseidon2.compress(z, z);
        }
    }

    function test_genesisRoot() public view {
        string memory j = loadState();
        uint256 g = L.globalLeaf(0, 0);
        assertEq(g, L.GENESIS_GLOBAL_LEAF, "genesis global leaf");
        uint256 root = L.stateRoot(L.EMPTY_ACCOUNTS_ROOT, L.EMPTY_MARKETS_ROOT, g);
        assertEq(root, fe(j, ".genesisRoot"), "genesis root vs vectors");
        assertEq(L.GENESIS_STATE_ROOT, root, "GENESIS_STATE_ROOT");
    }

    // ---- leaves -------------------------------------------------------------------------------------

    function test_leaves() public view {
        string memory j = loadState();
        uint256 n = jsonLength(j, ".leaves");
        assertTrue(n >= 20, "too few leaves");
        uint256[6] memory seen;
        for (uint256 i; i < n; ++i) {
            string memory p = at(".leaves", i);
            string memory f = string.concat(p, ".fields");
            string memory kind = str(j, string.concat(p, ".kind"));
            uint256 got;
            if (eq(kind, "account")) {
                got = L.accountLeaf(readAccount(j, f, true));
                ++seen[0];
            } else if (eq(kind, "position")) {
                got = L.positionLeaf(
                    i64(j, string.concat(f, ".size")), i64(j, string.concat(f, ".fundingIndexSnapshot"))
                );
                ++seen[1];
            } else if (eq(kind, "fill")) {
                got = L.fillLeaf(u64(j, string.concat(f, ".orderNonce")), u64(j, string.concat(f, ".filledAmount")));
                ++seen[2];
            } else if (eq(kind, "market")) {
                got = L.marketLeaf(readMarket(j, f, false));
                ++seen[3];
            } else if (eq(kind, "marketRisk")) {
                got = L.marketRiskHash(readRisk(j, f));
                ++seen[4];
            } else if (eq(kind, "global")) {
                got = L.globalLeaf(i64(j, string.concat(f, ".insuranceFund")), i64(j, string.concat(f, ".feeBalance")));
                ++seen[5];
            } else {
                revert(string.concat("unknown leaf kind ", kind));
            }
            assertEq(got, fe(j, string.concat(p, ".hash")), string.concat("leaves[", vm.toString(i), "] ", kind));
        }
        for (uint256 k; k < 6; ++k) {
            assertTrue(seen[k] > 0, "a leaf kind has no vector");
        }
    }

    function test_positionOfSizeZeroIsEmptyLeaf() public view {
        assertEq(L.positionLeaf(0, 12345), 0, "size 0");
        assertEq(h.positionLeaf(0, type(int64).min), 0, "size 0 (harness)");
    }

    function test_int64Embedding() public view {
        string memory field = readVectors("field.json");
        uint256 n = jsonLength(field, ".signed");
        assertTrue(n >= 6, "too few signed vectors");
        for (uint256 i; i < n; ++i) {
            string memory p = at(".signed", i);
            int256 v = vm.parseJsonInt(field, string.concat(p, ".value"));
            uint256 e = vm.parseJsonUint(field, string.concat(p, ".element"));
            // forge-lint: disable-next-line(unsafe-typecast)
            int64 x = int64(v);
            assertTrue(int256(x) == v, "value is not an i64");
            assertEq(L.fromInt64(x), e, string.concat("fromInt64 signed[", vm.toString(i), "]"));
            assertTrue(L.toInt64(e) == x, "toInt64");
        }
        assertEq(L.fromInt64(-1), R - 1, "-1");
        assertEq(L.fromInt64(type(int64).min), R - (uint256(1) << 63), "min");
        assertEq(L.fromInt64(type(int64).max), (uint256(1) << 63) - 1, "max");
    }

    // ---- scenarios ----------------------------------------------------------------------------------

    function test_scenarioSmall() public view {
        string memory j = loadState();
        checkScenario(j, 0, "small");
    }

    function test_scenarioEdges() public view {
        string memory j = loadState();
        checkScenario(j, 1, "edges");
    }

    function test_scenarioRandom() public view {
        string memory j = loadState();
        checkScenario(j, 2, "random");
    }

    struct Final {
        uint256 accountsRoot;
        uint256 marketsRoot;
        uint256 globalLeaf;
        uint256 stateRoot;
    }

    function readFinal(string memory j, string memory s) internal pure returns (Final memory f) {
        f.accountsRoot = fe(j, string.concat(s, ".final.accountsRoot"));
        f.marketsRoot = fe(j, string.concat(s, ".final.marketsRoot"));
        f.globalLeaf = fe(j, string.concat(s, ".final.globalLeaf"));
        f.stateRoot = fe(j, string.concat(s, ".final.stateRoot"));
    }

    function checkScenario(string memory j, uint256 si, string memory name) internal view {
        string memory s = at(".scenarios", si);
        assertTrue(eq(str(j, string.concat(s, ".name")), name), "scenario order");
        Final memory f = readFinal(j, s);
        checkFinal(j, s, f);
        uint256 n = jsonLength(j, string.concat(s, ".proofs"));
        checkAllProofs(j, s, n, f);
        checkProofsToStateRoot(j, s, n, f);
    }

    /// final.stateRoot from the final tree roots and global leaf; it is the last root; the global
    /// leaf is the last setGlobal's.
    function checkFinal(string memory j, string memory s, Final memory f) internal view {
        assertEq(L.stateRoot(f.accountsRoot, f.marketsRoot, f.globalLeaf), f.stateRoot, "final stateRoot");
        uint256 nRoots = jsonLength(j, string.concat(s, ".roots"));
        assertEq(fe(j, at(string.concat(s, ".roots"), nRoots - 1)), f.stateRoot, "last root");
        (int64 insuranceFund, int64 feeBalance) = lastGlobal(j, s);
        assertEq(L.globalLeaf(insuranceFund, feeBalance), f.globalLeaf, "global leaf of the last setGlobal");
    }

    /// Every proof, leaf upward to its tree root.
    function checkAllProofs(string memory j, string memory s, uint256 n, Final memory f) internal view {
        uint256[4] memory kinds;
        uint256[4] memory empties;
        for (uint256 i; i < n; ++i) {
            (uint256 k, bool empty) = checkProof(j, s, at(string.concat(s, ".proofs"), i), f);
            ++kinds[k];
            if (empty) ++empties[k];
        }
        for (uint256 k; k < 4; ++k) {
            assertTrue(kinds[k] > 0 && empties[k] > 0, "each proof kind, with an empty slot, is covered");
        }
    }

    /// Position proofs all the way to the state root, and market proofs to the state root.
    function checkProofsToStateRoot(string memory j, string memory s, uint256 n, Final memory f) internal view {
        uint256 positions;
        uint256 markets;
        for (uint256 i; i < n; ++i) {
            string memory p = at(string.concat(s, ".proofs"), i);
            string memory kind = str(j, string.concat(p, ".kind"));
            if (eq(kind, "position")) {
                if (checkPositionToStateRoot(j, s, p, n, f)) ++positions;
            } else if (eq(kind, "market") && fe(j, string.concat(p, ".leaf")) != 0) {
                checkMarketToStateRoot(j, s, p, f);
                ++markets;
            }
        }
        assertTrue(positions > 0 && markets > 0, "no position or market proof reached the state root");
    }

    /// @return k 0 account, 1 position, 2 fill, 3 market; empty whether the leaf is 0.
    function checkProof(string memory j, string memory s, string memory p, Final memory f)
        internal
        view
        returns (uint256 k, bool empty)
    {
        string memory kind = str(j, string.concat(p, ".kind"));
        empty = fe(j, string.concat(p, ".leaf")) == 0;
        if (eq(kind, "account")) {
            checkAccountProof(j, p, f);
            k = 0;
        } else if (eq(kind, "position")) {
            checkPositionProof(j, s, p);
            k = 1;
        } else if (eq(kind, "fill")) {
            checkFillProof(j, s, p);
            k = 2;
        } else if (eq(kind, "market")) {
            checkMarketProof(j, p, f);
            k = 3;
        } else {
            revert(string.concat("unknown proof kind ", kind));
        }
    }

    function checkAccountProof(string memory j, string memory p, Final memory f) internal pure {
        uint256 leaf = fe(j, string.concat(p, ".leaf"));
        uint256 id = num(j, string.concat(p, ".account"));
        uint256[] memory sib = feArray(j, string.concat(p, ".siblings"));
        uint256 root = fe(j, string.concat(p, ".accountsRoot"));
        assertEq(root, f.accountsRoot, "account proof root is the final accountsRoot");
        assertEq(sib.length, 24, "account siblings");
        assertEq(L.computeAccountsRoot(leaf, id, sib), root, p);
        assertTrue(L.verify(root, L.ACCOUNTS_DEPTH, leaf, id, sib), p);
    }

    function checkPositionProof(string memory j, string memory s, string memory p) internal view {
        uint256 leaf = fe(j, string.concat(p, ".leaf"));
        uint256 market = num(j, string.concat(p, ".market"));
        uint256[] memory sib = feArray(j, string.concat(p, ".siblings"));
        assertEq(sib.length, 6, "position siblings");
        assertEq(L.computePositionsRoot(leaf, market, sib), fe(j, string.concat(p, ".positionsRoot")), p);
        (int64 size, int64 snap) = lastPosition(j, s, num(j, string.concat(p, ".account")), market);
        // 0 when the slot was never written or was last set to size 0.
        assertEq(L.positionLeaf(size, snap), leaf, "position leaf from the last setPosition");
    }

    function checkFillProof(string memory j, string memory s, string memory p) internal view {
        uint256 leaf = fe(j, string.concat(p, ".leaf"));
        uint256 slot = num(j, string.concat(p, ".slot"));
        uint256[] memory sib = feArray(j, string.concat(p, ".siblings"));
        assertEq(sib.length, 16, "fill siblings");
        assertEq(L.computeFillsRoot(leaf, slot, sib), fe(j, string.concat(p, ".fillsRoot")), p);
        if (leaf != 0) {
            (uint64 nonce, uint64 filled) = lastFill(j, s, num(j, string.concat(p, ".account")), slot);
            assertEq(L.fillLeaf(nonce, filled), leaf, "fill leaf from the last setFill of the slot");
        }
    }

    function checkMarketProof(string memory j, string memory p, Final memory f) internal pure {
        uint256 leaf = fe(j, string.concat(p, ".leaf"));
        uint256[] memory sib = feArray(j, string.concat(p, ".siblings"));
        uint256 root = fe(j, string.concat(p, ".marketsRoot"));
        assertEq(root, f.marketsRoot, "market proof root is the final marketsRoot");
        assertEq(sib.length, 6, "market siblings");
        assertEq(L.computeMarketsRoot(leaf, num(j, string.concat(p, ".market")), sib), root, p);
    }

    /// The position proof `p` of scenario `s` completed with what leads to the state root: the
    /// position from the last setPosition, the account fields from the last setAccount, the
    /// account's fillsRoot from one of its fill proofs, its account proof's siblings, and the final
    /// marketsRoot and globalLeaf. found is false when the account has no account proof or does not
    /// exist.
    function buildPositionProof(string memory j, string memory s, string memory p, uint256 nProofs, Final memory f)
        internal
        view
        returns (L.PositionProof memory pp, bool found)
    {
        uint256 account = num(j, string.concat(p, ".account"));
        (string memory ap, string memory fp) = proofsOfAccount(j, s, account, nProofs);
        if (bytes(ap).length == 0 || fe(j, string.concat(ap, ".leaf")) == 0) return (pp, false);
        assertTrue(bytes(fp).length != 0, "existing account without a fill proof");
        pp.accountId = account;
        pp.marketId = num(j, string.concat(p, ".market"));
        (pp.size, pp.fundingIndexSnapshot) = lastPosition(j, s, account, pp.marketId);
        pp.positionSiblings = feArray(j, string.concat(p, ".siblings"));
        L.Account memory a = lastAccount(j, s, account);
        (pp.publicKeyX, pp.publicKeyY, pp.l1Owner, pp.nonce, pp.collateral) =
        (a.publicKeyX, a.publicKeyY, a.l1Owner, a.nonce, a.collateral);
        pp.fillsRoot = fe(j, string.concat(fp, ".fillsRoot"));
        pp.accountSiblings = feArray(j, string.concat(ap, ".siblings"));
        pp.marketsRoot = f.marketsRoot;
        pp.globalLeaf = f.globalLeaf;
        found = true;
    }

    /// Position leaf -> positionsRoot -> account leaf -> accountsRoot -> state root.
    function checkPositionToStateRoot(string memory j, string memory s, string memory p, uint256 n, Final memory f)
        internal
        view
        returns (bool)
    {
        (L.PositionProof memory pp, bool found) = buildPositionProof(j, s, p, n, f);
        if (!found) return false;
        assertEq(L.positionStateRoot(pp), f.stateRoot, string.concat(p, " to the state root"));
        assertTrue(L.verifyPosition(f.stateRoot, pp), "verifyPosition");
        assertTrue(h.verifyPosition(f.stateRoot, pp), "verifyPosition (harness)");
        // The account leaf rebuilt from the steps sits in the final accounts tree.
        uint256 leaf = L.accountLeaf(
            L.Account({
                publicKeyX: pp.publicKeyX,
                publicKeyY: pp.publicKeyY,
                l1Owner: pp.l1Owner,
                nonce: pp.nonce,
                collateral: pp.collateral,
                positionsRoot: fe(j, string.concat(p, ".positionsRoot")),
                fillsRoot: pp.fillsRoot
            })
        );
        assertEq(L.computeAccountsRoot(leaf, pp.accountId, pp.accountSiblings), f.accountsRoot, "account leaf");
        return true;
    }

    function checkMarketToStateRoot(string memory j, string memory s, string memory p, Final memory f) internal view {
        L.MarketProof memory mp;
        mp.marketId = num(j, string.concat(p, ".market"));
        mp.market = lastMarket(j, s, mp.marketId);
        mp.siblings = feArray(j, string.concat(p, ".siblings"));
        mp.accountsRoot = f.accountsRoot;
        mp.globalLeaf = f.globalLeaf;
        assertEq(L.marketLeaf(mp.market), fe(j, string.concat(p, ".leaf")), "market leaf from the steps");
        assertEq(L.marketStateRoot(mp), f.stateRoot, string.concat(p, " to the state root"));
        assertTrue(h.verifyMarket(f.stateRoot, mp), "verifyMarket (harness)");
    }

    // ---- reading the steps (the last write wins) ---------------------------------------------------

    function stepsOf(string memory j, string memory s) internal view returns (string memory steps, uint256 n) {
        steps = string.concat(s, ".steps");
        n = jsonLength(j, steps);
    }

    function lastAccount(string memory j, string memory s, uint256 account) internal view returns (L.Account memory) {
        (string memory steps, uint256 n) = stepsOf(j, s);
        for (uint256 t = n; t > 0; --t) {
            string memory st = at(steps, t - 1);
            if (eq(str(j, string.concat(st, ".op")), "setAccount") && num(j, string.concat(st, ".account")) == account)
            {
                return readAccount(j, st, false);
            }
        }
        revert("no setAccount for the account");
    }

    function lastPosition(string memory j, string memory s, uint256 account, uint256 market)
        internal
        view
        returns (int64, int64)
    {
        (string memory steps, uint256 n) = stepsOf(j, s);
        for (uint256 t = n; t > 0; --t) {
            string memory st = at(steps, t - 1);
            if (
                eq(str(j, string.concat(st, ".op")), "setPosition") && num(j, string.concat(st, ".account")) == account
                    && num(j, string.concat(st, ".market")) == market
            ) {
                return (i64(j, string.concat(st, ".size")), i64(j, string.concat(st, ".fundingIndexSnapshot")));
            }
        }
        return (0, 0);
    }

    function lastFill(string memory j, string memory s, uint256 account, uint256 slot)
        internal
        view
        returns (uint64, uint64)
    {
        (string memory steps, uint256 n) = stepsOf(j, s);
        for (uint256 t = n; t > 0; --t) {
            string memory st = at(steps, t - 1);
            if (
                eq(str(j, string.concat(st, ".op")), "setFill") && num(j, string.concat(st, ".account")) == account
                    && u64(j, string.concat(st, ".nonce")) % 65536 == slot
            ) {
                return (u64(j, string.concat(st, ".nonce")), u64(j, string.concat(st, ".filledAmount")));
            }
        }
        revert("no setFill for the slot");
    }

    function lastMarket(string memory j, string memory s, uint256 market) internal view returns (L.Market memory) {
        (string memory steps, uint256 n) = stepsOf(j, s);
        for (uint256 t = n; t > 0; --t) {
            string memory st = at(steps, t - 1);
            if (eq(str(j, string.concat(st, ".op")), "setMarket") && num(j, string.concat(st, ".market")) == market) {
                return readMarket(j, st, true);
            }
        }
        revert("no setMarket for the market");
    }

    function lastGlobal(string memory j, string memory s) internal view returns (int64, int64) {
        (string memory steps, uint256 n) = stepsOf(j, s);
        for (uint256 t = n; t > 0; --t) {
            string memory st = at(steps, t - 1);
            if (eq(str(j, string.concat(st, ".op")), "setGlobal")) {
                return (i64(j, string.concat(st, ".insuranceFund")), i64(j, string.concat(st, ".feeBalance")));
            }
        }
        return (0, 0);
    }

    /// The account proof and one fill proof of `account` (empty strings when absent).
    function proofsOfAccount(string memory j, string memory s, uint256 account, uint256 n)
        internal
        pure
        returns (string memory ap, string memory fp)
    {
        for (uint256 i; i < n; ++i) {
            string memory p = at(string.concat(s, ".proofs"), i);
            string memory kind = str(j, string.concat(p, ".kind"));
            if (eq(kind, "market") || num(j, string.concat(p, ".account")) != account) continue;
            if (eq(kind, "account")) ap = p;
            else if (eq(kind, "fill")) fp = p;
        }
    }

    // ---- tampering ----------------------------------------------------------------------------------

    /// The account proof of scenarios[0].proofs[0] (account 5 in "small").
    function smallAccountProof(string memory j)
        internal
        pure
        returns (uint256 leaf, uint256 id, uint256[] memory sib, uint256 root)
    {
        string memory p = ".scenarios[0].proofs[0]";
        assertTrue(eq(str(j, string.concat(p, ".kind")), "account"), "proofs[0] is an account proof");
        leaf = fe(j, string.concat(p, ".leaf"));
        id = num(j, string.concat(p, ".account"));
        sib = feArray(j, string.concat(p, ".siblings"));
        root = fe(j, string.concat(p, ".accountsRoot"));
    }

    function test_alteredSiblingFails() public view {
        string memory j = loadState();
        (uint256 leaf, uint256 id, uint256[] memory sib, uint256 root) = smallAccountProof(j);
        assertTrue(h.verifyAccount(root, leaf, id, sib), "untouched proof verifies");
        for (uint256 i; i < sib.length; ++i) {
            uint256 saved = sib[i];
            sib[i] = addmod(saved, 1, R);
            assertTrue(!h.verifyAccount(root, leaf, id, sib), string.concat("altered sibling ", vm.toString(i)));
            assertTrue(h.computeAccountsRoot(leaf, id, sib) != root, "altered sibling root");
            sib[i] = saved;
        }
    }

    function test_alteredLeafOrIndexFails() public view {
        string memory j = loadState();
        (uint256 leaf, uint256 id, uint256[] memory sib, uint256 root) = smallAccountProof(j);
        assertTrue(!h.verifyAccount(root, addmod(leaf, 1, R), id, sib), "altered leaf");
        assertTrue(!h.verifyAccount(root, 0, id, sib), "empty leaf in place of the account");
        for (uint256 b; b < 24; ++b) {
            assertTrue(!h.verifyAccount(root, leaf, id ^ (2 ** b), sib), string.concat("index bit ", vm.toString(b)));
        }
    }

    function test_alteredPositionProofFails() public view {
        string memory j = loadState();
        // "small": account 5 holds -7 in market 3; proofs[1] is that position.
        Final memory f = readFinal(j, ".scenarios[0]");
        (L.PositionProof memory pp, bool found) =
            buildPositionProof(j, ".scenarios[0]", ".scenarios[0].proofs[1]", jsonLength(j, ".scenarios[0].proofs"), f);
        assertTrue(found && pp.size == -7, "small proofs[1] is the -7 position");
        assertTrue(h.verifyPosition(f.stateRoot, pp), "untouched position proof");

        pp.size += 1;
        assertTrue(!h.verifyPosition(f.stateRoot, pp), "altered size");
        pp.size -= 1;
        pp.collateral += 1;
        assertTrue(!h.verifyPosition(f.stateRoot, pp), "altered collateral");
        pp.collateral -= 1;
        pp.positionSiblings[2] = addmod(pp.positionSiblings[2], 1, R);
        assertTrue(!h.verifyPosition(f.stateRoot, pp), "altered position sibling");
        pp.positionSiblings[2] = addmod(pp.positionSiblings[2], R - 1, R);
        pp.accountSiblings[23] = addmod(pp.accountSiblings[23], 1, R);
        assertTrue(!h.verifyPosition(f.stateRoot, pp), "altered account sibling");
        pp.accountSiblings[23] = addmod(pp.accountSiblings[23], R - 1, R);
        pp.marketId ^= 1;
        assertTrue(!h.verifyPosition(f.stateRoot, pp), "altered market id");
        pp.marketId ^= 1;
        pp.globalLeaf = addmod(pp.globalLeaf, 1, R);
        assertTrue(!h.verifyPosition(f.stateRoot, pp), "altered global leaf");
        pp.globalLeaf = f.globalLeaf;
        assertTrue(h.verifyPosition(f.stateRoot, pp), "restored position proof");
    }

    // ---- custom errors ------------------------------------------------------------------------------

    function test_revertWrongProofLength() public {
        string memory j = loadState();
        (uint256 leaf, uint256 id, uint256[] memory sib,) = smallAccountProof(j);
        uint256[] memory short = new uint256[](23);
        for (uint256 i; i < 23; ++i) {
            short[i] = sib[i];
        }
        vm.expectRevert(abi.encodeWithSelector(L.WrongProofLength.selector, 24, 23));
        h.computeAccountsRoot(leaf, id, short);

        uint256[] memory long = new uint256[](25);
        vm.expectRevert(abi.encodeWithSelector(L.WrongProofLength.selector, 24, 25));
        h.computeAccountsRoot(leaf, id, long);

        vm.expectRevert(abi.encodeWithSelector(L.WrongProofLength.selector, 6, 24));
        h.computePositionsRoot(0, 0, sib);
        vm.expectRevert(abi.encodeWithSelector(L.WrongProofLength.selector, 16, 6));
        h.computeFillsRoot(0, 0, new uint256[](6));
        vm.expectRevert(abi.encodeWithSelector(L.WrongProofLength.selector, 6, 0));
        h.computeMarketsRoot(0, 0, new uint256[](0));
    }

    function test_revertIndexOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(L.IndexOutOfRange.selector, 1 << 24, 24));
        h.computeAccountsRoot(0, 1 << 24, new uint256[](24));
        vm.expectRevert(abi.encodeWithSelector(L.IndexOutOfRange.selector, type(uint256).max, 24));
        h.computeAccountsRoot(0, type(uint256).max, new uint256[](24));
        vm.expectRevert(abi.encodeWithSelector(L.IndexOutOfRange.selector, 64, 6));
        h.computePositionsRoot(0, 64, new uint256[](6));
        vm.expectRevert(abi.encodeWithSelector(L.IndexOutOfRange.selector, 1 << 16, 16));
        h.computeFillsRoot(0, 1 << 16, new uint256[](16));
        vm.expectRevert(abi.encodeWithSelector(L.IndexOutOfRange.selector, 64, 6));
        h.computeMarketsRoot(0, 64, new uint256[](6));
        // The largest index of each tree is fine.
        assertEq(h.computeAccountsRoot(0, (1 << 24) - 1, emptyProof(24)), L.EMPTY_ACCOUNTS_ROOT, "last account slot");
        assertEq(h.computeMarketsRoot(0, 63, emptyProof(6)), L.EMPTY_MARKETS_ROOT, "last market slot");
    }

    function test_revertNonCanonicalProofInput() public {
        string memory j = loadState();
        (uint256 leaf, uint256 id, uint256[] memory sib,) = smallAccountProof(j);
        sib[7] = R;
        vm.expectRevert(abi.encodeWithSelector(Poseidon2.NonCanonicalFieldElement.selector, R));
        h.computeAccountsRoot(leaf, id, sib);
        sib[7] = 0;
        vm.expectRevert(abi.encodeWithSelector(Poseidon2.NonCanonicalFieldElement.selector, leaf + R));
        h.computeAccountsRoot(leaf + R, id, sib);
        vm.expectRevert(abi.encodeWithSelector(Poseidon2.NonCanonicalFieldElement.selector, R + 1));
        h.stateRoot(0, R + 1, 0);
    }

    function test_revertNonCanonicalAccountField() public {
        L.Account memory a;
        a.publicKeyY = R;
        vm.expectRevert(abi.encodeWithSelector(Poseidon2.NonCanonicalFieldElement.selector, R));
        h.accountLeaf(a);
        a.publicKeyY = 0;
        a.fillsRoot = type(uint256).max;
        vm.expectRevert(abi.encodeWithSelector(Poseidon2.NonCanonicalFieldElement.selector, type(uint256).max));
        h.accountLeaf(a);
    }

    function test_revertHeightOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(L.HeightOutOfRange.selector, 25));
        h.emptySubtree(25);
    }

    function test_revertNotAnInt64() public {
        uint256 top = uint256(1) << 63;
        vm.expectRevert(abi.encodeWithSelector(L.NotAnInt64.selector, top));
        h.toInt64(top);
        vm.expectRevert(abi.encodeWithSelector(L.NotAnInt64.selector, R - top - 1));
        h.toInt64(R - top - 1);
        vm.expectRevert(abi.encodeWithSelector(L.NotAnInt64.selector, R));
        h.toInt64(R);
        assertTrue(h.toInt64(top - 1) == type(int64).max, "max");
        assertTrue(h.toInt64(R - top) == type(int64).min, "min");
    }

    // ---- fuzzing ----------------------------------------------------------------------------------------

    /// The siblings of any slot of an empty tree: Z_0 ... Z_{depth-1}.
    function emptyProof(uint256 depth) internal pure returns (uint256[] memory sib) {
        sib = new uint256[](depth);
        for (uint256 ht; ht < depth; ++ht) {
            sib[ht] = L.emptySubtree(ht);
        }
    }

    /// A two-leaf tree built by hand: root = Compress(a, b).
    function testFuzz_twoLeafTree(uint256 a, uint256 b) public view {
        a %= R;
        b %= R;
        uint256 root = Poseidon2.compress(a, b);
        uint256[] memory sib = new uint256[](1);
        sib[0] = b;
        assertEq(h.computeRoot(1, a, 0, sib), root, "left leaf");
        sib[0] = a;
        assertEq(h.computeRoot(1, b, 1, sib), root, "right leaf");
        if (a != b) {
            assertTrue(h.computeRoot(1, a, 1, sib) != root || a == b, "wrong side");
        }
    }

    /// Reference sparse tree holding leaf a at i and leaf b at j (i != j), everything else empty.
    function refNode(uint256 ht, uint256 idx, uint256 i, uint256 a, uint256 j, uint256 b)
        internal
        pure
        returns (uint256)
    {
        bool hasI = i >> ht == idx;
        bool hasJ = j >> ht == idx;
        if (!hasI && !hasJ) {
            uint256 z;
            for (uint256 k; k < ht; ++k) {
                z = Poseidon2.compress(z, z);
            }
            return z;
        }
        if (ht == 0) return hasI ? a : b;
        return Poseidon2.compress(refNode(ht - 1, 2 * idx, i, a, j, b), refNode(ht - 1, 2 * idx + 1, i, a, j, b));
    }

    function refProof(uint256 depth, uint256 at_, uint256 i, uint256 a, uint256 j, uint256 b)
        internal
        pure
        returns (uint256[] memory sib)
    {
        sib = new uint256[](depth);
        for (uint256 ht; ht < depth; ++ht) {
            sib[ht] = refNode(ht, (at_ >> ht) ^ 1, i, a, j, b);
        }
    }

    /// Two random leaves in a positions-depth tree: both proofs, and the proof of an empty slot,
    /// lead to the reference root.
    /// forge-config: default.fuzz.runs = 64
    function testFuzz_twoLeavesInSparseTree(uint256 i, uint256 j, uint256 k, uint256 a, uint256 b) public view {
        uint256 depth = L.POSITIONS_DEPTH;
        i %= 2 ** depth;
        j %= 2 ** depth;
        k %= 2 ** depth;
        vm.assume(i != j && k != i && k != j);
        a %= R;
        b %= R;
        uint256 root = refNode(depth, 0, i, a, j, b);
        assertEq(h.computePositionsRoot(a, i, refProof(depth, i, i, a, j, b)), root, "leaf i");
        assertEq(h.computePositionsRoot(b, j, refProof(depth, j, i, a, j, b)), root, "leaf j");
        assertEq(h.computePositionsRoot(0, k, refProof(depth, k, i, a, j, b)), root, "empty slot k");
    }

    function testFuzz_int64RoundTrip(int64 x) public pure {
        uint256 e = L.fromInt64(x);
        assertTrue(e < R, "embedding >= R");
        assertTrue(L.toInt64(e) == x, "round trip");
    }

    // ---- gas ----------------------------------------------------------------------------------------

    /// Gas of an account proof as a contract calling the library internally would pay: the
    /// "random" scenario's first account proof.
    function test_gasAccountProof() public view {
        string memory j = loadState();
        string memory p = ".scenarios[2].proofs[0]";
        assertTrue(eq(str(j, string.concat(p, ".kind")), "account"), "random proofs[0] is an account proof");
        uint256 leaf = fe(j, string.concat(p, ".leaf"));
        uint256 id = num(j, string.concat(p, ".account"));
        uint256[] memory sib = feArray(j, string.concat(p, ".siblings"));
        uint256 root = fe(j, string.concat(p, ".accountsRoot"));
        uint256 g = gasleft();
        bool ok = L.verify(root, L.ACCOUNTS_DEPTH, leaf, id, sib);
        g -= gasleft();
        assertTrue(ok, "account proof");
        console.log("gas: account proof, 24 levels (internal call)", g);
    }

    /// Gas of a position proof up to the state root (position leaf, 6 levels, account leaf, 24
    /// levels, state root), called internally.
    function test_gasPositionProof() public view {
        string memory j = loadState();
        string memory s = ".scenarios[2]";
        Final memory f = readFinal(j, s);
        assertTrue(eq(str(j, ".scenarios[2].proofs[1].kind"), "position"), "random proofs[1] is a position proof");
        (L.PositionProof memory q, bool found) =
            buildPositionProof(j, s, ".scenarios[2].proofs[1]", jsonLength(j, string.concat(s, ".proofs")), f);
        assertTrue(found && q.size != 0, "random proofs[1] is a non-empty position of a proven account");
        uint256 g = gasleft();
        bool ok = L.verifyPosition(f.stateRoot, q);
        g -= gasleft();
        assertTrue(ok, "position proof");
        console.log("gas: position proof to the state root (internal call)", g);
    }
}
