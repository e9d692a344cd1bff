package io.zkperp.node;

import io.zkperp.protocol.message.MessageDomain;
import java.io.IOException;

/**
 * Which {@link ProofJobs} a {@link RollupNode} proves through, and how many jobs its proving stage
 * keeps in flight: {@link #LOCAL_WORKERS} (the default: a job directory and worker processes beside
 * the node) or a distributed queue ({@code io.zkperp.node.jobs.kafka.KafkaProofQueue}).
 * Implementations are immutable; any thread.
 */
public interface ProofQueue {
  /**
   * Opens the jobs; called once by the thread that opens the node.
   *
   * @param cfg the node's configuration (its prover's shape, keys, job directory)
   * @param domain the deployment a format v3 shape proves for, or null for a format v2 node
   * @return the jobs, closed with the node
   * @throws IOException if they cannot be opened
   */
  ProofJobs open(NodeConfig cfg, MessageDomain domain) throws IOException;

  /**
   * Jobs the proving stage keeps submitted at once.
   *
   * @param cfg the node's configuration
   * @return at least 1
   */
  int maxInFlight(NodeConfig cfg);

  /**
   * {@link WorkerProofJobs}: {@code cfg.prover().workers()} worker processes on a job directory;
   * one job per worker in flight, plus one ready for the first worker to finish (at least 2).
   */
  ProofQueue LOCAL_WORKERS =
      new ProofQueue() {
        @Override
        public ProofJobs open(NodeConfig cfg, MessageDomain domain) throws IOException {
          return WorkerProofJobs.start(
              domain == null ? cfg.prover() : cfg.prover().withDomain(domain));
        }

        @Override
        public int maxInFlight(NodeConfig cfg) {
          return Math.max(2, cfg.prover().workers() + 1);
        }

        @Override
        public String toString() {
          return "local";
        }
      };
}
