package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Sender;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.node.BatchCommittedLogs;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.BatchStore;
import io.zkperp.node.L1Submitter;
import io.zkperp.node.ProvingStage;
import io.zkperp.node.WorkerProofJobs;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.worker.JobId;
import io.zkperp.prover.worker.WorkerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * Pieces 4 and 5 of the v3 wiring (node/README.md): format v3 batches sealed by {@link
 * BatchAssembler} ({@link OrderScenario} on the {@link FixtureChain}), stored in a real RocksDB
 * {@link BatchStore} with their v3 commitment bytes ({@link V3BatchRecords}), proven by a real
 * prover worker process ({@link WorkerProofJobs} with the fixture domain in its options: the
 * v3-tiny keys cached for chain 31337 and rollup {@code 0x9fE4…a6e0}) through the node's {@link
 * ProvingStage}, and committed to {@code ZkPerpRollupV3} on anvil ({@link FixtureRollup}) by the
 * node's {@link L1Submitter} over {@link RollupV3Contract}. The worker is SIGKILLed in the middle
 * of batch 1's proof: the job is retried and proven. The submitter is stopped after committing
 * batch 1 and its record put back to PROVEN (as a crash between the mined commit and the store
 * write leaves it); a new submitter finds batch 1 from its {@code BatchCommitted} event, sends
 * nothing for it, and commits batch 2. The test's thread.
 */
class V3ProvingToL1IT {

  @Test
  void workerProvenBatchesAreCommittedInOrderAcrossAWorkerKillAndASubmitterRestart(
      @TempDir Path dir) throws Exception {
    try (AnvilProcess anvil =
            AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_337, 60);
        L1Session l1 = L1Session.connect(anvil.rpcUrl());
        FixtureChain chain = new FixtureChain(dir.resolve("tree"), 1_000);
        BatchStore batches = BatchStore.open(dir.resolve("batches"))) {
      FixtureRollup fixture = FixtureRollup.deploy(l1, chain.genesisRoot);
      Credentials maker = DevAccounts.account(1);
      Credentials taker = DevAccounts.account(2);
      fixture.deposit(maker, OrderScenario.MAKER);
      fixture.deposit(taker, OrderScenario.TAKER);
      OrderScenario.run(
          chain, L1Address.fromHex(maker.getAddress()), L1Address.fromHex(taker.getAddress()));
      assertThat(chain.sealed).hasSize(2);
      SealedBatchV3 first = chain.sealed.get(0);
      SealedBatchV3 second = chain.sealed.get(1);
      ZkPerpRollupV3 rollup = fixture.rollup();
      String operator = fixture.deployer().getAddress();

      WorkerOptions options =
          WorkerOptions.defaults(dir.resolve("jobs"), FixtureChain.SHAPE_NAME)
              .withDomain(FixtureChain.DOMAIN)
              .withBounds("256m", 2, "4GiB")
              .withTiming(Duration.ofMillis(50), 3, Duration.ofSeconds(1));
      try (WorkerProofJobs jobs = WorkerProofJobs.start(options);
          ProvingStage proving = new ProvingStage(batches, jobs, 2, Duration.ofMillis(50))) {
        // batch 1: proven by the worker process, which is killed in the middle of the proof
        batches.put(V3BatchRecords.sealed(first));
        proving.start();
        JobId job1 = JobId.of(1, 1, first.witness().witness());
        await(
            "the first attempt at batch 1", Duration.ofMinutes(3), () -> attempts(jobs, job1) == 1);
        Thread.sleep(1_500); // past loading the witness: inside the proof
        assertThat(status(batches, 1)).isEqualTo(BatchStatus.PROVING);
        assertThat(jobs.client().worker().orElseThrow().destroyForcibly()).isTrue(); // SIGKILL
        await(
            "batch 1 proven",
            Duration.ofMinutes(4),
            () -> status(batches, 1) == BatchStatus.PROVEN);
        assertThat(jobs.client().restarts()).isEqualTo(1);
        String log = Files.readString(jobs.client().logFile());
        assertThat(log)
            .contains("domain " + FixtureChain.DOMAIN)
            .contains("worker-0 proving " + job1 + " (attempt 1 of 3)")
            .contains("worker-0 proving " + job1 + " (attempt 2 of 3)");

        long nonceBefore = nonce(l1, operator);
        String tx1;
        try (L1Submitter submitter = submitter(l1, fixture, batches)) {
          submitter.start();
          await("batch 1 committed", Duration.ofMinutes(1), () -> committed(status(batches, 1)));
          tx1 = batches.get(1).orElseThrow().l1TxHash();
          assertThat(rollup.lastBatchNumber().send()).isEqualTo(BigInteger.ONE);
          assertThat(rollup.stateRoot().send()).isEqualTo(first.newRoot().toBigInteger());
        }
        // the crash window: the commit is mined but the store still says PROVEN
        BatchRecord one = batches.get(1).orElseThrow();
        batches.put(V3BatchRecords.sealed(first).proven(one.proof()));

        // batch 2: sealed and proven after the first submitter stopped
        batches.put(V3BatchRecords.sealed(second));
        proving.wake();
        await(
            "batch 2 proven",
            Duration.ofMinutes(4),
            () -> status(batches, 2) == BatchStatus.PROVEN);

        try (L1Submitter restarted = submitter(l1, fixture, batches)) {
          restarted.start();
          await("batch 2 committed", Duration.ofMinutes(1), () -> committed(status(batches, 2)));
        }
        assertThat(batches.get(1).orElseThrow().l1TxHash())
            .as("batch 1 recorded from its BatchCommitted event, not sent again")
            .isEqualTo(tx1);
        assertThat(nonce(l1, operator) - nonceBefore)
            .as("one commitBatch transaction per batch over both submitters")
            .isEqualTo(2);
        assertThat(rollup.lastBatchNumber().send()).isEqualTo(BigInteger.TWO);
        assertThat(rollup.stateRoot().send())
            .isEqualTo(second.newRoot().toBigInteger())
            .isEqualTo(chain.store.roots().stateRoot().toBigInteger());
        assertThat(rollup.consumedPriorityOps().send()).isEqualTo(BigInteger.TWO);
        RollupV3Contract contract = new RollupV3Contract(l1, rollup.getContractAddress());
        for (SealedBatchV3 b : chain.sealed) {
          assertThat(contract.committed(b.batchNumber()).orElseThrow().newStateRoot())
              .as("batch %d's BatchCommitted root", b.batchNumber())
              .isEqualTo(b.newRoot().toBigInteger());
          assertThat(
                  BatchCommittedLogs.newest(
                          l1,
                          rollup.getContractAddress(),
                          ZkPerpRollupV3.BATCHCOMMITTED_EVENT,
                          b.batchNumber())
                      .orElseThrow()
                      .getTransactionHash())
              .isEqualTo(batches.get(b.batchNumber()).orElseThrow().l1TxHash());
          BatchRecord stored = batches.get(b.batchNumber()).orElseThrow();
          assertThat(Arrays.equals(stored.commitment(), b.witness().commitment())).isTrue();
        }
        BatchRecord other = batches.get(2).orElseThrow();
        BatchRecord misnumbered =
            new BatchRecord(
                1,
                other.firstSeq(),
                other.lastSeq(),
                other.txCount(),
                other.priorityCount(),
                other.priorityHashAfter(),
                other.witness(),
                other.commitment(),
                BatchStatus.PROVEN,
                other.proof(),
                "",
                -1,
                "");
        assertThatThrownBy(() -> contract.commitCall(misnumbered))
            .as("a record whose commitment names another batch")
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("names batch 2");
        assertThat(rollup.withdrawable(maker.getAddress()).send())
            .isEqualTo(BigInteger.valueOf(OrderScenario.WITHDRAWN));
      }
    }
  }

  private static L1Submitter submitter(L1Session l1, FixtureRollup fixture, BatchStore batches) {
    return new L1Submitter(
        l1,
        new L1Sender(l1, fixture.deployer(), L1Sender.Options.defaults()),
        new RollupV3Contract(l1, fixture.rollup().getContractAddress()),
        batches,
        0,
        Duration.ofMillis(100));
  }

  private static BatchStatus status(BatchStore batches, long number) {
    try {
      return batches.get(number).map(BatchRecord::status).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean committed(BatchStatus s) {
    return s == BatchStatus.COMMITTED || s == BatchStatus.FINAL;
  }

  private static int attempts(WorkerProofJobs jobs, JobId id) {
    try {
      return jobs.client().store().attempts(id);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long nonce(L1Session l1, String address) throws IOException {
    return l1.web3j()
        .ethGetTransactionCount(address, DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount()
        .longValueExact();
  }

  private static void await(String what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
