package io.zkperp.l1;

import static io.zkperp.l1.L2Fixtures.transfer;
import static io.zkperp.l1.L2Fixtures.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.batcher.BatchExecutor;
import io.zkperp.batcher.BatchWitness;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.field.Fr;
import io.zkperp.prover.BatchProof;
import io.zkperp.prover.BatchProver;
import io.zkperp.state.RollupStateStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The L1 scenarios of issue [l1], run against a real node by each subclass (an anvil process
 * started by the test; an anvil container where Docker exists): deploy with web3j, deposit on L1, a
 * Java batch with those deposits, a transfer and a withdrawal, a native Groth16 proof of the devnet
 * circuit, submission, claim — and the escape drill. Every ERC-20 balance is checked exactly.
 */
abstract class RollupScenarios {
  /** tUSD quanta (6 decimals): 1 tUSD. */
  static final long TUSD = 1_000_000L;

  static BatchProver prover;

  final Credentials deployer = DevAccounts.account(0);
  final Credentials operator = DevAccounts.account(1);
  final Credentials alice = DevAccounts.account(2);
  final Credentials bob = DevAccounts.account(3);
  final Credentials carol = DevAccounts.account(4);
  final EdDsaPrivateKey aliceKey = l2Key(2);
  final EdDsaPrivateKey bobKey = l2Key(3);

  @TempDir Path stateDir;

  /**
   * The node under test.
   *
   * @return its JSON-RPC URL
   */
  abstract String rpcUrl();

  @BeforeAll
  static void openProver() {
    prover = BatchProver.open("devnet", line -> System.out.println("[prover] " + line));
  }

  @AfterAll
  static void closeProver() {
    if (prover != null) {
      prover.close();
    }
  }

  static EdDsaPrivateKey l2Key(int holder) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (0x40 + holder));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  /** The same node's accounts as {@link DevAccounts} derives them. */
  @Test
  void devAccountsMatchTheNode() throws Exception {
    try (L1Session l1 = L1Session.connect(rpcUrl())) {
      List<String> node = l1.web3j().ethAccounts().send().getAccounts();
      for (int i = 0; i < 5; i++) {
        assertThat(node.get(i)).isEqualToIgnoringCase(DevAccounts.account(i).getAddress());
      }
    }
  }

  /**
   * Acceptance: deploy with web3j; deposit on L1; Java builds a batch holding those deposits, a
   * forced withdrawal requested on L1, a transfer and a withdrawal; the native prover proves it;
   * web3j submits it; the contract verifies it and moves the root; the withdrawals are claimable
   * and every ERC-20 balance matches.
   */
  @Test
  void depositTransferWithdrawalBatchIsProvenVerifiedAndClaimed() throws Exception {
    try (L1Session l1 = L1Session.connect(rpcUrl());
        RollupStateStore store = RollupStateStore.open(stateDir.resolve("state"))) {
      Start start = deployAndDeposit(l1);
      RollupDeployment d = start.deployment();
      ZkPerpRollup view = start.view();
      TestUSD token = start.token();
      BigInteger aliceStart = start.aliceBalance();
      BigInteger bobStart = start.bobBalance();
      assertThat(token.balanceOf(d.rollup()).send()).isEqualTo(big(800 * TUSD));
      assertThat(view.pendingDepositTotal().send()).isEqualTo(big(800 * TUSD));
      // Alice also asks on L1 for 100 of her L2 collateral (a forced withdrawal, paying the fee).
      ZkPerpRollup asAlice = rollup(l1, d, alice);
      assertThatThrownBy(
              () ->
                  l1.send(
                      alice.getAddress(),
                      d.rollup(),
                      asAlice.requestForcedWithdrawal(
                          BigInteger.ONE, big(100 * TUSD), BigInteger.ZERO),
                      "requestForcedWithdrawal"))
          .isInstanceOfSatisfying(
              L1RevertException.class,
              e -> {
                assertThat(e.errorName()).isEqualTo("WrongForcedRequestFee");
                assertThat(e.arguments()).containsExactly(BigInteger.ZERO, FEE);
              });
      gas(
          "requestForcedWithdrawal",
          l1.send(
              alice.getAddress(),
              d.rollup(),
              asAlice.requestForcedWithdrawal(BigInteger.ONE, big(100 * TUSD), FEE),
              FEE,
              "requestForcedWithdrawal"));
      assertThat(etherOf(l1, d.rollup())).isEqualTo(FEE);

      // The operator reads the queue from L1 and builds the batch in Java.
      List<L1PriorityOp> queue = PriorityQueue.read(l1, d.rollup(), 0);
      assertThat(queue).hasSize(3);
      assertThat(queue.get(2)).isInstanceOf(L1ForcedWithdrawal.class);
      assertThat(queue.get(2).priorityHashAfter().toBigInteger())
          .isEqualTo(view.priorityHashAt(THREE).send());
      BatchWitness w;
      try (BatchExecutor ex =
          new BatchExecutor(
              store,
              prover.batchSize(),
              1,
              Fr.fromBigInteger(view.priorityHashAt(BigInteger.ZERO).send()))) {
        for (L1PriorityOp op : queue) {
          ex.apply(op.toTransaction());
        }
        ex.apply(transfer(aliceKey, 1, 2, 150 * TUSD, 0));
        ex.apply(withdrawal(bobKey, 2, bob, 250 * TUSD, 0));
        w = ex.seal();
      }
      // Java's genesis root is the contract's.
      assertThat(w.before().stateRoot().toBigInteger()).isEqualTo(view.stateRoot().send());

      BatchProof proof = prover.prove(w.encode());
      assertThat(proof.publicInput()).isEqualTo(w.publicInput());
      BatchCommit commit = BatchCommit.of(w, proof.solidity());
      // The contract derives the same public input from the calldata and its priority hashes.
      assertThat(
              view.publicInput(
                      commit.oldStateRoot(),
                      commit.newStateRoot(),
                      BigInteger.ONE,
                      view.priorityHashAt(BigInteger.ZERO).send(),
                      view.priorityHashAt(THREE).send(),
                      THREE,
                      commit.chunks())
                  .send())
          .isEqualTo(new BigInteger(1, proof.publicInput()));

      ZkPerpRollup asOperator = rollup(l1, d, operator);
      rejectedBeforeAcceptance(l1, d, commit, asOperator);

      TransactionReceipt r =
          l1.send(operator.getAddress(), d.rollup(), commit.call(asOperator), "commitBatch");
      gas(
          "commitBatch (devnet shape, 8 slots: 2 deposits, 1 forced withdrawal, 1 transfer, 1 withdrawal)",
          r);
      assertThat(ZkPerpRollup.getBatchCommittedEvents(r)).hasSize(1);
      assertThat(view.stateRoot().send()).isEqualTo(w.after().stateRoot().toBigInteger());
      assertThat(view.lastBatchNumber().send()).isEqualTo(BigInteger.ONE);
      assertThat(view.consumedPriorityOps().send()).isEqualTo(THREE);
      assertThat(view.isPriorityOpServed(BigInteger.TWO).send()).isTrue();
      assertThat(view.withdrawable(bob.getAddress()).send()).isEqualTo(big(250 * TUSD));
      assertThat(view.withdrawable(alice.getAddress()).send()).isEqualTo(big(100 * TUSD));
      assertThat(view.verifiedCollateral().send()).isEqualTo(big(450 * TUSD));
      // The L2 state Java holds is what L1 verified: Alice 600 − 100 − 150, Bob 200 + 150 − 250.
      assertThat(store.view().account(1).orElseThrow().collateral()).isEqualTo(350 * TUSD);
      assertThat(store.view().account(2).orElseThrow().collateral()).isEqualTo(100 * TUSD);
      assertThat(view.pendingDepositTotal().send()).isEqualTo(BigInteger.ZERO);
      // The operator earned the fee of the forced withdrawal it served, and claims it.
      assertThat(view.feeBalance(operator.getAddress()).send()).isEqualTo(FEE);
      gas(
          "claimFees",
          l1.send(operator.getAddress(), d.rollup(), asOperator.claimFees(), "claimFees"));
      assertThat(view.feeBalance(operator.getAddress()).send()).isEqualTo(BigInteger.ZERO);
      assertThat(etherOf(l1, d.rollup())).isEqualTo(BigInteger.ZERO);

      // Replaying the batch is refused.
      assertThatThrownBy(
              () -> l1.send(operator.getAddress(), d.rollup(), commit.call(asOperator), "replay"))
          .isInstanceOfSatisfying(
              L1RevertException.class,
              e -> {
                assertThat(e.errorName()).isEqualTo("WrongBatchNumber");
                assertThat(e.arguments()).containsExactly(BigInteger.TWO, BigInteger.ONE);
              });

      // Bob and Alice claim; every balance is exact.
      ZkPerpRollup asBob = rollup(l1, d, bob);
      gas("withdraw", l1.send(bob.getAddress(), d.rollup(), asBob.withdraw(), "withdraw"));
      l1.send(alice.getAddress(), d.rollup(), asAlice.withdraw(), "withdraw");
      assertThat(token.balanceOf(bob.getAddress()).send())
          .isEqualTo(bobStart.add(big(1_000 * TUSD - 200 * TUSD + 250 * TUSD)));
      assertThat(token.balanceOf(alice.getAddress()).send())
          .isEqualTo(aliceStart.add(big(1_000 * TUSD - 600 * TUSD + 100 * TUSD)));
      assertThat(token.balanceOf(d.rollup()).send()).isEqualTo(big(450 * TUSD));
      assertVaultInvariant(view, token, d);
      assertThatThrownBy(() -> l1.send(bob.getAddress(), d.rollup(), asBob.withdraw(), "withdraw"))
          .isInstanceOfSatisfying(
              L1RevertException.class,
              e -> assertThat(e.errorName()).isEqualTo("NothingToWithdraw"));
    }
  }

  /** Bad submissions are refused with the contract's custom errors and change nothing. */
  private void rejectedBeforeAcceptance(
      L1Session l1, RollupDeployment d, BatchCommit good, ZkPerpRollup asOperator)
      throws Exception {
    ZkPerpRollup view = rollup(l1, d, deployer);
    BigInteger rootBefore = view.stateRoot().send();

    byte[] proof = good.proof();
    proof[40] ^= 1;
    BatchCommit badProof =
        new BatchCommit(
            1,
            good.oldStateRoot(),
            good.newStateRoot(),
            good.priorityCount(),
            good.chunks(),
            proof);
    expectRevert(l1, badProof.call(asOperator), d, "InvalidProof");

    byte[] chunks = good.chunks();
    chunks[4 * BatchWitness.CHUNK_BYTES + 16] ^= 1; // the withdrawal's amount, lowest byte
    BatchCommit badChunks =
        new BatchCommit(
            1,
            good.oldStateRoot(),
            good.newStateRoot(),
            good.priorityCount(),
            chunks,
            good.proof());
    expectRevert(l1, badChunks.call(asOperator), d, "InvalidProof");

    BatchCommit wrongRoot =
        new BatchCommit(
            1,
            good.oldStateRoot().add(BigInteger.ONE),
            good.newStateRoot(),
            good.priorityCount(),
            good.chunks(),
            good.proof());
    expectRevert(l1, wrongRoot.call(asOperator), d, "WrongPreviousRoot");

    ZkPerpRollup asAlice = rollup(l1, d, alice);
    assertThatThrownBy(
            () -> l1.send(alice.getAddress(), d.rollup(), good.call(asAlice), "commitBatch"))
        .isInstanceOfSatisfying(
            L1RevertException.class,
            e -> assertThat(e.errorName()).isEqualTo("UnauthorizedSubmitter"));
    assertThat(view.stateRoot().send()).isEqualTo(rootBefore);
    assertThat(view.lastBatchNumber().send()).isEqualTo(BigInteger.ZERO);
  }

  private void expectRevert(
      L1Session l1,
      org.web3j.protocol.core.RemoteFunctionCall<TransactionReceipt> call,
      RollupDeployment d,
      String error) {
    assertThatThrownBy(() -> l1.send(operator.getAddress(), d.rollup(), call, "commitBatch"))
        .isInstanceOfSatisfying(
            L1RevertException.class, e -> assertThat(e.errorName()).isEqualTo(error));
  }

  /**
   * Acceptance: a forced withdrawal is ignored; time passes the deadline; anyone freezes the
   * rollup; the account withdraws exactly its balance with a proof produced by the Java state tree
   * against the last verified root; a second attempt reverts; the unserved request's fee is
   * refunded.
   */
  @Test
  void escapeDrill() throws Exception {
    try (L1Session l1 = L1Session.connect(rpcUrl());
        RollupStateStore store = RollupStateStore.open(stateDir.resolve("state"))) {
      Start start = deployAndDeposit(l1);
      RollupDeployment d = start.deployment();
      ZkPerpRollup view = start.view();
      TestUSD token = start.token();
      BigInteger aliceStart = start.aliceBalance();
      BigInteger bobStart = start.bobBalance();
      BatchWitness w;
      try (BatchExecutor ex = new BatchExecutor(store, prover.batchSize(), 1, Fr.ZERO)) {
        for (L1PriorityOp op : PriorityQueue.read(l1, d.rollup(), 0)) {
          ex.apply(op.toTransaction());
        }
        ex.apply(transfer(aliceKey, 1, 2, 100 * TUSD, 0));
        w = ex.seal();
      }
      BatchProof proof = prover.prove(w.encode());
      ZkPerpRollup asOperator = rollup(l1, d, operator);
      l1.send(
          operator.getAddress(),
          d.rollup(),
          BatchCommit.of(w, proof.solidity()).call(asOperator),
          "commitBatch");
      long verifiedVersion = store.version();
      assertThat(view.stateRoot().send()).isEqualTo(store.root().toBigInteger());

      // Alice asks for a forced withdrawal of everything she holds; the operator ignores it.
      ZkPerpRollup asAlice = rollup(l1, d, alice);
      TransactionReceipt fr =
          l1.send(
              alice.getAddress(),
              d.rollup(),
              asAlice.requestForcedWithdrawal(BigInteger.ONE, big(500 * TUSD), FEE),
              FEE,
              "requestForcedWithdrawal");
      assertThat(ZkPerpRollup.getForcedWithdrawalRequestedEvents(fr).get(0).index)
          .isEqualTo(BigInteger.TWO);
      // A later deposit stays in the queue behind it (reclaimable once frozen).
      approve(l1, d, alice, 50 * TUSD);
      l1.send(
          alice.getAddress(),
          d.rollup(),
          asAlice.deposit(BigInteger.ONE, x(aliceKey), y(aliceKey), big(50 * TUSD)),
          "deposit");
      ZkPerpRollup asCarol = rollup(l1, d, carol);
      assertThatThrownBy(() -> l1.send(carol.getAddress(), d.rollup(), asCarol.freeze(), "freeze"))
          .isInstanceOfSatisfying(
              L1RevertException.class,
              e -> assertThat(e.errorName()).isEqualTo("DeadlineNotReached"));

      l1.advanceTime(DEADLINE_SECONDS + 1);
      TransactionReceipt frozen =
          gas("freeze", l1.send(carol.getAddress(), d.rollup(), asCarol.freeze(), "freeze"));
      // The ignored forced withdrawal (queue position 2) is what froze it.
      assertThat(ZkPerpRollup.getFrozenEvents(frozen).get(0).index).isEqualTo(BigInteger.TWO);
      assertThat(view.frozen().send()).isTrue();
      expectRevert(l1, BatchCommit.of(w, proof.solidity()).call(asOperator), d, "RollupFrozen");

      // Escape with proofs from the Java state tree at the last verified root; anyone may send.
      ZkPerpRollup.EscapeProof aliceProof =
          EscapeProofs.of(store.view(verifiedVersion).accountProof(1));
      assertThat(aliceProof.collateral).isEqualTo(big(500 * TUSD));
      gas("escape", l1.send(carol.getAddress(), d.rollup(), asCarol.escape(aliceProof), "escape"));
      assertThatThrownBy(
              () -> l1.send(carol.getAddress(), d.rollup(), asCarol.escape(aliceProof), "escape"))
          .isInstanceOfSatisfying(
              L1RevertException.class,
              e -> {
                assertThat(e.errorName()).isEqualTo("AlreadyEscaped");
                assertThat(e.arguments()).containsExactly(BigInteger.ONE);
              });
      // A proof of a balance the verified state does not hold is refused.
      ZkPerpRollup.EscapeProof bobProof =
          EscapeProofs.of(store.view(verifiedVersion).accountProof(2));
      ZkPerpRollup.EscapeProof inflated =
          new ZkPerpRollup.EscapeProof(
              bobProof.accountId,
              bobProof.publicKeyX,
              bobProof.publicKeyY,
              bobProof.l1Owner,
              bobProof.nonce,
              bobProof.collateral.add(BigInteger.ONE),
              bobProof.fillsRoot,
              bobProof.accountSiblings,
              bobProof.marketsRoot,
              bobProof.globalLeaf);
      assertThatThrownBy(
              () ->
                  l1.send(
                      bob.getAddress(), d.rollup(), rollup(l1, d, bob).escape(inflated), "escape"))
          .isInstanceOfSatisfying(
              L1RevertException.class,
              e -> assertThat(e.errorName()).isEqualTo("InvalidEscapeProof"));
      l1.send(bob.getAddress(), d.rollup(), rollup(l1, d, bob).escape(bobProof), "escape");
      gas(
          "reclaimDeposit",
          l1.send(carol.getAddress(), d.rollup(), asCarol.reclaimDeposit(THREE), "reclaim"));

      // The ignored request's fee goes back to Alice (anyone may trigger it), once.
      gas(
          "refundForcedRequestFee",
          l1.send(
              carol.getAddress(),
              d.rollup(),
              asCarol.refundForcedRequestFee(BigInteger.TWO),
              "refundForcedRequestFee"));
      assertThatThrownBy(
              () ->
                  l1.send(
                      carol.getAddress(),
                      d.rollup(),
                      asCarol.refundForcedRequestFee(BigInteger.TWO),
                      "refundForcedRequestFee"))
          .isInstanceOfSatisfying(
              L1RevertException.class,
              e -> assertThat(e.errorName()).isEqualTo("DepositAlreadyReclaimed"));
      assertThat(view.feeBalance(alice.getAddress()).send()).isEqualTo(FEE);
      l1.send(alice.getAddress(), d.rollup(), asAlice.claimFees(), "claimFees");
      assertThat(etherOf(l1, d.rollup())).isEqualTo(BigInteger.ZERO);

      l1.send(alice.getAddress(), d.rollup(), asAlice.withdraw(), "withdraw");
      l1.send(bob.getAddress(), d.rollup(), rollup(l1, d, bob).withdraw(), "withdraw");
      // Alice: −600 −50 deposited, +500 escaped, +50 reclaimed; Bob: −200, +300 escaped.
      assertThat(token.balanceOf(alice.getAddress()).send())
          .isEqualTo(aliceStart.add(big((1_000 - 600 - 50 + 500 + 50) * TUSD)));
      assertThat(token.balanceOf(bob.getAddress()).send())
          .isEqualTo(bobStart.add(big((1_000 - 200 + 300) * TUSD)));
      assertThat(token.balanceOf(d.rollup()).send()).isEqualTo(BigInteger.ZERO);
      assertThat(view.verifiedCollateral().send()).isEqualTo(BigInteger.ZERO);
      assertVaultInvariant(view, token, d);
    }
  }

  static final long DEADLINE_SECONDS = 3_600;

  /** The devnet's forced-request fee (wei). */
  static final BigInteger FEE = DeployParams.DEVNET_FORCED_REQUEST_FEE_WEI;

  /** The ether balance (wei) of {@code address}. */
  static BigInteger etherOf(L1Session l1, String address) throws Exception {
    return l1.web3j()
        .ethGetBalance(address, org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
        .send()
        .getBalance();
  }

  static final BigInteger THREE = BigInteger.valueOf(3);

  /** A fresh deployment after Alice deposited 600 and Bob 200 (each took 1,000 from the faucet). */
  record Start(
      RollupDeployment deployment,
      ZkPerpRollup view,
      TestUSD token,
      BigInteger aliceBalance,
      BigInteger bobBalance) {}

  Start deployAndDeposit(L1Session l1) throws Exception {
    RollupDeployment d = deploy(l1);
    TestUSD token = token(l1, d, deployer);
    BigInteger aliceStart = token.balanceOf(alice.getAddress()).send();
    BigInteger bobStart = token.balanceOf(bob.getAddress()).send();
    fundAndDeposit(l1, d, alice, aliceKey, 1, 1_000 * TUSD, 600 * TUSD);
    fundAndDeposit(l1, d, bob, bobKey, 2, 1_000 * TUSD, 200 * TUSD);
    return new Start(d, rollup(l1, d, deployer), token, aliceStart, bobStart);
  }

  RollupDeployment deploy(L1Session l1) {
    return RollupDeployer.deploy(
        l1,
        deployer,
        DeployParams.devnet(
            "devnet", deployer.getAddress(), operator.getAddress(), DEADLINE_SECONDS));
  }

  static ZkPerpRollup rollup(L1Session l1, RollupDeployment d, Credentials who) {
    return ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(who), l1.gas());
  }

  static TestUSD token(L1Session l1, RollupDeployment d, Credentials who) {
    return TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(who), l1.gas());
  }

  /** Prints a transaction's gas (whole transaction: base, calldata and execution). */
  static TransactionReceipt gas(String what, TransactionReceipt r) {
    System.out.println("[l1-gas] " + what + ": " + r.getGasUsed());
    return r;
  }

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  static BigInteger x(EdDsaPrivateKey k) {
    return k.publicKey().point().x().toBigInteger();
  }

  static BigInteger y(EdDsaPrivateKey k) {
    return k.publicKey().point().y().toBigInteger();
  }

  static void approve(L1Session l1, RollupDeployment d, Credentials who, long amount) {
    TestUSD t = token(l1, d, who);
    l1.send(who.getAddress(), d.collateral(), t.approve(d.rollup(), big(amount)), "approve");
  }

  static void fundAndDeposit(
      L1Session l1,
      RollupDeployment d,
      Credentials who,
      EdDsaPrivateKey key,
      int accountId,
      long faucet,
      long amount) {
    TestUSD t = token(l1, d, who);
    l1.send(who.getAddress(), d.collateral(), t.faucet(big(faucet)), "faucet");
    approve(l1, d, who, amount);
    gas("deposit (new account)", L2Fixtures.deposit(l1, d, who, key, accountId, amount));
  }

  /** Vault = pending deposits + withdrawable balances + collateral in the verified state. */
  static void assertVaultInvariant(ZkPerpRollup view, TestUSD token, RollupDeployment d)
      throws Exception {
    assertThat(token.balanceOf(d.rollup()).send())
        .isEqualTo(
            view.pendingDepositTotal()
                .send()
                .add(view.totalWithdrawable().send())
                .add(view.verifiedCollateral().send()));
  }
}
