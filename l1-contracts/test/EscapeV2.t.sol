// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {EscapeV2} from "../src/EscapeV2.sol";
import {StateLayoutV1} from "../src/StateLayoutV1.sol";
import {StateLayoutV2} from "../src/StateLayoutV2.sol";
import {TestUSD} from "../src/TestUSD.sol";
import {EscapeV2Vault} from "./utils/EscapeV2Vault.sol";
import {StateV2Vectors} from "./utils/StateV2Vectors.sol";
import {TestBase} from "./utils/TestBase.sol";
import {console} from "./utils/Vm.sol";

/// @notice External wrapper of EscapeV2.payout, so that the tests can expect its reverts.
contract EscapeV2Harness {
    function payout(uint256 root, EscapeV2.Proof memory p) external pure returns (uint256 owed, int256 total) {
        return EscapeV2.payout(root, p);
    }
}

/// @notice Reads test-vectors/escape-v2.json. Each read runs in its own external call, so the
/// file's 100 kB copies (one per cheatcode call) are freed with the call's memory instead of
/// piling up in the test's.
contract EscapeV2Vectors is StateV2Vectors {
    function load() internal view returns (string memory) {
        return readVectors("escape-v2.json");
    }

    function statePath(uint256 s) internal pure returns (string memory) {
        return at(".states", s);
    }

    function escapePath(uint256 s, uint256 e) internal pure returns (string memory) {
        return at(string.concat(statePath(s), ".escapes"), e);
    }

    /// @notice Index of the escape named `name` in state `s`.
    function find(uint256 s, string memory name) external view returns (uint256 e) {
        string memory j = load();
        uint256 n = jsonLength(j, string.concat(statePath(s), ".escapes"));
        for (; e < n; ++e) {
            if (eq(str(j, string.concat(escapePath(s, e), ".name")), name)) return e;
        }
        revert(string.concat("no escape named ", name));
    }

    /// @notice The proof of escape `e` of state `s` as the file gives it.
    function proof(uint256 s, uint256 e) external view returns (EscapeV2.Proof memory) {
        return escapeProofAt(load(), escapePath(s, e), statePath(s));
    }

    /// @notice The proof of market `k` of state `s`'s market list.
    function stateMarket(uint256 s, uint256 k) external view returns (EscapeV2.MarketLeafProof memory) {
        return marketProofAt(load(), at(string.concat(statePath(s), ".markets"), k));
    }

    function root(uint256 s) external view returns (uint256) {
        return fe(load(), string.concat(statePath(s), ".root"));
    }

    function stateCount() external view returns (uint256) {
        return jsonLength(load(), ".states");
    }

    function escapeCount(uint256 s) external view returns (uint256) {
        return jsonLength(load(), string.concat(statePath(s), ".escapes"));
    }

    /// @notice Whether escape `e` of state `s` is refused ("insurance-fund"), else its payout and total.
    function expected(uint256 s, uint256 e) external view returns (bool refused, uint256 payout, int256 total) {
        string memory j = load();
        string memory ep = escapePath(s, e);
        if (vm.keyExistsJson(j, string.concat(ep, ".refused"))) {
            assertTrue(eq(str(j, string.concat(ep, ".refused")), "insurance-fund"), "refusal reason");
            return (true, 0, 0);
        }
        return (false, num(j, string.concat(ep, ".payout")), vm.parseJsonInt(j, string.concat(ep, ".total")));
    }

    /// @notice The entries' parts of every escape: checks EscapeV2.funding and EscapeV2.value.
    function checkEntryParts() external view returns (uint256 n) {
        string memory j = load();
        for (uint256 s; s < 2; ++s) {
            uint256 ne = jsonLength(j, string.concat(statePath(s), ".escapes"));
            for (uint256 e; e < ne; ++e) {
                string memory ep = string.concat(escapePath(s, e), ".entries");
                uint256 m = jsonLength(j, ep);
                for (uint256 k; k < m; ++k) {
                    string memory x = at(ep, k);
                    int64 size = i64(j, string.concat(x, ".size"));
                    int256 f = EscapeV2.funding(
                        size, i64(j, string.concat(x, ".fundingSnapshot")), i64(j, string.concat(x, ".fundingIndex"))
                    );
                    int256 v = EscapeV2.value(size, u64(j, string.concat(x, ".oraclePrice")));
                    assertTrue(f == vm.parseJsonInt(j, string.concat(x, ".funding")), string.concat(x, " funding"));
                    assertTrue(v == vm.parseJsonInt(j, string.concat(x, ".value")), string.concat(x, " value"));
                    ++n;
                }
            }
        }
    }
}

/// @notice EscapeV2 and the harness vault against test-vectors/escape-v2.json.
contract EscapeV2Test is TestBase {
    EscapeV2Harness internal h;
    EscapeV2Vectors internal x;

    function setUp() public {
        h = new EscapeV2Harness();
        x = new EscapeV2Vectors();
    }

    function readProof(uint256 s, uint256 e) internal view returns (EscapeV2.Proof memory) {
        return x.proof(s, e);
    }

    function find(uint256 s, string memory name) internal view returns (uint256) {
        return x.find(s, name);
    }

    function root(uint256 s) internal view returns (uint256) {
        return x.root(s);
    }

    // ---- every vector ---------------------------------------------------------------------------

    /// @notice Every escape of every state: the payout and total of the file, the fund refused.
    function test_everyVectorPayout() public view {
        uint256 ns = x.stateCount();
        assertEq(ns, 2, "states");
        uint256 checked;
        for (uint256 s; s < ns; ++s) {
            uint256 ne = x.escapeCount(s);
            for (uint256 e; e < ne; ++e) {
                EscapeV2.Proof memory p = readProof(s, e);
                (bool refused, uint256 want, int256 wantTotal) = x.expected(s, e);
                if (refused) {
                    expectPayoutRevert(root(s), p, EscapeV2.InsuranceFundCannotEscape.selector, "fund");
                    continue;
                }
                (uint256 owed, int256 total) = h.payout(root(s), p);
                assertEq(owed, want, string.concat("payout of escape ", vm.toString(e)));
                assertTrue(total == wantTotal, string.concat("total of escape ", vm.toString(e)));
                ++checked;
            }
        }
        assertEq(checked, 8, "escapes checked");
    }

    /// @notice Each entry's funding and value as the file's breakdown gives them.
    function test_entryParts() public view {
        assertEq(x.checkEntryParts(), 1 + 2 + 8 + 1 + 3, "entries checked");
    }

    // ---- changed fields -----------------------------------------------------------------------------

    function expectPayoutRevert(uint256 r, EscapeV2.Proof memory p, bytes4 selector, string memory what) internal view {
        try h.payout(r, p) {
            revert(string.concat(what, ": accepted"));
        } catch (bytes memory err) {
            // the first 4 bytes of the revert data are the error's selector
            // forge-lint: disable-next-line(unsafe-typecast)
            assertTrue(err.length >= 4 && bytes4(err) == selector, string.concat(what, ": wrong revert"));
        }
    }

    /// @notice "long-and-short" (a long in market 1, a short in market 2): any changed field reverts.
    function test_changedFieldReverts() public view {
        uint256 e = find(0, "long-and-short");
        uint256 r = root(0);
        bytes4 rootMismatch = EscapeV2.StateRootMismatch.selector;
        bytes4 notInRoot = EscapeV2.MarketNotInRoot.selector;
        EscapeV2.Proof memory p;

        p = readProof(0, e);
        p.account.collateral += 1;
        expectPayoutRevert(r, p, rootMismatch, "collateral");
        p = readProof(0, e);
        p.account.positions[0] += 1 << 6; // entry 0's size + 1
        expectPayoutRevert(r, p, rootMismatch, "size");
        p = readProof(0, e);
        p.account.positions[0] += 2 ** 132; // entry 1's size + 1 (bit 126 + 6)
        expectPayoutRevert(r, p, rootMismatch, "second size");
        p = readProof(0, e);
        p.account.positions[0] += 1 << 62; // entry 0's snapshot + 1
        expectPayoutRevert(r, p, rootMismatch, "snapshot");
        p = readProof(0, e);
        p.account.nonce += 1;
        expectPayoutRevert(r, p, rootMismatch, "nonce");
        p = readProof(0, e);
        p.account.identity.l1Owner = address(0xBEEF);
        expectPayoutRevert(r, p, rootMismatch, "owner");
        p = readProof(0, e);
        p.markets[0].market.oraclePrice += 1;
        expectPayoutRevert(r, p, notInRoot, "price");
        p = readProof(0, e);
        p.markets[1].market.fundingIndex -= 1;
        expectPayoutRevert(r, p, notInRoot, "funding index");
        p = readProof(0, e);
        p.markets[1].market.riskHash += 1;
        expectPayoutRevert(r, p, notInRoot, "risk hash");
        p = readProof(0, e);
        p.markets[0].siblings[3] += 1;
        expectPayoutRevert(r, p, notInRoot, "market sibling");
        p = readProof(0, e);
        p.account.marketsRoot += 1;
        expectPayoutRevert(r, p, notInRoot, "markets root");
        for (uint256 k; k < 24; k += 5) {
            p = readProof(0, e);
            p.account.accountSiblings[k] += 1;
            expectPayoutRevert(r, p, rootMismatch, "account sibling");
        }
        p = readProof(0, e);
        p.account.globalLeaf += 1;
        expectPayoutRevert(r, p, rootMismatch, "global leaf");
        p = readProof(0, e);
        p.account.accountId += 1;
        expectPayoutRevert(r, p, rootMismatch, "account id");
        p = readProof(0, e);
        expectPayoutRevert(r + 1, p, rootMismatch, "root");
        expectPayoutRevert(root(1), p, rootMismatch, "the other state's root");
        p = readProof(0, e);
        p.account.accountId = 1 << 24;
        expectPayoutRevert(r, p, StateLayoutV1.IndexOutOfRange.selector, "account id 2^24");
        p = readProof(0, e);
        p.account.positions[1] = p.account.positions[0]; // market 1 twice
        expectPayoutRevert(r, p, StateLayoutV2.DuplicateMarket.selector, "duplicate market");
    }

    // ---- market proofs that do not match the held markets -------------------------------------------------

    /// @notice Market proofs must be exactly the held markets, in entry order: an extra one for a
    /// market the account does not hold is refused, so are a missing, a foreign and a swapped one.
    function test_marketProofsMustMatchHeldMarkets() public view {
        uint256 r = root(0);
        uint256 two = find(0, "long-and-short");
        uint256 none = find(0, "no-positions");
        EscapeV2.MarketLeafProof memory m5 = x.stateMarket(0, 5); // market 5, held by neither
        EscapeV2.Proof memory p;

        p = readProof(0, none);
        EscapeV2.MarketLeafProof[] memory extra = new EscapeV2.MarketLeafProof[](1);
        extra[0] = m5;
        p.markets = extra;
        expectPayoutRevert(r, p, EscapeV2.UnheldMarketProof.selector, "extra market, no positions");

        p = readProof(0, two);
        EscapeV2.MarketLeafProof[] memory three = new EscapeV2.MarketLeafProof[](3);
        (three[0], three[1], three[2]) = (p.markets[0], p.markets[1], m5);
        p.markets = three;
        expectPayoutRevert(r, p, EscapeV2.UnheldMarketProof.selector, "extra market");

        p = readProof(0, two);
        p.markets[1] = m5;
        expectPayoutRevert(r, p, EscapeV2.MarketProofMismatch.selector, "foreign market");

        p = readProof(0, two);
        (p.markets[0], p.markets[1]) = (p.markets[1], p.markets[0]);
        expectPayoutRevert(r, p, EscapeV2.MarketProofMismatch.selector, "swapped markets");

        p = readProof(0, two);
        EscapeV2.MarketLeafProof[] memory one = new EscapeV2.MarketLeafProof[](1);
        one[0] = p.markets[0];
        p.markets = one;
        expectPayoutRevert(r, p, EscapeV2.MarketProofMismatch.selector, "missing market");

        p = readProof(0, two);
        p.markets[0].marketId = 5;
        expectPayoutRevert(r, p, EscapeV2.MarketProofMismatch.selector, "market id changed");
    }

    // ---- the vault -----------------------------------------------------------------------------------------

    function newVault(uint256 s, uint256 amount) internal returns (EscapeV2Vault v, TestUSD t) {
        t = new TestUSD();
        v = new EscapeV2Vault(t, root(s));
        t.faucet(amount);
        t.approve(address(v), amount);
        v.fund(amount);
    }

    /// @notice Every trader of the "positions" state escapes through the vault (0, 1, 2 and 8
    /// positions, negative equity), each credited its formula amount once and paid to its owner;
    /// a second escape reverts; the fund cannot escape.
    function test_vaultPaysEveryTraderOnce() public {
        (EscapeV2Vault v, TestUSD t) = newVault(0, 10_000_000);
        uint256 ne = x.escapeCount(0);
        uint256 sum;
        for (uint256 e; e < ne; ++e) {
            EscapeV2.Proof memory p = readProof(0, e);
            (bool refused, uint256 owed,) = x.expected(0, e);
            if (refused) {
                vm.expectRevert(EscapeV2.InsuranceFundCannotEscape.selector);
                v.escape(p);
                continue;
            }
            assertEq(v.escape(p), owed, "credited");
            assertTrue(v.escaped(p.account.accountId), "escaped");
            vm.expectRevert(abi.encodeWithSelector(EscapeV2Vault.AlreadyEscaped.selector, p.account.accountId));
            v.escape(p);
            address owner = p.account.identity.l1Owner;
            assertEq(v.withdrawable(owner), owed, "withdrawable");
            if (owed > 0) {
                vm.prank(owner);
                v.withdraw();
                assertEq(t.balanceOf(owner), owed, "paid to the owner");
            }
            sum += owed;
        }
        assertEq(v.totalCredited(), sum, "total credited");
        assertEq(t.balanceOf(address(v)), 10_000_000 - sum, "vault balance");
        assertEq(v.escapePool(), 10_000_000 - sum, "pool");
    }

    /// @notice A pool smaller than the payouts: first come, first served, never more than the pool.
    function test_vaultCapsAtItsBalance() public {
        uint256 one = find(0, "one-position"); // owed 111,354
        uint256 eight = find(0, "eight-positions"); // owed 365,342
        (EscapeV2Vault v,) = newVault(0, 400_000);
        assertEq(v.escape(readProof(0, eight)), 365_342, "first: in full");
        assertEq(v.escape(readProof(0, one)), 400_000 - 365_342, "second: what is left");
        assertEq(v.escapePool(), 0, "pool empty");
        assertEq(v.escape(readProof(0, find(0, "no-positions"))), 0, "third: nothing left");
        assertEq(v.totalCredited(), 400_000, "credited = funded");
    }

    /// @notice Gas of one vault escape (proof verification, payout, bookkeeping) with 0, 1, 2 and 8
    /// positions, each into a fresh vault, measured with gasleft() around the external call, and of
    /// EscapeV2.payout alone; printed for docs/benchmarks.md.
    function test_gasPerEscape() public {
        string[4] memory names = ["no-positions", "one-position", "long-and-short", "eight-positions"];
        uint256 r = root(0);
        for (uint256 i; i < names.length; ++i) {
            (EscapeV2Vault v,) = newVault(0, 10_000_000);
            EscapeV2.Proof memory p = readProof(0, find(0, names[i]));
            uint256 g = gasleft();
            v.escape(p);
            g -= gasleft();
            console.log(string.concat("gas per vault escape, ", names[i]), g);
            uint256 g2 = gasleft();
            h.payout(r, p);
            g2 -= gasleft();
            console.log(string.concat("gas of EscapeV2.payout alone, ", names[i]), g2);
        }
    }

    /// @notice One escape into a fresh vault: `forge test --match-test test_gasOneEscape_ --gas-report`
    /// reports its cost as a transaction of its own.
    function gasOneEscape(string memory name) internal {
        (EscapeV2Vault v,) = newVault(0, 10_000_000);
        EscapeV2.Proof memory p = readProof(0, find(0, name));
        (, uint256 owed,) = x.expected(0, find(0, name));
        assertEq(v.escape(p), owed, "credited");
    }

    function test_gasOneEscape_1() public {
        gasOneEscape("one-position");
    }

    function test_gasOneEscape_8() public {
        gasOneEscape("eight-positions");
    }
}
