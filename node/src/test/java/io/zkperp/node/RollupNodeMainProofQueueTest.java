package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.node.jobs.kafka.KafkaProofQueue;
import io.zkperp.node.jobs.kafka.KafkaQueueOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code --proof-queue local|kafka}: local by default (worker processes, unchanged), kafka with its
 * brokers and topics; a missing or malformed Kafka option exits 2 and starts nothing.
 */
class RollupNodeMainProofQueueTest {
  final StringWriter err = new StringWriter();
  final AtomicReference<ProofQueue> started = new AtomicReference<>();

  int run(String... args) {
    return RollupNodeMain.execute(
        args,
        new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true),
        new RollupNodeMain.Runner() {
          @Override
          public int run(NodeConfig cfg, PrintWriter out) {
            throw new AssertionError("the queue-aware run is called");
          }

          @Override
          public int run(NodeConfig cfg, ProofQueue queue, PrintWriter out) {
            started.set(queue);
            return 0;
          }
        });
  }

  @Test
  void localWorkersByDefault() {
    assertThat(run("--port", "0")).isZero();
    assertThat(started.get()).isSameAs(ProofQueue.LOCAL_WORKERS);
    assertThat(run("--port", "0", "--proof-queue", "local", "--prover-workers", "3")).isZero();
    assertThat(started.get()).isSameAs(ProofQueue.LOCAL_WORKERS);
  }

  @Test
  void kafkaTakesItsBrokersAndTopics() {
    assertThat(run("--proof-queue", "kafka", "--kafka-bootstrap", "k1:9092,k2:9093")).isZero();
    assertThat(started.get())
        .isEqualTo(new KafkaProofQueue(KafkaQueueOptions.defaults("k1:9092,k2:9093")));
    assertThat(
            run(
                "--proof-queue",
                "kafka",
                "--kafka-bootstrap",
                "k1:9092",
                "--kafka-jobs-topic",
                "dev-jobs",
                "--kafka-results-topic",
                "dev-results"))
        .isZero();
    KafkaQueueOptions o = ((KafkaProofQueue) started.get()).options();
    assertThat(o.jobsTopic()).isEqualTo("dev-jobs");
    assertThat(o.resultsTopic()).isEqualTo("dev-results");
  }

  @Test
  void badCombinationsExit2AndStartNothing() {
    assertThat(run("--proof-queue", "kafka")).isEqualTo(2);
    assertThat(err.toString()).contains("--proof-queue kafka needs --kafka-bootstrap");
    assertThat(run("--kafka-bootstrap", "k:1")).isEqualTo(2);
    assertThat(err.toString()).contains("--kafka-bootstrap needs --proof-queue kafka");
    assertThat(run("--proof-queue", "rabbit")).isEqualTo(2);
    assertThat(err.toString()).contains("expected local or kafka");
    assertThat(run("--proof-queue", "kafka", "--kafka-bootstrap", "nohost")).isEqualTo(2);
    assertThat(err.toString()).contains("host:port");
    assertThat(
            run(
                "--proof-queue",
                "kafka",
                "--kafka-bootstrap",
                "k:1",
                "--kafka-jobs-topic",
                "t",
                "--kafka-results-topic",
                "t"))
        .isEqualTo(2);
    assertThat(started.get()).isNull();
  }
}
