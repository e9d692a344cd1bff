package io.zkperp.node.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.l1.AnvilExtension;
import io.zkperp.l1.DeployParams;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.L2Fixtures;
import io.zkperp.l1.RollupDeployer;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.ProofJobs;
import io.zkperp.node.RollupNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.WorkerOptions;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * A settling node run with the Kafka proof queue end to end: real anvil with the rollup deployed
 * for the tiny shape, a real Kafka broker (child JVM), a {@link KafkaProverWorkerMain} process as
 * the only prover and {@code RollupNode.open(cfg, KafkaProofQueue)}: an L1 deposit is credited,
 * sealed into batch 1, proven by the Kafka prover and committed to the rollup contract (which
 * verifies the proof); the node started no worker process. Skipped when no broker can start.
 */
class RollupNodeKafkaIT {
  private static final String SHAPE = "tiny";
  private static final long TUSD = 1_000_000L;

  @RegisterExtension static final AnvilExtension anvil = new AnvilExtension();

  @TempDir Path dir;

  @Test
  void aDepositIsProvenByAKafkaProverAndCommittedOnL1() throws Exception {
    KafkaBroker broker;
    try {
      broker = KafkaBroker.start(dir.resolve("broker"));
    } catch (IOException e) {
      Assumptions.abort("no Kafka broker could start here, node over Kafka not tested: " + e);
      return;
    }
    Credentials deployer = DevAccounts.account(0);
    Credentials operator = DevAccounts.account(1);
    Credentials alice = DevAccounts.account(2);
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 0x42);
    EdDsaPrivateKey aliceKey = EdDsaPrivateKey.fromSeed(seed);
    KafkaQueueOptions queue =
        KafkaQueueOptions.defaults(broker.bootstrap()).withTopics("node-jobs", "node-results");
    try (broker;
        L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d =
          RollupDeployer.deploy(
              l1,
              deployer,
              DeployParams.devnet(SHAPE, deployer.getAddress(), operator.getAddress(), 3_600));
      TestUSD t = TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(alice), l1.gas());
      l1.send(
          alice.getAddress(), d.collateral(), t.faucet(BigInteger.valueOf(1_000 * TUSD)), "faucet");
      l1.send(
          alice.getAddress(),
          d.collateral(),
          t.approve(d.rollup(), BigInteger.valueOf(300 * TUSD)),
          "approve");
      L2Fixtures.deposit(l1, d, alice, aliceKey, 1, 300 * TUSD);
      NodeConfig cfg =
          new NodeConfig(
              dir.resolve("node"),
              GatewayConfig.defaults(0),
              BatchProver.batchSize(SHAPE),
              Duration.ofSeconds(2),
              WorkerOptions.defaults(dir.resolve("prover-jobs"), SHAPE),
              new NodeConfig.L1(
                  anvil.rpcUrl(), d.rollup(), operator, 1, 1, 100, 0, Duration.ofMillis(200)));
      try (ProverProcess prover =
              ProverProcess.start(dir, "prover-n1", broker.bootstrap(), "node-provers", queue);
          RollupNode node = RollupNode.open(cfg, new KafkaProofQueue(queue))) {
        assertThat(node.proofJobs()).isInstanceOf(KafkaProofJobs.class);
        mine(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        BatchStatus status = null;
        while (System.nanoTime() < deadline) {
          Optional<BatchRecord> b = node.batches().get(1);
          status = b.map(BatchRecord::status).orElse(null);
          if (status == BatchStatus.COMMITTED || status == BatchStatus.FINAL) {
            break;
          }
          assertThat(status).isNotEqualTo(BatchStatus.FAILED);
          Thread.sleep(200);
        }
        assertThat(status).isIn(EnumSet.of(BatchStatus.COMMITTED, BatchStatus.FINAL));
        assertThat(node.gateway().readModel().account(1).collateral()).isEqualTo(300 * TUSD);
        assertThat(node.accounts().account(1).owner())
            .isEqualTo(L1Address.fromHex(alice.getAddress()));
        assertThat(prover.output()).contains("proved b00000000000000000001-");
        List<ProofJobs.ProverStats> stats = node.proofJobs().provers();
        assertThat(stats).extracting(ProofJobs.ProverStats::prover).containsExactly("prover-n1");
        assertThat(stats.get(0).proven()).isEqualTo(1);
        assertThat(node.proofJobs().inFlight()).isZero(); // acknowledged once stored
        // the node started no local worker: no job directory, no worker log
        assertThat(Files.exists(dir.resolve("prover-jobs"))).isFalse();
      }
    }
  }

  private static void mine(long blocks) throws IOException {
    HttpService http = new HttpService(anvil.rpcUrl());
    for (long i = 0; i < blocks; i++) {
      new Request<>("evm_mine", List.of(), http, VoidResponse.class).send();
    }
  }
}
