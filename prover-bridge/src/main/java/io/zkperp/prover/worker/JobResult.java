package io.zkperp.prover.worker;

import io.zkperp.prover.BatchProof;
import io.zkperp.prover.InvalidWitnessException;
import io.zkperp.prover.ProvingKeyMismatchException;
import io.zkperp.prover.UnsatisfiableWitnessException;
import java.util.Objects;

/**
 * The outcome of a job, as the worker writes it to its result file: a proof, or a permanent
 * failure. Transient failures (the worker died) are not results: the job is retried. Immutable.
 */
public sealed interface JobResult {

  /**
   * Returns the job this is the result of.
   *
   * @return the job id
   */
  JobId id();

  /**
   * Returns the proof, or throws the exception that corresponds to the failure.
   *
   * @return the proof
   * @throws UnsatisfiableWitnessException if the witness breaks a circuit rule
   * @throws InvalidWitnessException if the witness is malformed
   * @throws ProvingKeyMismatchException if the worker's keys do not match
   * @throws WorkerFailureException on any other failure
   */
  BatchProof proofOrThrow();

  /**
   * A proof.
   *
   * @param id the job
   * @param proof the proof
   */
  record Proved(JobId id, BatchProof proof) implements JobResult {
    /** Validates the components. */
    public Proved {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(proof, "proof");
    }

    @Override
    public BatchProof proofOrThrow() {
      return proof;
    }
  }

  /**
   * A permanent failure.
   *
   * @param id the job
   * @param kind what failed
   * @param detail transaction index (unsatisfiable), byte offset (invalid witness), attempts
   *     (crashed), else -1
   * @param message the failure's message
   */
  record Failed(JobId id, Kind kind, long detail, String message) implements JobResult {
    /** Validates the components. */
    public Failed {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public BatchProof proofOrThrow() {
      String text = "job " + id + ": " + message;
      throw switch (kind) {
        case UNSATISFIABLE -> new UnsatisfiableWitnessException((int) detail, text);
        case INVALID_WITNESS -> new InvalidWitnessException(detail, text);
        case KEY_MISMATCH -> new ProvingKeyMismatchException(text);
        case CRASHED, INTERNAL, WRONG_SHAPE -> new WorkerFailureException(kind + ": " + text);
      };
    }
  }

  /** Kinds of permanent failure; the numbers are the status field of the result file. */
  enum Kind {
    /** The witness is malformed. */
    INVALID_WITNESS(1),
    /** The witness breaks a circuit rule. */
    UNSATISFIABLE(2),
    /** The worker's keys do not match. */
    KEY_MISMATCH(3),
    /** The worker died on this job too many times. */
    CRASHED(4),
    /** The prover failed internally (I/O, recovered panic). */
    INTERNAL(5),
    /** The job asks for a shape the worker does not serve. */
    WRONG_SHAPE(6);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    /**
     * Returns the status number written to result files.
     *
     * @return the number, 1 or more
     */
    public int status() {
      return status;
    }

    /**
     * Maps a status number back.
     *
     * @param status the number
     * @return the kind
     * @throws IllegalArgumentException for an unknown number
     */
    public static Kind of(int status) {
      for (Kind k : values()) {
        if (k.status == status) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown failure status " + status);
    }
  }
}
