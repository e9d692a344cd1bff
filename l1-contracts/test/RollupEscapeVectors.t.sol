// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {StateLayoutV1} from "../src/StateLayoutV1.sol";
import {ZkPerpRollup} from "../src/ZkPerpRollup.sol";
import {RollupBase} from "../src/rollup/RollupBase.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

/// @notice The escape hatch against a state tree built by the reference implementation: the
/// "random" scenario of test-vectors/state.json (generated from gnark-crypto, reproduced by the
/// Java state tree), whose final state root the rollup takes as its last verified root (TEST-ONLY
/// genesis). Account 16393911 holds no position and 250,542,017 quanta: it escapes with its golden
/// account proof, exactly once; an account with a position (scenario "small", account 5) cannot.
contract RollupEscapeVectorsTest is RollupTestBase {
    string internal constant S = ".scenarios[2]"; // "random"
    string internal constant P = ".scenarios[2].proofs[41]"; // account 16393911
    uint256 internal constant ID = 16393911;
    int64 internal constant COLLATERAL = 250_542_017;
    uint256 internal constant AMOUNT = 250_542_017;

    string internal state;

    function setUp() public override {
        super.setUp();
        state = readVectors("state.json");
        assertEq(vm.parseJsonUint(state, string.concat(P, ".account")), ID, "proof of account 16393911");
    }

    function freezeAt(uint256 root, uint256 verified) internal {
        rollup.setGenesisForTest(root, 7, 0, 0, verified);
        vm.prank(address(rollup));
        token.faucet(verified);
        // an ignored deposit makes the rollup freezable
        depositAs(CAROL, 1, K1X, K1Y, 1);
        vm.warp(block.timestamp + DEADLINE + 1);
        rollup.freeze();
    }

    function goldenProof() internal view returns (ZkPerpRollup.EscapeProof memory p) {
        // The account's last setAccount step in the scenario (its final fields).
        p.accountId = ID;
        p.publicKeyX = 0;
        p.publicKeyY = 0;
        p.l1Owner = address(uint160(0x007f6be6cccc4e0926a350d02eb3af4f294b62b2bb));
        p.nonce = 53;
        p.collateral = COLLATERAL;
        p.fillsRoot = vm.parseJsonUint(state, string.concat(S, ".proofs[46].fillsRoot"));
        p.accountSiblings = vm.parseJsonUintArray(state, string.concat(P, ".siblings"));
        p.marketsRoot = vm.parseJsonUint(state, string.concat(S, ".final.marketsRoot"));
        p.globalLeaf = vm.parseJsonUint(state, string.concat(S, ".final.globalLeaf"));
    }

    function test_escapeWithGoldenAccountProof() public {
        uint256 root = vm.parseJsonUint(state, string.concat(S, ".final.stateRoot"));
        freezeAt(root, 1_000_000_000);
        ZkPerpRollup.EscapeProof memory p = goldenProof();
        // the leaf we hash is the golden leaf
        assertEq(leafWithFills(p), vm.parseJsonUint(state, string.concat(P, ".leaf")), "account leaf = golden leaf");
        rollup.escape(p);
        assertEq(rollup.withdrawable(p.l1Owner), AMOUNT, "credited");
        vm.expectRevert(abi.encodeWithSelector(RollupBase.AlreadyEscaped.selector, ID));
        rollup.escape(p);
        vm.prank(p.l1Owner);
        rollup.withdraw();
        assertEq(token.balanceOf(p.l1Owner), AMOUNT, "paid exactly its collateral");
        assertEq(rollup.verifiedCollateral(), 1_000_000_000 - AMOUNT, "verified state");
        vaultBalanceMatches();
    }

    /// Account 5 of "small" holds a position (size -7 in market 3): with positionsRoot forced to
    /// Z6 its proof cannot reach the root.
    function test_accountWithPositionCannotEscape() public {
        string memory s = ".scenarios[0]";
        string memory pr = ".scenarios[0].proofs[0]";
        assertEq(vm.parseJsonUint(state, string.concat(pr, ".account")), 5, "account 5");
        uint256 root = vm.parseJsonUint(state, string.concat(s, ".final.stateRoot"));
        freezeAt(root, 2_000_000);
        ZkPerpRollup.EscapeProof memory p;
        p.accountId = 5;
        p.publicKeyX = 0x0a9ea421192d00507c9b85a325e151629b5c9145711d83df94a463f1c8b8e406;
        p.publicKeyY = 0x09f5086382fa88d80ce7ab80c44389718e13aeffd88e533c1d76dd29a68e67b9;
        p.l1Owner = address(uint160(0x004a721e3b9d1ec757f7744024974fe97066ed6fa9));
        p.nonce = 0;
        p.collateral = 1_000_000;
        p.fillsRoot = StateLayoutV1.EMPTY_FILLS_ROOT;
        p.accountSiblings = vm.parseJsonUintArray(state, string.concat(pr, ".siblings"));
        p.marketsRoot = vm.parseJsonUint(state, string.concat(s, ".final.marketsRoot"));
        p.globalLeaf = vm.parseJsonUint(state, string.concat(s, ".final.globalLeaf"));
        uint256 computed = StateLayoutV1.stateRoot(
            StateLayoutV1.computeAccountsRoot(leafWithFills(p), 5, p.accountSiblings), p.marketsRoot, p.globalLeaf
        );
        vm.expectRevert(abi.encodeWithSelector(ZkPerpRollup.InvalidEscapeProof.selector, computed, root));
        rollup.escape(p);
        assertEq(rollup.withdrawable(p.l1Owner), 0, "nothing credited");
    }

    function leafWithFills(ZkPerpRollup.EscapeProof memory p) internal pure returns (uint256) {
        return StateLayoutV1.accountLeaf(
            StateLayoutV1.Account({
                publicKeyX: p.publicKeyX,
                publicKeyY: p.publicKeyY,
                l1Owner: p.l1Owner,
                nonce: p.nonce,
                collateral: p.collateral,
                positionsRoot: StateLayoutV1.EMPTY_POSITIONS_ROOT,
                fillsRoot: p.fillsRoot
            })
        );
    }
}
