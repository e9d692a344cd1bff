// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Poseidon2} from "../src/Poseidon2.sol";
import {StateLayoutV1} from "../src/StateLayoutV1.sol";
import {StateLayoutV2 as L} from "../src/StateLayoutV2.sol";
import {StateVectors} from "./utils/StateVectors.sol";

/// @notice External wrappers, so that the tests can expect the library's reverts.
contract StateLayoutV2Harness {
    function packEntry(L.PositionEntry memory e) external pure returns (uint256) {
        return L.packEntry(e);
    }

    function unpackPositions(uint256[4] memory q) external pure returns (L.PositionEntry[8] memory) {
        return L.unpackPositions(q);
    }

    function feeTiersHash(L.FeeTier[8] memory t) external pure returns (uint256) {
        return L.feeTiersHash(t);
    }

    function globalLeaf(uint256 quorum) external pure returns (uint256) {
        return L.globalLeaf(0, 0, quorum, 0);
    }
}

/// @notice State layout v2 against test-vectors/state-v2.json.
contract StateLayoutV2Test is StateVectors {
    StateLayoutV2Harness internal h;

    function setUp() public {
        h = new StateLayoutV2Harness();
    }

    function load() internal view returns (string memory) {
        return readVectors("state-v2.json");
    }

    function entry(string memory j, string memory p) internal pure returns (L.PositionEntry memory e) {
        uint256 market = num(j, string.concat(p, ".market"));
        // forge-lint: disable-next-line(unsafe-typecast)
        e.market = uint8(market); // the vectors' markets are below 256
        e.size = i64(j, string.concat(p, ".size"));
        e.fundingSnapshot = i64(j, string.concat(p, ".fundingSnapshot"));
    }

    function list(string memory j, string memory p) internal view returns (L.PositionEntry[8] memory out) {
        assertEq(jsonLength(j, p), 8, "8 entries");
        for (uint256 i; i < 8; ++i) {
            out[i] = entry(j, at(p, i));
        }
    }

    function packed4(string memory j, string memory p) internal pure returns (uint256[4] memory q) {
        uint256[] memory a = feArray(j, p);
        assertEq(a.length, 4, "4 packed elements");
        for (uint256 k; k < 4; ++k) {
            q[k] = a[k];
        }
    }

    function accountHash(string memory j, string memory p) internal view returns (uint256) {
        L.Identity memory id;
        id.publicKeyX = fe(j, string.concat(p, ".identity.publicKeyX"));
        id.publicKeyY = fe(j, string.concat(p, ".identity.publicKeyY"));
        id.l1Owner = vm.parseJsonAddress(j, string.concat(p, ".identity.l1Owner"));
        uint256 tier = num(j, string.concat(p, ".identity.feeTier"));
        // forge-lint: disable-next-line(unsafe-typecast)
        id.feeTier = uint8(tier);
        uint256 identity = L.identityHash(id);
        assertEq(identity, fe(j, string.concat(p, ".identity.hash")), "identity hash");
        uint256[4] memory q = L.packPositions(list(j, string.concat(p, ".positions")));
        uint256[4] memory want = packed4(j, string.concat(p, ".packed"));
        for (uint256 k; k < 4; ++k) {
            assertEq(q[k], want[k], "packed q");
        }
        return L.accountLeaf(
            identity,
            u64(j, string.concat(p, ".nonce")),
            i64(j, string.concat(p, ".collateral")),
            fe(j, string.concat(p, ".fillsRoot")),
            q
        );
    }

    function marketHash(string memory j, string memory p) internal pure returns (uint256) {
        string memory r = string.concat(p, ".risk");
        L.MarketRisk memory risk = L.MarketRisk({
            initialMarginPpm: u64(j, string.concat(r, ".initialMarginPpm")),
            maintenanceMarginPpm: u64(j, string.concat(r, ".maintenanceMarginPpm")),
            baselinePositionSize: u64(j, string.concat(r, ".baselinePositionSize")),
            incrementalPositionSize: u64(j, string.concat(r, ".incrementalPositionSize")),
            incrementalInitialMarginPpm: u64(j, string.concat(r, ".incrementalInitialMarginPpm")),
            maxPositionSize: u64(j, string.concat(r, ".maxPositionSize")),
            openInterestCap: u64(j, string.concat(r, ".openInterestCap")),
            oracleMaxAgeSeconds: u64(j, string.concat(r, ".oracleMaxAgeSeconds")),
            oracleMaxFutureSeconds: u64(j, string.concat(r, ".oracleMaxFutureSeconds")),
            oracleMaxMovePpm: u64(j, string.concat(r, ".oracleMaxMovePpm")),
            fundingMinIntervalSeconds: u64(j, string.concat(r, ".fundingMinIntervalSeconds")),
            fundingMaxRatePpm: u64(j, string.concat(r, ".fundingMaxRatePpm"))
        });
        uint256 riskHash = L.marketRiskHash(risk);
        assertEq(riskHash, fe(j, string.concat(r, ".hash")), "risk hash");
        return L.marketLeaf(
            StateLayoutV1.Market({
                oraclePrice: u64(j, string.concat(p, ".oraclePrice")),
                oracleTimestamp: u64(j, string.concat(p, ".oracleTimestamp")),
                fundingIndex: i64(j, string.concat(p, ".fundingIndex")),
                fundingTimestamp: u64(j, string.concat(p, ".fundingTimestamp")),
                openInterest: u64(j, string.concat(p, ".openInterest")),
                riskHash: riskHash
            })
        );
    }

    function tiers(string memory j, string memory p) internal view returns (L.FeeTier[8] memory t) {
        assertEq(jsonLength(j, p), 8, "8 tiers");
        for (uint256 i; i < 8; ++i) {
            int256 m = vm.parseJsonInt(j, string.concat(at(p, i), ".makerPpm"));
            int256 k = vm.parseJsonInt(j, string.concat(at(p, i), ".takerPpm"));
            // forge-lint: disable-next-line(unsafe-typecast)
            t[i] = L.FeeTier({makerPpm: int32(m), takerPpm: int32(k)});
        }
    }

    // ---- tests --------------------------------------------------------------------------------------

    function test_constants() public view {
        string memory j = load();
        assertEq(num(j, ".generator.layoutVersion"), L.VERSION, "version");
        assertEq(num(j, ".depths.accounts"), L.ACCOUNTS_DEPTH, "accounts depth");
        assertEq(num(j, ".depths.fills"), L.FILLS_DEPTH, "fills depth");
        assertEq(num(j, ".depths.markets"), L.MARKETS_DEPTH, "markets depth");
        assertEq(num(j, ".depths.oracleSigners"), L.ORACLE_SIGNERS_DEPTH, "signers depth");
        assertEq(num(j, ".insuranceFundAccount"), L.INSURANCE_FUND_ACCOUNT, "fund account");
        assertEq(fe(j, ".emptyRoots.fills"), L.EMPTY_FILLS_ROOT, "Z12");
        assertEq(fe(j, ".emptyRoots.oracleSigners"), L.EMPTY_ORACLE_SIGNERS_ROOT, "Z4");
        assertEq(StateLayoutV1.emptySubtree(12), L.EMPTY_FILLS_ROOT, "Z12 by hashing");
        uint256[9] memory tags = [
            L.TAG_ACCOUNT,
            L.TAG_ACCOUNT_IDENTITY,
            L.TAG_FILL,
            L.TAG_MARKET,
            L.TAG_MARKET_RISK,
            L.TAG_GLOBAL,
            L.TAG_ORACLE_SIGNER,
            L.TAG_FEE_TIERS,
            L.TAG_STATE
        ];
        uint256[9] memory ivs = [
            L.ACCOUNT_IV,
            L.ACCOUNT_IDENTITY_IV,
            L.FILL_IV,
            L.MARKET_IV,
            L.MARKET_RISK_IV,
            L.GLOBAL_IV,
            L.ORACLE_SIGNER_IV,
            L.FEE_TIERS_IV,
            L.STATE_IV
        ];
        assertEq(jsonLength(j, ".tags"), 9, "9 tags");
        for (uint256 i; i < 9; ++i) {
            assertEq(tags[i], fe(j, string.concat(at(".tags", i), ".value")), "tag");
            assertEq(ivs[i], Poseidon2.compress(0, tags[i]), "IV = Compress(0, TAG)");
        }
    }

    function test_entries() public {
        string memory j = load();
        uint256 n = jsonLength(j, ".entries");
        for (uint256 i; i < n; ++i) {
            L.PositionEntry memory e = entry(j, at(".entries", i));
            uint256 p = fe(j, string.concat(at(".entries", i), ".packed"));
            assertEq(L.packEntry(e), p, "packed entry");
            L.PositionEntry memory back = L.unpackEntry(p);
            if (e.size != 0) {
                assertTrue(back.market == e.market && back.size == e.size, "unpacked market and size");
                assertTrue(back.fundingSnapshot == e.fundingSnapshot, "unpacked snapshot");
            } else {
                assertTrue(back.size == 0 && p == 0, "empty entry is 0");
            }
        }
        n = jsonLength(j, ".invalidEntries");
        assertTrue(n > 0, "invalid entries present");
        for (uint256 i; i < n; ++i) {
            string memory p = at(".invalidEntries", i);
            uint256 market = num(j, string.concat(p, ".market"));
            L.PositionEntry memory e = entry(j, p);
            vm.expectRevert(abi.encodeWithSelector(L.PositionOutOfRange.selector, market, int256(e.size)));
            h.packEntry(e);
        }
    }

    function test_lists() public view {
        string memory j = load();
        uint256 n = jsonLength(j, ".positionLists");
        for (uint256 i; i < n; ++i) {
            string memory p = at(".positionLists", i);
            uint256[4] memory q = L.packPositions(list(j, string.concat(p, ".entries")));
            uint256[4] memory want = packed4(j, string.concat(p, ".packed"));
            L.PositionEntry[8] memory back = L.unpackPositions(want);
            for (uint256 k; k < 4; ++k) {
                assertEq(q[k], want[k], "packed list");
            }
            uint256[4] memory again = L.packPositions(back);
            for (uint256 k; k < 4; ++k) {
                assertEq(again[k], want[k], "unpack then pack");
            }
        }
    }

    function test_nonCanonicalListsRevert() public {
        string memory j = load();
        uint256 n = jsonLength(j, ".nonCanonicalLists");
        assertTrue(n > 0, "non-canonical lists present");
        for (uint256 i; i < n; ++i) {
            string memory p = at(".nonCanonicalLists", i);
            uint256[4] memory q = packed4(j, string.concat(p, ".packed"));
            vm.expectRevert();
            h.unpackPositions(q);
        }
    }

    function test_leaves() public view {
        string memory j = load();
        uint256 n = jsonLength(j, ".accounts");
        for (uint256 i; i < n; ++i) {
            assertEq(accountHash(j, at(".accounts", i)), fe(j, string.concat(at(".accounts", i), ".hash")), "account");
        }
        n = jsonLength(j, ".fills");
        for (uint256 i; i < n; ++i) {
            string memory p = at(".fills", i);
            assertEq(
                L.fillLeaf(u64(j, string.concat(p, ".orderNonce")), u64(j, string.concat(p, ".filledAmount"))),
                fe(j, string.concat(p, ".hash")),
                "fill"
            );
        }
        n = jsonLength(j, ".markets");
        for (uint256 i; i < n; ++i) {
            assertEq(marketHash(j, at(".markets", i)), fe(j, string.concat(at(".markets", i), ".hash")), "market");
        }
    }

    function test_signersTiersGlobals() public {
        string memory j = load();
        uint256 n = jsonLength(j, ".oracleSignerSets");
        for (uint256 i; i < n; ++i) {
            string memory set = at(".oracleSignerSets", i);
            uint256[16] memory leaves;
            for (uint256 s; s < 16; ++s) {
                string memory p = at(string.concat(set, ".slots"), s);
                leaves[s] = L.oracleSignerLeaf(fe(j, string.concat(p, ".keyX")), fe(j, string.concat(p, ".keyY")));
                assertEq(leaves[s], fe(j, string.concat(p, ".leaf")), "signer leaf");
            }
            assertEq(L.oracleSignersRoot(leaves), fe(j, string.concat(set, ".root")), "signers root");
        }
        n = jsonLength(j, ".feeTiers");
        for (uint256 i; i < n; ++i) {
            string memory p = at(".feeTiers", i);
            assertEq(L.feeTiersHash(tiers(j, string.concat(p, ".tiers"))), fe(j, string.concat(p, ".hash")), "tiers");
        }
        n = jsonLength(j, ".invalidFeeTiers");
        assertTrue(n > 0, "invalid tiers present");
        for (uint256 i; i < n; ++i) {
            L.FeeTier[8] memory t = tiers(j, string.concat(at(".invalidFeeTiers", i), ".tiers"));
            vm.expectRevert();
            h.feeTiersHash(t);
        }
        n = jsonLength(j, ".globals");
        for (uint256 i; i < n; ++i) {
            string memory p = at(".globals", i);
            uint256 g = L.globalLeaf(
                i64(j, string.concat(p, ".feeBalance")),
                fe(j, string.concat(p, ".oracleSignersRoot")),
                num(j, string.concat(p, ".oracleQuorum")),
                fe(j, string.concat(p, ".feeTiersRoot"))
            );
            assertEq(g, fe(j, string.concat(p, ".hash")), "global");
        }
        vm.expectRevert(abi.encodeWithSelector(L.QuorumOutOfRange.selector, 17));
        h.globalLeaf(17);
    }

    /// Checks one state's account entry against accountsRoot; returns whether it is the fund.
    function proveAccount(string memory j, string memory p, uint256 accountsRoot) internal view returns (bool) {
        uint256 id = num(j, string.concat(p, ".id"));
        uint256 leaf = accountHash(j, string.concat(p, ".account"));
        uint256[] memory siblings = feArray(j, string.concat(p, ".siblings"));
        assertEq(StateLayoutV1.computeRoot(L.ACCOUNTS_DEPTH, leaf, id, siblings), accountsRoot, "account proof");
        return id == L.INSURANCE_FUND_ACCOUNT;
    }

    function proveMarket(string memory j, string memory p, uint256 marketsRoot) internal pure {
        uint256 leaf = marketHash(j, string.concat(p, ".market"));
        uint256[] memory siblings = feArray(j, string.concat(p, ".siblings"));
        uint256 id = num(j, string.concat(p, ".id"));
        assertEq(StateLayoutV1.computeRoot(L.MARKETS_DEPTH, leaf, id, siblings), marketsRoot, "market proof");
    }

    function accountProof(string memory j, string memory s, string memory p)
        internal
        pure
        returns (L.AccountProof memory ap)
    {
        string memory a = string.concat(p, ".account");
        ap.accountId = num(j, string.concat(p, ".id"));
        ap.identity.publicKeyX = fe(j, string.concat(a, ".identity.publicKeyX"));
        ap.identity.publicKeyY = fe(j, string.concat(a, ".identity.publicKeyY"));
        ap.identity.l1Owner = vm.parseJsonAddress(j, string.concat(a, ".identity.l1Owner"));
        uint256 tier = num(j, string.concat(a, ".identity.feeTier"));
        // forge-lint: disable-next-line(unsafe-typecast)
        ap.identity.feeTier = uint8(tier);
        ap.nonce = u64(j, string.concat(a, ".nonce"));
        ap.collateral = i64(j, string.concat(a, ".collateral"));
        ap.fillsRoot = fe(j, string.concat(a, ".fillsRoot"));
        ap.positions = packed4(j, string.concat(a, ".packed"));
        ap.accountSiblings = feArray(j, string.concat(p, ".siblings"));
        ap.marketsRoot = fe(j, string.concat(s, ".marketsRoot"));
        ap.globalLeaf = fe(j, string.concat(s, ".global.hash"));
    }

    /// Every account of the "small" state proves itself to the state root through verifyAccount;
    /// a changed collateral, position element or account id does not.
    function test_accountProofsToTheStateRoot() public view {
        string memory j = load();
        string memory s = at(".states", 1);
        uint256 root = fe(j, string.concat(s, ".root"));
        uint256 m = jsonLength(j, string.concat(s, ".accounts"));
        assertTrue(m >= 3, "small state has accounts");
        for (uint256 a; a < m; ++a) {
            L.AccountProof memory ap = accountProof(j, s, at(string.concat(s, ".accounts"), a));
            assertTrue(L.verifyAccount(root, ap), "account proof");
            ap.collateral += 1;
            assertTrue(!L.verifyAccount(root, ap), "changed collateral");
            ap.collateral -= 1;
            ap.positions[3] ^= 1;
            assertTrue(!L.verifyAccount(root, ap), "changed position element");
            ap.positions[3] ^= 1;
            ap.accountId ^= 1;
            assertTrue(!L.verifyAccount(root, ap), "other account id");
        }
    }

    function test_statesProveTheirRoots() public view {
        string memory j = load();
        uint256 n = jsonLength(j, ".states");
        assertEq(n, 3, "three states");
        for (uint256 i; i < n; ++i) {
            string memory s = at(".states", i);
            uint256 accountsRoot = fe(j, string.concat(s, ".accountsRoot"));
            uint256 marketsRoot = fe(j, string.concat(s, ".marketsRoot"));
            bool fund;
            uint256 m = jsonLength(j, string.concat(s, ".accounts"));
            for (uint256 a; a < m; ++a) {
                fund = proveAccount(j, at(string.concat(s, ".accounts"), a), accountsRoot) || fund;
            }
            assertTrue(fund, "the insurance fund account exists");
            m = jsonLength(j, string.concat(s, ".markets"));
            for (uint256 k; k < m; ++k) {
                proveMarket(j, at(string.concat(s, ".markets"), k), marketsRoot);
            }
            assertEq(
                L.stateRoot(accountsRoot, marketsRoot, fe(j, string.concat(s, ".global.hash"))),
                fe(j, string.concat(s, ".root")),
                "state root"
            );
        }
    }
}
