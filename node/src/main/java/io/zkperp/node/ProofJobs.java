package io.zkperp.node;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the node hands batches to be proven, and where it collects the proofs. Nothing here assumes
 * the prover runs beside the node: a job is identified by its batch and witness alone, submitting
 * is durable and idempotent, and results are polled. The first implementation is a local job
 * directory served by worker processes ({@link WorkerProofJobs}); the next is a distributed queue,
 * Kafka consumer groups of provers on other machines ({@code
 * io.zkperp.node.jobs.kafka.KafkaProofJobs}). Implementations must be thread-safe.
 */
public interface ProofJobs extends AutoCloseable {
  /**
   * Hands a batch to the provers; durable when it returns; submitting the same batch and witness
   * again is a no-op.
   *
   * @param batch the batch number
   * @param witness its witness
   * @throws IOException if the job cannot be stored
   */
  void submit(long batch, byte[] witness) throws IOException;

  /**
   * The job's outcome, if there is one yet. Never blocks on proving.
   *
   * @param batch the batch number
   * @param witness its witness (identifies the job with the number)
   * @return the outcome, or empty while it is proven
   * @throws IOException if the outcome cannot be read
   */
  Optional<Outcome> poll(long batch, byte[] witness) throws IOException;

  /**
   * Forgets the job once its proof is stored elsewhere.
   *
   * @param batch the batch number
   * @param witness its witness
   * @throws IOException if the job cannot be removed
   */
  void acknowledge(long batch, byte[] witness) throws IOException;

  /**
   * Jobs submitted and not acknowledged (a metric).
   *
   * @return the count
   */
  int inFlight();

  /**
   * The provers' state in words, for {@code /health} when a proof is late (e.g. {@code worker pid
   * 123, restarted 4 times}). Must not block.
   *
   * @return a short description, "" when there is nothing to say
   */
  default String proversState() {
    return "";
  }

  /**
   * Each prover's counters, for metrics (one entry per prover this implementation knows, in a fixed
   * order). Must not block on proving.
   *
   * @return the counters, empty if the implementation keeps none
   */
  default java.util.List<ProverStats> provers() {
    return java.util.List.of();
  }

  /**
   * One prover's counters.
   *
   * @param prover its name (e.g. {@code worker-1})
   * @param proven jobs it proved
   * @param failed jobs it finished with a failure
   * @param lastProofSeconds how long its last proof took, 0 before the first
   * @param proofSecondsTotal time spent in its proofs, summed
   * @param restarts how often it died and was restarted
   */
  record ProverStats(
      String prover,
      long proven,
      long failed,
      double lastProofSeconds,
      double proofSecondsTotal,
      long restarts) {}

  /**
   * Stops talking to the provers; jobs stay where they are.
   *
   * @throws IOException if stopping fails
   */
  @Override
  void close() throws IOException;

  /** A job's outcome. */
  sealed interface Outcome {}

  /**
   * A proof.
   *
   * @param solidityProof the proof as the L1 verifier reads it
   * @param publicInput its public input (32 bytes)
   */
  record Proved(byte[] solidityProof, byte[] publicInput) implements Outcome {
    /** Copies the arrays. */
    public Proved {
      solidityProof = solidityProof.clone();
      publicInput = publicInput.clone();
    }

    /**
     * The proof.
     *
     * @return a copy
     */
    @Override
    public byte[] solidityProof() {
      return solidityProof.clone();
    }

    /**
     * The public input.
     *
     * @return a copy
     */
    @Override
    public byte[] publicInput() {
      return publicInput.clone();
    }
  }

  /**
   * A failure of the job: permanent for the witness (unsatisfiable, malformed, a key mismatch), or
   * {@code retryable} (the prover kept dying or failed internally, e.g. killed with the node: the
   * job may be acknowledged and submitted again).
   *
   * @param reason what failed
   * @param retryable whether submitting the same job again may succeed
   */
  record Failed(String reason, boolean retryable) implements Outcome {
    /** Checks for null. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
