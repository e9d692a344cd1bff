package io.zkperp.node.jobs.kafka;

import io.zkperp.node.NodeConfig;
import io.zkperp.node.ProofJobs;
import io.zkperp.node.ProofQueue;
import io.zkperp.protocol.message.MessageDomain;
import java.io.IOException;
import java.util.Objects;

/**
 * The node's proofs go through Kafka ({@link KafkaProofJobs}); the node starts no prover: {@link
 * KafkaProverWorkerMain} processes prove, wherever they run. Immutable; any thread.
 *
 * @param options where the queue lives
 */
public record KafkaProofQueue(KafkaQueueOptions options) implements ProofQueue {
  /** Checks for null. */
  public KafkaProofQueue {
    Objects.requireNonNull(options, "options");
  }

  @Override
  public ProofJobs open(NodeConfig cfg, MessageDomain domain) throws IOException {
    return KafkaProofJobs.open(options, cfg.prover().shape(), domain);
  }

  @Override
  public int maxInFlight(NodeConfig cfg) {
    return options.maxInFlight();
  }

  @Override
  public String toString() {
    return "kafka "
        + options.bootstrap()
        + " ("
        + options.jobsTopic()
        + ", "
        + options.resultsTopic()
        + ")";
  }
}
