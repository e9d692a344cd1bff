// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {EscapeV2} from "../src/EscapeV2.sol";
import {StateLayoutV2} from "../src/StateLayoutV2.sol";
import {TestUSD} from "../src/TestUSD.sol";
import {ZkPerpRollupV3} from "../src/ZkPerpRollupV3.sol";
import {PriorityQueue} from "../src/rollup/PriorityQueue.sol";
import {RollupBase} from "../src/rollup/RollupBase.sol";
import {EscapeV2Vectors} from "./EscapeV2.t.sol";
import {AcceptAllVerifier} from "./utils/RollupMocks.sol";
import {RollupV3TestBase} from "./utils/RollupV3TestBase.sol";

/// @notice ZkPerpRollupV3 deployed on the "positions" state of test-vectors/escape-v2.json (Go:
/// accounts 1 … 5 with 0, 1, 2, 8 positions and a negative equity, and the insurance fund) as its
/// genesis: a genesis account binds itself by its account proof, requests a forced withdrawal that
/// the operator ignores, the rollup freezes, and every account escapes with the vector's payout,
/// once, capped by the verified collateral.
contract RollupV3EscapeTest is RollupV3TestBase {
    EscapeV2Vectors internal x;
    uint256 internal root;
    /// The vector's payouts of accounts 1 … 5 (escapes 0 … 4 of state 0).
    uint256 internal constant SOLVENT = 250_000 + 111_354 + 156_001 + 365_342 + 0;
    uint256 internal constant FIRST_AFTER_GENESIS = 6;

    function setUp() public override {
        vm.warp(T0 + 1 hours);
        x = new EscapeV2Vectors();
        root = x.root(0);
        token = new TestUSD();
    }

    function deployOn(uint256 genesisCollateral) internal {
        rollup = new ZkPerpRollupV3(
            token,
            new AcceptAllVerifier(),
            ADMIN,
            OPERATOR,
            ZkPerpRollupV3.Genesis({
                stateRoot: root, firstAccountId: FIRST_AFTER_GENESIS, collateral: genesisCollateral
            }),
            DEADLINE,
            TIMELOCK,
            0
        );
        fundGenesis(rollup);
    }

    function proofOf(uint256 e) internal view returns (EscapeV2.Proof memory) {
        return x.proof(0, e);
    }

    /// @notice Binds the genesis account of escape `e` by its proof and freezes the rollup through
    /// a forced request of that account's owner that no batch serves.
    function bindAndFreeze(uint256 e) internal returns (address owner) {
        StateLayoutV2.AccountProof memory a = proofOf(e).account;
        rollup.bindGenesisAccount(a);
        owner = a.identity.l1Owner;
        vm.prank(owner);
        rollup.requestForcedWithdrawal(a.accountId, 1_000);
        vm.warp(block.timestamp + DEADLINE + 1);
        rollup.freeze();
    }

    function test_genesisAccountBindsByItsProof() public {
        deployOn(SOLVENT);
        StateLayoutV2.AccountProof memory a = proofOf(1).account; // account 2, one position
        assertEq(a.accountId, 2, "escape 1 is account 2");
        vm.expectEmit(address(rollup));
        emit PriorityQueue.AccountBound(2, a.identity.l1Owner, a.identity.publicKeyX, a.identity.publicKeyY);
        rollup.bindGenesisAccount(a);
        assertTrue(rollup.accountOwner(2) == a.identity.l1Owner, "owner bound");
        assertTrue(
            rollup.accountKeyHash(2) == keccak256(abi.encode(a.identity.publicKeyX, a.identity.publicKeyY)), "key bound"
        );
        vm.expectRevert(abi.encodeWithSelector(ZkPerpRollupV3.AccountAlreadyBound.selector, 2));
        rollup.bindGenesisAccount(a);

        // the bound owner may now deposit to it with its key, and request forced withdrawals
        depositAs(a.identity.l1Owner, 2, a.identity.publicKeyX, a.identity.publicKeyY, 10);
        vm.prank(a.identity.l1Owner);
        rollup.requestForcedWithdrawal(2, 5);
        assertEq(rollup.priorityOpCount(), 2, "both queued");

        // a changed field leads to another root; ids from FIRST_ACCOUNT_ID up are L1's
        StateLayoutV2.AccountProof memory b = proofOf(0).account; // account 1
        b.collateral += 1;
        uint256 other = rollup.PROOF_CHECKER().accountStateRoot(b);
        vm.expectRevert(abi.encodeWithSelector(ZkPerpRollupV3.InvalidAccountProof.selector, other, root));
        rollup.bindGenesisAccount(b);
        b = proofOf(5).account; // the insurance fund
        vm.expectRevert(
            abi.encodeWithSelector(ZkPerpRollupV3.NotAGenesisAccount.selector, b.accountId, FIRST_AFTER_GENESIS)
        );
        rollup.bindGenesisAccount(b);
    }

    /// @notice A solvent vault pays every account exactly the vector's payout, once; the fund
    /// cannot escape; the vault ends empty.
    function test_everyAccountEscapesWithItsPayout() public {
        deployOn(SOLVENT);
        EscapeV2.Proof memory p0 = proofOf(0);
        vm.expectRevert(PriorityQueue.NotFrozen.selector);
        rollup.escape(p0);
        bindAndFreeze(1);
        uint256 total;
        for (uint256 e; e < 5; ++e) {
            EscapeV2.Proof memory p = proofOf(e);
            (, uint256 want,) = x.expected(0, e);
            address owner = p.account.identity.l1Owner;
            vm.expectEmit(address(rollup));
            emit ZkPerpRollupV3.Escaped(p.account.accountId, owner, want, want);
            uint256 credited = rollup.escape(p);
            assertEq(credited, want, "credited the vector's payout");
            assertEq(rollup.withdrawable(owner), want, "owner's balance");
            total += want;
            vm.expectRevert(abi.encodeWithSelector(RollupBase.AlreadyEscaped.selector, p.account.accountId));
            rollup.escape(p);
            if (want != 0) {
                vm.prank(owner);
                rollup.withdraw();
                assertEq(token.balanceOf(owner), want, "owner paid");
            }
        }
        assertEq(total, SOLVENT, "all payouts");
        EscapeV2.Proof memory fund = proofOf(5);
        vm.expectRevert(EscapeV2.InsuranceFundCannotEscape.selector);
        rollup.escape(fund);
        assertEq(rollup.verifiedCollateral(), 0, "nothing left");
        assertEq(token.balanceOf(address(rollup)), 0, "vault empty");
        vaultBalanceMatches(rollup);
    }

    /// @notice With less collateral than owed, escapes are paid first come, first served: the
    /// account that exhausts the pool gets what is left, the next ones 0.
    function test_escapesAreCappedByTheVault() public {
        deployOn(800_000);
        bindAndFreeze(0);
        uint256[5] memory want = [uint256(250_000), 111_354, 156_001, 800_000 - 517_355, 0];
        for (uint256 e; e < 5; ++e) {
            assertEq(rollup.escape(proofOf(e)), want[e], "credited");
        }
        assertEq(rollup.verifiedCollateral(), 0, "pool exhausted");
        assertEq(rollup.totalWithdrawable(), 800_000, "everything credited");
        vaultBalanceMatches(rollup);
    }

    /// @notice A proof against another root is refused (the checker's StateRootMismatch).
    function test_escapeNeedsTheVerifiedRoot() public {
        deployOn(SOLVENT);
        bindAndFreeze(0);
        EscapeV2.Proof memory p = proofOf(2);
        p.account.nonce += 1;
        uint256 other = rollup.PROOF_CHECKER().accountStateRoot(p.account);
        vm.expectRevert(abi.encodeWithSelector(EscapeV2.StateRootMismatch.selector, root, other));
        rollup.escape(p);
        assertTrue(!rollup.escaped(3), "not marked");
        assertEq(rollup.escape(proofOf(2)), 156_001, "the honest proof still escapes");
    }
}
