package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1RevertException;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProof;
import io.zkperp.prover.BatchProver;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;

/**
 * From an order to L1 on format v3, every part real: anvil (chain id 31337) with the fixture
 * deployment ({@link FixtureRollup}: TestUSD, V3TinyBatchVerifier and ZkPerpRollupV3 at the
 * fixture's rollup address) of the genesis {@link EngineGenesis} wrote on the node's own RocksDB
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

  @Test
  void twoTradersFromL1DepositsThroughATradeToAPaidWithdrawal(@TempDir Path dir) throws Exception {
    try (AnvilProcess anvil =
            AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_337, 60);
        L1Session l1 = L1Session.connect(anvil.rpcUrl());
        FixtureChain chain = new FixtureChain(dir.resolve("tree"), 1_000)) {
      FixtureRollup fixture = FixtureRollup.deploy(l1, chain.genesisRoot);
      Credentials deployer = fixture.deployer();
      TransactionManager tm = l1.transactionManager(deployer);
      String token = fixture.token();
      ZkPerpRollupV3 rollup = fixture.rollup();

      Credentials maker = DevAccounts.account(1);
      Credentials taker = DevAccounts.account(2);
      fixture.deposit(maker, OrderScenario.MAKER);
      fixture.deposit(taker, OrderScenario.TAKER);
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
