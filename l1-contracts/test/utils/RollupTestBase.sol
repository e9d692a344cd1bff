// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IBatchVerifier} from "../../src/IBatchVerifier.sol";
import {Poseidon2} from "../../src/Poseidon2.sol";
import {StateLayoutV1} from "../../src/StateLayoutV1.sol";
import {TestUSD} from "../../src/TestUSD.sol";
import {ZkPerpRollup} from "../../src/ZkPerpRollup.sol";
import {AcceptAllVerifier, ZkPerpRollupHarness} from "./RollupMocks.sol";
import {TestBase} from "./TestBase.sol";

/// @notice Shared setup of the rollup tests: TestUSD collateral, a verifier that accepts every
/// proof (unless a test deploys another), admin/operator/users, and builders for chunks, deposits
/// and a small hand-built L2 state (two accounts) for escapes.
abstract contract RollupTestBase is TestBase {
    uint256 internal constant DEADLINE = 7 days;
    /// The shortest timelock the constructor accepts: DEADLINE + REACTION_MARGIN (1 day).
    uint256 internal constant TIMELOCK = 8 days;
    /// Forced requests are free in the shared setup; the fee paths have their own rollup.
    uint256 internal constant NO_FEE = 0;
    uint256 internal constant R = StateLayoutV1.R;

    address internal constant ADMIN = address(0xAD);
    address internal constant OPERATOR = address(0x0B);
    address internal constant ALICE = address(uint160(0x00aa00000000000000000000000000000000000001));
    address internal constant BOB = address(uint160(0x00aa00000000000000000000000000000000000002));
    address internal constant CAROL = address(0xC0);

    // The two keys of the golden batch "deposits" (test-vectors/batches.json, holders 1 and 2).
    uint256 internal constant K1X = 0x2cd2f2defa4fe4b3c59d8390ea31f0816854d16d15b9bf771ec0ddc687a6e107;
    uint256 internal constant K1Y = 0x054be65d0192c1390ab7db955bc7fac1ffb871e72c19dea631e316955bdaf199;
    uint256 internal constant K2X = 0x12f1c64c48e891932357e9914f04cccfbbed5ded6c035d3db3a8bdcff98edd7e;
    uint256 internal constant K2Y = 0x254ff12ba521a7bdecff004ee3a6a7187c8488dc0c9454fbb7d32dbee4dc4d77;

    TestUSD internal token;
    IBatchVerifier internal verifier;
    ZkPerpRollupHarness internal rollup;

    function setUp() public virtual {
        token = new TestUSD();
        verifier = new AcceptAllVerifier();
        rollup = new ZkPerpRollupHarness(token, verifier, ADMIN, OPERATOR, DEADLINE, TIMELOCK, NO_FEE);
    }

    // ---- helpers --------------------------------------------------------------------------------

    function chunk(uint8 t, uint32 a, uint32 b, uint64 amount, address addr) internal pure returns (bytes memory) {
        return abi.encodePacked(t, a, b, amount, addr);
    }

    function noop() internal pure returns (bytes memory) {
        return chunk(0, 0, 0, 0, address(0));
    }

    /// @notice Faucet, approve and deposit as `who`.
    function depositAs(address who, uint256 id, uint256 x, uint256 y, uint64 amount) internal returns (uint256) {
        vm.startPrank(who);
        token.faucet(amount);
        token.approve(address(rollup), amount);
        uint256 index = rollup.deposit(id, x, y, amount);
        vm.stopPrank();
        return index;
    }

    /// @notice Commits the next batch as the operator with the accept-all verifier.
    function commit(uint256 newRoot, uint32 priorityCount, bytes memory chunks) internal {
        uint64 next = rollup.lastBatchNumber() + 1;
        uint256 oldRoot = rollup.stateRoot();
        vm.prank(OPERATOR);
        rollup.commitBatch(next, oldRoot, newRoot, priorityCount, chunks, "");
    }

    function vaultBalanceMatches() internal view {
        assertEq(
            token.balanceOf(address(rollup)),
            rollup.pendingDepositTotal() + rollup.totalWithdrawable() + rollup.verifiedCollateral(),
            "vault == pending + withdrawable + verified"
        );
    }

    // ---- a two-account L2 state (accounts 1 and 2), for escapes ---------------------------------

    function leafOf(uint256 x, uint256 y, address owner, uint64 nonce, int64 collateral)
        internal
        pure
        returns (uint256)
    {
        return StateLayoutV1.accountLeaf(
            StateLayoutV1.Account({
                publicKeyX: x,
                publicKeyY: y,
                l1Owner: owner,
                nonce: nonce,
                collateral: collateral,
                positionsRoot: StateLayoutV1.EMPTY_POSITIONS_ROOT,
                fillsRoot: StateLayoutV1.EMPTY_FILLS_ROOT
            })
        );
    }

    /// @notice Siblings of account `id` (1 or 2) in the tree holding only leaf1 at 1 and leaf2 at 2.
    function siblingsOf(uint256 id, uint256 leaf1, uint256 leaf2) internal pure returns (uint256[] memory s) {
        s = new uint256[](24);
        for (uint256 h = 2; h < 24; ++h) {
            s[h] = StateLayoutV1.emptySubtree(h);
        }
        // s[0] = 0: the neighbours of 1 and 2 (accounts 0 and 3) are empty.
        s[1] = id == 1 ? Poseidon2.compress(leaf2, 0) : Poseidon2.compress(0, leaf1);
    }

    function escapeProof(
        uint256 id,
        uint256 x,
        uint256 y,
        address owner,
        uint64 nonce,
        int64 collateral,
        uint256 leaf1,
        uint256 leaf2
    ) internal pure returns (ZkPerpRollup.EscapeProof memory p) {
        p.accountId = id;
        p.publicKeyX = x;
        p.publicKeyY = y;
        p.l1Owner = owner;
        p.nonce = nonce;
        p.collateral = collateral;
        p.fillsRoot = StateLayoutV1.EMPTY_FILLS_ROOT;
        p.accountSiblings = siblingsOf(id, leaf1, leaf2);
        p.marketsRoot = StateLayoutV1.EMPTY_MARKETS_ROOT;
        p.globalLeaf = StateLayoutV1.GENESIS_GLOBAL_LEAF;
    }

    function stateRootOf(uint256 leaf1, uint256 leaf2) internal pure returns (uint256) {
        uint256 accountsRoot = StateLayoutV1.computeAccountsRoot(leaf1, 1, siblingsOf(1, leaf1, leaf2));
        return
            StateLayoutV1.stateRoot(accountsRoot, StateLayoutV1.EMPTY_MARKETS_ROOT, StateLayoutV1.GENESIS_GLOBAL_LEAF);
    }
}
