// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {EscapeV2} from "../src/EscapeV2.sol";
import {StateLayoutV2} from "../src/StateLayoutV2.sol";
import {TestUSD} from "../src/TestUSD.sol";
import {ZkPerpRollupV3} from "../src/ZkPerpRollupV3.sol";
import {PriorityQueue} from "../src/rollup/PriorityQueue.sol";
import {RollupBase} from "../src/rollup/RollupBase.sol";
import {ExpectedInputVerifier} from "./utils/RollupMocks.sol";
import {StateV2Vectors} from "./utils/StateV2Vectors.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice Reads test-vectors/rollup-v3-batches.json (Go: vectors/rollup_v3.go, batches sealed by
/// batchv3.Seal). Each read is an external call, so the file's copies are freed with its memory.
contract RollupV3VectorFile is StateV2Vectors {
    struct Op {
        bool deposit;
        uint256 account;
        address owner;
        uint256 publicKeyX;
        uint256 publicKeyY;
        uint64 amount;
        uint256 hash;
        uint256 chainAfter;
    }

    struct Credit {
        uint256 account;
        address owner;
        uint256 amount;
    }

    function load() internal view returns (string memory) {
        return readVectors("rollup-v3-batches.json");
    }

    function batchPath(uint256 b) internal pure returns (string memory) {
        return at(".batches", b);
    }

    function sizes() external view returns (uint256 headerSize, uint256 recordSize) {
        string memory j = load();
        return (num(j, ".headerSize"), num(j, ".recordSize"));
    }

    function genesis() external view returns (ZkPerpRollupV3.Genesis memory g) {
        string memory j = load();
        g.stateRoot = fe(j, ".genesis.root");
        g.firstAccountId = num(j, ".genesis.firstAccountId");
        g.collateral = num(j, ".genesis.collateral");
    }

    function genesisAccountCount() external view returns (uint256) {
        return jsonLength(load(), ".genesis.accounts");
    }

    /// @notice Genesis account `i`'s proof to the genesis root.
    function genesisAccount(uint256 i) external view returns (StateLayoutV2.AccountProof memory) {
        return accountProofAt(load(), at(".genesis.accounts", i), ".genesis");
    }

    function batchCount() external view returns (uint256) {
        return jsonLength(load(), ".batches");
    }

    function ops(uint256 b) external view returns (Op[] memory out) {
        string memory j = load();
        string memory path = string.concat(batchPath(b), ".priorityOps");
        out = new Op[](jsonLength(j, path));
        for (uint256 i; i < out.length; ++i) {
            string memory p = at(path, i);
            Op memory o = out[i];
            o.deposit = eq(str(j, string.concat(p, ".type")), "deposit");
            o.account = num(j, string.concat(p, ".account"));
            o.owner = vm.parseJsonAddress(j, string.concat(p, ".owner"));
            if (o.deposit) {
                o.publicKeyX = fe(j, string.concat(p, ".publicKeyX"));
                o.publicKeyY = fe(j, string.concat(p, ".publicKeyY"));
            }
            o.amount = u64(j, string.concat(p, ".amount"));
            o.hash = fe(j, string.concat(p, ".hash"));
            o.chainAfter = fe(j, string.concat(p, ".chainAfter"));
        }
    }

    function header(uint256 b) external view returns (ZkPerpRollupV3.BatchHeader memory h) {
        string memory j = load();
        string memory p = string.concat(batchPath(b), ".header");
        h.batchNumber = u64(j, string.concat(p, ".batchNumber"));
        h.oldStateRoot = fe(j, string.concat(p, ".oldRoot"));
        h.newStateRoot = fe(j, string.concat(p, ".newRoot"));
        h.batchTime = u64(j, string.concat(p, ".batchTime"));
        h.priorityHashBefore = fe(j, string.concat(p, ".priorityBefore"));
        h.priorityHashAfter = fe(j, string.concat(p, ".priorityAfter"));
        uint256 count = num(j, string.concat(p, ".priorityCount"));
        assertTrue(count <= type(uint32).max, "priority count");
        // forge-lint: disable-next-line(unsafe-typecast)
        h.priorityCount = uint32(count);
    }

    function records(uint256 b) external view returns (bytes memory) {
        return vm.parseJsonBytes(load(), string.concat(batchPath(b), ".records"));
    }

    function commitment(uint256 b) external view returns (bytes memory) {
        return vm.parseJsonBytes(load(), string.concat(batchPath(b), ".commitment"));
    }

    function publicInput(uint256 b) external view returns (uint256) {
        return fe(load(), string.concat(batchPath(b), ".publicInput"));
    }

    function escapeCount() external view returns (uint256) {
        return jsonLength(load(), ".escapes.accounts");
    }

    /// @notice Escape `e` from the state after the last batch: its proof and Go's payout.
    function escape(uint256 e) external view returns (EscapeV2.Proof memory p, uint256 payout) {
        string memory j = load();
        string memory ep = at(".escapes.accounts", e);
        p = escapeProofAt(j, ep, ".escapes");
        payout = num(j, string.concat(ep, ".payout"));
    }

    function credits(uint256 b) external view returns (Credit[] memory out) {
        string memory j = load();
        string memory path = string.concat(batchPath(b), ".credits");
        out = new Credit[](jsonLength(j, path));
        for (uint256 i; i < out.length; ++i) {
            string memory p = at(path, i);
            out[i] = Credit({
                account: num(j, string.concat(p, ".account")),
                owner: vm.parseJsonAddress(j, string.concat(p, ".owner")),
                amount: num(j, string.concat(p, ".amount"))
            });
        }
    }
}

/// @notice ZkPerpRollupV3 against Go's format v3 batches: the commitment bytes and public input
/// rebuilt from the header and records, the deposit and forced-withdrawal operation hashes and
/// the chain P of L1's queue, and the two batches committed in order (with a verifier that accepts
/// exactly Go's public input) paying exactly what the steps withdrew.
contract RollupV3VectorsTest is TestBase {
    address internal constant ADMIN = address(0xAD);
    address internal constant OPERATOR = address(0x0B);

    RollupV3VectorFile internal x;
    TestUSD internal token;
    ExpectedInputVerifier internal verifier;
    ZkPerpRollupV3 internal rollup;

    function setUp() public {
        x = new RollupV3VectorFile();
        token = new TestUSD();
        verifier = new ExpectedInputVerifier();
        ZkPerpRollupV3.Genesis memory g = x.genesis();
        rollup = new ZkPerpRollupV3(token, verifier, ADMIN, OPERATOR, g, 7 days, 8 days, 0);
        token.faucet(g.collateral);
        token.approve(address(rollup), g.collateral);
        rollup.fundGenesis();
        uint256 n = x.batchCount();
        ZkPerpRollupV3.BatchHeader memory last = x.header(n - 1);
        vm.warp(last.batchTime + 1 hours);
    }

    /// @notice Binds every genesis account by its proof (their owners request forced withdrawals).
    function bindGenesisAccounts() internal {
        uint256 n = x.genesisAccountCount();
        for (uint256 i; i < n; ++i) {
            rollup.bindGenesisAccount(x.genesisAccount(i));
        }
    }

    /// @notice Queues batch `b`'s priority operations on L1 as their owners; each operation hash
    /// and the chain after it must be Go's.
    function queue(uint256 b) internal returns (uint256 deposited) {
        RollupV3VectorFile.Op[] memory o = x.ops(b);
        for (uint256 i; i < o.length; ++i) {
            uint256 index;
            vm.startPrank(o[i].owner);
            if (o[i].deposit) {
                assertEq(
                    rollup.depositHash(o[i].account, o[i].owner, o[i].publicKeyX, o[i].publicKeyY, o[i].amount),
                    o[i].hash,
                    "deposit hash"
                );
                token.faucet(o[i].amount);
                token.approve(address(rollup), o[i].amount);
                index = rollup.deposit(o[i].account, o[i].publicKeyX, o[i].publicKeyY, o[i].amount);
                deposited += o[i].amount;
            } else {
                assertEq(
                    rollup.forcedWithdrawalHash(o[i].account, o[i].owner, o[i].amount),
                    o[i].hash,
                    "forced-withdrawal hash"
                );
                index = rollup.requestForcedWithdrawal(o[i].account, o[i].amount);
            }
            vm.stopPrank();
            assertEq(rollup.priorityHashAt(index + 1), o[i].chainAfter, "chain P after the operation");
        }
    }

    function test_headerAndRecordSizes() public view {
        (uint256 h, uint256 r) = x.sizes();
        assertEq(rollup.HEADER_SIZE(), h, "header size");
        assertEq(rollup.RECORD_SIZE(), r, "record size");
    }

    /// @notice commitment(h, records) is Go's CommitmentBytes byte for byte, and publicInput its
    /// SHA-256 with the top three bits cleared as Go computes it.
    function test_commitmentAndPublicInputAreGos() public view {
        uint256 n = x.batchCount();
        assertEq(n, 2, "batches");
        for (uint256 b; b < n; ++b) {
            ZkPerpRollupV3.BatchHeader memory h = x.header(b);
            bytes memory records = x.records(b);
            bytes memory c = rollup.commitment(h, records);
            assertTrue(keccak256(c) == keccak256(x.commitment(b)), "commitment bytes");
            assertEq(c.length, rollup.HEADER_SIZE() + records.length, "commitment length");
            assertEq(rollup.publicInput(h, records), x.publicInput(b), "public input");
        }
    }

    /// @notice Both batches in order: L1 queues the operations (hashes and chain as Go), commits
    /// each batch with Go's public input, credits exactly the withdrawals and forced withdrawals
    /// (the refused one 0) and pays them out.
    function test_batchesCommitInOrderAndPayTheWithdrawals() public {
        commitBothBatches();
    }

    /// @notice Commits both batches as test_batchesCommitInOrderAndPayTheWithdrawals says, with
    /// every check, and pays every credited owner out.
    function commitBothBatches() internal {
        bindGenesisAccounts();
        uint256 verified = rollup.verifiedCollateral();
        uint256 n = x.batchCount();
        address[] memory owners = new address[](8);
        uint256[] memory owed = new uint256[](8);
        uint256 nOwners;
        for (uint256 b; b < n; ++b) {
            uint256 deposited = queue(b);
            ZkPerpRollupV3.BatchHeader memory h = x.header(b);
            verifier.accept(x.publicInput(b));
            bytes memory records = x.records(b);
            vm.prank(OPERATOR);
            rollup.commitBatch(h, records, "ok");
            assertEq(rollup.stateRoot(), h.newStateRoot, "new root");
            assertEq(rollup.lastBatchTime(), h.batchTime, "batch time");
            verified += deposited;
            RollupV3VectorFile.Credit[] memory c = x.credits(b);
            for (uint256 i; i < c.length; ++i) {
                verified -= c[i].amount;
                uint256 k;
                while (k < nOwners && owners[k] != c[i].owner) ++k;
                if (k == nOwners) owners[nOwners++] = c[i].owner;
                owed[k] += c[i].amount;
            }
            assertEq(rollup.verifiedCollateral(), verified, "verified collateral");
            for (uint256 k; k < nOwners; ++k) {
                assertEq(rollup.withdrawable(owners[k]), owed[k], "credited");
            }
        }
        assertEq(rollup.pendingDepositTotal(), 0, "every deposit consumed");
        for (uint256 k; k < nOwners; ++k) {
            uint256 before = token.balanceOf(owners[k]);
            if (owed[k] == 0) continue;
            vm.prank(owners[k]);
            rollup.withdraw();
            assertEq(token.balanceOf(owners[k]) - before, owed[k], "paid");
        }
        assertEq(
            token.balanceOf(address(rollup)),
            rollup.pendingDepositTotal() + rollup.totalWithdrawable() + rollup.verifiedCollateral(),
            "vault == pending + withdrawable + verified"
        );
    }

    /// @notice After the two batches an ignored forced request freezes the rollup; the traders
    /// escape from the state the batches left — accounts 5 and 6 with the trade's long and short,
    /// account 7 without a position — each credited exactly Go's payout (package escape), once.
    function test_escapeWithPositionsAfterTheBatches() public {
        commitBothBatches();
        assertEq(rollup.stateRoot(), x.header(1).newStateRoot, "the root the escapes are proven to");
        (EscapeV2.Proof memory p5,) = x.escape(0);
        address owner5 = p5.account.identity.l1Owner;
        vm.prank(owner5);
        rollup.requestForcedWithdrawal(p5.account.accountId, 1);
        vm.warp(block.timestamp + 7 days + 1);
        rollup.freeze();
        uint256 n = x.escapeCount();
        assertEq(n, 3, "escapes");
        uint256 total;
        for (uint256 e; e < n; ++e) {
            (EscapeV2.Proof memory p, uint256 payout) = x.escape(e);
            address owner = p.account.identity.l1Owner;
            uint256 before = rollup.withdrawable(owner);
            assertEq(rollup.escape(p), payout, "credited Go's payout");
            assertEq(rollup.withdrawable(owner) - before, payout, "owner's balance");
            vm.expectRevert(abi.encodeWithSelector(RollupBase.AlreadyEscaped.selector, p.account.accountId));
            rollup.escape(p);
            vm.prank(owner);
            rollup.withdraw();
            total += payout;
        }
        assertTrue(total <= x.genesis().collateral + 50_500, "the payouts stay within what the vault was given");
        assertEq(
            token.balanceOf(address(rollup)),
            rollup.pendingDepositTotal() + rollup.totalWithdrawable() + rollup.verifiedCollateral(),
            "vault == pending + withdrawable + verified"
        );
    }

    /// @notice A changed record byte or header field gives another public input, which the
    /// verifier (accepting Go's only) refuses; a batch cannot skip its priority operations.
    function test_tamperedBatchIsRefused() public {
        bindGenesisAccounts();
        queue(0);
        uint256 pi = x.publicInput(0);
        verifier.accept(pi);
        ZkPerpRollupV3.BatchHeader memory h = x.header(0);
        bytes memory records = x.records(0);
        for (uint256 i; i < records.length; i += 17) {
            records[i] ^= 0x01;
            uint256 other = rollup.publicInput(h, records);
            vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, other));
            vm.prank(OPERATOR);
            rollup.commitBatch(h, records, "ok");
            records[i] ^= 0x01;
        }
        h.batchTime -= 1;
        uint256 earlier = rollup.publicInput(h, records);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, earlier));
        vm.prank(OPERATOR);
        rollup.commitBatch(h, records, "ok");
        h.batchTime += 1;
        h.newStateRoot ^= 1;
        uint256 otherRoot = rollup.publicInput(h, records);
        vm.expectRevert(abi.encodeWithSelector(RollupBase.InvalidProof.selector, otherRoot));
        vm.prank(OPERATOR);
        rollup.commitBatch(h, records, "ok");
        h.newStateRoot ^= 1;
        vm.prank(OPERATOR);
        rollup.commitBatch(h, records, "ok");
        assertEq(rollup.consumedPriorityOps(), 3, "the honest batch consumed its three operations");
    }
}
