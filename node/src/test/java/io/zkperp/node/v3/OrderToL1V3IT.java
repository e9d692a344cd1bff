package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1RevertException;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProof;
import io.zkperp.prover.BatchProver;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;

/**
 * From an order to L1 on format v3, every part real: anvil (chain id 31337), whose account 0
 * deploys TestUSD (nonce 0), V3TinyBatchVerifier (nonce 1, the bytecode the l1-contracts build
 * exports from the cached v3-tiny keys of the fixture domain) and ZkPerpRollupV3 (nonce 2: the
 * fixture's rollup address) with the genesis {@link EngineGenesis} wrote on the node's own RocksDB
 * {@link io.zkperp.state.v2.StateStoreV2}; two traders deposit on L1 (priority operations 0 and 1)
 * and the engine credits them ({@code CreditL1Deposit}); a quorum-signed oracle tick, a maker's and
 * a taker's signed orders crossing in the real engine, a funding tick and a signed withdrawal
 * ({@link OrderScenario}); the steps settled and sealed into v3-tiny batches ({@link
 * BatchAssembler}), each proven by the real gnark prover over JNI ({@link BatchProver#open}, cached
 * keys) and committed through the web3j wrapper ({@link V3BatchCommit}). Asserted: every batch
 * accepted and the rollup's root the node's tree root after it; a batch with one record byte
 * changed refused with InvalidProof and the rollup unchanged; the withdrawal claimable and paid
 * exactly (ERC-20 balances). Prints seal, prove and commit time and gasUsed per batch
 * (docs/benchmarks.md, "Order to L1 on format v3").
 */
class OrderToL1V3IT {
  static final String FIXTURE_ROLLUP = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
  static final Path VERIFIER_BIN =
      Path.of("..", "l1-contracts", "target", "abi", "V3TinyBatchVerifier.bin");

  @Test
  void twoTradersFromL1DepositsThroughATradeToAPaidWithdrawal(@TempDir Path dir) throws Exception {
    assertThat(VERIFIER_BIN).as("built by l1-contracts (build.sh)").exists();
    try (AnvilProcess anvil =
            AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_337, 60);
        L1Session l1 = L1Session.connect(anvil.rpcUrl());
        FixtureChain chain = new FixtureChain(dir.resolve("tree"), 1_000)) {
      Credentials deployer = DevAccounts.account(0);
      TransactionManager tm = l1.transactionManager(deployer);
      String token = TestUSD.deploy(l1.web3j(), tm, l1.gas()).send().getContractAddress();
      String verifier = L1Contracts.create(l1, deployer, Files.readString(VERIFIER_BIN).trim());
      ZkPerpRollupV3 rollup =
          ZkPerpRollupV3.deploy(
                  l1.web3j(),
                  tm,
                  l1.gas(),
                  token,
                  verifier,
                  deployer.getAddress(),
                  deployer.getAddress(),
                  new ZkPerpRollupV3.Genesis(
                      chain.genesisRoot.toBigInteger(), BigInteger.ONE, BigInteger.ZERO),
                  BigInteger.valueOf(604_800),
                  BigInteger.valueOf(691_200),
                  BigInteger.ZERO)
              .send();
      assertThat(rollup.getContractAddress()).isEqualToIgnoringCase(FIXTURE_ROLLUP);
      assertThat(rollup.genesisFunded().send()).isTrue();
      assertThat(rollup.stateRoot().send()).isEqualTo(chain.genesisRoot.toBigInteger());

      Credentials maker = DevAccounts.account(1);
      Credentials taker = DevAccounts.account(2);
      deposit(l1, token, rollup, maker, OrderScenario.MAKER);
      deposit(l1, token, rollup, taker, OrderScenario.TAKER);
      assertThat(rollup.priorityOpCount().send()).isEqualTo(BigInteger.TWO);

      OrderScenario.run(
          chain, L1Address.fromHex(maker.getAddress()), L1Address.fromHex(taker.getAddress()));
      assertThat(chain.sealed).hasSize(2);

      List<String> lines = new ArrayList<>();
      try (BatchProver prover =
          BatchProver.open(FixtureChain.SHAPE_NAME, FixtureChain.DOMAIN, line -> {})) {
        for (SealedBatchV3 b : chain.sealed) {
          SealedBatchV3.StepOrigin last = b.origins().get(b.liveSteps() - 1);
          assertThat(b.newRoot())
              .as(
                  "batch %d ends at command %d: the tree's root after it",
                  b.batchNumber(), last.seq())
              .isEqualTo(chain.rootAfter(last.seq()));
          long start = System.nanoTime();
          BatchProof proof = prover.prove(b.witness().witness());
          long proveMs = (System.nanoTime() - start) / 1_000_000;
          assertThat(proof.publicInput()).isEqualTo(b.witness().publicInput().toBytes());
          ZkPerpRollupV3.BatchHeader header = V3BatchCommit.header(b);
          if (b.batchNumber() == 2) {
            refusesAChangedRecordByte(l1, rollup, deployer, b, header, proof);
          }
          start = System.nanoTime();
          TransactionReceipt r =
              V3BatchCommit.commit(l1, deployer.getAddress(), rollup, b, proof.solidity());
          long commitMs = (System.nanoTime() - start) / 1_000_000;
          assertThat(rollup.lastBatchNumber().send())
              .isEqualTo(BigInteger.valueOf(b.batchNumber()));
          assertThat(rollup.stateRoot().send())
              .isEqualTo(b.newRoot().toBigInteger())
              .isEqualTo(chain.rootAfter(last.seq()).toBigInteger());
          String line =
              String.format(
                  "order-to-L1 v3: batch %d (%d live steps of %d: %s): seal %.1f ms, prove %d ms,"
                      + " commit %d ms, commitBatch gasUsed %d",
                  b.batchNumber(),
                  b.liveSteps(),
                  FixtureChain.V3_TINY.steps(),
                  b.origins().stream().map(SealedBatchV3.StepOrigin::kind).toList(),
                  chain.sealMillis(b.batchNumber()),
                  proveMs,
                  commitMs,
                  r.getGasUsed());
          lines.add(line);
          System.out.println(line);
        }
      }
      assertThat(rollup.stateRoot().send())
          .isEqualTo(chain.store.roots().stateRoot().toBigInteger());
      assertThat(rollup.consumedPriorityOps().send()).isEqualTo(BigInteger.TWO);

      // the withdrawal is claimable and paid exactly
      BigInteger withdrawn = BigInteger.valueOf(OrderScenario.WITHDRAWN);
      assertThat(rollup.withdrawable(maker.getAddress()).send()).isEqualTo(withdrawn);
      ZkPerpRollupV3 asMaker =
          ZkPerpRollupV3.load(
              rollup.getContractAddress(), l1.web3j(), l1.transactionManager(maker), l1.gas());
      l1.send(maker.getAddress(), rollup.getContractAddress(), asMaker.withdraw(), "withdraw");
      TestUSD usd = TestUSD.load(token, l1.web3j(), tm, l1.gas());
      assertThat(usd.balanceOf(maker.getAddress()).send()).isEqualTo(withdrawn);
      assertThat(usd.balanceOf(taker.getAddress()).send()).isZero();
      assertThat(usd.balanceOf(rollup.getContractAddress()).send())
          .isEqualTo(BigInteger.valueOf(2 * OrderScenario.DEPOSIT).subtract(withdrawn));
      assertThat(rollup.withdrawable(maker.getAddress()).send()).isZero();
      System.out.println(
          "order-to-L1 v3: " + lines.size() + " batches, " + chain.steps + " steps committed");
    }
  }

  private static void deposit(
      L1Session l1, String token, ZkPerpRollupV3 rollup, Credentials who, int account) {
    TransactionManager tm = l1.transactionManager(who);
    TestUSD usd = TestUSD.load(token, l1.web3j(), tm, l1.gas());
    BigInteger amount = BigInteger.valueOf(OrderScenario.DEPOSIT);
    l1.send(who.getAddress(), token, usd.faucet(amount), "faucet");
    l1.send(who.getAddress(), token, usd.approve(rollup.getContractAddress(), amount), "approve");
    ZkPerpRollupV3 as = ZkPerpRollupV3.load(rollup.getContractAddress(), l1.web3j(), tm, l1.gas());
    EdDsaPrivateKey key = FixtureChain.key(account);
    l1.send(
        who.getAddress(),
        rollup.getContractAddress(),
        as.deposit(
            BigInteger.valueOf(account),
            key.publicKey().point().x().toBigInteger(),
            key.publicKey().point().y().toBigInteger(),
            amount),
        "deposit");
  }

  /** The withdrawal's amount changed by one bit: the proof no longer verifies; nothing changes. */
  private static void refusesAChangedRecordByte(
      L1Session l1,
      ZkPerpRollupV3 rollup,
      Credentials operator,
      SealedBatchV3 b,
      ZkPerpRollupV3.BatchHeader header,
      BatchProof proof)
      throws Exception {
    BigInteger root = rollup.stateRoot().send();
    BigInteger number = rollup.lastBatchNumber().send();
    byte[] records = b.records();
    int withdrawal = b.origins().size() - 1;
    assertThat(records[withdrawal * 35]).isEqualTo((byte) 2);
    records[withdrawal * 35 + 11] ^= 0x01;
    assertThatThrownBy(
            () ->
                l1.send(
                    operator.getAddress(),
                    rollup.getContractAddress(),
                    rollup.commitBatch(header, records, proof.solidity()),
                    "commitBatch (changed record)"))
        .isInstanceOfSatisfying(
            L1RevertException.class, e -> assertThat(e.errorName()).isEqualTo("InvalidProof"));
    assertThat(rollup.stateRoot().send()).isEqualTo(root);
    assertThat(rollup.lastBatchNumber().send()).isEqualTo(number);
  }
}
