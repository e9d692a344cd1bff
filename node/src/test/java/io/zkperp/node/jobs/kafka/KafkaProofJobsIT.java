package io.zkperp.node.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.node.ProofJobs;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProof;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.ProgressListener;
import io.zkperp.prover.worker.JobId;
import io.zkperp.prover.worker.ProverWorker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka proof queue against a real broker (KRaft, a child JVM) and real provers ({@link
 * KafkaProverWorkerMain} processes proving the tiny shape over JNI with real Groth16 proofs of the
 * golden batches): two provers in one group prove each job exactly once; a restarted node side sees
 * the outcomes of what it submitted and did not acknowledge; a prover SIGKILLed mid-proof leaves
 * its job to the other member; a submit is durable across a SIGKILL of the broker. Skipped with a
 * message when no broker can start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaProofJobsIT {
  private static final Duration PROOF_WAIT = Duration.ofSeconds(240);

  @TempDir static Path dir;
  private static KafkaBroker broker;
  private static List<Golden> golden;

  /** A valid golden batch of the tiny shape. */
  private record Golden(long batch, byte[] witness, byte[] publicInput) {}

  @BeforeAll
  static void startBroker() throws IOException {
    golden = goldenTiny();
    // the tiny keys, set up once if this machine has none, before any prover opens them
    try (BatchProver p = BatchProver.open("tiny", ProgressListener.none())) {
      assertThat(p.batchSize()).isPositive();
    }
    try {
      broker = KafkaBroker.start(dir.resolve("broker"));
    } catch (IOException e) {
      Assumptions.abort("no Kafka broker could start here, Kafka proof queue not tested: " + e);
    }
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  @Order(1)
  void twoProversInOneGroupProveEachJobOnceAndARestartedNodeSeesItsOutcomes() throws Exception {
    KafkaQueueOptions options = options("a");
    try (KafkaProofJobs jobs = KafkaProofJobs.open(options, "tiny", null);
        ProverProcess p1 =
            ProverProcess.start(dir, "prover-a1", broker.bootstrap(), "ga", options);
        ProverProcess p2 =
            ProverProcess.start(dir, "prover-a2", broker.bootstrap(), "ga", options)) {
      awaitGroup("ga", 2, options.partitions());
      for (Golden g : golden) {
        jobs.submit(g.batch(), g.witness());
        jobs.submit(g.batch(), g.witness()); // idempotent
      }
      assertThat(jobs.inFlight()).isEqualTo(golden.size());
      for (Golden g : golden) {
        ProofJobs.Proved p = awaitProved(jobs, g);
        assertThat(p.publicInput()).isEqualTo(g.publicInput());
      }
      // exactly once per group: one result record per job, from either prover, each proof valid
      Map<JobId, List<ResultRecord>> results = readResults(options);
      try (BatchProver verifier = BatchProver.open("tiny", ProgressListener.none())) {
        for (Golden g : golden) {
          List<ResultRecord> rs = results.get(JobId.of(g.batch(), g.batch(), g.witness()));
          assertThat(rs).hasSize(1);
          ProofJobs.Proved kept =
              (ProofJobs.Proved) jobs.poll(g.batch(), g.witness()).orElseThrow();
          assertThat(((ProofJobs.Proved) rs.get(0).outcome()).solidityProof())
              .isEqualTo(kept.solidityProof());
          assertThat(verifier.verify(rs.get(0).rawProof(), g.publicInput())).isTrue();
          assertThat(verifier.verify(rs.get(0).rawProof(), new byte[32])).isFalse();
        }
      }
      // consecutive batches go to consecutive partitions: both members proved
      assertThat(jobs.provers())
          .extracting(ProofJobs.ProverStats::prover)
          .containsExactly("prover-a1", "prover-a2");
      assertThat(jobs.provers()).allSatisfy(s -> assertThat(s.proven()).isPositive());
      assertThat(jobs.provers().stream().mapToLong(ProofJobs.ProverStats::proven).sum())
          .isEqualTo(golden.size());
      assertThat(jobs.proversState()).contains("prover-a1 (").contains("4 jobs in flight");
      assertThat(p1.output()).contains("proved ");
      assertThat(p2.output()).contains("proved ");
      // two of the four are stored elsewhere and acknowledged
      jobs.acknowledge(golden.get(0).batch(), golden.get(0).witness());
      jobs.acknowledge(golden.get(1).batch(), golden.get(1).witness());
      assertThat(jobs.inFlight()).isEqualTo(2);
      assertThat(jobs.poll(golden.get(0).batch(), golden.get(0).witness())).isEmpty();
    }
    // the node restarts: a new instance finds the two jobs it did not acknowledge, with outcomes
    long jobRecords = endOffsetSum(options.jobsTopic());
    try (KafkaProofJobs again = KafkaProofJobs.open(options, "tiny", null)) {
      assertThat(again.inFlight()).isEqualTo(2);
      for (Golden g : golden.subList(2, 4)) {
        assertThat(awaitProved(again, g).publicInput()).isEqualTo(g.publicInput());
        again.submit(g.batch(), g.witness()); // known: a no-op, nothing produced
      }
      awaitCaughtUp(again);
      for (Golden g : golden.subList(0, 2)) {
        assertThat(again.poll(g.batch(), g.witness())).isEmpty();
      }
      assertThat(endOffsetSum(options.jobsTopic())).isEqualTo(jobRecords);
    }
  }

  @Test
  @Order(2)
  void aProverKilledMidProofLeavesItsJobToTheOtherMember() throws Exception {
    KafkaQueueOptions options = options("b").withPartitions(1);
    Golden g = golden.get(1);
    try (KafkaProofJobs jobs = KafkaProofJobs.open(options, "tiny", null);
        ProverProcess p1 =
            ProverProcess.start(dir, "prover-b1", broker.bootstrap(), "gb", options);
        ProverProcess p2 =
            ProverProcess.start(dir, "prover-b2", broker.bootstrap(), "gb", options)) {
      awaitGroup("gb", 2, 1);
      jobs.submit(g.batch(), g.witness());
      ProverProcess holder = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (holder == null && System.nanoTime() < deadline) {
        holder =
            p1.output().contains("proving ") ? p1 : p2.output().contains("proving ") ? p2 : null;
        Thread.sleep(20);
      }
      assertThat(holder).as("a prover took the job").isNotNull();
      ProverProcess other = holder == p1 ? p2 : p1;
      holder.kill();
      assertThat(holder.output()).doesNotContain("proved ").doesNotContain("committed");
      ProofJobs.Proved p = awaitProved(jobs, g);
      assertThat(p.publicInput()).isEqualTo(g.publicInput());
      other.await("committed " + JobId.of(g.batch(), g.batch(), g.witness()), PROOF_WAIT);
      List<ResultRecord> rs = readResults(options).get(JobId.of(g.batch(), g.batch(), g.witness()));
      assertThat(rs).hasSize(1);
      assertThat(rs.get(0).prover()).isEqualTo(other.id());
      try (BatchProver verifier = BatchProver.open("tiny", ProgressListener.none())) {
        assertThat(verifier.verify(rs.get(0).rawProof(), g.publicInput())).isTrue();
      }
      assertThat(jobs.provers())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.prover()).isEqualTo(other.id());
                assertThat(s.proven()).isEqualTo(1);
                assertThat(s.lastProofSeconds()).isPositive();
              });
    }
  }

  @Test
  @Order(3)
  void aProverOfAnotherDeploymentLeavesTheJobUncommitted() throws Exception {
    KafkaQueueOptions options = options("d").withPartitions(1);
    Golden g = golden.get(2);
    MessageDomain deployment =
        MessageDomain.of(31_337, L1Address.fromHex("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"));
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    ProverWorker.Engine neverCalled =
        new ProverWorker.Engine() {
          @Override
          public String shape() {
            return "tiny";
          }

          @Override
          public BatchProof prove(byte[] witness) {
            throw new AssertionError("a job of another deployment must not be proven");
          }
        };
    try (KafkaProofJobs jobs = KafkaProofJobs.open(options, "tiny", deployment);
        KafkaProverWorker worker =
            new KafkaProverWorker(
                new KafkaProverWorker.Options(
                    broker.bootstrap(),
                    "gd",
                    options.jobsTopic(),
                    options.resultsTopic(),
                    "prover-d1",
                    Duration.ofSeconds(3)),
                neverCalled,
                null,
                log::add)) {
      jobs.submit(g.batch(), g.witness());
      assertThatThrownBy(worker::run)
          .isInstanceOf(JobForAnotherProverException.class)
          .hasMessageContaining("of " + deployment)
          .hasMessageContaining("this prover proves tiny");
    }
    try (Admin admin = admin()) {
      assertThat(admin.listConsumerGroupOffsets("gd").partitionsToOffsetAndMetadata().get())
          .isEmpty(); // nothing committed: the job waits for a prover of its deployment
    }
    assertThat(readResults(options)).isEmpty();
  }

  @Test
  @Order(4)
  void aSubmittedJobSurvivesABrokerKill() throws Exception {
    KafkaQueueOptions options = options("c");
    Golden g = golden.get(3);
    try (KafkaProofJobs jobs = KafkaProofJobs.open(options, "tiny", null)) {
      jobs.submit(g.batch(), g.witness()); // returns once the broker acknowledged it
    }
    broker.killAndRestart(); // no prover has read it; only the broker's log holds it
    try (ProverProcess p =
            ProverProcess.start(dir, "prover-c1", broker.bootstrap(), "gc", options);
        KafkaProofJobs jobs = KafkaProofJobs.open(options, "tiny", null)) {
      assertThat(jobs.inFlight()).isEqualTo(1);
      assertThat(awaitProved(jobs, g).publicInput()).isEqualTo(g.publicInput());
      assertThat(p.output()).contains("proved ");
    }
  }

  private static KafkaQueueOptions options(String name) {
    return KafkaQueueOptions.defaults(broker.bootstrap())
        .withTopics(name + "-jobs", name + "-results")
        .withPartitions(4);
  }

  private static ProofJobs.Proved awaitProved(KafkaProofJobs jobs, Golden g) throws Exception {
    long deadline = System.nanoTime() + PROOF_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ProofJobs.Outcome> o = jobs.poll(g.batch(), g.witness());
      if (o.isPresent()) {
        assertThat(o.get()).isInstanceOf(ProofJobs.Proved.class);
        return (ProofJobs.Proved) o.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no outcome for batch " + g.batch() + ": " + jobs.proversState());
  }

  private static void awaitCaughtUp(KafkaProofJobs jobs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!jobs.caughtUp() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(jobs.caughtUp()).isTrue();
  }

  private static Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
    return Admin.create(p);
  }

  /** Waits until the group has {@code members} members sharing all {@code partitions}. */
  private static void awaitGroup(String group, int members, int partitions) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        ConsumerGroupDescription d =
            admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        int assigned = 0;
        for (MemberDescription m : d.members()) {
          assigned += m.assignment().topicPartitions().size();
        }
        last = d.members().size() + " members, " + assigned + " partitions, " + d.groupState();
        if (d.members().size() == members && assigned == partitions) {
          return;
        }
        Thread.sleep(200);
      }
    }
    throw new AssertionError("group " + group + " not formed: " + last);
  }

  private static long endOffsetSum(String topic) {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(KafkaClients.reader(broker.bootstrap(), "test-offsets"))) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Every result record of the results topic (not tombstones), by job. */
  private static Map<JobId, List<ResultRecord>> readResults(KafkaQueueOptions options)
      throws Exception {
    Map<JobId, List<ResultRecord>> out = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(KafkaClients.reader(broker.bootstrap(), "test-results"))) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(options.resultsTopic())
          .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline
          && end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            out.computeIfAbsent(JobRecord.parseKey(r.key()).orElseThrow(), k -> new ArrayList<>())
                .add(ResultRecord.decode(r.value()));
          }
        }
      }
    }
    return out;
  }

  /** The valid golden batches of the tiny shape (test-vectors/batches.json, made by Go). */
  private static List<Golden> goldenTiny() throws IOException {
    Path vectors =
        Path.of(System.getProperty("zkperp.test.vectors", "../test-vectors"), "batches.json");
    JsonNode root = new ObjectMapper().readTree(Files.readString(vectors));
    List<Golden> out = new ArrayList<>();
    for (JsonNode b : root.get("batches")) {
      if (b.get("shape").asText().equals("tiny") && b.get("valid").asBoolean()) {
        out.add(
            new Golden(
                b.get("batchNumber").asLong(),
                HexFormat.of().parseHex(b.get("witness").asText().substring(2)),
                HexFormat.of().parseHex(b.get("publicInput").asText().substring(2))));
      }
    }
    assertThat(out).hasSize(4);
    return out;
  }
}
